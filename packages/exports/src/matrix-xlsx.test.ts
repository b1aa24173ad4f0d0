import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import type { Language, ResponsibilityMatrix } from "@countersign/domain";
import {
  buildDivisionTable,
  buildResponsibilityMatrix,
  columnName,
  departments,
  divisionTableHeadings,
  proposedDivision2020,
} from "@countersign/domain";
import { labels } from "./labels.js";
import { divisionSheetLayout, matrixSheetLayout, renderDivisionXlsx, renderMatrixXlsx, statusFill } from "./matrix-xlsx.js";
import { defaultInput, statusInput } from "./test-support/fixtures.js";
import { sheetNamer } from "./xlsx-support.js";

async function readBack(matrix: ResponsibilityMatrix, lang: Language, departmentSheets?: "all" | "none" | string[]) {
  const buffer = await renderMatrixXlsx(matrix, {
    lang,
    title: "关于健全支持中小企业发展制度的若干意见",
    subtitle: "工信部联企业〔2020〕108号",
    divisionRows: buildDivisionTable(matrix, lang, new Map([[1, "2021-12-31"]])),
    ...(departmentSheets === undefined ? {} : { departmentSheets }),
  });
  const workbook = new ExcelJS.Workbook();
  // A copy as a plain ArrayBuffer: exceljs types its Buffer parameter against an older @types/node.
  await workbook.xlsx.load(new Uint8Array(buffer).buffer);
  return workbook;
}

function text(sheet: ExcelJS.Worksheet, row: number, column: number): string {
  const v = sheet.getCell(row, column).value;
  return v === null || v === undefined ? "" : String(v);
}

/** The measure rows of the matrix sheet: those whose first cell is a measure number. */
function measureRows(sheet: ExcelJS.Worksheet): number[] {
  const rows: number[] = [];
  sheet.eachRow((row, n) => {
    if (n > matrixSheetLayout.headerRow && typeof row.getCell(1).value === "number") rows.push(n);
  });
  return rows;
}

describe("renderMatrixXlsx, default plan and proposed division", () => {
  const matrix = buildResponsibilityMatrix(defaultInput);

  it("writes every cell of the matrix sheet as the domain's matrix has it (zh)", async () => {
    const workbook = await readBack(matrix, "zh");
    const sheet = workbook.getWorksheet("责任分工矩阵");
    if (!sheet) throw new Error("no matrix sheet");
    const { headerRow, firstDepartmentColumn } = matrixSheetLayout;

    // 17 department columns in order of signature, short Chinese names.
    expect(matrix.columns).toHaveLength(17);
    expect(text(sheet, headerRow, 1)).toBe("序号");
    expect(text(sheet, headerRow, 2)).toBe("重点任务");
    matrix.columns.forEach((c, i) => {
      expect(text(sheet, headerRow, firstDepartmentColumn + i)).toBe(c.shortZh);
    });
    expect(text(sheet, headerRow, firstDepartmentColumn)).toBe("工信部");
    expect(text(sheet, headerRow, firstDepartmentColumn + 17)).toBe("");

    // 25 measure rows, each cell exactly 牵头 / 参与 / blank as the model says.
    const rows = measureRows(sheet);
    const modelRows = matrix.groups.flatMap((g) => g.rows);
    expect(rows).toHaveLength(25);
    rows.forEach((r, i) => {
      const model = modelRows[i];
      if (!model) throw new Error("row count differs");
      expect(sheet.getCell(r, 1).value).toBe(model.measure.number);
      expect(text(sheet, r, 2)).toContain(model.measure.title);
      model.cells.forEach((cell, c) => {
        const expected = cell.role === null ? "" : cell.role === "lead" ? "牵头" : "参与";
        expect(text(sheet, r, firstDepartmentColumn + c), `measure ${model.measure.number}, ${cell.department}`).toBe(expected);
      });
    });

    // The marks are exactly the proposed division: no more, no fewer.
    const marks = new Map<string, string>();
    rows.forEach((r) => {
      matrix.columns.forEach((c, i) => {
        const v = text(sheet, r, firstDepartmentColumn + i);
        if (v !== "") marks.set(`${String(sheet.getCell(r, 1).value)} ${c.code}`, v);
      });
    });
    expect(marks.size).toBe(proposedDivision2020.length);
    for (const p of proposedDivision2020) {
      expect(marks.get(`${p.measureNumber} ${p.department}`)).toBe(p.role === "lead" ? "牵头" : "参与");
    }
  });

  it("has sections as merged bold group rows, totals per department, a legend and a title", async () => {
    const workbook = await readBack(matrix, "zh");
    const sheet = workbook.getWorksheet("责任分工矩阵");
    if (!sheet) throw new Error("no matrix sheet");
    expect(text(sheet, 1, 1)).toBe("关于健全支持中小企业发展制度的若干意见");
    expect(text(sheet, 2, 1)).toContain("牵头 = 牵头单位");
    const lastColumn = sheet.getColumn(matrixSheetLayout.firstDepartmentColumn + 16).letter;
    const sectionRows: number[] = [];
    sheet.eachRow((row, n) => {
      if (String(row.getCell(1).value).match(/^[一二三四五六七]、/)) sectionRows.push(n);
    });
    expect(sectionRows).toHaveLength(7);
    const merges = (sheet.model as unknown as { merges: string[] }).merges;
    for (const n of sectionRows) {
      expect(merges).toContain(`A${n}:${lastColumn}${n}`);
      expect(sheet.getCell(n, 1).font?.bold).toBe(true);
    }
    // Measures are outlined under their section.
    for (const n of measureRows(sheet)) expect(sheet.getRow(n).outlineLevel).toBe(1);

    const leadRow = sheet.getColumn(2).values.indexOf("牵头合计");
    const supportingRow = sheet.getColumn(2).values.indexOf("参与合计");
    expect(leadRow).toBeGreaterThan(0);
    expect(supportingRow).toBe(leadRow + 1);
    matrix.totals.forEach((t, i) => {
      expect(sheet.getCell(leadRow, matrixSheetLayout.firstDepartmentColumn + i).value).toBe(t.lead);
      expect(sheet.getCell(supportingRow, matrixSheetLayout.firstDepartmentColumn + i).value).toBe(t.supporting);
    });
    // Every measure has one lead in the proposed division, so the lead totals add up to 25.
    expect(matrix.totals.reduce((n, t) => n + t.lead, 0)).toBe(25);
  });

  it("freezes the header row and the first columns, and prints landscape A4 one page wide with repeated headers", async () => {
    const workbook = await readBack(matrix, "zh");
    const sheet = workbook.getWorksheet("责任分工矩阵");
    if (!sheet) throw new Error("no matrix sheet");
    const view = sheet.views[0];
    expect(view?.state).toBe("frozen");
    expect(view && "ySplit" in view ? view.ySplit : undefined).toBe(matrixSheetLayout.headerRow);
    expect(view && "xSplit" in view ? view.xSplit : undefined).toBe(2);
    expect(sheet.pageSetup.orientation).toBe("landscape");
    expect(sheet.pageSetup.paperSize).toBe(9);
    expect(sheet.pageSetup.fitToPage).toBe(true);
    expect(sheet.pageSetup.fitToWidth).toBe(1);
    expect(sheet.pageSetup.fitToHeight).toBe(0);
    expect(sheet.pageSetup.printTitlesRow).toBe("3:3");
    // Chinese names stand stacked in the header; each column fits its cell text.
    expect(sheet.getCell(matrixSheetLayout.headerRow, 3).alignment?.textRotation).toBe("vertical");
    expect(sheet.getColumn(3).width).toBeGreaterThanOrEqual(6);
    expect(sheet.getColumn(2).width).toBeGreaterThanOrEqual(40);
  });

  it("writes the task-division sheet: 序号 | 重点任务 | 牵头单位 | 参与单位 | 完成时限", async () => {
    const workbook = await readBack(matrix, "zh");
    const sheet = workbook.getWorksheet("任务分工表");
    if (!sheet) throw new Error("no division sheet");
    const division = buildDivisionTable(matrix, "zh", new Map([[1, "2021-12-31"]]));
    expect(text(sheet, 1, 1)).toBe("关于健全支持中小企业发展制度的若干意见 — 任务分工表");
    divisionTableHeadings.zh.forEach((h, i) => {
      expect(text(sheet, 3, i + 1)).toBe(h);
    });
    expect(sheet.rowCount).toBe(3 + 25);
    division.forEach((row, i) => {
      const r = 4 + i;
      expect(sheet.getCell(r, 1).value).toBe(row.no);
      expect(text(sheet, r, 2)).toBe(row.task);
      expect(text(sheet, r, 3)).toBe(row.lead);
      expect(text(sheet, r, 4)).toBe(row.supporting.join("、"));
      expect(text(sheet, r, 5)).toBe(row.deadline);
      expect(sheet.getCell(r, 2).alignment?.wrapText).toBe(true);
    });
    expect(text(sheet, 4, 5)).toBe("2021年12月31日前");
    expect(sheet.pageSetup.printTitlesRow).toBe("3:3");
  });

  it("writes one sheet per department, listing its responsibilities with valid sheet names", async () => {
    const workbook = await readBack(matrix, "zh");
    expect(workbook.worksheets).toHaveLength(2 + 17);
    for (const column of matrix.columns) {
      const sheet = workbook.getWorksheet(column.shortZh);
      if (!sheet) throw new Error(`no sheet for ${column.code}`);
      expect(sheet.name.length).toBeLessThanOrEqual(31);
      expect(text(sheet, 1, 1)).toContain(column.nameZh);
      const listed: string[] = [];
      sheet.eachRow((row, n) => {
        if (n > 3) listed.push(`${String(row.getCell(1).value)} ${String(row.getCell(4).value)}`);
      });
      const expected = proposedDivision2020
        .filter((p) => p.department === column.code)
        .map((p) => `${p.measureNumber} ${p.role === "lead" ? "牵头单位" : "参与单位"}`);
      expect(listed).toEqual(expected);
    }
    const one = await readBack(matrix, "zh", ["MOF"]);
    expect(one.worksheets.map((s) => s.name)).toEqual(["责任分工矩阵", "任务分工表", "财政部"]);
    const none = await readBack(matrix, "en", "none");
    expect(none.worksheets.map((s) => s.name)).toEqual(["Matrix", "Task division"]);
  });
});

describe("renderMatrixXlsx with status (en)", () => {
  const matrix = buildResponsibilityMatrix(statusInput);

  it("writes role and state in each cell, lateness in words, the state as fill, and the measure status", async () => {
    const workbook = await readBack(matrix, "en");
    const sheet = workbook.getWorksheet("Matrix");
    if (!sheet) throw new Error("no matrix sheet");
    const { headerRow, firstDepartmentColumn } = matrixSheetLayout;
    matrix.columns.forEach((c, i) => {
      expect(text(sheet, headerRow, firstDepartmentColumn + i)).toBe(columnName(c, "en"));
    });
    const statusColumn = firstDepartmentColumn + 17;
    expect(text(sheet, headerRow, statusColumn)).toBe("Measure status");
    const rows = measureRows(sheet);
    const modelRows = matrix.groups.flatMap((g) => g.rows);
    expect(rows).toHaveLength(25);
    const l = labels.en;
    let late = 0;
    rows.forEach((r, i) => {
      const model = modelRows[i];
      if (!model) throw new Error("row count differs");
      model.cells.forEach((cell, c) => {
        const target = sheet.getCell(r, firstDepartmentColumn + c);
        if (cell.role === null) {
          expect(text(sheet, r, firstDepartmentColumn + c)).toBe("");
          return;
        }
        if (cell.status === null) throw new Error("every responsibility has an assignment in this fixture");
        const [mark, state] = text(sheet, r, firstDepartmentColumn + c).split("\n");
        expect(mark).toBe(l.roleMark[cell.role]);
        expect(state).toContain(l.status[cell.status]);
        if (cell.lateness === "overdue" || cell.lateness === "long_overdue") {
          expect(state).toContain(`(${l.lateness[cell.lateness]})`);
          late += 1;
        }
        const fill = target.fill;
        expect(fill?.type === "pattern" ? fill.fgColor?.argb : undefined).toBe(statusFill[cell.status]);
      });
      expect(text(sheet, r, statusColumn)).toBe(model.measureStatus === null ? "" : l.measureStatus[model.measureStatus]);
    });
    expect(late).toBeGreaterThan(0);
    expect(text(sheet, rows[0] ?? 0, statusColumn)).toBe("Closed");
    expect(text(sheet, rows[1] ?? 0, statusColumn)).toBe("All signed off");
    // Department sheets carry the state too.
    const mof = workbook.getWorksheet("MOF");
    expect(mof && text(mof, 3, 5)).toBe("Status");
  });
});

describe("sheetNamer", () => {
  it("keeps Excel's rules: ≤31 characters, none of []:*?/\\, unique regardless of case", () => {
    const name = sheetNamer();
    expect(name("a/b:c*d?e[f]g\\h")).toBe("a_b_c_d_e_f_g_h");
    const long = name("x".repeat(40));
    expect(long).toHaveLength(31);
    expect(name("X".repeat(40))).toBe(`${"X".repeat(27)} (2)`);
    expect(name("'quoted'")).toBe("quoted");
    expect(name("")).toBe("Sheet");
    expect(name("MOF")).toBe("MOF");
    expect(name("mof")).toBe("mof (2)");
    // Every department's short name is already a valid name in both languages.
    for (const d of departments) {
      expect(sheetNamer()(d.shortZh)).toBe(d.shortZh);
      expect(sheetNamer()(d.shortEn)).toBe(d.shortEn);
    }
  });
});

describe("renderDivisionXlsx", () => {
  it("writes the task-division table alone, in English", async () => {
    const matrix = buildResponsibilityMatrix(defaultInput);
    const rows = buildDivisionTable(matrix, "en", new Map([[2, "ongoing"]]));
    const buffer = await renderDivisionXlsx(rows, { lang: "en", title: "Task-division table", subtitle: "No. 108 (2020)" });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(new Uint8Array(buffer).buffer);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(["Task division"]);
    const sheet = workbook.worksheets[0];
    if (!sheet) throw new Error("no sheet");
    const { headerRow, firstBodyRow } = divisionSheetLayout;
    expect(text(sheet, 1, 1)).toBe("Task-division table");
    expect(text(sheet, 2, 1)).toBe("No. 108 (2020)");
    expect([1, 2, 3, 4, 5].map((c) => text(sheet, headerRow, c))).toEqual(["No.", "Task", "Lead", "Supporting", "Deadline"]);
    expect(sheet.rowCount).toBe(headerRow + 25);
    rows.forEach((row, i) => {
      expect([1, 2, 3, 4, 5].map((c) => text(sheet, firstBodyRow + i, c))).toEqual([
        String(row.no),
        row.task,
        row.lead,
        row.supporting.join(", "),
        row.deadline,
      ]);
    });
    expect(text(sheet, firstBodyRow + 1, 5)).toBe("Ongoing");
    expect(text(sheet, firstBodyRow, 3)).toBe("MIIT");
  });
});
