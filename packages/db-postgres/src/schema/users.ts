import { integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import type { ActorRole, DepartmentRole } from "@countersign/domain";
import { departmentsTable } from "./departments.js";

/** Mirrors packages/db/src/schema/users.ts. */
export const usersTable = pgTable(
  "users",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    username: text("username").notNull().unique(),
    displayName: text("display_name").notNull(),
    displayNameZh: text("display_name_zh"),
    displayNameEn: text("display_name_en"),
    role: text("role").$type<ActorRole>().notNull(),
    department: text("department").references(() => departmentsTable.code),
    departmentRole: text("department_role").$type<DepartmentRole>(),
    divisionId: integer("division_id"),
    passwordHash: text("password_hash").notNull(),
    ssoIdentity: text("sso_identity"),
    disabledAt: text("disabled_at"),
    organisationId: text("organisation_id").notNull().default("CN"),
    createdAt: text("created_at").notNull(),
  },
  (t) => [uniqueIndex("users_sso_identity_uq").on(t.ssoIdentity)],
);
