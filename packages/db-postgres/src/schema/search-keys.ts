import { index, integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";

/**
 * Mirrors packages/db/src/schema/search-keys.ts: each distinct searchable text of a measure once (pg_trgm GIN
 * indexes on its title and text, migration 0018), and each distinct (measure number, text) once, whose id measures
 * and assignments carry as `search_key`.
 */
export const searchTextsTable = pgTable(
  "search_texts",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    digest: text("digest").notNull(),
    title: text("title").notNull(),
    text: text("text").notNull(),
  },
  (t) => [uniqueIndex("search_texts_digest_uq").on(t.digest)],
);

export const searchKeysTable = pgTable(
  "search_keys",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    number: integer("number").notNull(),
    textId: integer("text_id")
      .notNull()
      .references(() => searchTextsTable.id),
  },
  (t) => [uniqueIndex("search_keys_number_text_uq").on(t.number, t.textId), index("search_keys_text_idx").on(t.textId)],
);
