/**
 * What a search box query means, the same for every place that searches measures: width and compatibility forms
 * folded (NFKC: `７` → `7`, `（` → `(`, the ideographic space → a space), invisible characters at the ends dropped,
 * and a query that names a measure by number (`7`, `(7)`, `（７）`, `（七）`, `第七`, `第7条`, `二十五`) read as that
 * number. Issue 12: full-width digits found nothing.
 */
import { chineseNumeralValue } from "./import/numerals.js";
import { normaliseText } from "./text.js";

export interface SearchQuery {
  /**
   * The text to look for, width-folded (NFKC), with runs of white space made one space and ASCII letters in lower
   * case (as SQLite's `lower()`, so offsets into the searched text stay those of the text); "" for no search.
   */
  text: string;
  /** The measure number the query names, or null when it names none. */
  measureNumber: number | null;
}

/** `7`, `(7)`, `第7`, `第（七）条`, `七`, `二十五项` … after width folding: an optional 第, brackets, an optional 条/项/款. */
const numberQuery = /^第?\s*\(?\s*([0-9]{1,4}|[〇零一二两三四五六七八九十百千]{1,12})\s*\)?\s*[条项款]?$/u;

/** The measure number a (width-folded) query names, or null. */
function measureNumberOf(folded: string): number | null {
  const match = numberQuery.exec(folded);
  const written = match?.[1];
  if (written === undefined) return null;
  const value = /^[0-9]+$/.test(written) ? Number(written) : chineseNumeralValue(written);
  return value !== null && value > 0 ? value : null;
}

/** ASCII letters only, as SQLite's `lower()`. */
const asciiLower = (text: string): string => text.replace(/[A-Z]/g, (c) => c.toLowerCase());

/**
 * The form in which searchable text is indexed (the measures' search index, migration 0014, and its PostgreSQL twin):
 * width and compatibility forms folded (NFKC), runs of white space made one space, ASCII letters in lower case. The
 * same folding `parseSearchQuery` gives a query, so a query found in this form is found whatever width either side
 * was written in (issue 17: full-width digits and letters in a measure's text). Offsets change (NFKC may lengthen
 * text), so excerpts are cut from the original text, not from this.
 */
export function searchableText(text: string): string {
  return asciiLower(text.normalize("NFKC").replace(/\s+/gu, " "));
}

/** Characters (code points, not UTF-16 units) of a query's text: the trigram index needs at least 3. */
export function searchTextLength(text: string): number {
  let n = 0;
  for (const _ of text) n += 1;
  return n;
}

/**
 * Reads a search box query: `{ text, measureNumber }` (see `SearchQuery`). A query that names a number keeps its
 * text too, so `七` also finds the word in a measure's text.
 */
export function parseSearchQuery(raw: string): SearchQuery {
  const folded = normaliseText(raw.normalize("NFKC")).replace(/\s+/gu, " ");
  return { text: asciiLower(folded), measureNumber: folded === "" ? null : measureNumberOf(folded) };
}
