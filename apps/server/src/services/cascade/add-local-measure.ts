import { addLocalMeasure as decideLocalMeasure } from "@countersign/domain";
import type { DueDate } from "@countersign/domain";
import type { AnyStoreTransaction } from "@countersign/db";
import { ServiceError } from "../../errors.js";
import { auditActorOf } from "../shared/acting-user.js";
import type { ActingUser } from "../shared/acting-user.js";
import type { Outcome } from "../shared/live-change.js";
import { readPlanOrNotFound } from "../shared/plan-lookup.js";
import { cascadeActorOf, loadCascade } from "./cascade-read.js";
import { valueOrRefuse } from "./refusal.js";

export interface AddLocalMeasureInput {
  planId: number;
  title: string;
  text: string;
  /** "ongoing" or YYYY-MM-DD. */
  dueDate: DueDate;
}

/**
 * A measure of the organisation's own added to its draft implementation plan (origin none), numbered after the last:
 * read → the domain's `addLocalMeasure` → the measure row (its due date as the stated one) and a
 * `cascade.local_measure_added` event. Its division is then set with plan.setResponsibilities. Runs in the caller's
 * unit of work, on either engine. Errors: not_found, and the domain's refusals (not_coordinator, not_draft, text_required, invalid_deadline).
 */
export async function addLocalMeasure(
  tx: AnyStoreTransaction,
  user: ActingUser,
  input: AddLocalMeasureInput,
  now: Date,
): Promise<Outcome<{ planId: number; measureNumber: number }>> {
  const repos = tx.repos;
  const row = await readPlanOrNotFound(repos, input.planId);
  const data = await loadCascade(repos, now, row.id);
  const plan = data.snapshot.plans.find((p) => p.id === String(row.id));
  if (plan === undefined) throw new ServiceError("not_draft", "This plan was withdrawn.");
  const next = valueOrRefuse(decideLocalMeasure(await cascadeActorOf(repos, user), plan, { title: input.title, text: input.text, dueDate: input.dueDate }));
  const added = next.measures.at(-1);
  if (added === undefined) throw new ServiceError("internal", "No measure was added.");
  const lastSection = plan.measures.reduce((n, m) => Math.max(n, data.measures.get(m.id)?.sectionNumber ?? 1), 1);
  await repos.cascade.addMeasure({
    planId: row.id,
    number: added.number,
    sectionNumber: lastSection,
    title: added.title,
    text: added.text,
    statedDueDate: added.dueDate,
    originMeasureId: null,
  });
  await tx.appendAuditEvent({
    at: now.toISOString(),
    type: "cascade.local_measure_added",
    ...auditActorOf(user),
    planId: row.id,
    measureNumber: added.number,
    payload: { title: added.title, dueDate: added.dueDate },
  });
  return { value: { planId: row.id, measureNumber: added.number }, change: null };
}
