/**
 * What a search box query means, the same for every place that searches measures: width and compatibility forms
 * folded (NFKC: `７` → `7`, `（` → `(`, the ideographic space → a space), invisible characters at the ends dropped,
 * and a query that names a measure by number (`7`, `(7)`, `（７）`, `（七）`, `第七`, `第7条`, `二十五`) read as that
 * number. Issue 12: full-width digits found nothing.
 */
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

const chineseDigits: Readonly<Record<string, number>> = {
  〇: 0,
  零: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};
const chineseUnits: Readonly<Record<string, number>> = { 十: 10, 百: 100, 千: 1000 };

/**
 * The value of a Chinese numeral written with 一…九, 〇/零, 两 and the units 十, 百, 千 (`七` 7, `十一` 11,
 * `二十五` 25, `一百零三` 103), or null when `text` is not one such numeral below 10,000. Digits written without
 * units (`二五`) are not a numeral and give null.
 */
export function chineseNumeralValue(text: string): number | null {
  if (text === "" || text.length > 12) return null;
  let total = 0;
  let digit: number | null = null;
  let lastUnit = Number.POSITIVE_INFINITY;
  let previousWasDigit = false;
  for (const char of text) {
    const d = chineseDigits[char];
    if (d !== undefined) {
      if (previousWasDigit && !(d === 0 || digit === 0)) return null;
      digit = d;
      previousWasDigit = true;
      continue;
    }
    const unit = chineseUnits[char];
    if (unit === undefined || unit >= lastUnit) return null;
    // `十` alone, or at the start (`十一`), means one ten.
    total += (digit ?? 1) * unit;
    digit = null;
    lastUnit = unit;
    previousWasDigit = false;
  }
  total += digit ?? 0;
  return total > 0 ? total : null;
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
