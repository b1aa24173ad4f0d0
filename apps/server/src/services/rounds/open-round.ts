import { assignmentsInRoundScope, checkRoundDates } from "@countersign/domain";
import type { DepartmentCode, RoundDates, RoundRecurrence } from "@countersign/domain";
import type { AnyStoreTransaction } from "@countersign/db";
import { ServiceError } from "../../errors.js";
import { auditActorOf, requireRole } from "../shared/acting-user.js";
import type { ActingUser } from "../shared/acting-user.js";
import { notifyOnSeam } from "../notifications/notify.js";
import type { OutboundChannels } from "../notifications/notify.js";
import { openRoundsBelow } from "./level-reports.js";

export interface OpenRoundInput extends RoundDates {
  planId: number;
  title: string;
  /** Measure numbers; empty: every measure. */
  measureNumbers: number[];
  /** Department codes; empty: every department with open work. */
  departments: DepartmentCode[];
  recurrence: RoundRecurrence;
}

export interface OpenedRound {
  id: number;
  /**
   * The rounds opened below with it (issue 16, point 3): one per organisation, at every level below, that derived an
   * issued implementation plan from this plan (and from those), each owing a level report to the round above it.
   */
  below: Array<{ organisation: string; roundId: number; levelReportId: number }>;
  /** Reports the round asks for. */
  reports: number;
  /** Departments asked. */
  departments: DepartmentCode[];
}

/**
 * Opens a reporting round (the coordinator; or the scheduler repeating one, `user` null): one report row per
 * assignment in scope (open work on the chosen measures by the chosen departments, the domain's
 * `assignmentsInRoundScope`), the `round.opened` audit event, and a notice to each department asked (and the
 * outbox rows of `channels`). Runs inside the caller's unit of work `tx` (on either engine; nothing outside it).
 * Errors: `forbidden_role`, `not_found` (plan), `plan_not_issued`, `invalid_input` (dates, unknown measure),
 * `unknown_department`.
 */
export async function openRound(
  tx: AnyStoreTransaction,
  user: ActingUser | null,
  input: OpenRoundInput,
  now: Date,
  channels: OutboundChannels,
  previousRoundId: number | null = null,
  parentRoundId: number | null = null,
): Promise<OpenedRound> {
  if (user !== null) requireRole(user, ["coordinator"], "open a reporting round");
  const { repos } = tx;
  const at = now.toISOString();
  const dates = checkRoundDates(input);
  if (!dates.ok) throw new ServiceError("invalid_input", dates.message, { field: dates.field });
  const title = input.title.trim();
  if (title === "") throw new ServiceError("invalid_input", "A round needs a title.", { field: "title" });
  const plan = await repos.rounds.planOf(input.planId);
  if (plan === undefined) throw new ServiceError("not_found", `There is no plan ${input.planId}.`, { field: "planId" });
  if (plan.status !== "issued") throw new ServiceError("plan_not_issued", "Open a round on an issued plan.", { field: "planId" });
  if (input.measureNumbers.length > 0) {
    const found = new Set(await repos.rounds.measureNumbersOf(plan.id, input.measureNumbers));
    const missing = input.measureNumbers.find((n) => !found.has(n));
    if (missing !== undefined) throw new ServiceError("invalid_input", `The plan has no measure ${missing}.`, { field: "measureNumbers" });
  }
  if (input.departments.length > 0) {
    const known = new Set(await repos.rounds.departmentCodes());
    const unknown = input.departments.find((d) => !known.has(d));
    if (unknown !== undefined) throw new ServiceError("unknown_department", `There is no department ${unknown}.`, { field: "departments" });
  }

  const assignments = await repos.rounds.assignmentsOf(plan.id);
  const scoped = assignmentsInRoundScope(assignments, { measureNumbers: input.measureNumbers, departments: input.departments });

  const roundId = await repos.rounds.insertRound({
    planId: plan.id,
    title,
    periodStart: input.periodStart,
    periodEnd: input.periodEnd,
    dueDate: input.dueDate,
    measureNumbers: [...input.measureNumbers].sort((x, y) => x - y),
    departments: [...input.departments].sort(),
    recurrence: input.recurrence,
    previousRoundId,
    openedByUserId: user?.id ?? null,
    openedAt: at,
  });
  await repos.rounds.insertReports(
    scoped.map((s) => ({ roundId, planId: plan.id, assignmentId: s.id, measureNumber: s.measureNumber, department: s.department, role: s.role, updatedAt: at })),
  );
  const departments = [...new Set(scoped.map((s) => s.department))].sort();
  await tx.appendAuditEvent({
    at,
    type: "round.opened",
    ...auditActorOf(user),
    planId: plan.id,
    payload: {
      roundId,
      title,
      periodStart: input.periodStart,
      periodEnd: input.periodEnd,
      dueDate: input.dueDate,
      recurrence: input.recurrence,
      measureNumbers: input.measureNumbers.join(","),
      departments: departments.join(","),
      reports: scoped.length,
      previousRoundId,
      parentRoundId,
    },
  });
  await notifyOnSeam(repos, { kind: "round.opened", params: { roundId, title, dueDate: input.dueDate }, link: `/rounds/${roundId}`, departments }, channels, now);
  const below = await openRoundsBelow(
    tx,
    { id: roundId, planId: plan.id, title, periodStart: input.periodStart, periodEnd: input.periodEnd, dueDate: input.dueDate, measureNumbers: input.measureNumbers },
    async (childPlanId, measureNumbers, parent) => {
      const child = await openRound(
        tx,
        user,
        { ...input, planId: childPlanId, title, measureNumbers, departments: [], recurrence: "none" },
        now,
        channels,
        null,
        parent,
      );
      return { id: child.id, below: child.below };
    },
    now,
    channels,
  );
  return { id: roundId, reports: scoped.length, departments, below };
}
