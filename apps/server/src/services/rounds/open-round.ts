import { and, eq, inArray } from "drizzle-orm";
import { assignmentsInRoundScope, checkRoundDates } from "@countersign/domain";
import type { DepartmentCode, RoundDates, RoundRecurrence } from "@countersign/domain";
import { appendAuditEvent } from "@countersign/db";
import type { Queryable } from "@countersign/db";
import { assignmentsTable, departmentsTable, measuresTable, plansTable, reportRoundsTable, roundReportsTable } from "@countersign/db/schema";
import { ServiceError } from "../../errors.js";
import { auditActorOf, requireRole } from "../shared/acting-user.js";
import type { ActingUser } from "../shared/acting-user.js";
import { notify } from "../notifications/notify.js";

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
  /** Reports the round asks for. */
  reports: number;
  /** Departments asked. */
  departments: DepartmentCode[];
}

/**
 * Opens a reporting round (the coordinator; or the scheduler repeating one, `user` null): one report row per
 * assignment in scope (open work on the chosen measures by the chosen departments, the domain's
 * `assignmentsInRoundScope`), the `round.opened` audit event, and a notice to each department asked.
 * Runs inside the caller's transaction. Errors: `forbidden_role`, `not_found` (plan), `plan_not_issued`,
 * `invalid_input` (dates, unknown measure), `unknown_department`.
 */
export function openRound(tx: Queryable, user: ActingUser | null, input: OpenRoundInput, now: Date, previousRoundId: number | null = null): OpenedRound {
  if (user !== null) requireRole(user, ["coordinator"], "open a reporting round");
  const at = now.toISOString();
  const dates = checkRoundDates(input);
  if (!dates.ok) throw new ServiceError("invalid_input", dates.message, { field: dates.field });
  const title = input.title.trim();
  if (title === "") throw new ServiceError("invalid_input", "A round needs a title.", { field: "title" });
  const plan = tx.select().from(plansTable).where(eq(plansTable.id, input.planId)).get();
  if (plan === undefined) throw new ServiceError("not_found", `There is no plan ${input.planId}.`, { field: "planId" });
  if (plan.status !== "issued") throw new ServiceError("plan_not_issued", "Open a round on an issued plan.", { field: "planId" });
  if (input.measureNumbers.length > 0) {
    const known = tx
      .select({ n: measuresTable.number })
      .from(measuresTable)
      .where(and(eq(measuresTable.planId, plan.id), inArray(measuresTable.number, input.measureNumbers)))
      .all();
    const found = new Set(known.map((k) => k.n));
    const missing = input.measureNumbers.find((n) => !found.has(n));
    if (missing !== undefined) throw new ServiceError("invalid_input", `The plan has no measure ${missing}.`, { field: "measureNumbers" });
  }
  if (input.departments.length > 0) {
    const known = new Set(tx.select({ code: departmentsTable.code }).from(departmentsTable).all().map((d) => d.code));
    const unknown = input.departments.find((d) => !known.has(d));
    if (unknown !== undefined) throw new ServiceError("unknown_department", `There is no department ${unknown}.`, { field: "departments" });
  }

  const a = assignmentsTable;
  const assignments = tx
    .select({ id: a.id, measureNumber: a.measureNumber, department: a.department, role: a.role, status: a.status })
    .from(a)
    .where(eq(a.planId, plan.id))
    .all();
  const scoped = assignmentsInRoundScope(assignments, { measureNumbers: input.measureNumbers, departments: input.departments });

  const round = tx
    .insert(reportRoundsTable)
    .values({
      planId: plan.id,
      title,
      periodStart: input.periodStart,
      periodEnd: input.periodEnd,
      dueDate: input.dueDate,
      measureNumbers: JSON.stringify([...input.measureNumbers].sort((x, y) => x - y)),
      departments: JSON.stringify([...input.departments].sort()),
      recurrence: input.recurrence,
      status: "open",
      previousRoundId,
      openedByUserId: user?.id ?? null,
      openedAt: at,
    })
    .returning({ id: reportRoundsTable.id })
    .get();
  for (const s of scoped) {
    tx.insert(roundReportsTable)
      .values({
        roundId: round.id,
        planId: plan.id,
        assignmentId: s.id,
        measureNumber: s.measureNumber,
        department: s.department,
        role: s.role,
        status: "not_reported",
        updatedAt: at,
      })
      .run();
  }
  const departments = [...new Set(scoped.map((s) => s.department))].sort();
  appendAuditEvent(tx, {
    at,
    type: "round.opened",
    ...auditActorOf(user),
    planId: plan.id,
    payload: {
      roundId: round.id,
      title,
      periodStart: input.periodStart,
      periodEnd: input.periodEnd,
      dueDate: input.dueDate,
      recurrence: input.recurrence,
      measureNumbers: input.measureNumbers.join(","),
      departments: departments.join(","),
      reports: scoped.length,
      previousRoundId,
    },
  });
  notify(tx, { kind: "round.opened", params: { roundId: round.id, title, dueDate: input.dueDate }, link: `/rounds/${round.id}`, departments }, now);
  return { id: round.id, reports: scoped.length, departments };
}
