import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import type { DepartmentSuccessor } from "@countersign/domain";

/** The issuing departments, keyed by their stable code (e.g. "MOF"). Loaded from the domain package. */
export const departmentsTable = sqliteTable("departments", {
  code: text("code").primaryKey(),
  nameEn: text("name_en").notNull(),
  nameZh: text("name_zh").notNull(),
  shortEn: text("short_en").notNull(),
  shortZh: text("short_zh").notNull(),
  /** Order of signature on the Chinese original; matrices list departments in this order. */
  signatureOrder: integer("signature_order").notNull(),
  successor: text("successor", { mode: "json" }).$type<DepartmentSuccessor | null>(),
});
