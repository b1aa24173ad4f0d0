import { addLocalMeasure as decideLocalMeasure } from "@countersign/domain";
import type { DueDate } from "@countersign/domain";
import { appendAuditEvent } from "@countersign/db";
import type { Queryable } from "@countersign/db";
import { measuresTable } from "@countersign/db/schema";
import { ServiceError } from "../../errors.js";
import { auditActorOf } from "../shared/acting-user.js";
import type { ActingUser } from "../shared/acting-user.js";
import type { Outcome } from "../shared/live-change.js";
import { planOrNotFound } from "../shared/plan-lookup.js";
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
 * transaction. Errors: not_found, and the domain's refusals (not_coordinator, not_draft, text_required, invalid_deadline).
 */
export function addLocalMeasure(tx: Queryable, user: ActingUser, input: AddLocalMeasureInput, now: Date): Outcome<{ planId: number; measureNumber: number }> {
  const row = planOrNotFound(tx, input.planId);
  const data = loadCascade(tx, now, row.id);
  const plan = data.snapshot.plans.find((p) => p.id === String(row.id));
  if (plan === undefined) throw new ServiceError("not_draft", "This plan was withdrawn.");
  const next = valueOrRefuse(decideLocalMeasure(cascadeActorOf(tx, user), plan, { title: input.title, text: input.text, dueDate: input.dueDate }));
  const added = next.measures.at(-1);
  if (added === undefined) throw new ServiceError("internal", "No measure was added.");
  const lastSection = plan.measures.reduce((n, m) => Math.max(n, data.measures.get(m.id)?.sectionNumber ?? 1), 1);
  tx.insert(measuresTable)
    .values({
      planId: row.id,
      number: added.number,
      sectionNumber: lastSection,
      title: added.title,
      text: added.text,
      textCut: false,
      statedDueDate: added.dueDate,
      statedDeadline: added.dueDate,
      originMeasureId: null,
    })
    .run();
  appendAuditEvent(tx, {
    at: now.toISOString(),
    type: "cascade.local_measure_added",
    ...auditActorOf(user),
    planId: row.id,
    measureNumber: added.number,
    payload: { title: added.title, dueDate: added.dueDate },
  });
  return { value: { planId: row.id, measureNumber: added.number }, change: null };
}
