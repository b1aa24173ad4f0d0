import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { departmentsTable } from "./departments.js";

export const planStatuses = ["draft", "issued", "withdrawn"] as const;
export type PlanStatus = (typeof planStatuses)[number];

/** A policy document turned into work (分工方案). `draft` until the coordinator issues it (立项交办). */
export const plansTable = sqliteTable(
  "plans",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** Stable key of the document, so that loading the same plan twice is recognised. */
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
    /** When the lead ministry issued the plan to the departments (UTC ISO), and the default due date it gave. */
    assignedAt: text("assigned_at"),
    assignedByUserId: integer("assigned_by_user_id"),
    defaultDueDate: text("default_due_date"),
    createdAt: text("created_at").notNull(),
    /** The organisation whose plan it is (issue 16, `organisations.id`); "CN" for the national plans. */
    organisationId: text("organisation_id").notNull().default("CN"),
    /** The parent's plan this implementation plan (实施方案) implements; null for a plan of the organisation's own. */
    implementsPlanId: integer("implements_plan_id"),
  },
  // catalog.plans pages the newest documents first; without this every page would sort the whole table.
  (t) => [index("plans_issued_idx").on(t.issuedOn, t.id), index("plans_organisation_idx").on(t.organisationId, t.id), index("plans_implements_idx").on(t.implementsPlanId)],
);

/** The plan's member departments, in order of signature. */
export const planDepartmentsTable = sqliteTable(
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
