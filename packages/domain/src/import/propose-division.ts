import type { DepartmentCode, Measure, ProposedResponsibility } from "../types.js";
import type { DepartmentLexicon } from "./department-lexicon.js";
import type { DraftNote, DraftNotedUnit, Span } from "./draft-plan.js";

/*
 * A proposed division of work, derived from the measure texts only, for the lead ministry to review:
 * - A department takes part in a measure when the text names its remit (a lexicon term); the first phrase that
 *   does so is kept verbatim as the justification.
 * - The lead is the first department named in the text (the usual task-division table: the first unit named
 *   leads). The opening phrase comes first, so a measure titled "reduce the tax burden" is led by the tax office.
 *   At one position the longer phrase wins ("financing guarantee" over "financing"), then the lexicon's order.
 * - A measure that binds "all member units" (各成员单位) involves every department, the lead ministry leading: it
 *   hosts the leading group's office.
 * - A measure that names no remit gets no department: it is marked `needsDecision`, for the lead ministry to decide.
 * Stated responsibilities win: where the document states the division (a responsibility note, see
 * `responsibility-notes.ts`), that division is taken as stated, each with the note quoted, and the lexicon proposes
 * nothing for that measure. The lexicon proposes only for measures that state nothing.
 */

/**
 * Where a responsibility comes from: `stated` by the document (the note quoted, with its span in the imported
 * text), or `proposed` by the lexicon (the phrase in `justification`) or the all-member-units rule.
 */
export type ResponsibilitySource =
  | { kind: "stated"; note: string; span: Span; form: "bracket" | "sentence" | "clause" | "table" }
  | { kind: "proposed" };

/** A responsibility of the draft division: `justification` quotes the note (stated) or the phrase (proposed). */
export interface DivisionResponsibility extends ProposedResponsibility {
  source: ResponsibilitySource;
  /** Why a stated name maps to this department (an earlier name, a unit replaced in a reform), or null. */
  mappingNote: string | null;
}

/** One place where a measure's text names a department's remit. Offsets are into the measure text. */
export interface LexiconMatch {
  department: DepartmentCode;
  /** Verbatim, in the text's own case. */
  phrase: string;
  start: number;
  end: number;
}

export interface MeasureDivisionProposal {
  measureNumber: number;
  /** Lead first, then supporting departments in the order the text names them. Empty when `needsDecision`. */
  responsibilities: DivisionResponsibility[];
  /** Every match in the text, in order, for highlighting. */
  matches: LexiconMatch[];
  /** True when no lead is stated or proposed: the lead ministry decides, nothing is assigned by default. */
  needsDecision: boolean;
  /** Units the document names for this measure that the register does not have: shown, never dropped. */
  unresolved: DraftNotedUnit[];
}

export interface DivisionProposal {
  measures: MeasureDivisionProposal[];
  /** All responsibilities, measure by measure, lead first: the shape of `proposedDivision2020`. */
  responsibilities: DivisionResponsibility[];
}

export interface ProposeDivisionOptions {
  /** The ministry that coordinates the plan (MIIT for the 2020 plan): it leads measures binding all member units. */
  leadMinistry: DepartmentCode;
  /** The plan's member departments, for "all member units"; by default every department of the lexicon. */
  members?: readonly DepartmentCode[];
}

const allMemberUnits =
  /(?<![\p{L}\p{N}])(?:all (?:the )?member units(?: of the leading group)?|member units of the leading group)(?![\p{L}\p{N}])|各成员单位|全体成员单位|领导小组成员单位/iu;

type DivisibleMeasure = Pick<Measure, "number" | "text"> & { notes?: readonly DraftNote[] };

export function proposeDivision(
  draft: { measures: ReadonlyArray<DivisibleMeasure> },
  lexicon: DepartmentLexicon,
  options: ProposeDivisionOptions,
): DivisionProposal {
  const measures = draft.measures.map((measure) => proposeForMeasure(measure, lexicon, options));
  return { measures, responsibilities: measures.flatMap((m) => m.responsibilities) };
}

/**
 * The division the notes state: units in the order named, the first lead named keeps the lead (a measure with
 * several notes, one per sub-item, is led by the first note's lead; the others support). Unknown names are kept
 * apart as unresolved.
 */
function statedDivision(measure: DivisibleMeasure, notes: readonly DraftNote[]): MeasureDivisionProposal {
  const responsibilities: DivisionResponsibility[] = [];
  const unresolved: DraftNotedUnit[] = [];
  const seen = new Set<string>();
  let hasLead = false;
  for (const note of notes) {
    for (const unit of note.units) {
      if (unit.code === null) {
        unresolved.push(unit);
        // An unknown lead is still the stated lead: nobody else takes it.
        if (unit.role === "lead") hasLead = true;
        continue;
      }
      if (seen.has(unit.code)) {
        // Named again as lead (a later sub-item leads with a unit named before as supporting): it takes the lead
        // when no one holds it yet.
        const earlier = responsibilities.find((r) => r.department === unit.code);
        if (earlier && unit.role === "lead" && !hasLead) {
          earlier.role = "lead";
          hasLead = true;
        }
        continue;
      }
      seen.add(unit.code);
      const role = unit.role === "lead" && !hasLead ? "lead" : "supporting";
      if (role === "lead") hasLead = true;
      responsibilities.push({
        measureNumber: measure.number,
        department: unit.code,
        role,
        // A note in the text is quoted as a phrase of the measure; a table's cell is not the measure's words.
        justification:
          note.form === "table"
            ? { kind: "rule", rule: `Stated in the task-division table: ${note.text}` }
            : { kind: "phrase", phrase: note.text },
        source: { kind: "stated", note: note.text, span: note.span, form: note.form },
        mappingNote: unit.mappingNote,
      });
    }
  }
  const led = responsibilities.some((r) => r.role === "lead");
  // Lead first, the others in the order named (the sort is stable).
  responsibilities.sort((x, y) => (x.role === "lead" ? 0 : 1) - (y.role === "lead" ? 0 : 1));
  return { measureNumber: measure.number, responsibilities, matches: [], needsDecision: !led, unresolved };
}

function proposeForMeasure(
  measure: DivisibleMeasure,
  lexicon: DepartmentLexicon,
  options: ProposeDivisionOptions,
): MeasureDivisionProposal {
  const notes = (measure.notes ?? []).filter((n) => n.units.length > 0);
  if (notes.length > 0) {
    const stated = statedDivision(measure, notes);
    return { ...stated, matches: findLexiconMatches(measure.text, lexicon) };
  }
  const matches = findLexiconMatches(measure.text, lexicon);
  const allMembers = allMemberUnits.exec(measure.text);
  if (allMembers) {
    const rule = `All member units: the measure binds "${allMembers[0]}", so every member department takes part; the lead ministry leads, as host of the leading group's office.`;
    const members = [options.leadMinistry, ...(options.members ?? Object.keys(lexicon))];
    const responsibilities = [...new Set(members)].map(
      (department): DivisionResponsibility => ({
        measureNumber: measure.number,
        department,
        role: department === options.leadMinistry ? "lead" : "supporting",
        justification: { kind: "rule", rule },
        source: { kind: "proposed" },
        mappingNote: null,
      }),
    );
    return { measureNumber: measure.number, responsibilities, matches, needsDecision: false, unresolved: [] };
  }

  const firstMatch = new Map<DepartmentCode, LexiconMatch>();
  for (const match of matches) if (!firstMatch.has(match.department)) firstMatch.set(match.department, match);
  const responsibilities = [...firstMatch.values()].map(
    (match, i): DivisionResponsibility => ({
      measureNumber: measure.number,
      department: match.department,
      role: i === 0 ? "lead" : "supporting",
      justification: { kind: "phrase", phrase: match.phrase },
      source: { kind: "proposed" },
      mappingNote: null,
    }),
  );
  return { measureNumber: measure.number, responsibilities, matches, needsDecision: responsibilities.length === 0, unresolved: [] };
}

/** A term's pattern, with a literal every match contains (lower-cased): a cheap test that skips most patterns. */
interface CompiledTerm {
  pattern: RegExp;
  probe: string;
}

interface CompiledDepartment {
  department: DepartmentCode;
  order: number;
  terms: CompiledTerm[];
  notRemit: CompiledTerm[];
}

const compiledLexicons = new WeakMap<DepartmentLexicon, CompiledDepartment[]>();

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * English: whole words, any case, any run of spaces (a line break may fall inside a phrase); a trailing `*` matches
 * any ending. Chinese (or any phrase without Latin letters): anywhere.
 */
function termPattern(term: string): RegExp {
  const stem = term.endsWith("*");
  const body = (stem ? term.slice(0, -1) : term).trim();
  if (!/[A-Za-z]/.test(body)) return new RegExp(escapeRegExp(body), "gu");
  const words = body.split(/\s+/).map(escapeRegExp).join("\\s+");
  // A stem takes the rest of its word, so the evidence reads "tax policies", not "tax polic".
  return new RegExp(`(?<![\\p{L}\\p{N}-])${words}${stem ? "[\\p{L}\\p{N}]*" : "(?![\\p{L}\\p{N}])"}`, "giu");
}

function compileTerm(term: string): CompiledTerm {
  const body = (term.endsWith("*") ? term.slice(0, -1) : term).trim();
  return { pattern: termPattern(term), probe: (body.split(/\s+/)[0] ?? "").toLowerCase() };
}

function compile(lexicon: DepartmentLexicon): CompiledDepartment[] {
  const cached = compiledLexicons.get(lexicon);
  if (cached) return cached;
  const compiled = Object.entries(lexicon).map(
    ([department, terms], order): CompiledDepartment => ({
      department,
      order,
      terms: [...terms.en, ...terms.zh].filter((t) => t.replace("*", "").trim() !== "").map(compileTerm),
      notRemit: terms.notRemit.filter((t) => t.trim() !== "").map(compileTerm),
    }),
  );
  compiledLexicons.set(lexicon, compiled);
  return compiled;
}

/**
 * "Is [start, end) inside one of these spans?" in O(log n) per question: spans sorted by start, with the furthest end
 * reached so far. (Testing each span in turn made matching quadratic on texts full of both, issue 18.)
 */
function exclusions(spans: Array<{ start: number; end: number }>): (start: number, end: number) => boolean {
  if (spans.length === 0) return () => false;
  spans.sort((a, b) => a.start - b.start);
  const starts = spans.map((x) => x.start);
  const reach: number[] = [];
  let furthest = -1;
  for (const x of spans) {
    furthest = Math.max(furthest, x.end);
    reach.push(furthest);
  }
  return (start, end) => {
    let lo = 0;
    let hi = starts.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((starts[mid] ?? Number.POSITIVE_INFINITY) <= start) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found >= 0 && (reach[found] ?? -1) >= end;
  };
}

/** Every place the text names a department's remit, by position; at one position the longer phrase first. */
export function findLexiconMatches(text: string, lexicon: DepartmentLexicon): LexiconMatch[] {
  const found: Array<LexiconMatch & { order: number }> = [];
  // A prefilter: a term whose first word does not occur (in lower case) cannot match, so its pattern is not run. (Only
  // exotic case foldings, such as the long s "ſ", match under /iu without being equal in lower case: not in these texts.)
  const lower = text.toLowerCase();
  const present = (t: CompiledTerm): boolean => lower.includes(t.probe);
  for (const { department, order, terms, notRemit } of compile(lexicon)) {
    const excluded = exclusions(
      notRemit
        .filter(present)
        .flatMap(({ pattern }) => [...text.matchAll(pattern)].map((m) => ({ start: m.index, end: m.index + m[0].length }))),
    );
    for (const term of terms) {
      if (!present(term)) continue;
      for (const m of text.matchAll(term.pattern)) {
        const start = m.index;
        const end = start + m[0].length;
        if (end === start || excluded(start, end)) continue;
        found.push({ department, phrase: m[0], start, end, order });
      }
    }
  }
  found.sort((a, b) => a.start - b.start || b.end - a.end || a.order - b.order);
  return found.map(({ department, phrase, start, end }) => ({ department, phrase, start, end }));
}
