import type { DepartmentCode, Measure, ProposedResponsibility } from "../types.js";
import type { DepartmentLexicon } from "./department-lexicon.js";

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
 */

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
  responsibilities: ProposedResponsibility[];
  /** Every match in the text, in order, for highlighting. */
  matches: LexiconMatch[];
  /** True when the text names no department's remit: the lead ministry decides, nothing is assigned by default. */
  needsDecision: boolean;
}

export interface DivisionProposal {
  measures: MeasureDivisionProposal[];
  /** All responsibilities, measure by measure, lead first: the shape of `proposedDivision2020`. */
  responsibilities: ProposedResponsibility[];
}

export interface ProposeDivisionOptions {
  /** The ministry that coordinates the plan (MIIT for the 2020 plan): it leads measures binding all member units. */
  leadMinistry: DepartmentCode;
  /** The plan's member departments, for "all member units"; by default every department of the lexicon. */
  members?: readonly DepartmentCode[];
}

const allMemberUnits =
  /(?<![\p{L}\p{N}])(?:all (?:the )?member units(?: of the leading group)?|member units of the leading group)(?![\p{L}\p{N}])|各成员单位|全体成员单位|领导小组成员单位/iu;

export function proposeDivision(
  draft: { measures: ReadonlyArray<Pick<Measure, "number" | "text">> },
  lexicon: DepartmentLexicon,
  options: ProposeDivisionOptions,
): DivisionProposal {
  const measures = draft.measures.map((measure) => proposeForMeasure(measure, lexicon, options));
  return { measures, responsibilities: measures.flatMap((m) => m.responsibilities) };
}

function proposeForMeasure(
  measure: Pick<Measure, "number" | "text">,
  lexicon: DepartmentLexicon,
  options: ProposeDivisionOptions,
): MeasureDivisionProposal {
  const matches = findLexiconMatches(measure.text, lexicon);
  const allMembers = allMemberUnits.exec(measure.text);
  if (allMembers) {
    const rule = `All member units: the measure binds "${allMembers[0]}", so every member department takes part; the lead ministry leads, as host of the leading group's office.`;
    const members = [options.leadMinistry, ...(options.members ?? Object.keys(lexicon))];
    const responsibilities = [...new Set(members)].map(
      (department): ProposedResponsibility => ({
        measureNumber: measure.number,
        department,
        role: department === options.leadMinistry ? "lead" : "supporting",
        justification: { kind: "rule", rule },
      }),
    );
    return { measureNumber: measure.number, responsibilities, matches, needsDecision: false };
  }

  const firstMatch = new Map<DepartmentCode, LexiconMatch>();
  for (const match of matches) if (!firstMatch.has(match.department)) firstMatch.set(match.department, match);
  const responsibilities = [...firstMatch.values()].map(
    (match, i): ProposedResponsibility => ({
      measureNumber: measure.number,
      department: match.department,
      role: i === 0 ? "lead" : "supporting",
      justification: { kind: "phrase", phrase: match.phrase },
    }),
  );
  return { measureNumber: measure.number, responsibilities, matches, needsDecision: responsibilities.length === 0 };
}

interface CompiledDepartment {
  department: DepartmentCode;
  order: number;
  terms: RegExp[];
  notRemit: RegExp[];
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

function compile(lexicon: DepartmentLexicon): CompiledDepartment[] {
  const cached = compiledLexicons.get(lexicon);
  if (cached) return cached;
  const compiled = Object.entries(lexicon).map(
    ([department, terms], order): CompiledDepartment => ({
      department,
      order,
      terms: [...terms.en, ...terms.zh].filter((t) => t.replace("*", "").trim() !== "").map(termPattern),
      notRemit: terms.notRemit.filter((t) => t.trim() !== "").map(termPattern),
    }),
  );
  compiledLexicons.set(lexicon, compiled);
  return compiled;
}

/** Every place the text names a department's remit, by position; at one position the longer phrase first. */
export function findLexiconMatches(text: string, lexicon: DepartmentLexicon): LexiconMatch[] {
  const found: Array<LexiconMatch & { order: number }> = [];
  for (const { department, order, terms, notRemit } of compile(lexicon)) {
    const excluded = notRemit.flatMap((pattern) =>
      [...text.matchAll(pattern)].map((m) => ({ start: m.index, end: m.index + m[0].length })),
    );
    for (const pattern of terms) {
      for (const m of text.matchAll(pattern)) {
        const start = m.index;
        const end = start + m[0].length;
        if (end === start || excluded.some((x) => x.start <= start && end <= x.end)) continue;
        found.push({ department, phrase: m[0], start, end, order });
      }
    }
  }
  found.sort((a, b) => a.start - b.start || b.end - a.end || a.order - b.order);
  return found.map(({ department, phrase, start, end }) => ({ department, phrase, start, end }));
}
