import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { departmentsTable } from "./departments.js";

/**
 * The divisions (处室) of a department (issue 15, point 2): the liaison hands an assignment to one of them and to
 * one of its handlers (分办). Named in Chinese, in English or both, never mixing the two (domain `checkDivisionShape`).
 */
export const divisionsTable = sqliteTable(
  "divisions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    department: text("department")
      .notNull()
      .references(() => departmentsTable.code),
    nameZh: text("name_zh"),
    nameEn: text("name_en"),
    createdAt: text("created_at").notNull(),
  },
  (t) => [index("divisions_department_idx").on(t.department, t.id)],
);
