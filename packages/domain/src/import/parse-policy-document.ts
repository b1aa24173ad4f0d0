import { defaultNameIndex, type NameIndex } from "../register/name-index.js";
import { type DraftDeadline, deadlineAt } from "./deadline.js";
import type { DraftMeasure, DraftNote, DraftPlan, DraftSection, DraftWarning, Span } from "./draft-plan.js";
import { findResponsibilityNotes, type NoteContext, textEndBeforeTrailingNote } from "./responsibility-notes.js";
import { detectTextCuts } from "./text-cuts.js";
import { arabicNumeralValue, chineseNumeralValue, ordinalWords, ordinalWordValue, romanNumeralValue } from "./numerals.js";

/*
 * Policy documents number their parts in a few ways, in Chinese and in translation. The parser finds every marker
 * that could number a part, keeps those that stand at the start of a line or continue their sequence after a
 * sentence, and then decides which style numbers the sections and which the measures. Deeper levels (sub-items
 * inside a measure) stay inside the measure's text. Nothing is completed or corrected: every character of the input
 * ends up in the title, a section heading, a measure, or an `unassigned_text` warning.
 */

/** "arabic" is "1." and its common variant "1、", one level in GB/T 9704 (一、 > （一） > 1. > （1）). */
type MarkerStyle = "zh-dun" | "zh-paren" | "roman" | "arabic" | "ordinal" | "arabic-paren";

/**
 * The usual hierarchy: 一、 (or I.) > （一） > 1. (or 1、, or First,) > （1）. A lower rank numbers a higher level; among
 * styles of one rank the one printed first is the higher level.
 */
const styleRank: Readonly<Record<MarkerStyle, number>> = {
  "zh-dun": 0,
  roman: 0,
  "zh-paren": 1,
  arabic: 2,
  ordinal: 2,
  "arabic-paren": 3,
};
const allStyles = Object.keys(styleRank) as MarkerStyle[];

interface Marker {
  style: MarkerStyle;
  value: number;
  /** The number as printed, without brackets or punctuation: "一", "IV", "12", "First". */
  numeral: string;
  /** The marker as printed: "（一）", "I.", "First,". */
  label: string;
  start: number;
  /** End of the marker itself ("(1)", "一、"), before any space. */
  end: number;
  lineStart: boolean;
}

const zhNumeral = "[一二三四五六七八九十百零〇两]{1,6}";
const digits = "[0-9０-９]{1,3}";
const hspace = "[ \\t\\u3000\\u00a0]*";

const markerPatterns: ReadonlyArray<{ style: MarkerStyle; pattern: RegExp; value: (numeral: string) => number | null }> = [
  { style: "zh-dun", pattern: new RegExp(`(${zhNumeral})${hspace}、`, "g"), value: chineseNumeralValue },
  { style: "zh-paren", pattern: new RegExp(`[（(]${hspace}(${zhNumeral})${hspace}[）)]`, "g"), value: chineseNumeralValue },
  { style: "arabic-paren", pattern: new RegExp(`[（(]${hspace}(${digits})${hspace}[）)]`, "g"), value: arabicNumeralValue },
  // Not "1.5", not "2020.": the digits stand alone and no digit follows the dot.
  { style: "arabic", pattern: new RegExp(`(${digits})(?:[.．](?![0-9０-９])|、)`, "g"), value: arabicNumeralValue },
  // Not "I.e." or "U.S.": a Latin letter or a dot right after the marker disqualifies it.
  { style: "roman", pattern: /([IVXLC]{1,7})[.．、](?![A-Za-z.．])/g, value: romanNumeralValue },
  {
    style: "ordinal",
    pattern: new RegExp(`(${ordinalWords.join("|")})(?:ly)?[ \\t]*[,，:：]`, "g"),
    value: ordinalWordValue,
  },
];

const lineBreak = /[\n\r\u2028\u2029]/;
const whitespace = /\s/;
const isWhitespace = (ch: string): boolean => whitespace.test(ch);
const isLineBreak = (ch: string): boolean => lineBreak.test(ch);
/** Closing quotes and brackets that may follow a full stop. */
const closers = "”\"’'」』）)】》";
/** A sentence ends here; a run-in marker may follow. Semicolons and colons do not count: "(1) …; (2) …" lists. */
const sentenceEnders = "。！？.!?．";

/**
 * Turns the plain text of a policy document into a draft plan: title, sections, measures (full text as published,
 * short title = opening phrase) and warnings. Pure; never throws. All offsets are UTF-16 indices into `text`, and
 * `draftPlanCoverage(draft)` lists the spans that together own every non-whitespace character of it.
 */
export interface ParseOptions {
  /**
   * Converts traditional script to simplified for matching unit names (opencc-js in the server). Must keep the
   * length: offsets into the converted text are offsets into `text`. A converter that changes the length is ignored.
   */
  toSimplified?: (text: string) => string;
  /** The document's date (YYYY-MM-DD) for mapping names across reforms; by default the last 年月日 date in the text. */
  asOf?: string | null;
  /** The register to resolve unit names in; by default the built-in one. */
  register?: NameIndex;
}

export function parsePolicyDocument(text: string, options: ParseOptions = {}): DraftPlan {
  const converted = options.toSimplified ? safeConvert(options.toSimplified, text) : text;
  const matchText = converted.length === text.length ? converted : text;
  const asOf = options.asOf !== undefined ? options.asOf : documentDate(matchText);
  const noteContext: NoteContext = { index: options.register ?? defaultNameIndex(), asOf, suggested: { count: 0 } };
  const lines = new LineIndex(text);
  const markers = acceptMarkers(text, lines, withoutAnnexLists(text, lines, findCandidates(text, lines)));
  const { sectionStyle, measureStyle } = chooseLevels(markers);
  const structural = markers.filter((m) => m.style === sectionStyle || m.style === measureStyle);

  const warnings: DraftWarning[] = [];
  const sections: DraftSection[] = [];
  const measures: DraftMeasure[] = [];

  for (let i = 0; i < structural.length; i++) {
    const marker = structural[i];
    if (!marker) continue;
    const next = structural[i + 1]?.start ?? text.length;
    if (marker.style === sectionStyle) {
      sections.push(readSection(text, lines, marker, next, sections.length + 1));
    } else {
      const isLast = i === structural.length - 1;
      const measure = readMeasure(text, lines, marker, isLast ? lastMeasureEnd(text, lines, marker) : next, {
        number: measures.length + 1,
        section: sections.length,
      });
      measures.push(measure);
      if (sectionStyle !== null && sections.length === 0) {
        warnings.push({
          kind: "measure_outside_section",
          message: `Measure "${measure.label}" stands before the first section.`,
          span: measure.span,
          section: null,
          measure: measure.number,
        });
      }
    }
  }

  warnings.push(...numberingWarnings(structural, sectionStyle));
  for (const measure of measures) {
    const { start, end } = measure.textSpan;
    const measureMatch = matchText.slice(start, end);
    const notes = findResponsibilityNotes(measure.text, measureMatch, noteContext);
    measure.notes = notes.map(
      (n): DraftNote => ({
        text: n.text,
        span: { start: start + n.start, end: start + n.end },
        form: n.form,
        units: n.units.map((u) => ({
          code: u.code,
          name: u.name,
          role: u.role,
          span: { start: start + u.start, end: start + u.end },
          mappingNote: u.mappingNote,
          closest: u.closest,
        })),
        deadline: n.deadline,
      }),
    );
    measure.deadline = measureDeadline(measure.notes, measure.text, measureMatch);
    for (const note of measure.notes) {
      for (const unit of note.units) {
        if (unit.code === null) {
          warnings.push({
            kind: "unknown_department",
            message: `Measure "${measure.label}" names "${unit.name}", which is not in the register of departments${unit.closest.length > 0 ? `; closest: ${unit.closest.join(", ")}` : ""}. Choose a department or add it to the register.`,
            span: unit.span,
            section: null,
            measure: measure.number,
          });
        } else if (unit.mappingNote !== null) {
          warnings.push({ kind: "department_mapped", message: unit.mappingNote, span: unit.span, section: null, measure: measure.number });
        }
      }
    }
    // The note is not the measure's words: "…。（财政部负责）" ends complete.
    const cuts = detectTextCuts(measure.text.slice(0, textEndBeforeTrailingNote(measure.text, notes)));
    for (const cut of cuts) {
      const span = { start: measure.textSpan.start + cut.start, end: measure.textSpan.start + cut.end };
      warnings.push({
        kind: cut.kind,
        message:
          cut.kind === "text_cut"
            ? `Measure "${measure.label}" looks cut short at "${excerpt(text, span)}": words may be lost. Keep the text as published and check the original.`
            : `Measure "${measure.label}": a sentence runs into the next without a full stop at "${excerpt(text, span)}".`,
        span,
        section: null,
        measure: measure.number,
      });
    }
    measure.textCut = cuts.some((c) => c.kind === "text_cut");
  }

  const frontEnd = structural[0]?.start ?? text.length;
  const title = chooseTitle(text, lines, frontEnd);
  const documentNumber = documentNumberPattern.exec(text.slice(0, frontEnd))?.[0] ?? null;

  warnings.push(...unassignedTextWarnings(text, title?.span ?? null, sections, measures));
  warnings.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);

  return {
    title: title?.title ?? "",
    titleSpan: title?.span ?? null,
    documentNumber,
    sections,
    measures,
    warnings,
  };
}

/**
 * Line starts, for "is this at the start of a line" and "are these on one line" in O(log n). In a hard-wrapped text
 * (a copy from a PDF: lines broken every ~80 columns) the lines are the logical ones: a physical line that fills the
 * width is continued by the next, unless that one opens with a numbering marker, so a heading or a measure wrapped
 * over several lines reads as one (see `hardWrapWidth`).
 */
class LineIndex {
  readonly starts: number[] = [0];
  /** The width the text is wrapped at, in UTF-16 units, or null when it is not hard-wrapped. */
  readonly wrapWidth: number | null;
  constructor(private readonly text: string) {
    const physical = [0];
    for (let i = 0; i < text.length; i++) {
      const ch = text.charAt(i);
      if (ch === "\r" && text.charAt(i + 1) === "\n") continue; // \r\n is one break
      if (isLineBreak(ch)) physical.push(i + 1);
    }
    const contentEnd = (line: number): number => {
      let end = physical[line + 1] ?? text.length;
      while (end > (physical[line] ?? 0) && isLineBreak(text.charAt(end - 1))) end--;
      while (end > (physical[line] ?? 0) && isWhitespace(text.charAt(end - 1))) end--;
      return end;
    };
    const lengths = physical.map((start, line) => contentEnd(line) - start);
    this.wrapWidth = hardWrapWidth(lengths);
    if (this.wrapWidth === null) {
      this.starts = physical;
      return;
    }
    // A line was broken by the wrap when the next line's first word would not have fitted on it (greedy wrapping);
    // otherwise its paragraph ended there. A little slack for PDF copies set in proportional type.
    const width = this.wrapWidth - Math.max(2, Math.round(this.wrapWidth * 0.05));
    this.starts = [0];
    for (let line = 1; line < physical.length; line++) {
      const start = physical[line] ?? text.length;
      const previousLength = lengths[line - 1] ?? 0;
      const fits = previousLength + firstWordWidth(text, start, contentEnd(line)) <= width;
      const continues = previousLength > 0 && (lengths[line] ?? 0) > 0 && !fits && !opensWithMarker(text, start);
      if (!continues) this.starts.push(start);
    }
  }
  /** The 0-based line holding `pos`. */
  lineOf(pos: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
  startOf(line: number): number {
    return this.starts[line] ?? this.text.length;
  }
  /** End of the line's content, before its line break. */
  endOf(line: number): number {
    let end = this.starts[line + 1] ?? this.text.length;
    while (end > this.startOf(line) && isLineBreak(this.text.charAt(end - 1))) end--;
    return end;
  }
  get count(): number {
    return this.starts.length;
  }
}

/**
 * The width a text is hard-wrapped at, or null. Wrapped when it has at least 8 non-empty lines, none longer than 200
 * units, and at least 40% of them fill 70% of the longest: a paragraph broken every ~80 columns (or ~40 Chinese
 * characters) leaves mostly full lines, while a text with a line per paragraph has lines of every length.
 */
function hardWrapWidth(lengths: readonly number[]): number | null {
  const nonEmpty = lengths.filter((n) => n > 0);
  if (nonEmpty.length < 8) return null;
  const widest = nonEmpty.reduce((a, b) => Math.max(a, b), 0);
  if (widest > 200 || widest < 20) return null;
  const full = nonEmpty.filter((n) => n >= widest * 0.7).length;
  return full >= nonEmpty.length * 0.4 ? widest : null;
}

/**
 * The room the first word of the line [start, end) needs after the previous line: a space and the word, or one
 * Chinese character (Chinese breaks between any two). Bounded: at most 40 characters are looked at.
 */
function firstWordWidth(text: string, start: number, end: number): number {
  let i = start;
  while (i < end && (text.charAt(i) === " " || text.charAt(i) === "\t")) i++;
  if (i < end && cjk.test(text.charAt(i))) return 1;
  let j = i;
  while (j < end && j - i < 40 && !isWhitespace(text.charAt(j))) j++;
  return 1 + (j - i);
}

/** Does a numbering marker open the line starting at `pos` (after spaces)? Anchored patterns, O(1) per line. */
const lineOpeningMarker = new RegExp(
  `[ \\t\\u3000\\u00a0]{0,8}(?:${zhNumeral}${hspace}、|[（(]${hspace}(?:${zhNumeral}|${digits})${hspace}[）)]|${digits}(?:[.．](?![0-9０-９])|、)|[IVXLC]{1,7}[.．、](?![A-Za-z.．])|(?:${ordinalWords.join("|")})(?:ly)?[ \\t]*[,，:：])`,
  "y",
);
function opensWithMarker(text: string, pos: number): boolean {
  lineOpeningMarker.lastIndex = pos;
  return lineOpeningMarker.test(text);
}

/**
 * A title or heading as one line: each line break inside it (a hard wrap) and the spaces around it become one space,
 * or nothing between two Chinese characters. A no-op on a text that is not hard-wrapped.
 */
function unwrapped(piece: string): string {
  return piece.replace(/[ \t\u3000]*(?:\r\n|[\n\r\u2028\u2029])[ \t\u3000]*/g, (match, offset: number, whole: string) => {
    const before = whole.charAt(offset - 1);
    const after = whole.charAt(offset + match.length);
    return cjk.test(before) && cjk.test(after) ? "" : " ";
  });
}

function findCandidates(text: string, lines: LineIndex): Marker[] {
  const found: Marker[] = [];
  for (const { style, pattern, value } of markerPatterns) {
    for (const match of text.matchAll(pattern)) {
      const numeral = match[1] ?? "";
      const start = match.index;
      const n = value(numeral);
      if (n === null || n === 0) continue;
      // A marker does not continue a word or a number: "A1.", "2020.", "v2、".
      if (style !== "zh-dun" && style !== "zh-paren" && /[A-Za-z0-9０-９.．]/.test(text.charAt(start - 1))) continue;
      if (startsEnumeration(text, style, start + match[0].length)) continue;
      found.push({
        style,
        value: n,
        numeral,
        label: match[0],
        start,
        end: start + match[0].length,
        lineStart: atLineStart(text, lines, start),
      });
    }
  }
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const disjoint: Marker[] = [];
  let reached = 0;
  for (const m of found) {
    if (m.start < reached) continue;
    disjoint.push(m);
    reached = m.end;
  }
  return disjoint;
}

/**
 * "一、二月份", "1、2月", "一、二、三级医院": the 、 joins two numbers of one kind (months, grades), so the first is no
 * marker. Only 、 and 月 follow: "一、三年行动目标" is a heading. O(1): an anchored pattern.
 */
const zhEnumerationTail = /[一二三四五六七八九十]{1,3}[、月]/y;
const arabicEnumerationTail = /[0-9０-９]{1,3}[、月]/y;
function startsEnumeration(text: string, style: MarkerStyle, end: number): boolean {
  const tail = style === "zh-dun" ? zhEnumerationTail : style === "arabic" ? arabicEnumerationTail : null;
  if (tail === null) return false;
  tail.lastIndex = end;
  return tail.test(text);
}

/**
 * A line that introduces a list of attachments or notes: "附件：", "附：", "注：", "Attachments:", "Annex 2:". Only with
 * the colon: a bare "附件" or "附件1" line heads the annex itself (GB/T 9704), which may be the division to read.
 */
const annexListHeading =
  /[ \t\u3000\u00a0]{0,8}(?:附件|附表|附|注|备注|annex(?:es)?|attachments?|appendix|appendices|enclosures?|notes?)[ \t\u3000]{0,2}[0-9０-９]{0,2}[ \t\u3000]{0,2}[:：]/iy;

function opensAnnexList(text: string, lineStart: number): boolean {
  annexListHeading.lastIndex = lineStart;
  return annexListHeading.test(text);
}

/**
 * Drops the candidates that number a list of attachments or notes ("附件：1. 活动安排表\n2. 联系人名单"): those on an
 * annex heading line (`annexListHeading`), and those opening each following line, blank lines between allowed,
 * in the list's style, whose line after the marker has no sentence end (an attachment is a name; a measure is prose). Such a list is no
 * part of the document's structure, however many items it has. Linear: each line is looked at by at most one
 * candidate (the one that opens it) and each run of blank lines by the candidate after it.
 */
function withoutAnnexLists(text: string, lines: LineIndex, candidates: readonly Marker[]): Marker[] {
  const isHeading = (line: number): boolean => opensAnnexList(text, lines.startOf(line));
  const kept: Marker[] = [];
  // The last line that is an item of a list being dropped, or -1, and the style the list is numbered in.
  let itemLine = -1;
  let itemStyle: MarkerStyle | null = null;
  for (const candidate of candidates) {
    const line = lines.lineOf(candidate.start);
    if (!candidate.lineStart) {
      if (!isHeading(line)) kept.push(candidate);
      continue;
    }
    let previous = line - 1;
    while (previous >= 0 && previous !== itemLine && text.slice(lines.startOf(previous), lines.endOf(previous)).trim() === "") {
      previous--;
    }
    const listed = previous >= 0 && ((previous === itemLine && candidate.style === itemStyle) || isHeading(previous));
    if (listed && sentenceEnd(text, candidate.end, lines.endOf(line)) < 0) {
      itemLine = line;
      itemStyle = candidate.style;
    } else {
      kept.push(candidate);
    }
  }
  return kept;
}

function atLineStart(text: string, lines: LineIndex, pos: number): boolean {
  const lineStart = lines.startOf(lines.lineOf(pos));
  for (let i = pos - 1; i >= lineStart; i--) if (!isWhitespace(text.charAt(i))) return false;
  return true;
}

function precededBySentenceEnd(text: string, pos: number): boolean {
  let i = pos - 1;
  while (i >= 0 && isWhitespace(text.charAt(i)) && !isLineBreak(text.charAt(i))) i--;
  while (i >= 0 && closers.includes(text.charAt(i))) i--;
  return i >= 0 && sentenceEnders.includes(text.charAt(i));
}

/**
 * Keeps the candidates that number a part of the document. At the start of a line a marker counts when its style has
 * begun (or it begins one at 1 or 2) and it does not leap far ahead. Run into the text, it counts only when it
 * continues its sequence after a full stop, or follows a higher-level marker on the same line ("一、总则（一）…"):
 * so "(2)" inside a sentence, or a list "(1) …; (2) …" inside a measure, stays text.
 */
function acceptMarkers(text: string, lines: LineIndex, candidates: readonly Marker[]): Marker[] {
  const last = new Map<MarkerStyle, number>();
  const mayRestart = new Set<MarkerStyle>();
  const accepted: Marker[] = [];
  let previous: Marker | undefined;
  for (const candidate of candidates) {
    const lastValue = last.get(candidate.style);
    let keep: boolean;
    if (candidate.lineStart) {
      keep = lastValue === undefined ? candidate.value <= 2 : candidate.value <= lastValue + 10;
    } else {
      const continues =
        lastValue !== undefined &&
        (candidate.value === lastValue + 1 || (candidate.value === 1 && mayRestart.has(candidate.style)));
      const afterHigher =
        previous !== undefined &&
        styleRank[previous.style] < styleRank[candidate.style] &&
        lines.lineOf(previous.start) === lines.lineOf(candidate.start) &&
        (candidate.value === 1 || continues);
      keep = (continues && precededBySentenceEnd(text, candidate.start)) || afterHigher;
    }
    if (!keep) continue;
    accepted.push(candidate);
    previous = candidate;
    last.set(candidate.style, candidate.value);
    mayRestart.delete(candidate.style);
    for (const style of allStyles) if (styleRank[style] > styleRank[candidate.style]) mayRestart.add(style);
  }
  return accepted;
}

/**
 * The top two numbering styles in use are the sections and the measures; with one style, its items are measures.
 * When some style numbers two parts or more, a style used once is ignored (a stray "1." in a preamble), except a
 * lone top-rank heading numbered 1. When none does, the document has a single measure (a department forwards the
 * one it leads): the styles used once, numbered 1 at the start of a line, are its levels, a heading over a measure
 * ("一、总体要求" then "（一）…") when the higher-ranked one is printed first, else the higher-ranked is the measure.
 */
function chooseLevels(markers: readonly Marker[]): { sectionStyle: MarkerStyle | null; measureStyle: MarkerStyle | null } {
  const stats = new Map<MarkerStyle, { count: number; first: number; firstValue: number; lineStart: boolean }>();
  for (const m of markers) {
    const s = stats.get(m.style);
    if (s) s.count++;
    else stats.set(m.style, { count: 1, first: m.start, firstValue: m.value, lineStart: m.lineStart });
  }
  const entries = [...stats.entries()];
  const repeated = entries.some(([, s]) => s.count >= 2);
  const levels = entries
    .filter(([style, s]) =>
      repeated ? s.count >= 2 || (styleRank[style] === 0 && s.firstValue === 1) : s.firstValue === 1 && s.lineStart,
    )
    .sort(([a, sa], [b, sb]) => styleRank[a] - styleRank[b] || sa.first - sb.first);
  const [first, second] = levels;
  if (first === undefined) return { sectionStyle: null, measureStyle: null };
  if (second === undefined) return { sectionStyle: null, measureStyle: first[0] };
  if (!repeated && second[1].first < first[1].first) return { sectionStyle: null, measureStyle: first[0] };
  return { sectionStyle: first[0], measureStyle: second[0] };
}

export function trimSpan(text: string, start: number, end: number): Span {
  let s = start;
  let e = end;
  while (s < e && isWhitespace(text.charAt(s))) s++;
  while (e > s && isWhitespace(text.charAt(e - 1))) e--;
  return { start: s, end: e };
}

/** The first sentence end in [from, limit): 。！？ anywhere, "." "!" "?" before a space or the limit. */
function sentenceEnd(text: string, from: number, limit: number): number {
  for (let i = from; i < limit; i++) {
    const ch = text.charAt(i);
    if (ch === "。" || ch === "！" || ch === "？" || ch === "．") return i;
    if ((ch === "." || ch === "!" || ch === "?") && (i + 1 >= limit || isWhitespace(text.charAt(i + 1)))) return i;
  }
  return -1;
}

function readSection(text: string, lines: LineIndex, marker: Marker, next: number, number: number): DraftSection {
  const limit = Math.min(lines.endOf(lines.lineOf(marker.start)), next);
  const titleStart = trimSpan(text, marker.end, limit).start;
  const stop = sentenceEnd(text, titleStart, limit);
  // A heading that runs on into a sentence ("一、总体要求。坚持…") keeps its first phrase; the rest is no measure's.
  const titleEnd = stop >= 0 ? stop : limit;
  const title = unwrapped(text.slice(titleStart, titleEnd).trim());
  const span = trimSpan(text, marker.start, stop >= 0 ? stop + 1 : limit);
  return { number, numeral: marker.numeral, title, label: marker.label, span };
}

/** Titles are short; a measure with no sentence end in its first 200 characters gets a verbatim prefix. */
const maxTitleLength = 200;

function readMeasure(
  text: string,
  lines: LineIndex,
  marker: Marker,
  end: number,
  at: { number: number; section: number },
): DraftMeasure {
  const span = trimSpan(text, marker.start, end);
  const textSpan = trimSpan(text, marker.end, span.end);
  const firstLineEnd = Math.min(lines.endOf(lines.lineOf(textSpan.start)), textSpan.end);
  const stop = sentenceEnd(text, textSpan.start, firstLineEnd);
  let titleEnd = Math.min(stop >= 0 ? stop : firstLineEnd, textSpan.start + maxTitleLength);
  // Never split a surrogate pair.
  if (titleEnd > textSpan.start && /[\ud800-\udbff]/.test(text.charAt(titleEnd - 1))) titleEnd--;
  return {
    number: at.number,
    section: at.section,
    title: unwrapped(text.slice(textSpan.start, titleEnd).trimEnd()),
    text: text.slice(textSpan.start, textSpan.end),
    textCut: false,
    label: marker.label,
    printedNumber: marker.value,
    span,
    textSpan,
    notes: [],
    deadline: null,
  };
}

function safeConvert(convert: (text: string) => string, text: string): string {
  try {
    return convert(text);
  } catch {
    return text;
  }
}

/** The date a Chinese document closes with: the last 年月日 date in it, as YYYY-MM-DD, or null. */
export function documentDate(text: string): string | null {
  let found: string | null = null;
  for (const m of text.matchAll(/(\d{4})\s?年\s?(\d{1,2})\s?月\s?(\d{1,2})\s?日/g)) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (y >= 1949 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31) found = `${y}-${String(mo).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
  }
  return found;
}

/** Phrases that may state a deadline: a year with 年, or the words of work without an end. */
const deadlineCandidates = /\d{4}\s?年|持续推进|长期坚持|持续实施|长期推进|持续开展|长期实施/g;

/**
 * The measure's deadline: the last one a note states, else the last deadline phrase of its text that says 前/底/
 * a month (a bare year in prose is no deadline), else null.
 */
function measureDeadline(notes: readonly DraftNote[], measureText: string, measureMatch: string): DraftDeadline | null {
  for (let i = notes.length - 1; i >= 0; i--) {
    const d = notes[i]?.deadline;
    if (d) return d;
  }
  let last: DraftDeadline | null = null;
  // Over the measure's own text only, so that the scan never runs on into the rest of the document.
  const pattern = new RegExp(deadlineCandidates.source, "g");
  for (let m = pattern.exec(measureMatch); m !== null; m = pattern.exec(measureMatch)) {
    const found = deadlineAt(measureMatch, m.index);
    // In running text a date is a deadline only when it says so: 底前, 前, 完成 (not "2021年6月起施行").
    if (found && (found.deadline.kind === "ongoing" || /[前底末]|完成|半年/.test(found.deadline.stated))) {
      last = { ...found.deadline, stated: measureText.slice(m.index, found.end) };
      pattern.lastIndex = found.end;
    }
  }
  return last;
}

/** A line reads as prose when it ends a sentence (or opens a list with a colon). */
function endsLikeProse(line: string): boolean {
  let i = line.length - 1;
  while (i >= 0 && isWhitespace(line.charAt(i))) i--;
  while (i >= 0 && closers.includes(line.charAt(i))) i--;
  return i >= 0 && "。！？.!?；;：:…．".includes(line.charAt(i));
}

/**
 * The last measure has no next marker to end it, and documents close with signatures, a date, a web page's footer.
 * It keeps its first line, then each later line that reads as prose, up to the first that does not or that opens
 * a list of attachments or notes.
 */
function lastMeasureEnd(text: string, lines: LineIndex, marker: Marker): number {
  const first = lines.lineOf(marker.start);
  let end = lines.endOf(first);
  for (let line = first + 1; line < lines.count; line++) {
    const content = text.slice(lines.startOf(line), lines.endOf(line));
    if (content.trim() === "") continue;
    // "附件：" ends like prose, but the list it opens is the document's, not the measure's.
    if (!endsLikeProse(content) || opensAnnexList(text, lines.startOf(line))) break;
    end = lines.endOf(line);
  }
  return end;
}

function numberingWarnings(structural: readonly Marker[], sectionStyle: MarkerStyle | null): DraftWarning[] {
  const warnings: DraftWarning[] = [];
  const check = (
    marker: Marker,
    state: { previous: number; seen: Set<number> },
    ids: { section: number | null; measure: number | null },
  ): void => {
    const label = `${ids.measure !== null ? "measure" : "section"} "${marker.label}"`;
    const span = { start: marker.start, end: marker.end };
    const expected = state.previous + 1;
    if (state.seen.has(marker.value)) {
      warnings.push({ kind: "number_repeated", message: `The number of ${label} is used twice.`, span, ...ids });
    } else if (marker.value > expected) {
      const missing =
        marker.value - expected === 1 ? `Number ${expected} is` : `Numbers ${expected}–${marker.value - 1} are`;
      warnings.push({ kind: "number_skipped", message: `${missing} missing before ${label}.`, span, ...ids });
    } else if (marker.value < expected) {
      warnings.push({
        kind: "number_out_of_order",
        message: `The number of ${label} is lower than the number ${state.previous} before it.`,
        span,
        ...ids,
      });
    }
    state.seen.add(marker.value);
    state.previous = Math.max(state.previous, marker.value);
  };

  const sectionState = { previous: 0, seen: new Set<number>() };
  const measureState = { previous: 0, seen: new Set<number>() };
  let sections = 0;
  let measures = 0;
  let newSection = false;
  for (const marker of structural) {
    if (marker.style === sectionStyle) {
      check(marker, sectionState, { section: ++sections, measure: null });
      newSection = true;
    } else {
      // Measures either run on across sections ((5) then (6)) or start again at 1 in each.
      if (newSection && marker.value === 1) {
        measureState.previous = 0;
        measureState.seen.clear();
      }
      newSection = false;
      check(marker, measureState, { section: null, measure: ++measures });
    }
  }
  return warnings;
}

const titleKeywords =
  /opinions?|notice|circular|plan|measures|guidelines?|guiding|decision|regulations?|provisions|programme|program|scheme|polic(?:y|ies)|意见|通知|方案|办法|决定|规定|规划|措施|纲要|条例|指导|计划|细则/i;
const monthNames = /\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s*\d{1,2}\b/i;
const documentNumberPattern = /[\u4e00-\u9fff]{1,16}[〔［[（(]\s*(?:19|20)\d{2}\s*[〕］\]）)]\s*\d{1,4}\s*号/;
const cjk = /[\u3400-\u9fff\uf900-\ufaff]/;

/** Lines before the first section that are not the title: breadcrumbs, dates, sources, numbers, addressees. */
function isMetadataLine(line: string): boolean {
  return (
    /\S\s[/>»›|]\s\S/.test(line) ||
    /^\s*(?:source|from|author|editor|date|published|release|time|来源|作者|编辑|责任编辑|发布|时间|日期|索引号|发文机关|发文字号|成文日期|发布日期|主题分类)\s*[:：]/i.test(
      line,
    ) ||
    (/(?:19|20)\d{2}/.test(line) && (monthNames.test(line) || /\d{1,2}:\d{2}/.test(line) || /\d{4}[-/.年]\s*\d{1,2}/.test(line))) ||
    documentNumberPattern.test(line) ||
    /[:：]\s*$/.test(line)
  );
}

/**
 * The title: among the lines before the first section or measure, the first run of adjacent short lines (at most
 * three, as a Chinese title wraps) that are neither metadata nor prose, preferring one that names a kind of document
 * ("Opinions", "意见"...). A web page's breadcrumb, the date, "Source:" and the addressee are not titles.
 */
function chooseTitle(text: string, lines: LineIndex, frontEnd: number): { title: string; span: Span } | null {
  const blocks: Span[][] = [];
  let current: Span[] = [];
  let previousLine = -2;
  const lastLine = lines.lineOf(Math.max(0, frontEnd - 1));
  for (let line = 0; line <= lastLine && lines.startOf(line) < frontEnd; line++) {
    const span = trimSpan(text, lines.startOf(line), Math.min(lines.endOf(line), frontEnd));
    if (span.start === span.end) continue;
    const content = text.slice(span.start, span.end);
    const limit = cjk.test(content) ? 60 : 200;
    const candidate = !isMetadataLine(content) && !endsLikeProse(content) && content.length <= limit;
    if (candidate && line === previousLine + 1 && current.length > 0 && current.length < 3) {
      current.push(span);
    } else {
      if (current.length > 0) blocks.push(current);
      current = candidate ? [span] : [];
    }
    previousLine = line;
  }
  if (current.length > 0) blocks.push(current);
  const chosen = blocks.find((b) => b.some((s) => titleKeywords.test(text.slice(s.start, s.end)))) ?? blocks[0];
  const first = chosen?.[0];
  const last = chosen?.[chosen.length - 1];
  if (!chosen || !first || !last) return null;
  let title = "";
  for (const s of chosen) {
    const part = unwrapped(text.slice(s.start, s.end));
    const joinWithoutSpace = title === "" || (cjk.test(title.charAt(title.length - 1)) && cjk.test(part.charAt(0)));
    title += (joinWithoutSpace ? "" : " ") + part;
  }
  return { title, span: { start: first.start, end: last.end } };
}

export function excerpt(text: string, span: Span, max = 60): string {
  const piece = text.slice(span.start, span.end).replace(/\s+/g, " ").trim();
  return piece.length <= max ? piece : `${piece.slice(0, max - 1)}…`;
}

/** Every stretch of text that no title, heading or measure owns becomes a warning that owns it. */
export function unassignedTextWarnings(
  text: string,
  titleSpan: Span | null,
  sections: readonly DraftSection[],
  measures: readonly DraftMeasure[],
): DraftWarning[] {
  const structure = [...sections.map((s) => s.span), ...measures.map((m) => m.span)].sort((a, b) => a.start - b.start);
  const owned = [...(titleSpan ? [titleSpan] : []), ...structure].sort((a, b) => a.start - b.start);
  const firstStructure = structure[0]?.start ?? text.length;
  const lastStructure = structure[structure.length - 1]?.end ?? 0;
  const warnings: DraftWarning[] = [];
  let cursor = 0;
  const gap = (end: number): void => {
    const span = trimSpan(text, cursor, end);
    if (span.start === span.end) return;
    const where =
      span.end <= firstStructure
        ? "before the first section or measure"
        : span.start >= lastStructure
          ? "after the last measure"
          : "between sections and measures";
    warnings.push({
      kind: "unassigned_text",
      message: `Text ${where} belongs to no measure: "${excerpt(text, span)}".`,
      span,
      section: null,
      measure: null,
    });
  };
  for (const span of owned) {
    gap(span.start);
    cursor = Math.max(cursor, span.end);
  }
  gap(text.length);
  return warnings;
}
