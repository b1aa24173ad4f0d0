import { boolean, integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { measuresTable } from "./measures.js";

/** Mirrors packages/db/src/schema/measure-translations.ts: a measure's text in the plan's other language. */
export const measureTranslationsTable = pgTable(
  "measure_translations",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    measureId: integer("measure_id")
      .notNull()
      .references(() => measuresTable.id),
    language: text("language", { enum: ["zh", "en"] }).notNull(),
    title: text("title").notNull(),
    text: text("text").notNull(),
    textCut: boolean("text_cut").notNull(),
    addedAt: text("added_at").notNull(),
    addedByUserId: integer("added_by_user_id").notNull(),
  },
  (t) => [uniqueIndex("measure_translations_measure_language_uq").on(t.measureId, t.language)],
);
