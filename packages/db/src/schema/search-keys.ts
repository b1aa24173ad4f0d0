import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * Each distinct searchable text of a measure, once (issue 17, point 3): its title and text in the domain's
 * `searchableText` form. Plans forwarded down repeat their parent's measures word for word, so a million assignments
 * carry a few hundred distinct texts; the trigram index (`search_text_index`, FTS5, migration 0017) covers these rows
 * only, and a query of 1 or 2 characters scans these rows only. Rows are only ever added (by the triggers on
 * `measures`); a text no measure uses any more matches nothing in an inbox.
 */
export const searchTextsTable = sqliteTable(
  "search_texts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** sha256 (hex) of the folded title and text, U+001F between (`countersign_search_digest`): the dedupe key. */
    digest: text("digest").notNull(),
    title: text("title").notNull(),
    text: text("text").notNull(),
  },
  (t) => [uniqueIndex("search_texts_digest_uq").on(t.digest)],
);

/**
 * Each distinct (measure number, text) pair, once: what an inbox search matches (a query names a text, a measure
 * number, or both). Measures and assignments carry its id (`search_key`), so a search reads the department's
 * assignments of the matching keys only (assignments_search_idx).
 */
export const searchKeysTable = sqliteTable(
  "search_keys",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    number: integer("number").notNull(),
    textId: integer("text_id")
      .notNull()
      .references(() => searchTextsTable.id),
  },
  (t) => [uniqueIndex("search_keys_number_text_uq").on(t.number, t.textId), index("search_keys_text_idx").on(t.textId)],
);
