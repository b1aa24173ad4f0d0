/**
 * The measures' search index (issue 17, point 3) and the SQL that reads it: SQLite-only, so kept here behind
 * functions the services call (its PostgreSQL twin is `measureTextSearch` in @countersign/db-postgres).
 *
 * `measure_search` (migration 0014) is an FTS5 table with the `trigram` tokenizer, one row per measure (rowid = the
 * measure's id), holding the measure's title and text in the domain's `searchableText` form (width folded, white
 * space runs made one space, ASCII lower case); triggers on `measures` keep it current in the writing transaction,
 * calling the SQL function `countersign_search_text`, which every connection opened through `openDatabase` (or
 * migrated through `migrateDatabase`) has. A connection without it cannot write measures ("no such function"): a
 * loud failure rather than an index gone stale.
 */
import { sql } from "drizzle-orm";
import type { SQL, SQLWrapper } from "drizzle-orm";
import { createHash } from "node:crypto";
import type { Database as SqliteDatabase } from "better-sqlite3";
import { searchableText, searchTextLength } from "@countersign/domain";

/** The SQL function the index's triggers and backfill call: the domain's `searchableText`. */
export const searchTextFunction = "countersign_search_text";

/** The SQL function that names a distinct searchable text (`search_texts.digest`, migration 0017). */
export const searchDigestFunction = "countersign_search_digest";

/**
 * The dedupe key of a measure's searchable text: sha256 (lower-case hex) of its title and text in `searchableText`
 * form, joined by U+001F (PostgreSQL's text cannot hold NUL). PostgreSQL computes the same (migration 0018); a
 * difference would only add a second row for the same text, never change what a search finds.
 */
export function searchDigest(title: string, text: string): string {
  return createHash("sha256").update(`${searchableText(title)}\u001f${searchableText(text)}`, "utf8").digest("hex");
}

/**
 * Registers `countersign_search_text(text)` and `countersign_search_digest(number, title, text)` on a connection
 * (idempotent; deterministic, so usable in triggers).
 */
export function registerSearchFunctions(sqlite: SqliteDatabase): void {
  sqlite.function(searchTextFunction, { deterministic: true }, (value: unknown) =>
    typeof value === "string" ? searchableText(value) : value,
  );
  sqlite.function(searchDigestFunction, { deterministic: true }, (title: unknown, text: unknown) =>
    typeof title === "string" && typeof text === "string" ? searchDigest(title, text) : null,
  );
}

/**
 * The fewest characters the trigram index can match: SQLite's trigram tokenizer finds nothing for a query of 1 or 2
 * characters (https://sqlite.org/fts5.html#the_trigram_tokenizer), so those are found by a scan (see below).
 */
export const minIndexedSearchLength = 3;

/** How a query's text is looked for: through the trigram index, or by a scan of the rows already in scope. */
export type MeasureSearchMode = "index" | "scan";

/** The mode for a query's text (already in `searchableText` form, as `parseSearchQuery` gives it). */
export function measureSearchModeOf(needle: string): MeasureSearchMode {
  return searchTextLength(needle) >= minIndexedSearchLength ? "index" : "scan";
}

/**
 * A condition true when the measure whose id is `measureId` has `needle` (a bound value or placeholder, already in
 * `searchableText` form) in its title or text, as a substring.
 *
 * - `index` (3 or more characters): the measure ids the trigram index matches. The needle is bound as one FTS5
 *   string (`"…"`, its quotes doubled), so quotes, `*`, `NEAR`, `-`, `:` and parentheses are text, never syntax.
 * - `scan` (1 or 2 characters): the indexed text of each measure the rest of the query already selects (one rowid
 *   probe each), searched with instr(): the caller's other conditions (a department's inbox, a plan) bound the
 *   rows read. Chinese users type two-character words (融资, 税费), so this path is a real one, not an edge case.
 */
export function measureTextSearch(measureId: SQLWrapper, needle: SQLWrapper | string, mode: MeasureSearchMode): SQL {
  if (mode === "index") {
    return sql`${measureId} in (select rowid from measure_search where measure_search match '"' || replace(${needle}, '"', '""') || '"')`;
  }
  return sql`exists (select 1 from measure_search where measure_search.rowid = ${measureId} and (instr(measure_search.title, ${needle}) > 0 or instr(measure_search.text, ${needle}) > 0))`;
}

/**
 * A condition true when `column` contains `needle` (ASCII case folded on the column's side, as `parseSearchQuery`
 * folds the needle): for small tables searched without an index (the plan catalogue's titles).
 */
export function containsText(column: SQLWrapper, needle: SQLWrapper | string): SQL {
  return sql`instr(lower(${column}), ${needle}) > 0`;
}

/**
 * A condition true when the searched rows' `search_key` (an assignment's or a measure's column) names a text with
 * `needle` in its title or text, as a substring, or, when `measureNumber` is given, the measure of that number
 * (issue 17: the inbox's search over distinct texts, migration 0017).
 *
 * - `index` (3 or more characters): the texts the trigram index `search_text_index` matches (the needle bound as one
 *   FTS5 string, quotes doubled: never syntax).
 * - `scan` (1 or 2 characters, which no trigram index matches): the distinct texts (`search_texts`) read with
 *   instr(). Their number follows how many different measure texts the database holds (forwarded plans share them),
 *   not the department's history nor the number of plans.
 *
 * The keys are a subquery SQLite runs once and probes `assignments_search_idx` with, per key.
 */
export function searchKeyCondition(searchKey: SQLWrapper, needle: SQLWrapper | string, measureNumber: SQLWrapper | number | null, mode: MeasureSearchMode): SQL {
  const texts =
    mode === "index"
      ? sql`select rowid from search_text_index where search_text_index match '"' || replace(${needle}, '"', '""') || '"'`
      : sql`select id from search_texts where instr(title, ${needle}) > 0 or instr(text, ${needle}) > 0`;
  const keys = sql`select id from search_keys where text_id in (${texts})`;
  if (measureNumber === null) return sql`${searchKey} in (${keys})`;
  return sql`${searchKey} in (${keys} union all select id from search_keys where number = ${measureNumber})`;
}
