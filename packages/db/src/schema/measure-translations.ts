import { integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { measuresTable } from "./measures.js";

/**
 * A measure's text in the plan's other language, added by the coordinator after the plan was created
 * (`plan.addTranslation`): e.g. the Chinese original of a plan loaded from its English translation. One per
 * measure and language; a new one replaces the old (the audit trail keeps who added which).
 */
export const measureTranslationsTable = sqliteTable(
  "measure_translations",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    measureId: integer("measure_id")
      .notNull()
      .references(() => measuresTable.id),
    /** "zh" or "en": the language of this text (the measure's own text is in the other). */
    language: text("language", { enum: ["zh", "en"] }).notNull(),
    title: text("title").notNull(),
    text: text("text").notNull(),
    /** The text as published is cut short; kept as published, never completed. */
    textCut: integer("text_cut", { mode: "boolean" }).notNull(),
    /** UTC ISO. */
    addedAt: text("added_at").notNull(),
    addedByUserId: integer("added_by_user_id").notNull(),
  },
  (t) => [uniqueIndex("measure_translations_measure_language_uq").on(t.measureId, t.language)],
);
