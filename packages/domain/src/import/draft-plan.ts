import type { Measure, Role, Section } from "../types.js";
import type { DraftDeadline } from "./deadline.js";

/** A stretch of the imported text: UTF-16 offsets into the input string, `end` exclusive (as `String.slice`). */
export interface Span {
  start: number;
  end: number;
}

/** A section as parsed: the fields of `Section`, plus where its heading stands in the text. */
export interface DraftSection extends Section {
  /** The marker as printed, e.g. "I.", "一、", "（一）". `numeral` is the number alone: "I", "一". */
  label: string;
  /** The heading: marker and title. */
  span: Span;
}

/**
 * A measure as parsed: the fields of `Measure`, plus where it stands in the text. `number` counts the measures in
 * order (1-based, unique); `printedNumber` is the number the document prints, which may skip, repeat or restart.
 * `section` is 0 for a measure that stands before any section, or in a document without sections.
 */
export interface DraftMeasure extends Measure {
  /** The marker as printed, e.g. "(1)", "（一）", "1.", "First,". */
  label: string;
  printedNumber: number;
  /** Marker and text. */
  span: Span;
  /** The text alone: `text === input.slice(textSpan.start, textSpan.end)`. */
  textSpan: Span;
  /** The division of work the document states in this measure (bracketed notes, 由…会同…负责 …), in order. */
  notes: DraftNote[];
  /**
   * The deadline the document states for the measure (in a note, else the last deadline phrase of its text), or
   * null. `{kind: "date", date: "YYYY-MM-DD"}` or `{kind: "ongoing"}` (持续推进, 长期坚持), with the wording as printed.
   */
  deadline: DraftDeadline | null;
}

/** A unit named in a responsibility note. `code` is null when the register has no such unit (see `closest`). */
export interface DraftNotedUnit {
  code: string | null;
  /** As printed. */
  name: string;
  role: Role;
  span: Span;
  /** Why the printed name maps to `code` (an earlier name, a unit replaced in a reform), or null. */
  mappingNote: string | null;
  /** For an unknown name: the closest register entries' codes, best first. */
  closest: string[];
}

/** A responsibility note as stated in the document: the evidence for a stated responsibility. */
export interface DraftNote {
  /** As printed, brackets included. */
  text: string;
  span: Span;
  form: "bracket" | "sentence" | "clause" | "table";
  units: DraftNotedUnit[];
  deadline: DraftDeadline | null;
}

export type DraftWarningKind =
  /** A section or measure number jumps forward: the numbers between are missing. */
  | "number_skipped"
  /** The same number twice in one sequence. */
  | "number_repeated"
  /** A number lower than the one before it, other than a restart at 1 in a new section. */
  | "number_out_of_order"
  /** Text that is not the title, a section heading or a measure: a preamble, a closing list, a web page's header. */
  | "unassigned_text"
  /** A measure that stands before the first section of a document that has sections. */
  | "measure_outside_section"
  /** Words look lost: the measure ends mid-sentence, or a sentence breaks off unfinished. Sets `textCut`. */
  | "text_cut"
  /** A sentence runs into the next without a full stop but looks complete. Does not set `textCut`. */
  | "missing_full_stop"
  /** A responsibility note names a unit the register does not have; the closest entries are offered. */
  | "unknown_department"
  /** A note names a unit by an earlier name or one replaced in a reform; the message says where it maps. */
  | "department_mapped"
  /** A task-division table's deadline cell says something that is neither a date nor 持续推进/长期坚持. */
  | "deadline_unrecognised"
  /** A measure's deadline is already past on the day of the import (e.g. 2021年底前 read in 2026). */
  | "deadline_past";

export interface DraftWarning {
  kind: DraftWarningKind;
  /** In English, for the coordinator; the UI may word it by `kind`. */
  message: string;
  span: Span;
  /** The section (`DraftSection.number`) or measure (`DraftMeasure.number`) concerned, if any. */
  section: number | null;
  measure: number | null;
}

/** What `parsePolicyDocument` makes of a text: a plan to review, not yet a `PlanDocument`. */
export interface DraftPlan {
  /** "" when no line before the first section or measure looks like a title. */
  title: string;
  titleSpan: Span | null;
  /** A Chinese document number found before the first section, e.g. "工信部联企业〔2020〕108号". */
  documentNumber: string | null;
  sections: DraftSection[];
  measures: DraftMeasure[];
  warnings: DraftWarning[];
}

export type CoverageOwner = "title" | "section" | "measure" | "unassigned_text";

/**
 * The spans that own the text, in order: the title, each section heading, each measure, and each `unassigned_text`
 * warning. They never overlap, and every character outside them is whitespace: nothing is silently dropped.
 * (Other warnings point into text that one of these already owns.)
 */
export function draftPlanCoverage(draft: DraftPlan): Array<{ owner: CoverageOwner; span: Span }> {
  const owned: Array<{ owner: CoverageOwner; span: Span }> = [];
  if (draft.titleSpan) owned.push({ owner: "title", span: draft.titleSpan });
  for (const s of draft.sections) owned.push({ owner: "section", span: s.span });
  for (const m of draft.measures) owned.push({ owner: "measure", span: m.span });
  for (const w of draft.warnings) if (w.kind === "unassigned_text") owned.push({ owner: "unassigned_text", span: w.span });
  return owned.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
}
