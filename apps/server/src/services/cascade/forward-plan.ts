import { forwardPlan as decideForwarding } from "@countersign/domain";
import type { AnyStoreTransaction } from "@countersign/db";
import { ServiceError } from "../../errors.js";
import { auditActorOf } from "../shared/acting-user.js";
import type { ActingUser } from "../shared/acting-user.js";
import { envelope } from "../shared/live-change.js";
import type { Outcome } from "../shared/live-change.js";
import { readPlanOrNotFound } from "../shared/plan-lookup.js";
import { notifyOnSeam } from "../notifications/notify.js";
import type { OutboundChannels } from "../notifications/notify.js";
import { cascadeActorOf, loadCascade } from "./cascade-read.js";
import { valueOrRefuse } from "./refusal.js";

export interface ForwardPlanInput {
  planId: number;
  /** The child organisations' ids ("450000"). */
  to: string[];
  /** The measures' numbers in the plan; absent: the whole plan. */
  measureNumbers?: number[] | undefined;
  /** YYYY-MM-DD (Beijing): by when the children issue their implementation plans. */
  planDeadline: string;
}

export interface ForwardedPlan {
  forwardings: Array<{ id: number; to: string; measureNumbers: number[]; planDeadline: string }>;
}

/**
 * 转发: the coordinator of the plan's organisation forwards the issued plan, or chosen measures, to organisations one
 * level below, with a deadline for their implementation plans. Read → the domain's `forwardPlan` (every rule and
 * refusal is there) → one forwarding row per child with its measures, a `cascade.forwarded` event for each, and a
 * `cascade.forwarded` notice to each receiving office's coordinators (the notification centre, and the outbox on the
 * channels that are on: `deps.outbound`), beside its pending forwardings (`cascade.pending`). Runs in the caller's
 * unit of work, on either engine. Errors: not_found, unknown_measure, and the domain's refusals.
 */
export async function forwardPlan(
  tx: AnyStoreTransaction,
  user: ActingUser,
  input: ForwardPlanInput,
  now: Date,
  deps: { outbound: OutboundChannels },
): Promise<Outcome<ForwardedPlan>> {
  const repos = tx.repos;
  const plan = await readPlanOrNotFound(repos, input.planId);
  const data = await loadCascade(repos, now, plan.id);
  const cascadePlan = data.snapshot.plans.find((p) => p.id === String(plan.id));
  if (cascadePlan === undefined) throw new ServiceError("plan_not_issued", "This plan was withdrawn.");
  const byNumber = new Map(cascadePlan.measures.map((m) => [m.number, m.id]));
  const unknown = (input.measureNumbers ?? []).filter((n) => !byNumber.has(n));
  if (unknown.length > 0) throw new ServiceError("unknown_measure", `This plan has no measure ${unknown.map((n) => `(${n})`).join(", ")}.`, { field: "measureNumbers" });
  const measures = input.measureNumbers === undefined ? "all" : input.measureNumbers.flatMap((n) => byNumber.get(n) ?? []);
  const decided = valueOrRefuse(
    decideForwarding(
      {
        tree: data.snapshot.tree,
        actor: await cascadeActorOf(repos, user),
        plan: cascadePlan,
        existing: data.snapshot.forwardings.filter((f) => f.plan === cascadePlan.id),
        today: data.snapshot.today,
        newId: (to) => `new:${to}`,
      },
      { to: input.to, measures, planDeadline: input.planDeadline },
    ),
  );
  const at = now.toISOString();
  const out: ForwardedPlan["forwardings"] = [];
  const coordinators = await repos.cascade.coordinatorsOf(decided.map((f) => f.to));
  const from = data.snapshot.tree.byId.get(cascadePlan.organisation);
  for (const f of decided) {
    const refs = f.measures.flatMap((m) => {
      const ref = data.measures.get(m);
      return ref === undefined ? [] : [ref];
    });
    const numbers = refs.map((r) => r.number);
    const id = await repos.cascade.addForwarding(
      { planId: plan.id, fromOrganisation: f.from, toOrganisation: f.to, planDeadline: f.planDeadline, forwardedOn: f.forwardedOn, forwardedAt: at, forwardedByUserId: user.id },
      refs.map((r) => r.id),
    );
    await tx.appendAuditEvent({
      at,
      type: "cascade.forwarded",
      ...auditActorOf(user),
      planId: plan.id,
      payload: { forwardingId: id, from: f.from, to: f.to, measureNumbers: numbers.join(","), planDeadline: f.planDeadline },
    });
    await notifyOnSeam(
      repos,
      {
        kind: "cascade.forwarded",
        params: {
          forwardingId: id,
          planId: plan.id,
          titleZh: plan.titleZh,
          titleEn: plan.titleEn,
          fromZh: from?.nameZh ?? f.from,
          fromEn: from?.nameEn ?? f.from,
          measures: numbers.length,
          planDeadline: f.planDeadline,
        },
        link: "/cascade",
        userIds: coordinators.filter((c) => c.organisation === f.to).map((c) => c.userId),
      },
      deps.outbound,
      now,
    );
    out.push({ id, to: f.to, measureNumbers: numbers, planDeadline: f.planDeadline });
  }
  // No assignment changed; the announcement makes the receiving offices' pages (their pending forwardings) and the
  // forwarding office's grid refetch.
  const hosts = decided.flatMap((f) => {
    const host = data.snapshot.tree.byId.get(f.to)?.office.host;
    return host === undefined ? [] : [host];
  });
  const change = envelope({ planId: plan.id, assignmentIds: [], measureNumbers: [...new Set(out.flatMap((f) => f.measureNumbers))], departments: [], at }, hosts);
  return { value: { forwardings: out }, change };
}
