import { integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { ActorRole, DepartmentRole } from "@countersign/domain";
import { departmentsTable } from "./departments.js";

export const usersTable = sqliteTable(
  "users",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** Lower case, unique. */
    username: text("username").notNull().unique(),
    /**
     * The name as first entered, possibly mixing languages (kept for older readers); views name a person with
     * `displayNameZh` / `displayNameEn` through the domain's `personLabel`.
     */
    displayName: text("display_name").notNull(),
    /** The person's name in Chinese only (e.g. 财政部联络员 张伟), or null. */
    displayNameZh: text("display_name_zh"),
    /** The person's name in English only, or null. */
    displayNameEn: text("display_name_en"),
    role: text("role").$type<ActorRole>().notNull(),
    /** A liaison's department; the coordinator's is the lead ministry; null for observer and admin if unset. */
    department: text("department").references(() => departmentsTable.code),
    /**
     * A department account's part in its department (issue 15, point 2): liaison, handler (承办人) or department
     * leader (部门领导); null for other roles and for the department accounts made before divisions (= liaison).
     */
    departmentRole: text("department_role").$type<DepartmentRole>(),
    /** A handler's division (处室, `divisions.id`), or null. */
    divisionId: integer("division_id"),
    /** scrypt$N$r$p$salt$hash (base64url). */
    passwordHash: text("password_hash").notNull(),
    /**
     * The value of the identity provider's claim (OIDC_USERNAME_CLAIM) that signs in as this account, lower case;
     * null: the claim must equal the username.
     */
    ssoIdentity: text("sso_identity"),
    disabledAt: text("disabled_at"),
    /** The organisation the account belongs to (issue 16, `organisations.id`): one per account, "CN" nationally. */
    organisationId: text("organisation_id").notNull().default("CN"),
    createdAt: text("created_at").notNull(),
  },
  (t) => [uniqueIndex("users_sso_identity_uq").on(t.ssoIdentity)],
);
