import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import type { MatrixInput } from "@countersign/domain";
import { buildResponsibilityMatrix, departments, proposedDivision2020 } from "@countersign/domain";
import { inertText, renderMatrixCsv } from "./matrix-csv.js";
import { defaultInput, statusInput } from "./test-support/fixtures.js";

function records(csv: string): string[][] {
  return parse(csv, { bom: true, relax_column_count: false }) as string[][];
}

describe("renderMatrixCsv", () => {
  it("writes UTF-8 with a BOM, CRLF line ends, one header row and 25 measure rows (zh)", () => {
    const matrix = buildResponsibilityMatrix(defaultInput);
    const csv = renderMatrixCsv(matrix, { lang: "zh" });
    expect(csv.startsWith("\uFEFF")).toBe(true);
    expect(Buffer.from(csv, "utf8").subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(csv.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
    const [header, ...rows] = records(csv);
    expect(header).toEqual(["序号", "部分", "重点任务", ...departments.map((d) => d.shortZh)]);
    expect(rows).toHaveLength(25);
    const marks = new Map<string, string>();
    for (const row of rows) {
      departments.forEach((d, i) => {
        const v = row[3 + i];
        if (v) marks.set(`${row[0]} ${d.code}`, v);
      });
    }
    expect(marks.size).toBe(proposedDivision2020.length);
    for (const p of proposedDivision2020) expect(marks.get(`${p.measureNumber} ${p.department}`)).toBe(p.role === "lead" ? "牵头" : "参与");
    expect(rows[0]?.[1]).toMatch(/^一、/);
    expect(rows[24]?.[1]).toMatch(/^七、/);
  });

  it("writes role/status per cell and the measure status with status (en)", () => {
    const matrix = buildResponsibilityMatrix(statusInput);
    const [header, ...rows] = records(renderMatrixCsv(matrix, { lang: "en" }));
    expect(header?.at(-1)).toBe("Measure status");
    expect(header?.[3]).toBe("MIIT");
    expect(rows).toHaveLength(25);
    const modelRows = matrix.groups.flatMap((g) => g.rows);
    rows.forEach((row, i) => {
      const model = modelRows[i];
      if (!model) throw new Error("row count differs");
      expect(row[0]).toBe(String(model.measure.number));
      model.cells.forEach((cell, c) => {
        const v = row[3 + c] ?? "";
        if (cell.role === null) expect(v).toBe("");
        else expect(v.startsWith(`${cell.role === "lead" ? "Lead" : "Supporting"}/`)).toBe(true);
      });
    });
    expect(rows[0]?.at(-1)).toBe("Closed");
    expect(rows[1]?.at(-1)).toBe("All signed off");
    expect(rows.flat().some((v) => v.includes("(Overdue)") || v.includes("(Long overdue)"))).toBe(true);
  });

  it("quotes commas, quotes and line breaks (RFC 4180) and keeps formulas inert", () => {
    const nasty = ['Funds, loans and "guarantees"', "two\nlines", "=HYPERLINK(\"http://x\")", "中文，逗号“引号”"];
    const input: MatrixInput = {
      plan: {
        departments: ["MIIT", "MOF"],
        sections: [{ number: 1, numeral: "I", title: "a, b" }],
        measures: nasty.map((title, i) => ({ number: i + 1, section: 1, title, text: title, textCut: false })),
      },
      departments,
      responsibilities: [
        { measureNumber: 1, department: "MIIT", role: "lead" },
        { measureNumber: 1, department: "MOF", role: "supporting" },
        { measureNumber: 2, department: "MOF", role: "lead" },
      ],
    };
    const csv = renderMatrixCsv(buildResponsibilityMatrix(input), { lang: "en" });
    expect(csv).toContain('"Funds, loans and ""guarantees"""');
    expect(csv).toContain('"two\nlines"');
    const [header, ...rows] = records(csv);
    expect(header).toEqual(["No.", "Section", "Measure", "MIIT", "MOF"]);
    expect(rows.map((r) => r[2])).toEqual([nasty[0], nasty[1], `'${nasty[2]}`, nasty[3]]);
    expect(rows.map((r) => r[1])).toEqual(Array(4).fill("I. a, b"));
    expect(rows[0]?.slice(3)).toEqual(["Lead", "Supporting"]);
    expect(rows[1]?.slice(3)).toEqual(["", "Lead"]);
    expect(rows[3]?.slice(3)).toEqual(["", ""]);
  });

  it("prefixes only cells a spreadsheet would run as a formula", () => {
    expect(inertText("=1+1")).toBe("'=1+1");
    expect(inertText("+86")).toBe("'+86");
    expect(inertText("-x")).toBe("'-x");
    expect(inertText("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(inertText("a=b")).toBe("a=b");
    expect(inertText("牵头")).toBe("牵头");
  });
});
