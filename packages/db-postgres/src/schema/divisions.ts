import { index, integer, pgTable, text } from "drizzle-orm/pg-core";
import { departmentsTable } from "./departments.js";

/** Mirrors packages/db/src/schema/divisions.ts: the divisions (处室) of a department. */
export const divisionsTable = pgTable(
  "divisions",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    department: text("department")
      .notNull()
      .references(() => departmentsTable.code),
    nameZh: text("name_zh"),
    nameEn: text("name_en"),
    createdAt: text("created_at").notNull(),
  },
  (t) => [index("divisions_department_idx").on(t.department, t.id)],
);
