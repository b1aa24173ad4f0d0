import { type RegisterEntry, departmentRegister, namesOf, registerEntry } from "./departments-register.js";

/*
 * Finding register units in Chinese text: a character trie of every name, matched longest first at a position, so
 * that a scan over a text costs at most (text length × longest name) steps whatever the text. Names are matched in
 * simplified script; callers convert traditional text first (same length, see `parsePolicyDocument`'s
 * `toSimplified`).
 */

/** A unit name found in a text, resolved to a register entry as of the document's date. */
export interface NameMatch {
  /** The entry the name denotes, after following successions in force on the document's date. */
  code: string;
  /** The entry the printed name belongs to (differs from `code` after a succession). */
  namedCode: string;
  /** The name as it stands in the matched text. */
  name: string;
  start: number;
  end: number;
  /** Why the name was mapped elsewhere (earlier name, a unit replaced by a reform), in English; null when direct. */
  note: string | null;
}

interface TrieNode {
  next: Map<string, TrieNode>;
  /** Set when a name ends here. */
  hit: { code: string; until: string | null } | null;
}

export interface NameIndex {
  readonly root: TrieNode;
  readonly entries: readonly RegisterEntry[];
  readonly longest: number;
}

function node(): TrieNode {
  return { next: new Map(), hit: null };
}

/**
 * Builds the index of a register (by default the built-in one). With `english`, the English names, abbreviations
 * and codes are indexed too (for task-division tables exported in English: "MOF", "Ministry of Finance"); running
 * text is matched in Chinese only, so that an English abbreviation in prose is never taken for a unit.
 */
export function buildNameIndex(entries: readonly RegisterEntry[] = departmentRegister, options: { english?: boolean } = {}): NameIndex {
  const root = node();
  let longest = 0;
  for (const e of entries) {
    const english = options.english ? [e.nameEn, e.shortEn, e.code].map((name) => ({ name, until: null })) : [];
    for (const { name, until } of [...namesOf(e), ...english]) {
      if (name === "") continue;
      let at = root;
      for (const ch of name) {
        let child = at.next.get(ch);
        if (!child) {
          child = node();
          at.next.set(ch, child);
        }
        at = child;
      }
      // A current name wins over an earlier name spelled the same way.
      if (at.hit === null || (at.hit.until !== null && until === null)) at.hit = { code: e.code, until };
      longest = Math.max(longest, name.length);
    }
  }
  return { root, entries, longest };
}

let defaultIndex: NameIndex | null = null;
let tableIndex: NameIndex | null = null;
/** The index of the built-in register with English names too, built once (for tables). */
export function tableNameIndex(): NameIndex {
  tableIndex ??= buildNameIndex(departmentRegister, { english: true });
  return tableIndex;
}
/** The index of the built-in register, built once. */
export function defaultNameIndex(): NameIndex {
  defaultIndex ??= buildNameIndex();
  return defaultIndex;
}

function entryIn(index: NameIndex, code: string): RegisterEntry | undefined {
  return index.entries.find((e) => e.code === code) ?? registerEntry(code);
}

/**
 * The longest register name starting at `pos` in `text`, or null. `asOf` (YYYY-MM-DD, the document's date) decides
 * successions: 银保监会 in a document of 2023-05-18 or later is the National Administration of Financial Regulation.
 * Without a date a replaced unit stays itself, with a note naming its successor.
 */
export function matchNameAt(index: NameIndex, text: string, pos: number, asOf: string | null): NameMatch | null {
  let at: TrieNode | undefined = index.root;
  let best: { end: number; hit: { code: string; until: string | null } } | null = null;
  for (let i = pos; i < text.length && i - pos < index.longest; i++) {
    at = at.next.get(text.charAt(i));
    if (!at) break;
    if (at.hit) best = { end: i + 1, hit: at.hit };
  }
  if (!best) return null;
  const name = text.slice(pos, best.end);
  return { ...resolve(index, best.hit.code, name, best.hit.until, asOf), name, start: pos, end: best.end };
}

function resolve(
  index: NameIndex,
  namedCode: string,
  name: string,
  until: string | null,
  asOf: string | null,
): { code: string; namedCode: string; note: string | null } {
  const notes: string[] = [];
  const named = entryIn(index, namedCode);
  if (until !== null && named) notes.push(`"${name}" is the name ${named.shortZh} (${named.shortEn}) had until ${until}`);
  let code = namedCode;
  // Follow successions in force on the document's date (CBRC → CBIRC → NAFR); bounded against a cyclic register.
  for (let hops = 0; hops < 8; hops++) {
    const e = entryIn(index, code);
    const successor = e?.successor;
    if (!e || !successor) break;
    if (asOf === null) {
      notes.push(`${e.shortZh} (${e.shortEn}) was ${successor.note}; the document's date is unknown, so it stays ${e.shortEn}`);
      break;
    }
    if (asOf < successor.since) break;
    notes.push(`${e.shortZh} (${e.shortEn}) named in a document of ${asOf}: it was ${successor.note}, so it maps to ${successor.code}`);
    code = successor.code;
  }
  return { code, namedCode, note: notes.length > 0 ? `${notes.join("; ")}.` : null };
}

function bigrams(s: string): Map<string, number> {
  const grams = new Map<string, number>();
  const chars = [...s];
  if (chars.length === 1) grams.set(s, 1);
  for (let i = 0; i + 1 < chars.length; i++) {
    const g = `${chars[i]}${chars[i + 1]}`;
    grams.set(g, (grams.get(g) ?? 0) + 1);
  }
  return grams;
}

/**
 * The register entries whose names look most like `name` (Dice coefficient over character pairs of any of its
 * names), best first, at most `limit`, for offering when a document names a unit the register does not have.
 * Cost: O(register names × name length); callers bound how many names they ask about.
 */
export function closestEntries(index: NameIndex, name: string, limit = 3): string[] {
  const target = bigrams(name.slice(0, 60));
  const size = (g: Map<string, number>): number => [...g.values()].reduce((a, b) => a + b, 0);
  const targetSize = size(target);
  const scored: Array<{ code: string; score: number }> = [];
  for (const e of index.entries) {
    let best = 0;
    for (const { name: candidate } of namesOf(e)) {
      const grams = bigrams(candidate);
      let common = 0;
      for (const [g, n] of grams) common += Math.min(n, target.get(g) ?? 0);
      const score = (2 * common) / (size(grams) + targetSize || 1);
      best = Math.max(best, score);
    }
    if (best > 0) scored.push({ code: e.code, score: best });
  }
  return scored
    .sort((x, y) => y.score - x.score || x.code.localeCompare(y.code))
    .slice(0, limit)
    .map((s) => s.code);
}
