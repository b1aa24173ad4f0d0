/**
 * The measures' search on PostgreSQL (issue 17, point 3): the twin of @countersign/db's search.ts, the same
 * signatures and the same results. The text is looked for in `countersign_search_text(title)` and `…(text)` (the
 * domain's `searchableText` form, migration 0015), which pg_trgm GIN indexes cover.
 */
import { sql } from "drizzle-orm";
import type { SQL, SQLWrapper } from "drizzle-orm";
import { searchTextLength } from "@countersign/domain";

/** The fewest characters a trigram index can serve a substring search with (pg_trgm extracts no trigram from fewer). */
export const minIndexedSearchLength = 3;

/** How a query's text is looked for: through the trigram indexes, or by a scan of the rows already in scope. */
export type MeasureSearchMode = "index" | "scan";

/** The mode for a query's text (already in `searchableText` form). */
export function measureSearchModeOf(needle: string): MeasureSearchMode {
  return searchTextLength(needle) >= minIndexedSearchLength ? "index" : "scan";
}

/** `%needle%` with LIKE's own characters (`\`, `%`, `_`) escaped, built in SQL so a placeholder can be the needle. */
function likePattern(needle: SQLWrapper | string): SQL {
  return sql`'%' || replace(replace(replace(${needle}, '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%'`;
}

/**
 * A condition true when the measure whose id is `measureId` has `needle` (bound, in `searchableText` form) in its
 * title or text, as a substring.
 *
 * - `index` (3 or more characters): the measure ids the GIN trigram indexes find (a bitmap OR of the two), then
 *   rechecked by LIKE, so the answer is exact.
 * - `scan` (1 or 2 characters, from which pg_trgm extracts no trigram): the measure of each row the rest of the
 *   query already selects, folded and searched; the caller's other conditions (a department's inbox, a plan) bound
 *   the rows read.
 */
export function measureTextSearch(measureId: SQLWrapper, needle: SQLWrapper | string, mode: MeasureSearchMode): SQL {
  const pattern = likePattern(needle);
  if (mode === "index") {
    return sql`${measureId} in (select "id" from "measures" where countersign_search_text("title") like ${pattern} or countersign_search_text("text") like ${pattern})`;
  }
  return sql`exists (select 1 from "measures" "searched" where "searched"."id" = ${measureId} and (strpos(countersign_search_text("searched"."title"), ${needle}) > 0 or strpos(countersign_search_text("searched"."text"), ${needle}) > 0))`;
}

/** A condition true when `column` contains `needle` (ASCII case folded on the column's side, as the needle is). */
export function containsText(column: SQLWrapper, needle: SQLWrapper | string): SQL {
  return sql`strpos(translate(${column}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'), ${needle}) > 0`;
}

/**
 * The twin of @countersign/db's `searchKeyCondition` (issue 17, migration 0018): true when the searched rows'
 * `search_key` names a text with `needle` in its title or text, or, when `measureNumber` is given, the measure of
 * that number. `index` (3 or more characters) reads the distinct texts through their pg_trgm GIN indexes (LIKE,
 * exact after the recheck); `scan` (1 or 2 characters) reads the distinct texts with strpos(): their number follows
 * how many different measure texts the database holds, not the department's history.
 */
export function searchKeyCondition(searchKey: SQLWrapper, needle: SQLWrapper | string, measureNumber: SQLWrapper | number | null, mode: MeasureSearchMode): SQL {
  const pattern = likePattern(needle);
  const texts =
    mode === "index"
      ? sql`select "id" from "search_texts" where "title" like ${pattern} or "text" like ${pattern}`
      : sql`select "id" from "search_texts" where strpos("title", ${needle}) > 0 or strpos("text", ${needle}) > 0`;
  const keys = sql`select "id" from "search_keys" where "text_id" in (${texts})`;
  // `= any(array(…))`: the keys are found once, before the assignments are read (an InitPlan), and each assignment's
  // key is then compared with that list; an `in (subquery)` made a join of the three tables for the planner to order
  // and, in the counts, one nested loop over the keys' index ranges with a hash of the keys (issue 17: search p95).
  if (measureNumber === null) return sql`${searchKey} = any(array(${keys}))`;
  return sql`${searchKey} = any(array(${keys} union all select "id" from "search_keys" where "number" = ${measureNumber}))`;
}
