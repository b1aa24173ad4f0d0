import { boolean, integer, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import type { DepartmentSuccessor } from "@countersign/domain";

/** Mirrors packages/db/src/schema/departments.ts. */
export const departmentsTable = pgTable("departments", {
  code: text("code").primaryKey(),
  nameEn: text("name_en").notNull(),
  nameZh: text("name_zh").notNull(),
  shortEn: text("short_en").notNull(),
  shortZh: text("short_zh").notNull(),
  signatureOrder: integer("signature_order").notNull(),
  /** jsonb here, JSON text on SQLite: the same value either way (key order is not part of it). */
  successor: jsonb("successor").$type<DepartmentSuccessor | null>(),
  /** The register's kind (ministry, directly_affiliated, co_signer, local_government …); "custom" for one added by hand. */
  kind: text("kind").notNull().default("ministry"),
  /** Set when an administrator renamed the department (ISO time). */
  editedAt: text("edited_at"),
  /** Retired by an administrator (YYYY-MM-DD). */
  retiredOn: text("retired_on"),
  /** The department's leader approves its sign-offs, extension requests and round reports before they go out. */
  leaderApproval: boolean("leader_approval").notNull().default(false),
  organisationId: text("organisation_id").notNull().default("CN"),
  line: text("line"),
});
