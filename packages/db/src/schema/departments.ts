import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import type { DepartmentSuccessor } from "@countersign/domain";

/**
 * The departments of this installation, keyed by their stable code (e.g. "MOF"): the 17 of the 2020 plan, loaded
 * from the domain package at every start, and any other unit of the domain's register of departments, added when a
 * plan, a liaison account or an administrator first names it (`ensureRegisterDepartments`, `cli department`).
 */
export const departmentsTable = sqliteTable("departments", {
  code: text("code").primaryKey(),
  nameEn: text("name_en").notNull(),
  nameZh: text("name_zh").notNull(),
  shortEn: text("short_en").notNull(),
  shortZh: text("short_zh").notNull(),
  /** Order of signature on the Chinese original; matrices list departments in this order. */
  signatureOrder: integer("signature_order").notNull(),
  successor: text("successor", { mode: "json" }).$type<DepartmentSuccessor | null>(),
  /** The register's kind (ministry, directly_affiliated, co_signer, local_government …); "custom" for one added by hand. */
  kind: text("kind").notNull().default("ministry"),
  /** Set when an administrator renamed the department: the names at start-up no longer overwrite it (ISO time). */
  editedAt: text("edited_at"),
  /** Retired by an administrator (YYYY-MM-DD): kept for the plans that name it, offered for no new plan or account. */
  retiredOn: text("retired_on"),
  /**
   * The department's own rule (issue 15, point 2): its sign-offs, extension requests and round reports go out only
   * after its leader approves them (审核/签发). Set by an administrator.
   */
  leaderApproval: integer("leader_approval", { mode: "boolean" }).notNull().default(false),
  /**
   * The organisation whose leading group the department is a member of (issue 16, `organisations.id`); the central
   * departments are the national level's ("CN"). A local department is registered when its organisation first needs it.
   */
  organisationId: text("organisation_id").notNull().default("CN"),
  /** A local department's central line (the register code it follows: "MOF" for 浙江省财政厅); null for the central ones. */
  line: text("line"),
});
