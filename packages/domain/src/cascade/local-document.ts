/*
 * A local document that implements a forwarded plan (issue 16, point 2): the receiving office's own 实施方案 or
 * 分工方案, parsed by the import's parser (`parsePolicyDocument`), is matched measure by measure to the forwarded
 * measures it implements, and becomes the office's derived plan. Pure functions: the parsing, the storage and the
 * forwardings' reading happen elsewhere.
 */
import { isIsoDate } from "../dates.js";
import { buildNameIndex, type NameIndex } from "../register/name-index.js";
import type { RegisterEntry } from "../register/departments-register.js";
import { arabicNumeralValue, chineseNumeralValue } from "../import/numerals.js";
import type { DraftDeadline } from "../import/deadline.js";
import type { DueDate, Role } from "../types.js";
import {
  type CascadeMeasure,
  type CascadePlan,
  type CascadeResponsibility,
  type CascadeResult,
  cascadeRefusal,
  type DeriveContext,
  type DerivedPlan,
  deriveLocalPlan,
  withinParentDeadline,
} from "./forwarding.js";
import type { Organisation } from "./organisations.js";

/** A forwarded (central) measure as the matcher sees it: its id, its number in the parent's plan, its words. */
export interface CentralMeasureText {
  id: string;
  number: number;
  title: string;
  /** The text; a translation may be appended (the matcher compares characters, so either language helps). */
  text: string;
  /** The title in the plan's other language (its translation), quoted as readily as `title`; absent when none. */
  otherTitle?: string;
  /** The ids of the measures it implements up the chain (its origin, the origin's origin …), for ancestors' citations. */
  lineage?: readonly string[];
}

/** A unit a division note of the local document names (the parser's `DraftNotedUnit`, reduced). */
export interface LocalNotedUnit {
  /** The register code the parser resolved the name to (a member's code with `localRegisterEntries`), or null. */
  code: string | null;
  /** As printed. */
  name: string;
  role: Role;
  /** For a name the register does not know: the register's most alike entries (member codes), best first. */
  closest?: readonly string[];
}

/** A measure of the local document as parsed (the parser's `DraftMeasure`, reduced to what matching reads). */
export interface LocalDocumentMeasure {
  /** 1-based order in the document. */
  number: number;
  /** The marker as printed: "（三）". */
  label: string;
  title: string;
  text: string;
  deadline: DraftDeadline | null;
  notes: ReadonlyArray<{ text: string; units: readonly LocalNotedUnit[] }>;
}

/** Why a local measure was matched to a central one, or why to none. */
export type MatchReason =
  /** The text cites the central measure's number: "第（十二）条", "第12条", "《若干意见》（九）". `cited` as printed. */
  | { kind: "reference"; cited: string }
  /** The text quotes the central measure's title (`quoted`, as the central plan words it). */
  | { kind: "title"; quoted: string }
  /** No reference and no quotation: the texts are alike (`score`, cosine of weighted character pairs, 0–1, two decimals). */
  | { kind: "similarity"; score: number }
  /**
   * Matched to none: a local measure. `cited` lists references to numbers that are not forwarded measures here
   * (第三十条); `score` is the best similarity found (below the threshold, or not clear of the runner-up).
   */
  | { kind: "none"; cited: readonly string[]; score: number };

export interface MeasureMatch {
  /** The local measure's `number`. */
  local: number;
  /** The central measure's id, or null for a local measure. */
  central: string | null;
  reason: MatchReason;
}

/**
 * The similarity a match needs: a cosine of at least `similarityThreshold`, and at least `similarityMargin` above the
 * second-best central measure (a text alike to two measures equally names neither). Set on the realistic
 * provincial fixture (fixtures/guangxi-implementation-plan.ts): its measures that restate a central one without citing
 * it score about 0.8 against it, while its local measures score at most 0.25 against any central measure.
 */
export const similarityThreshold = 0.35;
export const similarityMargin = 0.1;

const numeral = "[一二三四五六七八九十百零〇两]{1,6}|[0-9０-９]{1,3}";
const hs = "[ \\t\\u3000]*";
/** 第（十二）条, 第12条, 第十二项: a numbered article of a document. */
const articlePattern = new RegExp(`第${hs}[（(]?${hs}(${numeral})${hs}[）)]?${hs}[条项点]`, "gu");
/** 《若干意见》（九）, 意见（九）, 《若干意见》第（九）: a bracketed number right after the document's name. */
const bracketAfterNamePattern = new RegExp(`(?:》|意见)${hs}第?${hs}[（(]${hs}(${numeral})${hs}[）)](?!${hs}[条项点])`, "gu");
/** 《…》 right before a position: the title an article number belongs to. */
const titleBefore = /《([^《》]{1,80})》[ \t\u3000]*$/u;

const numberOf = (printed: string): number | null => (/^[0-9０-９]+$/u.test(printed) ? arabicNumeralValue(printed) : chineseNumeralValue(printed));

/**
 * The names the local document gives the forwarded plan's document: its title, and each short name the local text
 * defines for that title ("《<title>》（工信部联企业〔2020〕108号，以下简称《若干意见》）" gives 若干意见). A short name defined
 * for another document (a city's plan defining one for the national opinions as well as for its province's plan)
 * is not taken: its article numbers are not the forwarded plan's. A name the document cites that the title ends with
 * (《若干意见》 or 《意见》 for 《关于…的若干意见》) counts as well, as offices cite that way without defining it, unless the
 * document defines that name for another title.
 */
export function centralDocumentNames(documentText: string, centralTitle: string): string[] {
  const names = new Set<string>([centralTitle]);
  // A title quoting another keeps its inner 《》 or prints them as 〈〉 (《广西…贯彻落实〈关于…若干意见〉实施方案》).
  const printed = [...new Set([centralTitle, centralTitle.replace(/《/gu, "〈").replace(/》/gu, "〉")])];
  for (const title of printed) {
    for (let at = documentText.indexOf(`《${title}》`); at >= 0; at = documentText.indexOf(`《${title}》`, at + 1)) {
      const after = documentText.slice(at + title.length + 2, at + title.length + 2 + 80);
      const short = /^[^《》]{0,60}?简称[ \t\u3000]*[《“"]([^《》“”"]{1,40})[》”"]/u.exec(after)?.[1];
      if (short !== undefined) names.add(short);
    }
  }
  // Offices also cite a document by the end of its title without defining it (《若干意见》第（七）条 for 《关于…的若干意见》):
  // such a name is taken too, unless the document defines it as another document's short name.
  const definedElsewhere = new Set<string>();
  for (const m of documentText.matchAll(/《([^《》]{1,80})》[^《》]{0,60}?简称[ \t\u3000]*[《“"]([^《》“”"]{1,40})[》”"]/gu)) {
    const [, title, short] = m;
    if (title !== undefined && short !== undefined && !printed.includes(title)) definedElsewhere.add(short);
  }
  for (const m of documentText.matchAll(/《([^《》]{2,40})》/gu)) {
    const cited = m[1];
    if (cited !== undefined && cited !== centralTitle && centralTitle.endsWith(cited) && !definedElsewhere.has(cited)) names.add(cited);
  }
  return [...names];
}

/** A citation of a numbered measure: the number, as printed, where, and the 《title》 it follows (null: none). */
export interface Citation {
  number: number;
  cited: string;
  start: number;
  title: string | null;
}

/**
 * Every citation of a numbered measure in a text, in the order printed: "第N条/项/点" (N in Chinese or Arabic
 * numerals, bracketed or not), and a bracketed "（N）" right after "》" or "意见" (《若干意见》（九）); a bare "（N）" is
 * the local document's own numbering and cites nothing. `title`: the 《title》 right before the citation, if any.
 */
export function findCitations(text: string): Citation[] {
  const found: Citation[] = [];
  for (const pattern of [articlePattern, bracketAfterNamePattern]) {
    for (const m of text.matchAll(pattern)) {
      const printed = m[1];
      const number = printed === undefined ? null : numberOf(printed);
      if (number === null || m.index === undefined) continue;
      // A 》 the bracket pattern itself consumed is the title's end: look at the text up to and including it.
      const end = m[0].startsWith("》") ? m.index + 1 : m.index;
      const title = titleBefore.exec(text.slice(Math.max(0, end - 90), end))?.[1] ?? null;
      const cited = m[0].startsWith("》") || m[0].startsWith("意见") ? m[0].replace(/^(?:》|意见)/u, "") : m[0];
      found.push({ number, cited, start: m.index, title });
    }
  }
  return found.sort((a, b) => a.start - b.start).filter((f, i, all) => i === 0 || all[i - 1]?.start !== f.start);
}

/**
 * The citations (`findCitations`) that name the forwarded plan's measures: those after no 《title》 or after one of
 * `centralNames` exactly (第十二条 of 《中小企业促进法》 is that law's article, not measure (12)). With `centralNames`
 * empty, every title is accepted.
 */
export function findMeasureReferences(text: string, centralNames: readonly string[] = []): Citation[] {
  return findCitations(text).filter((c) => c.title === null || centralNames.length === 0 || centralNames.includes(c.title));
}

/**
 * A plan above the forwarded one (the forwarded plan implements it, directly or further up), whose measure numbers a
 * local document may cite by its names: a city's document citing 《若干意见》第十六条 when its province forwarded its
 * own plan. `measures`: the plan's measures by number, each with the id of the measure it implements up the chain.
 */
export interface AncestorPlan {
  /** The names the document may cite it by (`centralDocumentNames` of its title). */
  names: readonly string[];
  /** Its measures' ids by their number. */
  measures: ReadonlyMap<number, string>;
}

/** Letters, digits and Han characters only, lower-cased: what titles and similarity compare. */
const normalise = (s: string): string => s.replace(/[^\p{L}\p{N}]/gu, "").toLowerCase();

function bigrams(s: string): Map<string, number> {
  const t = normalise(s);
  const grams = new Map<string, number>();
  for (let i = 0; i + 1 < t.length; i++) {
    const g = t.slice(i, i + 2);
    grams.set(g, (grams.get(g) ?? 0) + 1);
  }
  return grams;
}

/** The local measure's words without its division notes (department names say nothing of what it implements). */
function wordsOf(m: LocalDocumentMeasure): string {
  let text = `${m.title} ${m.text}`;
  for (const n of m.notes) text = text.replace(n.text, " ");
  return text;
}

/**
 * Matches each measure of a local document to the central measure it implements, or to none. Pure; O(local ×
 * central × text length).
 *
 * The rule, first that applies:
 * 1. Reference: the first citation (`findCitations`) of a number that is one of `central`'s numbers (after no
 *    《title》 or one of `centralNames`), or, after the name of one of `ancestors`, of a number of that plan whose
 *    measure a central measure implements (its `lineage`).
 * 2. Title: the local title or text contains a central measure's title, or its title in the other language
 *    (`otherTitle`) (letters, digits and Han characters compared; titles of at least 4 of them); the longest wins.
 * 3. Similarity: cosine of character-pair (bigram) counts weighted by rarity across the central measures
 *    (idf = ln(1 + N / df)), local words (notes left out) against each central title and text; the best one when at
 *    least `similarityThreshold` and `similarityMargin` above the second.
 * Otherwise none (a local measure), with the citations that resolved to no forwarded measure and the best score.
 * Several local measures may implement one central measure; a local measure implements at most one.
 */
export function matchLocalMeasures(
  central: readonly CentralMeasureText[],
  local: readonly LocalDocumentMeasure[],
  centralNames: readonly string[] = [],
  ancestors: readonly AncestorPlan[] = [],
): MeasureMatch[] {
  const byNumber = new Map(central.map((c) => [c.number, c]));
  // A citation: the forwarded plan's measure of that number, or the one implementing the cited ancestor's measure.
  const resolve = (c: Citation): CentralMeasureText | undefined => {
    if (c.title === null || centralNames.length === 0 || centralNames.includes(c.title)) return byNumber.get(c.number);
    const title = c.title;
    const ancestorMeasure = ancestors.find((a) => a.names.includes(title))?.measures.get(c.number);
    return ancestorMeasure === undefined ? undefined : central.find((m) => m.lineage?.includes(ancestorMeasure));
  };
  const citesOurs = (c: Citation): boolean =>
    c.title === null || centralNames.length === 0 || centralNames.includes(c.title) || ancestors.some((a) => c.title !== null && a.names.includes(c.title));
  const vectors = central.map((c) => bigrams(`${c.title} ${c.text}`));
  const df = new Map<string, number>();
  for (const v of vectors) for (const g of v.keys()) df.set(g, (df.get(g) ?? 0) + 1);
  const idf = (g: string): number => Math.log(1 + central.length / (df.get(g) ?? central.length));
  const weigh = (v: Map<string, number>): Map<string, number> => new Map([...v].map(([g, n]) => [g, n * idf(g)]));
  const norm = (v: Map<string, number>): number => Math.sqrt([...v.values()].reduce((a, x) => a + x * x, 0));
  const weighted = vectors.map(weigh);
  const norms = weighted.map(norm);
  const titles = central.map((c) => [c.title, ...(c.otherTitle === undefined ? [] : [c.otherTitle])].map((printed) => ({ printed, normalised: normalise(printed) })));

  return local.map((m): MeasureMatch => {
    const references = findCitations(m.text).filter(citesOurs);
    for (const r of references) {
      const target = resolve(r);
      if (target !== undefined) return { local: m.number, central: target.id, reason: { kind: "reference", cited: r.cited } };
    }
    const words = normalise(`${m.title}${m.text}`);
    let quotedAt = -1;
    let quotedLength = 0;
    let quoted = "";
    for (const [i, forms] of titles.entries()) {
      for (const t of forms) {
        if (t.normalised.length >= 4 && t.normalised.length > quotedLength && words.includes(t.normalised)) {
          quotedAt = i;
          quotedLength = t.normalised.length;
          quoted = t.printed;
        }
      }
    }
    const quotedMeasure = central[quotedAt];
    if (quotedMeasure !== undefined) return { local: m.number, central: quotedMeasure.id, reason: { kind: "title", quoted } };
    const v = weigh(bigrams(wordsOf(m)));
    const n = norm(v);
    const scores = weighted.map((w, i) => {
      const d = (norms[i] ?? 0) * n;
      if (d === 0) return 0;
      let dot = 0;
      for (const [g, x] of v) dot += x * (w.get(g) ?? 0);
      return dot / d;
    });
    let best = -1;
    let second = 0;
    scores.forEach((s, i) => {
      if (best < 0 || s > (scores[best] ?? 0)) {
        if (best >= 0) second = Math.max(second, scores[best] ?? 0);
        best = i;
      } else second = Math.max(second, s);
    });
    const top = scores[best] ?? 0;
    const score = Math.round(top * 100) / 100;
    const winner = central[best];
    if (winner !== undefined && top >= similarityThreshold && top - second >= similarityMargin) {
      return { local: m.number, central: winner.id, reason: { kind: "similarity", score } };
    }
    return { local: m.number, central: null, reason: { kind: "none", cited: references.map((r) => r.cited), score } };
  });
}

/** The name of a line's department as local documents shorten it, after the place or level word (自治区发展改革委). */
const shortForms: Readonly<Record<string, readonly string[]>> = {
  MIIT: ["工业和信息化厅", "工业和信息化局", "工信厅", "工信局"],
  NDRC: ["发展改革委", "发展改革局", "发改委"],
  MOST: ["科技厅", "科技局"],
  MOHRSS: ["人力资源社会保障厅", "人力资源社会保障局", "人社厅", "人社局"],
  MOHURD: ["住房城乡建设厅", "住房城乡建设局", "住建厅", "住建局"],
  MARA: ["农业农村厅", "农业农村局"],
  MCT: ["文化和旅游厅", "文化和旅游局", "文化旅游厅", "文化广电旅游局"],
  SAMR: ["市场监管局"],
  ACFIC: ["工商联"],
  STA: ["税务局"],
  // 银保监局: the regulator's name before the 2023 reform, still printed in plans of 2020–2022.
  NAFR: ["金融监管局", "金融监管分局", "银保监局", "银保监分局"],
  CSRC: ["证监局"],
  CNIPA: ["知识产权局"],
};

/**
 * A vertically managed body's name as local documents shorten it, with the place inside it (`{place}` is replaced by
 * each of `placeWords`): the central body's short name first, as they sign (人民银行广西区分行, 证监会广西监管局,
 * 税务总局南宁市税务局). Forms before the 2023 reform too (人民银行柳州市中心支行, 银保监会广西监管局), still printed
 * in plans of 2020–2023. A county's central-bank unit is a 支行.
 */
const verticalForms: Readonly<Record<string, readonly string[]>> = {
  PBOC: ["人民银行{place}分行", "人行{place}分行", "人民银行{place}中心支行", "人行{place}中心支行", "人民银行{place}支行", "人行{place}支行"],
  STA: ["税务总局{place}税务局", "国家税务局{place}税务局"],
  NAFR: ["金融监管总局{place}监管局", "金融监管总局{place}监管分局", "国家金融监管总局{place}监管局", "国家金融监管总局{place}监管分局", "银保监会{place}监管局", "银保监会{place}监管分局"],
  CSRC: ["证监会{place}监管局", "中国证监会{place}监管局"],
};

/**
 * The words a local document puts before its own departments' names: the place (广西壮族自治区, 广西, and 广西区 as
 * regional documents write it) or the level (自治区, 省; an autonomous region's documents also write 区: 区税务局,
 * 区财政厅).
 */
function placeWords(organisation: Organisation): string[] {
  const full = organisation.nameZh;
  const short = full.replace(/(维吾尔自治区|壮族自治区|回族自治区|自治区|省|市|县|区)$/u, "");
  const region = /自治区$/u.test(full);
  const level = region ? "自治区" : /省$/u.test(full) ? "省" : /市$/u.test(full) ? "市" : /县$/u.test(full) ? "县" : /区$/u.test(full) ? "区" : "";
  return [...new Set([full, short, level, ...(region ? ["区", `${short}区`] : [])].filter((w) => w !== ""))];
}

/**
 * Register entries for an organisation's member departments, so the import's parser reads a local document's
 * division notes against them (`ParseOptions.register`): each member's code, its full name (广西壮族自治区财政厅,
 * 国家税务总局广西壮族自治区税务局), and the forms local documents use: the name after the place with the place
 * written in full, short (广西) or as the level (自治区财政厅, 省财政厅), the line's short forms (自治区发展改革委,
 * 省市场监管局, 广西证监局, 区税务局), a vertically managed unit's forms with the place inside (`verticalForms`:
 * 人民银行广西区分行, 证监会广西监管局, 人民银行柳州市中心支行), and its name without "中国" (人民银行广西壮族自治区分行). Plain data: it
 * crosses to the import's worker thread.
 */
export function localRegisterEntries(organisation: Organisation): RegisterEntry[] {
  const places = placeWords(organisation);
  return organisation.members.map((d) => {
    const own = places.reduce((name, p) => (name.startsWith(p) ? name.slice(p.length) : name), d.nameZh);
    const tails = [own, ...(shortForms[d.line] ?? [])];
    const aliases = new Set<string>();
    for (const p of places) for (const t of tails) aliases.add(`${p}${t}`);
    // A bare level word inside a vertical body's name (人民银行自治区分行) is not a form in use: places only.
    for (const p of places.filter((w) => !["自治区", "省", "市", "县", "区"].includes(w))) {
      for (const f of verticalForms[d.line] ?? []) aliases.add(f.replace("{place}", p));
    }
    if (d.nameZh.startsWith("中国")) aliases.add(d.nameZh.slice(2));
    aliases.delete(d.nameZh);
    return {
      code: d.code,
      kind: "administration",
      nameZh: d.nameZh,
      shortZh: d.nameZh,
      nameEn: d.nameEn,
      shortEn: d.code,
      aliases: [...aliases],
      earlierNames: [],
      successor: null,
      established: null,
      parent: null,
    };
  });
}

/** The name index of `localRegisterEntries(organisation)`, for `parsePolicyDocument(text, { register })`. */
export function localNameIndex(organisation: Organisation): NameIndex {
  return buildNameIndex(localRegisterEntries(organisation));
}

/** One measure of the local document as it enters the derived plan. */
export interface DocumentMeasureOutcome {
  /** The local measure's number in the document, its marker and title. */
  documentNumber: number;
  label: string;
  title: string;
  /** Its id in the derived plan. */
  measure: string;
  /** The forwarded measure it implements (the parent's id and number), or null for a local measure. */
  implements: { id: string; number: number; title: string } | null;
  reason: MatchReason;
  /** The division it gets: from the document's notes, else mirrored from the parent (as `deriveLocalPlan`), else the office's host leads. */
  divisionFrom: "document" | "parent" | "host";
  /** Names the document gives that are none of the organisation's member departments, each once, in the order printed. */
  unrecognised: UnrecognisedDepartment[];
  dueDate: DueDate;
  /** The due date from the document; else the forwarded measure's (also when the document's is later than it); else ongoing. */
  dueDateFrom: "document" | "parent" | "default";
}

/**
 * A department name a measure's division notes give that is none of the organisation's member departments (a name
 * the register does not know: 自治区大数据发展局, 南宁海关; or a central body with no member here), and what was
 * decided for it.
 */
export interface UnrecognisedDepartment {
  /** As printed. */
  name: string;
  /** The role the note gives it. */
  role: Role;
  /** Member departments whose names are most alike (the parser's closest register entries), best first; may be empty. */
  suggested: string[];
  /** The coordinator's choice: the member it means (it takes `role`), left out knowingly, or none yet (null). */
  decision: { kind: "member"; department: string } | { kind: "left_out" } | null;
}

/**
 * A coordinator's decision for a name a document measure gives that is not recognised: `department` the member it
 * means, or null to leave it out knowingly. `measure` is the document measure's `number`, `name` as printed.
 */
export interface DepartmentChoice {
  measure: number;
  name: string;
  department: string | null;
}

/** A draft derived from a local document: the plan, what each document measure became, and what it left out. */
export interface DocumentDerivedPlan extends DerivedPlan {
  measures: DocumentMeasureOutcome[];
  /** The forwarded measures no measure of the document implements, by the parent's id: carried into the plan as forwarded. */
  unimplemented: readonly string[];
}

/**
 * Derive a draft implementation plan from forwarded measures and the organisation's own document that implements them.
 *
 * - The forwarded measures are those `deriveLocalPlan` would take (same refusals: `not_coordinator`,
 *   `plan_not_issued`, `not_forwarded_here`, `no_measures`), plus `document_without_measures` when the document has no
 *   measure.
 * - The document's measures come first, numbered 1..k in the document's order, title and text as printed, each with
 *   the origin `matchLocalMeasures` finds (null: a local measure, as `addLocalMeasure` adds).
 * - Then each forwarded measure no document measure implements, as `deriveLocalPlan` derives it (copied, its
 *   mirrored division), numbered k+1.. in the parent's order: nothing forwarded is lost, and `unimplemented` names them.
 * - Division: the document's notes' units that are member departments (a member's code, or a central code whose line
 *   has a member here), the unit the note marks lead leading (else the first), each department once; where the
 *   document names no member, a matched measure mirrors the parent's division and a local measure is led by the
 *   office's host.
 * - Due date: the document's (a date or 持续推进) when it keeps within the forwarded measure's (`withinParentDeadline`),
 *   else the forwarded measure's; a local measure without one is ongoing.
 * `centralNames`: the names of the central document a citation may follow (`centralDocumentNames`);
 * `translations`: the forwarded measures' title and text in the plan's other language, by the parent's measure id;
 * `ancestors`: the plans above the forwarded one, nearest first, with the names the document may cite them by.
 *
 * Names a measure's notes give that are no member department are never dropped unseen: each is listed in its
 * measure's `unrecognised` with its role and the members most alike. `choices` decide them: a member takes the
 * name's place in the note (its role, its order), or the name is left out. A choice for a name the measure does not
 * list, of a department that is not a member, or a second choice for one name, refuses `unknown_department_choice`
 * naming it ("（三）南宁海关 → 450000-X"). An undecided name does not refuse here (the preview shows it); `requireDepartmentDecisions` is the act's
 * rule.
 */
export function deriveFromLocalDocument(
  ctx: DeriveContext,
  document: readonly LocalDocumentMeasure[],
  centralNames: readonly string[] = [],
  translations: ReadonlyMap<string, { title: string; text: string }> = new Map(),
  ancestors: ReadonlyArray<{ names: readonly string[]; plan: CascadePlan }> = [],
  choices: readonly DepartmentChoice[] = [],
): CascadeResult<DocumentDerivedPlan> {
  const base = deriveLocalPlan(ctx);
  if (!base.ok) return base;
  if (document.length === 0) return { ok: false, refusal: cascadeRefusal("document_without_measures") };
  const choiceOf = new Map<string, DepartmentChoice>();
  const used = new Set<string>();
  const choiceKey = (measure: number, name: string): string => `${measure}\u0000${name}`;
  // Two choices for one name contradict or repeat each other: the second is refused with the wrong ones.
  const twice: DepartmentChoice[] = [];
  for (const c of choices) {
    const key = choiceKey(c.measure, c.name);
    if (choiceOf.has(key)) twice.push(c);
    else choiceOf.set(key, c);
  }
  const { organisation, parentPlan } = ctx;
  const parentById = new Map(parentPlan.measures.map((m) => [m.id, m]));
  const copies = base.value.plan.measures;
  // The ids a forwarded measure implements up the chain: its origin, then each ancestor's origin in turn.
  const ancestorMeasures = new Map(ancestors.flatMap((a) => a.plan.measures.map((m) => [m.id, m] as const)));
  const lineageOf = (m: CascadeMeasure): string[] => {
    const chain: string[] = [];
    let origin = m.origin?.measure;
    while (origin !== undefined && !chain.includes(origin)) {
      chain.push(origin);
      origin = ancestorMeasures.get(origin)?.origin?.measure;
    }
    return chain;
  };
  const central: CentralMeasureText[] = copies.flatMap((c) => {
    const p = c.origin === null ? undefined : parentById.get(c.origin.measure);
    if (p === undefined) return [];
    const other = translations.get(p.id);
    return [
      {
        id: p.id,
        number: p.number,
        title: p.title,
        text: other === undefined ? p.text : `${p.text} ${other.title} ${other.text}`,
        lineage: lineageOf(p),
        ...(other === undefined ? {} : { otherTitle: other.title }),
      },
    ];
  });
  const matches = matchLocalMeasures(
    central,
    document,
    centralNames,
    ancestors.map((a) => ({ names: a.names, measures: new Map(a.plan.measures.map((m) => [m.number, m.id])) })),
  );
  const members = new Set(organisation.members.map((d) => d.code));
  const memberByLine = new Map(organisation.members.map((d) => [d.line, d.code]));
  const copyOf = new Map(copies.flatMap((c) => (c.origin === null ? [] : [[c.origin.measure, c] as const])));
  const planId = ctx.planId;
  const measures: CascadeMeasure[] = [];
  const division: CascadeResponsibility[] = [];
  const outcomes: DocumentMeasureOutcome[] = [];
  const implemented = new Set<string>();
  const unmapped: string[] = [];
  // deriveLocalPlan's "copy id:parent department" for the copy `from`, re-keyed to the measure `to` of this plan.
  const unmappedOf = (from: string, to: string): string[] =>
    base.value.unmapped.flatMap((u) => {
      const [measure, department = ""] = u.split(":");
      return measure === from ? [`${to}:${department}`] : [];
    });

  document.forEach((d, i) => {
    const match = matches[i];
    const origin = match?.central == null ? undefined : parentById.get(match.central);
    const id = `${planId}/${i + 1}`;
    let dueDate: DueDate = "ongoing";
    let dueDateFrom: DocumentMeasureOutcome["dueDateFrom"] = "default";
    const stated: DueDate | null = d.deadline === null ? null : d.deadline.kind === "ongoing" ? "ongoing" : isIsoDate(d.deadline.date) ? d.deadline.date : null;
    if (stated !== null && (origin === undefined || withinParentDeadline(stated, origin.dueDate))) {
      dueDate = stated;
      dueDateFrom = "document";
    } else if (origin !== undefined) {
      dueDate = origin.dueDate;
      dueDateFrom = "parent";
    }
    if (origin !== undefined) implemented.add(origin.id);
    measures.push({
      id,
      number: i + 1,
      title: d.title,
      text: d.text,
      dueDate,
      origin: origin === undefined ? null : { plan: parentPlan.id, measure: origin.id },
    });
    // The document's division: member departments only, the note's lead first, each once.
    const units = d.notes.flatMap((n) => n.units);
    const unrecognised: UnrecognisedDepartment[] = [];
    const parts: Array<{ department: string; role: Role }> = [];
    for (const u of units) {
      let code = u.code !== null && members.has(u.code) ? u.code : u.code === null ? undefined : memberByLine.get(u.code);
      if (code === undefined) {
        if (unrecognised.some((r) => r.name === u.name)) continue;
        const key = choiceKey(d.number, u.name);
        const choice = choiceOf.get(key);
        if (choice !== undefined) used.add(key);
        const decision: UnrecognisedDepartment["decision"] =
          choice === undefined ? null : choice.department === null ? { kind: "left_out" } : { kind: "member", department: choice.department };
        unrecognised.push({ name: u.name, role: u.role, suggested: (u.closest ?? []).filter((c) => members.has(c)), decision });
        if (decision?.kind !== "member") continue;
        code = decision.department;
      }
      if (parts.some((p) => p.department === code)) continue;
      parts.push({ department: code, role: u.role });
    }
    let divisionFrom: DocumentMeasureOutcome["divisionFrom"];
    if (parts.length > 0) {
      const leadAt = Math.max(0, parts.findIndex((p) => p.role === "lead"));
      for (const [j, p] of parts.entries()) division.push({ measure: id, department: p.department, role: j === leadAt ? "lead" : "supporting" });
      divisionFrom = "document";
    } else {
      const copy = origin === undefined ? undefined : copyOf.get(origin.id);
      const mirrored = copy === undefined ? [] : base.value.plan.division.filter((r) => r.measure === copy.id);
      if (copy !== undefined && mirrored.length > 0) {
        for (const r of mirrored) division.push({ ...r, measure: id });
        unmapped.push(...unmappedOf(copy.id, id));
        divisionFrom = "parent";
      } else {
        division.push({ measure: id, department: organisation.office.host, role: "lead" });
        divisionFrom = "host";
      }
    }
    outcomes.push({
      documentNumber: d.number,
      label: d.label,
      title: d.title,
      measure: id,
      implements: origin === undefined ? null : { id: origin.id, number: origin.number, title: origin.title },
      reason: match?.reason ?? { kind: "none", cited: [], score: 0 },
      divisionFrom,
      unrecognised,
      dueDate,
      dueDateFrom,
    });
  });

  // Every choice must answer a name listed as not recognised, and name a member: a wrong one is not silently ignored.
  const wrong = [
    ...choices.filter((c) => !twice.includes(c) && (!used.has(choiceKey(c.measure, c.name)) || (c.department !== null && !members.has(c.department)))),
    ...twice,
  ];
  if (wrong.length > 0) {
    const labelOf = new Map(document.map((d) => [d.number, d.label]));
    return {
      ok: false,
      refusal: cascadeRefusal(
        "unknown_department_choice",
        wrong.map((c) => `${labelOf.get(c.measure) ?? `(${c.measure})`}${c.name}${c.department === null ? "" : ` → ${c.department}`}`),
      ),
    };
  }

  // The forwarded measures the document leaves out, as deriveLocalPlan derives them.
  const unimplemented: string[] = [];
  for (const copy of copies) {
    if (copy.origin === null || implemented.has(copy.origin.measure)) continue;
    unimplemented.push(copy.origin.measure);
    const number = measures.length + 1;
    const id = `${planId}/${number}`;
    measures.push({ ...copy, id, number });
    for (const r of base.value.plan.division.filter((r) => r.measure === copy.id)) division.push({ ...r, measure: id });
    unmapped.push(...unmappedOf(copy.id, id));
  }
  return {
    ok: true,
    value: {
      plan: { ...base.value.plan, measures, division },
      unmapped,
      measures: outcomes,
      unimplemented,
    },
  };
}

/**
 * The act's rule for names not recognised (the preview shows them; deriving needs a decision for each): refuses
 * `undecided_departments` naming each undecided one as "（三）南宁海关" when any is left, else passes `derived` on.
 * Why refuse rather than derive without them: a department silently missing from a division is the fault this rule
 * exists for, and the coordinator is the one who knows which member a local name means; a name left out is so by an
 * explicit choice, which the derive records in its audit event.
 */
export function requireDepartmentDecisions(derived: DocumentDerivedPlan): CascadeResult<DocumentDerivedPlan> {
  const undecided = derived.measures.flatMap((m) => m.unrecognised.filter((u) => u.decision === null).map((u) => `${m.label}${u.name}`));
  return undecided.length === 0 ? { ok: true, value: derived } : { ok: false, refusal: cascadeRefusal("undecided_departments", undecided) };
}
