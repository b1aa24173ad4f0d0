/*
 * The cascade's rules on an implementation plan (实施方案) edited and issued through the existing plan procedures
 * (plan.setResponsibilities, plan.issue): the division among the organisation's own member departments, and at issue
 * the domain's `issueCascadePlan` (every measure led, no deadline after the parent's, no forwarded measure dropped).
 * A plan of an organisation's own (the national plans) is not checked here: nothing changes for it.
 */
import { issueCascadePlan, setMeasureDivision } from "@countersign/domain";
import type { DueDate, Role } from "@countersign/domain";
import type { Repositories } from "@countersign/db";
import type { ActingUser } from "../shared/acting-user.js";
import { cascadeActorOf, loadCascade, organisationTreeOf } from "./cascade-read.js";
import { valueOrRefuse } from "./refusal.js";

/** What the cascade's checks read of a plan (a row read through the store). */
type PlanRow = { id: number; implementsPlanId: number | null; organisationId: string };

const isImplementationPlan = (plan: PlanRow): boolean => plan.implementsPlanId !== null;

/**
 * Refuses a division of a measure of an implementation plan that names a department outside the organisation's
 * members (`unknown_department`) or is not exactly one lead (`division_shape`): the domain's `setMeasureDivision`.
 * Reads through `repos` (either engine; inside the unit of work, its `tx.repos`).
 */
export async function assertLocalDivision(
  repos: Repositories,
  user: ActingUser,
  plan: PlanRow,
  measureNumber: number,
  parts: ReadonlyArray<{ department: string; role: Role }>,
  now: Date,
): Promise<void> {
  if (!isImplementationPlan(plan)) return;
  const data = await loadCascade(repos, now, plan.id, await organisationTreeOf(repos, [plan.organisationId]));
  const cascadePlan = data.snapshot.plans.find((p) => p.id === String(plan.id));
  const organisation = data.snapshot.tree.byId.get(plan.organisationId);
  const measure = cascadePlan?.measures.find((m) => m.number === measureNumber);
  if (cascadePlan === undefined || organisation === undefined || measure === undefined) return;
  valueOrRefuse(setMeasureDivision(await cascadeActorOf(repos, user), organisation, cascadePlan, measure.id, parts));
}

/**
 * Refuses issuing an implementation plan with the due dates it would get (`dueOf`, by measure number) when the domain's
 * `issueCascadePlan` refuses it: `missing_lead`, `deadline_after_parent`, `measure_not_implemented`, `not_coordinator`.
 * Reads through `repos` (either engine; inside the unit of work, its `tx.repos`).
 */
export async function assertLocalIssue(repos: Repositories, user: ActingUser, plan: PlanRow, dueOf: (measureNumber: number) => DueDate, now: Date): Promise<void> {
  if (!isImplementationPlan(plan)) return;
  const data = await loadCascade(repos, now, plan.id);
  const cascadePlan = data.snapshot.plans.find((p) => p.id === String(plan.id));
  const parentPlan = data.snapshot.plans.find((p) => p.id === String(plan.implementsPlanId)) ?? null;
  if (cascadePlan === undefined) return;
  const dated = { ...cascadePlan, measures: cascadePlan.measures.map((m) => ({ ...m, dueDate: dueOf(m.number) })) };
  valueOrRefuse(
    issueCascadePlan({
      actor: await cascadeActorOf(repos, user),
      plan: dated,
      parentPlan,
      forwardings: data.snapshot.forwardings.filter((f) => f.plan === parentPlan?.id && f.to === plan.organisationId),
      otherPlans: data.snapshot.plans.filter((p) => p.organisation === plan.organisationId && p.id !== cascadePlan.id),
    }),
  );
}

/**
 * The cascade's checks of an implementation plan as the services on the store seam call them (plan.setResponsibilities,
 * plan.issue), reading through the unit of work's repositories on either engine, so they see its writes. A plan of an
 * organisation's own (implementsPlanId null) is not checked and nothing is read.
 */
export interface LocalPlanChecks {
  division(plan: PlanRow, measureNumber: number, parts: ReadonlyArray<{ department: string; role: Role }>): Promise<void>;
  issue(plan: PlanRow, dueOf: (measureNumber: number) => DueDate): Promise<void>;
}

/** `LocalPlanChecks` reading through `repos` (a unit of work's `tx.repos`) for `user` at `now`. */
export function localPlanChecksIn(repos: Repositories, user: ActingUser, now: Date): LocalPlanChecks {
  return {
    division: (plan, measureNumber, parts) => assertLocalDivision(repos, user, plan, measureNumber, parts, now),
    issue: (plan, dueOf) => assertLocalIssue(repos, user, plan, dueOf, now),
  };
}
