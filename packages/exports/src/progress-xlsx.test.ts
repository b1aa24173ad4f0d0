import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { renderProgressXlsx } from "./progress-xlsx.js";
import { progressReport as report } from "./test-support/fixtures.js";

function rowValues(sheet: ExcelJS.Worksheet | undefined, row: number): unknown[] {
  if (!sheet) throw new Error("missing sheet");
  const values = sheet.getRow(row).values;
  return Array.isArray(values) ? values.slice(1) : [];
}

describe("renderProgressXlsx", () => {
  it("writes the by-section, by-department and overdue sheets exactly as the report counts them", async () => {
    const buffer = await renderProgressXlsx(report, { lang: "zh", title: "落实进展情况", subtitle: "截至2021年4月1日" });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(new Uint8Array(buffer).buffer);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(["分部分统计", "分单位统计", "逾期事项"]);

    const bySection = workbook.getWorksheet("分部分统计");
    expect(rowValues(bySection, 3)).toEqual(["部分", "措施数", "已全部报结", "已办结", "交办任务数", "已签收", "已报结", "已逾期"]);
    report.sections.forEach((s, i) => {
      expect(rowValues(bySection, 4 + i).slice(1)).toEqual([s.measures, s.countersigned, s.closed, s.assignments, s.acknowledged, s.signedOff, s.overdue]);
    });
    const t = report.totals;
    expect(rowValues(bySection, 4 + report.sections.length)).toEqual(["合计", t.measures, t.countersigned, t.closed, t.assignments, t.acknowledged, t.signedOff, t.overdue]);
    expect(t.measures).toBe(25);

    const byDepartment = workbook.getWorksheet("分单位统计");
    report.departments.forEach((d, i) => {
      expect(rowValues(byDepartment, 4 + i)).toEqual([d.department.nameZh, d.lead, d.supporting, d.assignments, d.acknowledged, d.signedOff, d.overdue]);
    });
    expect(rowValues(byDepartment, 4)[0]).toBe("工业和信息化部");

    const overdue = workbook.getWorksheet("逾期事项");
    expect(report.overdue.length).toBeGreaterThan(0);
    report.overdue.forEach((o, i) => {
      const row = rowValues(overdue, 4 + i);
      expect([row[0], row[1], row[2], row[6]]).toEqual([o.measureNumber, o.measureTitle, o.department.nameZh, o.daysLate]);
    });
    expect(overdue?.pageSetup.orientation).toBe("landscape");
    expect(overdue?.pageSetup.fitToWidth).toBe(1);
  });
});
