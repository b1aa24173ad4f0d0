/**
 * The search part of the inbox: what a query means (the domain's `parseSearchQuery`: width folded, measure numbers
 * in any writing), as the inbox repository takes it. The SQL that finds it is each engine's (@countersign/db's
 * sqlite/inbox.ts, @countersign/db-postgres's repos/inbox.ts, over each engine's index of the distinct measure texts).
 */
import { parseSearchQuery } from "@countersign/domain";
import { measureSearchModeOf } from "@countersign/db";
import type { InboxSearchTerms } from "@countersign/db";

/**
 * Which predicate a query needs: none, its text, or its text or a measure number; `short-` when the text has 1 or 2
 * characters, which the trigram index cannot match (those scan the distinct measure texts, `search_texts`, rather
 * than the index; either way the assignments are then read by their search key: migrations 0017 and 0018).
 */
export type InboxSearchShape = "none" | "text" | "number" | "short-text" | "short-number";

export interface InboxSearch {
  /** Which predicate the query needs (part of the prepared statement's shape). */
  shape: InboxSearchShape;
  /** The width-folded text to find in a measure's title or text ("" for none): the `needle` placeholder. */
  needle: string;
  /** The measure number the query names, or null: the `number` placeholder. */
  number: number | null;
}

/** Reads the inbox's search box: `７`, `（７）`, `(7)`, `（七）` and `第七` all name measure 7. */
export function inboxSearchOf(raw: string | undefined): InboxSearch {
  const query = parseSearchQuery(raw ?? "");
  if (query.text === "") return { shape: "none", needle: "", number: null };
  const kind = query.measureNumber === null ? "text" : "number";
  return {
    shape: measureSearchModeOf(query.text) === "index" ? kind : `short-${kind}`,
    needle: query.text,
    number: query.measureNumber,
  };
}

/** The search as the inbox repository takes it; null for no search. */
export function searchTermsOf(search: InboxSearch): InboxSearchTerms | null {
  if (search.shape === "none") return null;
  const short = search.shape === "short-text" || search.shape === "short-number";
  return { needle: search.needle, number: search.number, mode: short ? "scan" : "index" };
}
