import { type NameIndex, tableNameIndex } from "../register/name-index.js";
import { type DraftDeadline, parseDeadline } from "./deadline.js";
import type { DraftMeasure, DraftNote, DraftPlan, DraftSection, DraftWarning, Span } from "./draft-plan.js";
import { documentDate, excerpt, trimSpan, unassignedTextWarnings } from "./parse-policy-document.js";
import { type NoteContext, unitsInCell } from "./responsibility-notes.js";

/*
 * A task-division table (任务分工表) as offices exchange it, in Excel, CSV or a Word table: one row per task with
 * 序号 | 重点任务 | 牵头单位 | 参与/配合单位 | 完成时限 (names recognised in Chinese and English, and common variants),
 * optionally a section column or section rows (一、…). The project's own division.xlsx export is such a table.
 * The rows become a draft plan like a parsed document's: the table is rendered as text (cells separated by tabs,
 * rows by line breaks) and every span points into that text, so that the review shows evidence the same way.
 * Stated responsibilities come from the lead and supporting columns (in the lead column the first unit leads).
 */

export type TableColumn = "number" | "section" | "task" | "lead" | "supporting" | "deadline";

/** Header names, compared without spaces, brackets, colons or case. */
const headerNames: Readonly<Record<TableColumn, readonly string[]>> = {
  number: ["序号", "编号", "序", "no", "no.", "number", "#", "item", "measure no.", "措施编号"],
  section: ["部分", "类别", "领域", "板块", "section", "part", "area", "category"],
  task: ["重点任务", "主要任务", "任务", "工作任务", "任务内容", "重点工作", "工作内容", "措施", "政策措施", "具体措施", "task", "tasks", "key task", "key tasks", "measure", "measures", "task description"],
  lead: ["牵头单位", "牵头部门", "牵头", "责任单位", "负责单位", "责任部门", "主责单位", "lead", "lead department", "lead unit", "lead departments", "responsible department", "lead agency"],
  supporting: ["参与单位", "配合单位", "参与配合单位", "配合参与单位", "参加配合单位", "协同单位", "参与部门", "配合部门", "协办单位", "参加单位", "参与", "配合", "supporting", "supporting departments", "supporting units", "participating departments", "participating units", "co-operating departments", "cooperating departments"],
  deadline: ["完成时限", "完成时间", "时间进度", "时限", "时间安排", "进度安排", "完成期限", "deadline", "due", "due date", "timeline", "time limit", "completion"],
};

const normalise = (s: string): string => s.replace(/[\s（）()【】\[\]：:*／/、]/g, "").toLowerCase();
const headerLookup: ReadonlyMap<string, TableColumn> = new Map(
  (Object.entries(headerNames) as Array<[TableColumn, readonly string[]]>).flatMap(([column, names]) => names.map((n) => [normalise(n), column] as const)),
);

/** A table without the columns a division needs: the message names what is missing and what was found. */
export class DivisionTableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DivisionTableError";
  }
}

export interface DivisionTableResult {
  draft: DraftPlan;
  /** The table rendered as text: every span of the draft points into it. */
  sourceText: string;
}

export interface TableOptions {
  toSimplified?: (text: string) => string;
  asOf?: string | null;
  /** Default: the built-in register with English names (tables exported in English name "MOF"). */
  register?: NameIndex;
}

/** The columns of a header row, or null when it is no division header (needs 任务 and 牵头单位). */
export function divisionColumns(row: readonly string[]): Map<TableColumn, number> | null {
  const columns = new Map<TableColumn, number>();
  row.forEach((cell, i) => {
    const column = headerLookup.get(normalise(cell));
    if (column && !columns.has(column)) columns.set(column, i);
  });
  return columns.has("task") && columns.has("lead") ? columns : null;
}

const sectionHeading = /^\s*(?:[一二三四五六七八九十]{1,3}\s*、|[IVXLC]{1,7}\s*[.．、]|第[一二三四五六七八九十]{1,3}部分)/;

/**
 * Reads rows of cells (strings; merged cells repeated or blank) into a draft plan. Throws `DivisionTableError` when
 * no row within the first 20 is a header with at least a task and a lead column. Linear in the table's size.
 */
export function parseDivisionTable(rows: readonly (readonly string[])[], options: TableOptions = {}): DivisionTableResult {
  // Render the table as text, remembering where each cell stands.
  const cellSpans: Span[][] = [];
  let sourceText = "";
  rows.forEach((row, r) => {
    if (r > 0) sourceText += "\n";
    const spans: Span[] = [];
    row.forEach((cell, c) => {
      if (c > 0) sourceText += "\t";
      const start = sourceText.length;
      sourceText += cell;
      spans.push({ start, end: sourceText.length });
    });
    cellSpans.push(spans);
  });
  const match = options.toSimplified ? options.toSimplified(sourceText) : sourceText;
  const matchText = match.length === sourceText.length ? match : sourceText;
  const ctx: NoteContext = {
    index: options.register ?? tableNameIndex(),
    asOf: options.asOf !== undefined ? options.asOf : documentDate(matchText),
    suggested: { count: 0 },
  };

  let headerRow = -1;
  let columns: Map<TableColumn, number> | null = null;
  for (let r = 0; r < Math.min(rows.length, 20) && columns === null; r++) {
    columns = divisionColumns(rows[r] ?? []);
    if (columns) headerRow = r;
  }
  if (columns === null) {
    const firstRow = rows.find((row) => row.some((c) => c.trim() !== "")) ?? [];
    throw new DivisionTableError(
      `The table has no header with the columns of a task-division table: it needs 重点任务 (Task) and 牵头单位 (Lead), and may have 序号, 参与单位/配合单位, 完成时限. Its first row reads: ${firstRow
        .map((c) => c.trim())
        .filter((c) => c !== "")
        .slice(0, 8)
        .join(" | ")
        .slice(0, 200)}.`,
    );
  }
  const col = (row: number, column: TableColumn): { text: string; span: Span } | null => {
    const index = columns?.get(column);
    if (index === undefined) return null;
    const span = cellSpans[row]?.[index];
    if (!span) return null;
    const trimmed = trimSpan(sourceText, span.start, span.end);
    return { text: sourceText.slice(trimmed.start, trimmed.end), span: trimmed };
  };

  // The title: the first non-empty cell above the header (the export's title row).
  let titleSpan: Span | null = null;
  for (let r = 0; r < headerRow && titleSpan === null; r++) {
    for (const span of cellSpans[r] ?? []) {
      const t = trimSpan(sourceText, span.start, span.end);
      if (t.start < t.end) {
        titleSpan = t;
        break;
      }
    }
  }

  const sections: DraftSection[] = [];
  const measures: DraftMeasure[] = [];
  const warnings: DraftWarning[] = [];
  const sectionByName = new Map<string, number>();
  for (let r = headerRow + 1; r < rows.length; r++) {
    const spans = cellSpans[r] ?? [];
    const nonEmpty = spans.map((s) => trimSpan(sourceText, s.start, s.end)).filter((s) => s.start < s.end);
    const first = nonEmpty[0];
    if (!first) continue;
    const task = col(r, "task");
    const lead = col(r, "lead");
    const distinct = new Set(nonEmpty.map((s) => sourceText.slice(s.start, s.end)));
    // A section row: one text across the row (a merged cell repeats it), with a heading marker (一、…), or standing
    // alone outside the task column. A task without a lead stays a task.
    const rowText = sourceText.slice(first.start, first.end);
    const taskIndex = columns.get("task");
    const firstIndex = spans.findIndex((s) => s.end >= first.end && s.start <= first.start);
    if (distinct.size === 1 && (sectionHeading.test(rowText) || nonEmpty.length > 1 || firstIndex !== taskIndex)) {
      const last = nonEmpty[nonEmpty.length - 1] ?? first;
      const numeral = /^\s*([一二三四五六七八九十]{1,3}|[IVXLC]{1,7})/.exec(rowText)?.[1] ?? String(sections.length + 1);
      const title = rowText.replace(sectionHeading, "").trim();
      sections.push({
        number: sections.length + 1,
        numeral,
        title: title === "" ? rowText : title,
        label: rowText.slice(0, rowText.length - title.length).trim(),
        span: { start: first.start, end: last.end },
      });
      continue;
    }
    if (!task || task.text === "") continue;
    // A section column: a new value opens a section.
    const sectionCell = col(r, "section");
    if (sectionCell && sectionCell.text !== "") {
      let n = sectionByName.get(sectionCell.text);
      if (n === undefined) {
        n = sections.length + 1;
        sections.push({ number: n, numeral: String(n), title: sectionCell.text, label: "", span: sectionCell.span });
        sectionByName.set(sectionCell.text, n);
      }
    }
    const numberCell = col(r, "number");
    const printed = numberCell ? Number.parseInt(numberCell.text.replace(/[^\d]/g, ""), 10) : Number.NaN;
    const last = nonEmpty[nonEmpty.length - 1] ?? first;
    const number = measures.length + 1;
    const notes: DraftNote[] = [];
    for (const column of ["lead", "supporting"] as const) {
      const cell = column === "lead" ? lead : col(r, "supporting");
      if (!cell || cell.text === "") continue;
      const units = unitsInCell(cell.text, matchText.slice(cell.span.start, cell.span.end), ctx, column);
      if (units.length === 0) continue;
      notes.push({
        text: cell.text,
        span: cell.span,
        form: "table",
        units: units.map((u) => ({
          code: u.code,
          name: u.name,
          role: u.role,
          span: { start: cell.span.start + u.start, end: cell.span.start + u.end },
          mappingNote: u.mappingNote,
          closest: u.closest,
        })),
        deadline: null,
      });
    }
    const deadlineCell = col(r, "deadline");
    let deadline: DraftDeadline | null = null;
    if (deadlineCell && deadlineCell.text !== "") {
      deadline = parseDeadline(matchText.slice(deadlineCell.span.start, deadlineCell.span.end));
      if (deadline) deadline = { ...deadline, stated: deadlineCell.text };
      else {
        warnings.push({
          kind: "deadline_unrecognised",
          message: `The deadline "${excerpt(sourceText, deadlineCell.span)}" of task ${number} is neither a date nor 持续推进/长期坚持; set it by hand.`,
          span: deadlineCell.span,
          section: null,
          measure: number,
        });
      }
    }
    const sentence = /^(.{1,200}?)(?:[。！？]|[.!?](?:\s|$))/su.exec(task.text)?.[1] ?? task.text.slice(0, 200);
    measures.push({
      number,
      section: sections.length,
      title: sentence.replace(/\s+/g, " ").trim(),
      text: task.text,
      textCut: false,
      label: numberCell?.text ?? "",
      printedNumber: Number.isFinite(printed) ? printed : number,
      span: { start: first.start, end: last.end },
      textSpan: task.span,
      notes,
      deadline,
    });
    for (const note of notes) {
      for (const unit of note.units) {
        if (unit.code === null) {
          warnings.push({
            kind: "unknown_department",
            message: `Task ${number} names "${unit.name}", which is not in the register of departments${unit.closest.length > 0 ? `; closest: ${unit.closest.join(", ")}` : ""}. Choose a department or add it to the register.`,
            span: unit.span,
            section: null,
            measure: number,
          });
        } else if (unit.mappingNote !== null) {
          warnings.push({ kind: "department_mapped", message: unit.mappingNote, span: unit.span, section: null, measure: number });
        }
      }
    }
  }
  const title = titleSpan ? sourceText.slice(titleSpan.start, titleSpan.end).replace(/\s+/g, " ") : "";
  warnings.push(...unassignedTextWarnings(sourceText, titleSpan, sections, measures));
  warnings.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
  return { draft: { title, titleSpan, documentNumber: null, sections, measures, warnings }, sourceText };
}
