/**
 * The search part of the inbox: what a query means (the domain's `parseSearchQuery`: width folded, measure numbers
 * in any writing) and the SQL predicate that finds it. Kept apart from list-inbox.ts so the query rules live in one
 * place.
 */
import { eq, or, sql } from "drizzle-orm";
import type { SQL } from "drizzle-orm";
import { parseSearchQuery } from "@countersign/domain";
import { assignmentsTable, measuresTable } from "@countersign/db/schema";

export type InboxSearchShape = "none" | "text" | "number";

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
  return { shape: query.measureNumber === null ? "text" : "number", needle: query.text, number: query.measureNumber };
}

/**
 * The predicate of a search shape over `assignments` joined with `measures`, with the placeholders `needle` and
 * `number`; null for no search. The text is looked for in the measure's title and text (ASCII case folded, as the
 * needle is); a number also matches the measure with that number.
 */
export function inboxSearchCondition(shape: InboxSearchShape): SQL | null {
  if (shape === "none") return null;
  const m = measuresTable;
  const needle = sql.placeholder("needle");
  const inText = sql`(instr(lower(${m.title}), ${needle}) > 0 or instr(lower(${m.text}), ${needle}) > 0)`;
  if (shape === "text") return inText;
  return or(inText, eq(assignmentsTable.measureNumber, sql.placeholder("number"))) ?? inText;
}
