import { index, integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { forwardingStatuses } from "@countersign/db/schema";
import type { DivisionKind, OrganisationLevel } from "@countersign/domain";
import { measuresTable } from "./measures.js";
import { plansTable } from "./plans.js";

/*
 * Mirrors packages/db/src/schema/organisations.ts.
 * Down the levels (issue 16): the organisation tree (national → province → prefecture → county), seeded from the
 * domain's fixture (`defaultOrganisations`), and the forwardings (转发) of plans to the level below.
 */

/** One level of government with its leading-group office; its id is the GB/T 2260 division code, "CN" nationally. */
export const organisationsTable = pgTable(
  "organisations",
  {
    id: text("id").primaryKey(),
    /** null only for the national level. */
    parentId: text("parent_id"),
    level: text("level").$type<OrganisationLevel>().notNull(),
    kind: text("kind").$type<DivisionKind>(),
    nameZh: text("name_zh").notNull(),
    nameEn: text("name_en").notNull(),
    officeNameZh: text("office_name_zh").notNull(),
    officeNameEn: text("office_name_en").notNull(),
    /** The code of the member department hosting the office (the domain's `office.host`, "450000-MIIT"). */
    officeHost: text("office_host").notNull(),
    /** The fixture's order: the tree lists children in it. */
    position: integer("position").notNull(),
  },
  (t) => [index("organisations_parent_idx").on(t.parentId, t.position)],
);

/** One act of forwarding: chosen measures of an issued plan sent to one child organisation, with a plan deadline. */
export const forwardingsTable = pgTable(
  "forwardings",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    planId: integer("plan_id")
      .notNull()
      .references(() => plansTable.id),
    fromOrganisation: text("from_organisation")
      .notNull()
      .references(() => organisationsTable.id),
    toOrganisation: text("to_organisation")
      .notNull()
      .references(() => organisationsTable.id),
    /** YYYY-MM-DD (Beijing): by when the child issues its implementation plan. */
    planDeadline: text("plan_deadline").notNull(),
    /** YYYY-MM-DD (Beijing) of the act, and its UTC ISO time. */
    forwardedOn: text("forwarded_on").notNull(),
    forwardedAt: text("forwarded_at").notNull(),
    forwardedByUserId: integer("forwarded_by_user_id"),
    /** pending until the child derives a plan from it; then derived, naming that plan. */
    status: text("status", { enum: forwardingStatuses }).notNull().default("pending"),
    derivedPlanId: integer("derived_plan_id").references(() => plansTable.id),
  },
  (t) => [index("forwardings_to_idx").on(t.toOrganisation, t.status, t.id), index("forwardings_plan_idx").on(t.planId, t.toOrganisation)],
);

/** The measures of a forwarding, in the plan's order. */
export const forwardingMeasuresTable = pgTable(
  "forwarding_measures",
  {
    forwardingId: integer("forwarding_id")
      .notNull()
      .references(() => forwardingsTable.id),
    measureId: integer("measure_id")
      .notNull()
      .references(() => measuresTable.id),
    position: integer("position").notNull(),
  },
  (t) => [uniqueIndex("forwarding_measures_uq").on(t.forwardingId, t.measureId), index("forwarding_measures_measure_idx").on(t.measureId)],
);
