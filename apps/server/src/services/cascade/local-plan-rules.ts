/*
 * The cascade's rules on an implementation plan (实施方案) edited and issued through the existing plan procedures
 * (plan.setResponsibilities, plan.issue): the division among the organisation's own member departments, and at issue
 * the domain's `issueCascadePlan` (every measure led, no deadline after the parent's, no forwarded measure dropped).
 * A plan of an organisation's own (the national plans) is not checked here: nothing changes for it.
 */
import { issueCascadePlan, setMeasureDivision } from "@countersign/domain";
import type { DueDate, Role } from "@countersign/domain";
import type { Queryable } from "@countersign/db";
import type { ActingUser } from "../shared/acting-user.js";

/** What the cascade's checks read of a plan (a row read synchronously or through the store). */
type PlanRow = { id: number; implementsPlanId: number | null; organisationId: string };
import { cascadeActorOf, loadCascade, organisationTreeOf } from "./cascade-read.js";
import { valueOrRefuse } from "./refusal.js";

const isImplementationPlan = (plan: PlanRow): boolean => plan.implementsPlanId !== null;

/**
 * Refuses a division of a measure of an implementation plan that names a department outside the organisation's
 * members (`unknown_department`) or is not exactly one lead (`division_shape`): the domain's `setMeasureDivision`.
 */
export function assertLocalDivision(tx: Queryable, user: ActingUser, plan: PlanRow, measureNumber: number, parts: ReadonlyArray<{ department: string; role: Role }>, now: Date): void {
  if (!isImplementationPlan(plan)) return;
  const data = loadCascade(tx, now, plan.id, organisationTreeOf(tx, [plan.organisationId]));
  const cascadePlan = data.snapshot.plans.find((p) => p.id === String(plan.id));
  const organisation = data.snapshot.tree.byId.get(plan.organisationId);
  const measure = cascadePlan?.measures.find((m) => m.number === measureNumber);
  if (cascadePlan === undefined || organisation === undefined || measure === undefined) return;
  valueOrRefuse(setMeasureDivision(cascadeActorOf(tx, user), organisation, cascadePlan, measure.id, parts));
}

/**
 * Refuses issuing an implementation plan with the due dates it would get (`dueOf`, by measure number) when the domain's
 * `issueCascadePlan` refuses it: `missing_lead`, `deadline_after_parent`, `measure_not_implemented`, `not_coordinator`.
 */
export function assertLocalIssue(tx: Queryable, user: ActingUser, plan: PlanRow, dueOf: (measureNumber: number) => DueDate, now: Date): void {
  if (!isImplementationPlan(plan)) return;
  const data = loadCascade(tx, now, plan.id);
  const cascadePlan = data.snapshot.plans.find((p) => p.id === String(plan.id));
  const parentPlan = data.snapshot.plans.find((p) => p.id === String(plan.implementsPlanId)) ?? null;
  if (cascadePlan === undefined) return;
  const dated = { ...cascadePlan, measures: cascadePlan.measures.map((m) => ({ ...m, dueDate: dueOf(m.number) })) };
  valueOrRefuse(
    issueCascadePlan({
      actor: cascadeActorOf(tx, user),
      plan: dated,
      parentPlan,
      forwardings: data.snapshot.forwardings.filter((f) => f.plan === parentPlan?.id && f.to === plan.organisationId),
      otherPlans: data.snapshot.plans.filter((p) => p.organisation === plan.organisationId && p.id !== cascadePlan.id),
    }),
  );
}

/**
 * The cascade's checks of an implementation plan as the services on the store seam call them (plan.setResponsibilities,
 * plan.issue). The cascade's reads (`loadCascade`) are not on the store seam yet, so they read `db`, the synchronous
 * SQLite handle (on SQLite the one connection the unit of work runs on, so they see its writes). A plan of an
 * organisation's own (implementsPlanId null) is not checked and `db` is not touched; an implementation plan on
 * PostgreSQL, where `db` refuses every use, is refused with 501 `not_on_this_engine` until the cascade moves over.
 */
export interface LocalPlanChecks {
  division(plan: PlanRow, measureNumber: number, parts: ReadonlyArray<{ department: string; role: Role }>): void;
  issue(plan: PlanRow, dueOf: (measureNumber: number) => DueDate): void;
}

/** `LocalPlanChecks` on the synchronous handle `db` for `user` at `now` (see LocalPlanChecks for the engines). */
export function localPlanChecksOn(db: Queryable, user: ActingUser, now: Date): LocalPlanChecks {
  return {
    division: (plan, measureNumber, parts) => assertLocalDivision(db, user, plan, measureNumber, parts, now),
    issue: (plan, dueOf) => assertLocalIssue(db, user, plan, dueOf, now),
  };
}
