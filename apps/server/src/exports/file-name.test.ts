import { describe, expect, it } from "vitest";
import { exportFileName, planShortName } from "./file-name.js";

const plan2020 = { key: "2020-sme-support-system", titleEn: "Opinions on SMEs", titleZh: "关于健全支持中小企业发展制度的若干意见", documentNumber: "工信部联企业〔2020〕108号" };
const imported = { key: "imported-3f2a9c1e-0000", titleEn: "Measures to Stabilise Employment in Small Firms", titleZh: "", documentNumber: "" };

describe("export file names", () => {
  it("carry the plan's short name and the day, in either language", () => {
    const base = { stem: "责任分工矩阵", plan: plan2020, lang: "zh" as const, department: null, asOf: null, today: "2026-11-30", format: "xlsx" };
    expect(exportFileName(base)).toBe("责任分工矩阵_工信部联企业〔2020〕108号_2026-11-30.xlsx");
    expect(exportFileName({ ...base, department: "MOF", asOf: "2026-03-01" })).toBe("责任分工矩阵_工信部联企业〔2020〕108号_MOF_截至2026-03-01.xlsx");
    expect(exportFileName({ ...base, stem: "responsibility-matrix", lang: "en" })).toBe(
      "responsibility-matrix_2020-sme-support-system_2026-11-30.xlsx",
    );
  });

  it("never use a generated key or characters a file system refuses", () => {
    expect(planShortName(imported, "en")).toBe("measures-stabilise-employment-small-firms");
    expect(planShortName(imported, "zh")).toBe("measures-stabilise-employment-small-firms");
    expect(planShortName({ ...imported, titleZh: "关于/减轻:负担*的意见" }, "zh")).toBe("关于-减轻-负担-的意见");
  });
});
