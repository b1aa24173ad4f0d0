/**
 * The search part of the inbox: what a query means (the domain's `parseSearchQuery`: width folded, measure numbers
 * in any writing) and the SQL predicate that finds it. Kept apart from list-inbox.ts so the query rules live in one
 * place.
 */
import { eq, or, sql } from "drizzle-orm";
import type { SQL } from "drizzle-orm";
import { parseSearchQuery } from "@countersign/domain";
import { measureSearchModeOf, measureTextSearch } from "@countersign/db";
import { assignmentsTable } from "@countersign/db/schema";

/**
 * Which predicate a query needs: none, its text, or its text or a measure number; `short-` when the text has 1 or 2
 * characters, which the trigram index cannot match (those scan the indexed text of the rows already in scope: a
 * department's inbox, or one plan of it).
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

/**
 * The predicate of a search shape over `assignments` joined with `measures`, with the placeholders `needle` and
 * `number`; null for no search. The text is looked for in the measure's title and text as the search index holds
 * them (width and ASCII case folded, as the needle is: @countersign/db's `measureTextSearch`); a number also matches
 * the measure with that number.
 */
export function inboxSearchCondition(shape: InboxSearchShape): SQL | null {
  if (shape === "none") return null;
  const needle = sql.placeholder("needle");
  const short = shape === "short-text" || shape === "short-number";
  const inText = measureTextSearch(assignmentsTable.measureId, needle, short ? "scan" : "index");
  if (shape === "text" || shape === "short-text") return inText;
  return or(inText, eq(assignmentsTable.measureNumber, sql.placeholder("number"))) ?? inText;
}
