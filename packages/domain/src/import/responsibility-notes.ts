import type { Role } from "../types.js";
import { closestEntries, matchNameAt, type NameIndex } from "../register/name-index.js";
import { type DraftDeadline, deadlineAt } from "./deadline.js";

/*
 * The division of work as a Chinese policy document states it, after a measure or a sub-item:
 *   （工业和信息化部牵头，财政部、人民银行参与）      lead, then supporting
 *   （财政部、税务总局按职责分工负责）               the first listed leads, the others support
 *   由财政部会同人民银行负责落实。                   the unit before 会同 leads
 *   由人民银行会同银保监会负责落实普惠小微贷款支持工具，…   the same as a clause opening a sentence (or following a
 *                                                    comma): the note runs to 负责(落实…), the rest is the measure's text
 *   （国家金融监督管理总局负责）                     one unit
 *   （各地区按职责分工负责）                         local governments, kept as a unit of their own
 * Convention (国务院办公厅 task-division notes): where no 牵头 is said, the first listed unit leads.
 *
 * A note is accepted only when every part of it is a unit name, a separator, a role word or a deadline, so a bracket
 * of ordinary prose ("（含小微企业）") is never read as a division. A name that looks like a unit (ends in 部, 委,
 * 局 …) but is not in the register is kept as unresolved, with the closest register entries, never dropped.
 * Cost: one pass over the text, each position trying names no longer than the register's longest: linear.
 */

/** A unit a note names. `code` is null for a name the register does not know (then `closest` offers entries). */
export interface NotedUnit {
  code: string | null;
  /** As printed. */
  name: string;
  role: Role;
  /** UTF-16 offsets into the measure text. */
  start: number;
  end: number;
  /** Why the printed name maps to `code` (an earlier name; a unit replaced by a reform), or null. */
  mappingNote: string | null;
  /** For an unresolved name: the most similar register entries, best first. */
  closest: string[];
}

export interface ResponsibilityNote {
  /** The note as printed, brackets included: the evidence quoted to the coordinator. */
  text: string;
  /** Offsets into the measure text. */
  start: number;
  end: number;
  /**
   * `bracket`: a bracketed note; `sentence`: a whole sentence of units and role words; `clause`: 由…(会同…)负责 opening
   * a sentence or clause whose own words go on (the note is evidence inside the text, never the end of it); `table`:
   * a task-division table's cells.
   */
  form: "bracket" | "sentence" | "clause" | "table";
  units: NotedUnit[];
  deadline: DraftDeadline | null;
}

type Token =
  | { kind: "unit"; code: string | null; name: string; start: number; end: number; note: string | null }
  | { kind: "role"; word: RoleWord }
  | { kind: "deadline"; deadline: DraftDeadline };

type RoleWord = "by" | "lead" | "with" | "support" | "responsible";

/** Role words, longest first at a position. */
const roleWords: ReadonlyArray<readonly [string, RoleWord | null]> = [
  ["按照职责分工负责", "responsible"],
  ["按职责分工负责", "responsible"],
  ["根据职责分工负责", "responsible"],
  ["按职责分工落实", "responsible"],
  ["按职责分别负责", "responsible"],
  ["分工负责", "responsible"],
  ["分别负责", "responsible"],
  ["共同负责", "responsible"],
  ["负责落实", "responsible"],
  ["负责实施", "responsible"],
  ["负责推进", "responsible"],
  ["牵头负责", "lead"],
  ["牵头落实", "lead"],
  ["牵头", "lead"],
  ["会同", "with"],
  ["参与", "support"],
  ["参加", "support"],
  ["配合", "support"],
  ["协助", "support"],
  ["协同", "support"],
  ["负责", "responsible"],
  ["由", "by"],
  // Fillers: words that may stand in a note and carry no role.
  ["等有关部门", null],
  ["等相关部门", null],
  ["各有关部门", null],
  ["有关部门", null],
  ["相关部门", null],
  ["等部门", null],
  ["等单位", null],
  ["按职责", null],
  ["完成", null],
  ["落实", null],
  ["实施", null],
  ["推进", null],
  ["等", null],
];
const separators = "、，,；;和及与 \t\u3000\u00a0\n\r：:";
/** Separators that may also stand inside a unit's name (工业和信息化部). */
const conjunctions = "和及与";
/** What a name the register lacks ends with, to be taken for a unit rather than prose. */
// 海关: customs districts (南宁海关, 南宁海关隶属凭祥海关) end in neither; without it a note naming one was read as prose
// and dropped whole, the other units with it.
const unitSuffix = /(?:部|委|局|署|院|行|会|办|厅|室|中心|政府|公司|总台|联|协会|中央|海关)$/;
const maxUnknownName = 30;
/** Notes are short; a longer bracket is prose (and this bounds the work per bracket). */
export const maxNoteLength = 300;
/** At most this many unresolved names per document get the (costlier) closest-entry search. */
const maxSuggestedNames = 200;

export interface NoteContext {
  index: NameIndex;
  /** The document's date (YYYY-MM-DD), for successions; null when unknown. */
  asOf: string | null;
  /** Shared across a document: how many unresolved names got suggestions so far. */
  suggested: { count: number };
}

/**
 * Words that begin with a role word's characters but are prose: 由于 (because), 由此 (hence) … A text holding one of them
 * where a note would stand is not a note.
 */
const proseWords = ["由于", "由此", "由来", "由衷", "负责人"];

function roleWordAt(text: string, pos: number): readonly [string, RoleWord | null] | null {
  for (const entry of roleWords) if (text.startsWith(entry[0], pos)) return entry;
  return null;
}

/**
 * Tokens of `text` in [start, end), or null when something in it is neither a unit, a role word, a separator nor a
 * deadline. `match` is the text to match names in (simplified script, same length as `text`).
 */
function tokenize(text: string, match: string, start: number, end: number, ctx: NoteContext): Token[] | null {
  const tokens: Token[] = [];
  let unknownStart = -1;
  const closeUnknown = (at: number): boolean => {
    if (unknownStart < 0) return true;
    const name = text.slice(unknownStart, at);
    const probe = match.slice(unknownStart, at);
    unknownStart = -1;
    if (name.length > maxUnknownName || !unitSuffix.test(probe)) return false;
    tokens.push({ kind: "unit", code: null, name, start: at - name.length, end: at, note: null });
    return true;
  };
  let i = start;
  while (i < end) {
    const ch = match.charAt(i);
    if (separators.includes(ch)) {
      // 和/与/及 inside a name the register lacks (自治区工业和信息化厅, 省科学技术与…厅): what precedes is no unit name
      // yet, so the conjunction belongs to the name; closing there would refuse the whole note as prose.
      if (conjunctions.includes(ch) && unknownStart >= 0 && !unitSuffix.test(match.slice(unknownStart, i))) {
        i++;
        continue;
      }
      if (!closeUnknown(i)) return null;
      i++;
      continue;
    }
    const unit = matchNameAt(ctx.index, match, i, ctx.asOf);
    if (unit && unit.end <= end && unknownStart < 0) {
      tokens.push({ kind: "unit", code: unit.code, name: text.slice(unit.start, unit.end), start: unit.start, end: unit.end, note: unit.note });
      i = unit.end;
      continue;
    }
    const deadline = unknownStart < 0 ? deadlineAt(match, i) : null;
    if (deadline && deadline.end <= end) {
      tokens.push({ kind: "deadline", deadline: { ...deadline.deadline, stated: text.slice(i, deadline.end) } });
      i = deadline.end;
      continue;
    }
    if (proseWords.some((w) => match.startsWith(w, i))) return null;
    const word = roleWordAt(match, i);
    if (word && i + word[0].length <= end) {
      if (!closeUnknown(i)) return null;
      if (word[1] !== null) tokens.push({ kind: "role", word: word[1] });
      i += word[0].length;
      continue;
    }
    if (unknownStart < 0) unknownStart = i;
    if (i - unknownStart >= maxUnknownName) return null;
    i++;
  }
  if (!closeUnknown(end)) return null;
  return tokens;
}

/**
 * Reads the roles from a note's tokens. Returns null when the tokens name no unit, or (with `needRoleWord`) say no
 * role: a bracket listing names alone is a note only right after a full stop.
 */
function readRoles(tokens: readonly Token[], needRoleWord: boolean, ctx: NoteContext): { units: NotedUnit[]; deadline: DraftDeadline | null } | null {
  const units: NotedUnit[] = [];
  let pending: Array<Extract<Token, { kind: "unit" }>> = [];
  let withGroup = false;
  let hasLead = false;
  let sawRole = false;
  let deadline: DraftDeadline | null = null;
  const assign = (group: typeof pending, role: "lead" | "support" | "responsible"): void => {
    group.forEach((t, i) => {
      const leads = role === "lead" ? i === 0 && !hasLead : role === "responsible" ? i === 0 && !hasLead : false;
      if (leads) hasLead = true;
      let closest: string[] = [];
      if (t.code === null && ctx.suggested.count < maxSuggestedNames) {
        ctx.suggested.count++;
        closest = closestEntries(ctx.index, t.name);
      }
      units.push({
        code: t.code,
        name: t.name,
        role: leads ? "lead" : "supporting",
        start: t.start,
        end: t.end,
        mappingNote: t.note,
        closest,
      });
    });
  };
  for (const token of tokens) {
    if (token.kind === "unit") pending.push(token);
    else if (token.kind === "deadline") deadline = token.deadline;
    else if (token.word === "by") continue;
    else {
      sawRole = true;
      if (token.word === "with") {
        assign(pending, "lead");
        withGroup = true;
      } else if (token.word === "lead") assign(pending, "lead");
      else if (token.word === "support") assign(pending, "support");
      else assign(pending, withGroup ? "support" : "responsible");
      if (token.word !== "with") withGroup = false;
      pending = [];
    }
  }
  if (pending.length > 0) {
    if (sawRole && !withGroup) return null; // names left over after the roles: not a note's grammar
    assign(pending, withGroup ? "support" : "responsible");
  }
  if (units.length === 0 || (needRoleWord && !sawRole)) return null;
  // One unit, one entry: a unit named twice keeps its first (strongest) role.
  const seen = new Set<string>();
  const unique = units.filter((u) => {
    const key = u.code ?? `?${u.name}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { units: unique, deadline };
}

const opening = "（(【[";
const closing: Readonly<Record<string, string>> = { "（": "）", "(": ")", "【": "】", "[": "]" };
const sentenceEnders = "。；;！？.";

/** Where a clause may open: after these (or at the start of the text). */
const clauseOpeners = "。；;！？!?\n，,：:";
/** Where a clause note's search stops: the clause's end, or a bracket (bracketed notes are read on their own). */
const clauseStops = "。；;！？!?\n，,：:（(【[";
/** A clause note (由A会同B、C负责) is short: its 负责 is sought within this many characters of the opener. */
const maxClauseNote = 60;

/** A sentence or clause note opens at `pos` with 由 or a unit of the register (由于, 由此 … are refused by `tokenize`). */
function opensNote(match: string, pos: number, ctx: NoteContext): boolean {
  return match.charAt(pos) === "由" || matchNameAt(ctx.index, match, pos, ctx.asOf) !== null;
}

function precededBySentenceEnd(text: string, pos: number): boolean {
  let i = pos - 1;
  while (i >= 0 && /\s/.test(text.charAt(i))) i--;
  return i < 0 || sentenceEnders.includes(text.charAt(i));
}

/**
 * Every responsibility note in a measure's text, in order. `match` is the same text in simplified script (same
 * length); `text` is kept for quoting. Linear in the text's length.
 */
export function findResponsibilityNotes(text: string, match: string, ctx: NoteContext): ResponsibilityNote[] {
  const notes: ResponsibilityNote[] = [];
  // Bracketed notes: top-level bracket pairs, found with a stack (nested brackets, as in 各省（自治区、直辖市）人民政府).
  const stack: Array<{ ch: string; pos: number }> = [];
  const bracketed: Array<{ start: number; end: number }> = [];
  for (let i = 0; i < match.length; i++) {
    const ch = match.charAt(i);
    if (opening.includes(ch)) {
      // Deep nesting is not a note: stop tracking rather than grow without bound.
      if (stack.length < 16) stack.push({ ch, pos: i });
      continue;
    }
    const top = stack[stack.length - 1];
    if (top && (closing[top.ch] === ch || (ch === "）" && top.ch === "(") || (ch === ")" && top.ch === "（"))) {
      stack.pop();
      if (stack.length === 0 && i - top.pos - 1 <= maxNoteLength) bracketed.push({ start: top.pos, end: i + 1 });
    } else if (ch === "\n") stack.length = 0; // a note does not span paragraphs
  }
  for (const b of bracketed) {
    const tokens = tokenize(text, match, b.start + 1, b.end - 1, ctx);
    if (!tokens) continue;
    const read = readRoles(tokens, !precededBySentenceEnd(match, b.start), ctx);
    if (!read) continue;
    notes.push({ text: text.slice(b.start, b.end), start: b.start, end: b.end, form: "bracket", ...read });
  }
  // Sentence notes: a short sentence made of units and role words, e.g. 由财政部会同人民银行负责落实。
  let sentenceStart = 0;
  let nextBracket = 0;
  for (let i = 0; i <= match.length; i++) {
    const ch = i < match.length ? match.charAt(i) : "。";
    if (!"。；;\n".includes(ch)) continue;
    let s = sentenceStart;
    while (s < i && /\s/.test(match.charAt(s))) s++;
    sentenceStart = i + 1;
    if (i - s < 4 || i - s > 120) continue;
    if (!opensNote(match, s, ctx)) continue;
    // Brackets are in order of their end; skip those that end before this sentence, then test the next one only.
    while (nextBracket < bracketed.length && (bracketed[nextBracket]?.end ?? 0) <= s) nextBracket++;
    const b = bracketed[nextBracket];
    if (b && b.start < i) continue;
    const tokens = tokenize(text, match, s, i, ctx);
    if (!tokens) continue;
    const read = readRoles(tokens, true, ctx);
    if (!read) continue;
    const end = i < match.length ? i + 1 : i;
    notes.push({ text: text.slice(s, end), start: s, end, form: "sentence", ...read });
  }
  notes.sort((x, y) => x.start - y.start);
  // Clause notes: 由A会同B负责… opening the text, a sentence or a clause, with the measure's own words going on after
  // 负责(落实): the note runs from the opener to the end of the role word and stays part of the text. Each opener is
  // tried once, over at most maxClauseNote characters up to the clause's end: linear.
  const clauses: ResponsibilityNote[] = [];
  let covering = 0;
  for (let i = -1; i < match.length; i++) {
    if (i >= 0 && !clauseOpeners.includes(match.charAt(i))) continue;
    let s = i + 1;
    while (s < match.length && /\s/.test(match.charAt(s))) s++;
    if (s >= match.length || !opensNote(match, s, ctx)) continue;
    let responsible = -1;
    for (let k = s; k < match.length && k - s < maxClauseNote && !clauseStops.includes(match.charAt(k)); k++) {
      if (match.startsWith("负责", k)) {
        responsible = k;
        break;
      }
    }
    if (responsible < 0) continue;
    const end = responsible + (roleWordAt(match, responsible)?.[0].length ?? 2);
    // A note already read here (the whole sentence, a bracket) is not read twice.
    while (covering < notes.length && (notes[covering]?.end ?? 0) <= s) covering++;
    const other = notes[covering];
    if (other && other.start < end) continue;
    const tokens = tokenize(text, match, s, end, ctx);
    if (!tokens) continue;
    const read = readRoles(tokens, true, ctx);
    // Inside running prose, a clause naming no unit of the register (由行业协会负责) is not taken for a division.
    if (!read?.units.some((u) => u.code !== null)) continue;
    clauses.push({ text: text.slice(s, end), start: s, end, form: "clause", ...read });
  }
  if (clauses.length === 0) return notes;
  return [...notes, ...clauses].sort((x, y) => x.start - y.start);
}

/**
 * Where the measure's own words end, for the cut-text check: before a note that closes the measure (a measure
 * ending "。（…负责）" is complete). Returns `text.length` when no note stands at the end.
 */
export function textEndBeforeTrailingNote(text: string, notes: readonly ResponsibilityNote[]): number {
  const last = notes[notes.length - 1];
  // A clause note is part of its sentence: the sentence's own end decides whether the text is complete.
  if (!last || last.form === "clause") return text.length;
  let end = text.length;
  while (end > 0 && /[\s。；;.]/.test(text.charAt(end - 1))) end--;
  if (last.end < end) return text.length;
  let start = last.start;
  while (start > 0 && /\s/.test(text.charAt(start - 1))) start--;
  // The note is the measure's whole text (（三）由工业和信息化部负责。): a complete sentence, nothing cut before it.
  return start === 0 ? text.length : start;
}

const cellSeparators = /[、，,；;／/\n]+/;

/**
 * The units named in one cell of a task-division table (牵头单位 or 参与单位 column), in order: in the lead column
 * the first leads and the others support (the convention of such tables), in the other column all support. A
 * cell that is not a plain list (extra words) is split at its separators and each piece looked up whole; a piece the
 * register does not know is kept as an unresolved unit with the closest entries. Linear in the cell's length.
 */
export function unitsInCell(text: string, match: string, ctx: NoteContext, column: "lead" | "supporting"): NotedUnit[] {
  type Found = { code: string | null; name: string; start: number; end: number; note: string | null };
  let found: Found[] = [];
  const tokens = tokenize(text, match, 0, text.length, ctx);
  if (tokens) {
    for (const t of tokens) if (t.kind === "unit") found.push(t);
  } else {
    let at = 0;
    for (const piece of match.split(cellSeparators)) {
      const start = match.indexOf(piece, at);
      at = start + piece.length;
      let s = start;
      let e = start + piece.length;
      while (s < e && /\s/.test(match.charAt(s))) s++;
      while (e > s && /\s/.test(match.charAt(e - 1))) e--;
      if (s === e) continue;
      const whole = matchNameAt(ctx.index, match, s, ctx.asOf);
      if (whole && whole.end === e) found.push({ code: whole.code, name: text.slice(s, e), start: s, end: e, note: whole.note });
      else if (e - s <= 60) found.push({ code: null, name: text.slice(s, e), start: s, end: e, note: null });
    }
  }
  const seen = new Set<string>();
  found = found.filter((f) => {
    const key = f.code ?? `?${f.name}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return found.map((f, i) => {
    let closest: string[] = [];
    if (f.code === null && ctx.suggested.count < maxSuggestedNames) {
      ctx.suggested.count++;
      closest = closestEntries(ctx.index, f.name);
    }
    return {
      code: f.code,
      name: f.name,
      role: column === "lead" && i === 0 ? "lead" : "supporting",
      start: f.start,
      end: f.end,
      mappingNote: f.note,
      closest,
    };
  });
}
