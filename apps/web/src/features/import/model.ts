// The coordinator's review of an imported document, as plain data and pure functions: what the page edits, what it
// checks before saving, and the `plan.create` input it sends. No React here, so it is tested alone.
import { isBlankText, normaliseText, statedDeadlineOf } from "@countersign/domain";
import type { DepartmentCode, Justification, Role, Span, StatedDeadline } from "@countersign/domain";
import type { RouterInputs, RouterOutputs } from "../../trpc.js";

export type ImportedDraft = RouterOutputs["plan"]["import"];
export type CreatePlanInput = RouterInputs["plan"]["create"];

export interface ReviewSection {
  number: number;
  numeral: string;
  title: string;
}

export interface ReviewMeasure {
  /** The draft's number (its position in the text): a stable key while the coordinator edits `number`. */
  key: number;
  number: number;
  printedNumber: number;
  /** The marker as printed, e.g. "(3)". */
  label: string;
  /** 0 while the measure is in no section. */
  section: number;
  title: string;
  text: string;
  textCut: boolean;
  span: Span;
  /** The deadline the document states for the measure (kept with the plan; issuing pre-fills it), or null. */
  statedDeadline: StatedDeadline | null;
}

export interface MeasureDivision {
  lead: DepartmentCode | null;
  /** In the order proposed, then in the order added. */
  supporting: DepartmentCode[];
}

export interface Review {
  language: "zh" | "en";
  titleEn: string;
  titleZh: string;
  documentNumber: string;
  sections: ReviewSection[];
  measures: ReviewMeasure[];
  /** By measure key. */
  division: Record<number, MeasureDivision>;
}

/** The division a document states for a measure (its responsibility notes or table cells), with the notes quoted. */
export interface StatedDivision {
  lead: DepartmentCode | null;
  supporting: DepartmentCode[];
  notes: string[];
  /** Names the document gives that the register lacks, with the closest register entries. */
  unresolved: Array<{ name: string; role: Role; closest: string[] }>;
}

/** Per measure key, what the document states (measures that state nothing are absent). */
export function statedByMeasure(draft: ImportedDraft): Map<number, StatedDivision> {
  const out = new Map<number, StatedDivision>();
  for (const m of draft.division.measures) {
    const stated = m.responsibilities.filter((r) => r.source.kind === "stated");
    if (stated.length === 0 && m.unresolved.length === 0) continue;
    const notes = [...new Set(stated.map((r) => (r.source.kind === "stated" ? r.source.note : "")))];
    out.set(m.measureNumber, {
      lead: stated.find((r) => r.role === "lead")?.department ?? null,
      supporting: stated.filter((r) => r.role === "supporting").map((r) => r.department),
      notes,
      unresolved: m.unresolved.map((u) => ({ name: u.name, role: u.role, closest: u.closest })),
    });
  }
  return out;
}

/**
 * The review starts with the lexicon's proposals filled in for measures that state nothing; a measure whose document
 * states its division starts empty until the coordinator accepts the stated division (one by one, or all at once),
 * so that what the document says is confirmed, never silently taken or replaced.
 */
export function reviewOf(draft: ImportedDraft): Review {
  const division: Record<number, MeasureDivision> = {};
  const stated = statedByMeasure(draft);
  for (const m of draft.division.measures) {
    if (stated.has(m.measureNumber)) {
      division[m.measureNumber] = { lead: null, supporting: [] };
      continue;
    }
    const lead = m.responsibilities.find((r) => r.role === "lead")?.department ?? null;
    division[m.measureNumber] = {
      lead,
      supporting: m.responsibilities.filter((r) => r.role === "supporting").map((r) => r.department),
    };
  }
  return {
    language: draft.language,
    titleEn: draft.language === "en" ? draft.title : "",
    titleZh: draft.language === "zh" ? draft.title : "",
    documentNumber: draft.documentNumber ?? "",
    sections: draft.sections.map(({ number, numeral, title }) => ({ number, numeral, title })),
    measures: draft.measures.map((m) => ({
      key: m.number,
      number: m.number,
      printedNumber: m.printedNumber,
      label: m.label,
      section: m.section,
      title: m.title,
      text: m.text,
      textCut: m.textCut,
      span: m.span,
      statedDeadline: statedDeadlineOf(m.deadline),
    })),
    division,
  };
}

/** The measures (keys) whose stated division is not yet the division under review. */
export function pendingStated(review: Review, draft: ImportedDraft): number[] {
  const pending: number[] = [];
  for (const [key, s] of statedByMeasure(draft)) {
    if (s.lead === null && s.supporting.length === 0) continue;
    const d = review.division[key];
    const same = d !== undefined && d.lead === s.lead && d.supporting.length === s.supporting.length && d.supporting.every((x, i) => x === s.supporting[i]);
    if (!same) pending.push(key);
  }
  return pending;
}

/** Takes the stated division of the given measures (by key), or of every measure that states one. */
export function withStatedAccepted(review: Review, draft: ImportedDraft, keys?: readonly number[]): Review {
  const stated = statedByMeasure(draft);
  const division = { ...review.division };
  for (const [key, s] of stated) {
    if (keys !== undefined && !keys.includes(key)) continue;
    if (s.lead === null && s.supporting.length === 0) continue;
    division[key] = { lead: s.lead, supporting: [...s.supporting] };
  }
  return { ...review, division };
}

export function roleOf(division: MeasureDivision | undefined, department: DepartmentCode): Role | null {
  if (!division) return null;
  if (division.lead === department) return "lead";
  return division.supporting.includes(department) ? "supporting" : null;
}

/** One cell of the matrix editor. A measure has at most one lead: a new lead makes the previous one supporting. */
export function withRole(review: Review, key: number, department: DepartmentCode, role: Role | null): Review {
  const current = review.division[key] ?? { lead: null, supporting: [] };
  let lead = current.lead === department ? null : current.lead;
  let supporting = current.supporting.filter((d) => d !== department);
  if (role === "lead") {
    if (lead !== null) supporting = [lead, ...supporting];
    lead = department;
  } else if (role === "supporting") {
    supporting = [...supporting, department];
  }
  return { ...review, division: { ...review.division, [key]: { lead, supporting } } };
}

export function withMeasure(review: Review, key: number, change: Partial<Pick<ReviewMeasure, "number" | "section" | "title" | "textCut">>): Review {
  return { ...review, measures: review.measures.map((m) => (m.key === key ? { ...m, ...change } : m)) };
}

export function withSection(review: Review, number: number, change: Partial<Pick<ReviewSection, "numeral" | "title">>): Review {
  return { ...review, sections: review.sections.map((s) => (s.number === number ? { ...s, ...change } : s)) };
}

const romanNumerals: Array<[number, string]> = [
  [1000, "M"], [900, "CM"], [500, "D"], [400, "CD"], [100, "C"], [90, "XC"],
  [50, "L"], [40, "XL"], [10, "X"], [9, "IX"], [5, "V"], [4, "IV"], [1, "I"],
];

export function romanNumeral(n: number): string {
  let rest = n;
  let out = "";
  for (const [value, numeral] of romanNumerals) {
    while (rest >= value) {
      out += numeral;
      rest -= value;
    }
  }
  return out;
}

/** A new, last section; measures that were in no section are put in it (a document without sections needs one). */
export function withNewSection(review: Review, numeral: (n: number) => string, title: string): Review {
  const number = Math.max(0, ...review.sections.map((s) => s.number)) + 1;
  return {
    ...review,
    sections: [...review.sections, { number, numeral: numeral(number), title }],
    measures: review.measures.map((m) => (m.section === 0 ? { ...m, section: number } : m)),
  };
}

/** The numbers the document prints, where they skip or repeat, instead of positions. */
export function withPrintedNumbers(review: Review): Review {
  return { ...review, measures: review.measures.map((m) => ({ ...m, number: m.printedNumber })) };
}

export type ReviewProblem =
  | { kind: "noTitle" }
  | { kind: "noSections" }
  | { kind: "noMeasures" }
  | { kind: "badNumber"; key: number; label: string }
  | { kind: "duplicateNumber"; key: number; number: number }
  | { kind: "noSection"; key: number; number: number }
  | { kind: "blankMeasureTitle"; key: number; number: number }
  | { kind: "blankSectionTitle"; section: number; number: number };

/** What `plan.create` would refuse, found before sending, each pointing at the field to fix. */
export function reviewProblems(review: Review): ReviewProblem[] {
  const problems: ReviewProblem[] = [];
  if (isBlankText(review.titleEn) && isBlankText(review.titleZh)) problems.push({ kind: "noTitle" });
  if (review.measures.length === 0) problems.push({ kind: "noMeasures" });
  if (review.sections.length === 0 && review.measures.length > 0) problems.push({ kind: "noSections" });
  for (const s of review.sections) {
    if (isBlankText(s.title)) problems.push({ kind: "blankSectionTitle", section: s.number, number: s.number });
  }
  const seen = new Set<number>();
  const sections = new Set(review.sections.map((s) => s.number));
  for (const m of review.measures) {
    if (!Number.isInteger(m.number) || m.number < 1) problems.push({ kind: "badNumber", key: m.key, label: m.label });
    else if (seen.has(m.number)) problems.push({ kind: "duplicateNumber", key: m.key, number: m.number });
    seen.add(m.number);
    if (!sections.has(m.section) && review.sections.length > 0) problems.push({ kind: "noSection", key: m.key, number: m.number });
    if (isBlankText(m.title)) problems.push({ kind: "blankMeasureTitle", key: m.key, number: m.number });
  }
  return problems;
}

/** The (edited) numbers of measures with no lead: saving is allowed, issuing is not. */
export function measuresWithoutLead(review: Review): number[] {
  return review.measures.filter((m) => !review.division[m.key]?.lead).map((m) => m.number);
}

export type Evidence = { kind: "phrase"; phrase: string } | { kind: "rule" };

/**
 * Per measure key and department, why the lexicon names the department: its proposed justification, else a lexicon
 * match. Stated responsibilities are not here: their evidence is the note (`statedByMeasure`).
 */
export function evidenceByMeasure(draft: ImportedDraft): Map<number, Map<DepartmentCode, Evidence>> {
  const out = new Map<number, Map<DepartmentCode, Evidence>>();
  for (const m of draft.division.measures) {
    const byDepartment = new Map<DepartmentCode, Evidence>();
    for (const r of m.responsibilities) {
      if (r.source.kind === "stated") continue;
      byDepartment.set(r.department, r.justification.kind === "phrase" ? { kind: "phrase", phrase: r.justification.phrase } : { kind: "rule" });
    }
    // Where the document states the division, the lexicon's matches are no evidence for anyone.
    const stated = m.responsibilities.some((r) => r.source.kind === "stated") || m.unresolved.length > 0;
    for (const match of stated ? [] : m.matches) {
      if (!byDepartment.has(match.department)) byDepartment.set(match.department, { kind: "phrase", phrase: match.phrase });
    }
    out.set(m.measureNumber, byDepartment);
  }
  return out;
}

function justificationOf(draft: ImportedDraft, key: number, department: DepartmentCode): Justification | null {
  const proposal = draft.division.measures.find((m) => m.measureNumber === key);
  const proposed = proposal?.responsibilities.find((r) => r.department === department);
  if (proposed) return proposed.justification;
  const match = proposal?.matches.find((x) => x.department === department);
  return match ? { kind: "phrase", phrase: match.phrase } : null;
}

/** The `plan.create` input: the reviewed structure and division; evidence kept where the department was named. */
export function createInputOf(review: Review, draft: ImportedDraft): CreatePlanInput {
  const responsibilities: CreatePlanInput["responsibilities"] = [];
  for (const m of review.measures) {
    const d = review.division[m.key];
    if (!d) continue;
    const roles: Array<[DepartmentCode, Role]> = [
      ...(d.lead ? [[d.lead, "lead"] as [DepartmentCode, Role]] : []),
      ...d.supporting.map((s): [DepartmentCode, Role] => [s, "supporting"]),
    ];
    for (const [department, role] of roles) {
      responsibilities.push({ measureNumber: m.number, department, role, justification: justificationOf(draft, m.key, department) });
    }
  }
  return {
    titleEn: normaliseText(review.titleEn),
    titleZh: normaliseText(review.titleZh),
    documentNumber: normaliseText(review.documentNumber),
    leadDepartment: draft.leadDepartment,
    departments: draft.departments,
    sections: review.sections.map((s) => ({ number: s.number, numeral: normaliseText(s.numeral), title: normaliseText(s.title) })),
    measures: review.measures.map((m) => ({
      number: m.number,
      section: m.section,
      title: normaliseText(m.title),
      text: m.text,
      textCut: m.textCut,
      statedDeadline: m.statedDeadline,
    })),
    responsibilities,
  };
}
