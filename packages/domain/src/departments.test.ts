import { describe, expect, it } from "vitest";
import { departmentByCode, departments, issuingDepartmentCodes } from "./departments.js";

const cjk = /\p{Script=Han}/u;

describe("departments", () => {
  it("are the 17 issuers, in the order of signature of the Chinese original", () => {
    expect(departments.map((d) => d.code)).toEqual([
      "MIIT",
      "NDRC",
      "MOST",
      "MOF",
      "MOHRSS",
      "MEE",
      "MARA",
      "MOFCOM",
      "MCT",
      "PBOC",
      "GACC",
      "STA",
      "SAMR",
      "NBS",
      "CBIRC",
      "CSRC",
      "CNIPA",
    ]);
    expect(issuingDepartmentCodes).toEqual(departments.map((d) => d.code));
  });

  it("have unique codes and orders 1..17 with no gap, listed in that order", () => {
    expect(new Set(departments.map((d) => d.code)).size).toBe(17);
    expect(departments.map((d) => d.order)).toEqual(Array.from({ length: 17 }, (_, i) => i + 1));
  });

  it.each(departments.map((d) => [d.code, d] as const))("%s has names in both languages", (_code, d) => {
    for (const name of [d.nameEn, d.nameZh, d.shortEn, d.shortZh]) expect(name.trim()).not.toBe("");
    expect(d.nameEn).not.toMatch(cjk);
    expect(d.shortEn).toBe(d.code);
    expect(d.nameZh).toMatch(/^\p{Script=Han}+$/u);
    expect(d.shortZh).toMatch(/^\p{Script=Han}+$/u);
    // A short name is never longer than the full one.
    expect(d.shortZh.length).toBeLessThanOrEqual(d.nameZh.length);
  });

  it("use the short Chinese names of the signature line of joint documents", () => {
    expect(departments.map((d) => d.shortZh)).toEqual([
      "工信部",
      "发展改革委",
      "科技部",
      "财政部",
      "人力资源社会保障部",
      "生态环境部",
      "农业农村部",
      "商务部",
      "文化和旅游部",
      "人民银行",
      "海关总署",
      "税务总局",
      "市场监管总局",
      "统计局",
      "银保监会",
      "证监会",
      "知识产权局",
    ]);
  });

  it("have unique names in each language", () => {
    for (const key of ["nameEn", "nameZh", "shortZh"] as const) {
      expect(new Set(departments.map((d) => d[key])).size).toBe(17);
    }
  });

  it("record CBIRC's replacement by NAFR on 18 May 2023 and keep the 2020 name", () => {
    const cbirc = departmentByCode("CBIRC");
    expect(cbirc?.nameEn).toBe("China Banking and Insurance Regulatory Commission");
    expect(cbirc?.nameZh).toBe("中国银行保险监督管理委员会");
    expect(cbirc?.successor).toEqual({
      code: "NAFR",
      nameEn: "National Administration of Financial Regulation",
      nameZh: "国家金融监督管理总局",
      since: "2023-05-18",
    });
    expect(departments.filter((d) => d.successor !== null).map((d) => d.code)).toEqual(["CBIRC"]);
  });

  it("are found by code, and an unknown code finds nothing", () => {
    for (const d of departments) expect(departmentByCode(d.code)).toBe(d);
    expect(departmentByCode("NAFR")).toBeUndefined();
    expect(departmentByCode("miit")).toBeUndefined();
    expect(departmentByCode("")).toBeUndefined();
  });
});
