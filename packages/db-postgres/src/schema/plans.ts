import { index, integer, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { planStatuses } from "@countersign/db/schema";
import { departmentsTable } from "./departments.js";

/** Mirrors packages/db/src/schema/plans.ts. */
export const plansTable = pgTable(
  "plans",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    key: text("key").notNull().unique(),
    titleEn: text("title_en").notNull(),
    titleZh: text("title_zh").notNull(),
    documentNumber: text("document_number").notNull(),
    issuedOn: text("issued_on").notNull(),
    publishedOn: text("published_on").notNull(),
    leadDepartment: text("lead_department")
      .notNull()
      .references(() => departmentsTable.code),
    status: text("status", { enum: planStatuses }).notNull().default("draft"),
    assignedAt: text("assigned_at"),
    assignedByUserId: integer("assigned_by_user_id"),
    defaultDueDate: text("default_due_date"),
    createdAt: text("created_at").notNull(),
    organisationId: text("organisation_id").notNull().default("CN"),
    implementsPlanId: integer("implements_plan_id"),
  },
  (t) => [index("plans_issued_idx").on(t.issuedOn, t.id), index("plans_organisation_idx").on(t.organisationId, t.id), index("plans_implements_idx").on(t.implementsPlanId)],
);

export const planDepartmentsTable = pgTable(
  "plan_departments",
  {
    planId: integer("plan_id")
      .notNull()
      .references(() => plansTable.id),
    department: text("department")
      .notNull()
      .references(() => departmentsTable.code),
    position: integer("position").notNull(),
  },
  (t) => [primaryKey({ columns: [t.planId, t.department] }), index("plan_departments_position_idx").on(t.planId, t.position)],
);
