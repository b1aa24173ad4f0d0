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
 * Reads a search box query: `{ text, measureNumber }` (see `SearchQuery`). A query that names a number keeps its
 * text too, so `七` also finds the word in a measure's text.
 */
export function parseSearchQuery(raw: string): SearchQuery {
  const folded = normaliseText(raw.normalize("NFKC")).replace(/\s+/gu, " ");
  return { text: asciiLower(folded), measureNumber: folded === "" ? null : measureNumberOf(folded) };
}
