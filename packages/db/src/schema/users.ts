import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import type { ActorRole } from "@countersign/domain";
import { departmentsTable } from "./departments.js";

export const usersTable = sqliteTable("users", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  /** Lower case, unique. */
  username: text("username").notNull().unique(),
  displayName: text("display_name").notNull(),
  role: text("role").$type<ActorRole>().notNull(),
  /** A liaison's department; the coordinator's is the lead ministry; null for observer and admin if unset. */
  department: text("department").references(() => departmentsTable.code),
  /** scrypt$N$r$p$salt$hash (base64url). */
  passwordHash: text("password_hash").notNull(),
  disabledAt: text("disabled_at"),
  createdAt: text("created_at").notNull(),
});
