/*
 * The organisation boundary of the existing procedures (issue 16, point 4): every procedure that names a plan, an
 * assignment, a round or a round report works only on the caller's own organisation's plans. What an organisation may
 * see of its parent's plan (read-only) and of the plans below it (progress) it reads through the cascade procedures
 * (`cascade.plan`, `cascade.regionalView`), which apply the domain's `cascadePlanAccess`; the plan views, inboxes,
 * matrices, tracking, rounds and assignments stay within one organisation. Before issue 16 every plan was the national
 * level's and every account too, so nothing changes for them.
 */
import { and, eq } from "drizzle-orm";
import { nationalId } from "@countersign/domain";
import type { Queryable } from "@countersign/db";
import { assignmentsTable, departmentsTable, forwardingsTable, organisationsTable, reportRoundsTable, roundReportsTable } from "@countersign/db/schema";
import { ServiceError } from "../../errors.js";
import type { ActingUser } from "../shared/acting-user.js";
import { organisationOfPlan, organisationOf } from "./cascade-read.js";

const positiveInt = (v: unknown): number | null => (typeof v === "number" && Number.isSafeInteger(v) && v > 0 ? v : null);

/** The plans a procedure's input names, by the input's keys and the procedure's path (its router). */
export function plansNamedBy(db: Queryable, path: string, raw: unknown): number[] {
  if (raw === null || typeof raw !== "object") return [];
  const input = raw as Record<string, unknown>;
  const router = path.split(".")[0] ?? "";
  const plans: number[] = [];
  const planId = positiveInt(input["planId"]);
  if (planId !== null) plans.push(planId);
  const assignmentId = positiveInt(input["assignmentId"]) ?? (router === "assignment" ? positiveInt(input["id"]) : null);
  if (assignmentId !== null) {
    const row = db.select({ planId: assignmentsTable.planId }).from(assignmentsTable).where(eq(assignmentsTable.id, assignmentId)).get();
    if (row !== undefined) plans.push(row.planId);
  }
  // A round named by id: the round procedures and the compiled round report's download (export.round).
  const roundId = router === "round" || path === "export.round" ? positiveInt(input["roundId"]) : null;
  if (roundId !== null) {
    const row = db.select({ planId: reportRoundsTable.planId }).from(reportRoundsTable).where(eq(reportRoundsTable.id, roundId)).get();
    if (row !== undefined) plans.push(row.planId);
  }
  const reportId = router === "round" ? positiveInt(input["reportId"]) : null;
  if (reportId !== null) {
    const row = db
      .select({ planId: reportRoundsTable.planId })
      .from(roundReportsTable)
      .innerJoin(reportRoundsTable, eq(reportRoundsTable.id, roundReportsTable.roundId))
      .where(eq(roundReportsTable.id, reportId))
      .get();
    if (row !== undefined) plans.push(row.planId);
  }
  return plans;
}

/**
 * Refuses (`not_visible`, FORBIDDEN) a procedure outside the cascade that names a plan of another organisation than the
 * caller's. The cascade's own procedures (path `cascade.*`) decide access themselves. A plan that does not exist is
 * left to the procedure (it answers not_found).
 */
export function assertWithinOrganisation(db: Queryable, user: ActingUser, path: string, raw: unknown): void {
  if (path.startsWith("cascade.")) return;
  const plans = plansNamedBy(db, path, raw);
  const router = path.split(".")[0] ?? "";
  const input = raw !== null && typeof raw === "object" ? (raw as Record<string, unknown>) : {};
  const department = typeof input["department"] === "string" ? input["department"] : null;
  // An inbox or trail named by department (a coordinator's view of one department) is a department of its organisation.
  const namesDepartment = department !== null && ["inbox", "audit", "tracking", "export"].includes(router);
  // Every department's inbox at once (department: null) spans organisations unless a plan is named: the national office's only.
  const everyDepartment = router === "inbox" && "department" in input && input["department"] === null && plans.length === 0;
  if (plans.length === 0 && !namesDepartment && !everyDepartment) return;
  const own = organisationOf(db, user);
  const refuse = (): never => {
    throw new ServiceError("not_visible", "Your organisation may not see this: only its own plans here; the parent's forwarded plan and the progress below are in the cascade views.");
  };
  for (const planId of plans) {
    const organisation = organisationOfPlan(db, planId);
    if (organisation !== null && organisation !== own) refuse();
  }
  if (everyDepartment && own !== nationalId) refuse();
  if (namesDepartment && department !== null) {
    const row = db.select({ organisation: departmentsTable.organisationId }).from(departmentsTable).where(eq(departmentsTable.code, department)).get();
    if (row !== undefined && row.organisation !== own) refuse();
  }
}

/** The parent of an organisation (null for the national level or an unknown id). */
function parentOf(db: Queryable, organisation: string): string | null {
  return db.select({ parent: organisationsTable.parentId }).from(organisationsTable).where(eq(organisationsTable.id, organisation)).get()?.parent ?? null;
}

/**
 * Whether the caller hears of a change on `planId` in the live stream (ids only, to refetch; docs/api.md "live"): a
 * plan of its organisation, of an organisation below it (the roll-up it follows), or of its parent once forwarded to
 * it (a forwarding is announced on the parent's plan); never a sibling's or a sibling's subtree's. A handful of primary-key lookups
 * (the tree is at most four levels deep), not the tree.
 */
export function hearsOfPlan(db: Queryable, user: ActingUser, planId: number): boolean {
  const planOrganisation = organisationOfPlan(db, planId);
  if (planOrganisation === null) return true;
  const own = organisationOf(db, user);
  if (planOrganisation === own) return true;
  if (parentOf(db, own) === planOrganisation) {
    // The parent's plan: only once it was forwarded to the caller's organisation (its read-only access).
    const forwarded = db
      .select({ id: forwardingsTable.id })
      .from(forwardingsTable)
      .where(and(eq(forwardingsTable.planId, planId), eq(forwardingsTable.toOrganisation, own)))
      .limit(1)
      .get();
    return forwarded !== undefined;
  }
  let above = parentOf(db, planOrganisation);
  for (let depth = 0; above !== null && depth < 8; depth += 1) {
    if (above === own) return true;
    above = parentOf(db, above);
  }
  return false;
}
