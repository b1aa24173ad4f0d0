import { and, eq, isNull } from "drizzle-orm";
import { isRoundDueSoon, nextRoundDates, nextRoundTitle, roundDueForRollover } from "@countersign/domain";
import { appendAuditEvent } from "@countersign/db";
import type { Queryable } from "@countersign/db";
import { reportRoundsTable, roundReportsTable } from "@countersign/db/schema";
import { ServiceError } from "../../errors.js";
import { auditActorOf, requireRole } from "../shared/acting-user.js";
import type { ActingUser } from "../shared/acting-user.js";
import { notify } from "../notifications/notify.js";
import { openRound } from "./open-round.js";

export interface ClosedRound {
  id: number;
  /** The round opened next when this one repeats; null otherwise. */
  nextRoundId: number | null;
}

/**
 * Closes an open round (the coordinator, or the scheduler's tick with `user` null): nothing in it changes any more.
 * A repeating round opens the next (dates from the domain's `nextRoundDates`, same scope) in the same transaction.
 * Errors: `forbidden_role`, `not_found`, `round_closed`, `stale_version`.
 */
export function closeRound(tx: Queryable, user: ActingUser | null, roundId: number, expectedVersion: number | null, now: Date): ClosedRound {
  if (user !== null) requireRole(user, ["coordinator"], "close a reporting round");
  const round = tx.select().from(reportRoundsTable).where(eq(reportRoundsTable.id, roundId)).get();
  if (round === undefined) throw new ServiceError("not_found", `There is no round ${roundId}.`, { field: "roundId" });
  if (round.status !== "open") throw new ServiceError("round_closed", "This round is already closed.");
  if (expectedVersion !== null && round.version !== expectedVersion) {
    throw new ServiceError("stale_version", `This round has changed since you loaded it (now version ${round.version}); reload it and try again.`);
  }
  const at = now.toISOString();
  tx.update(reportRoundsTable)
    .set({ status: "closed", closedAt: at, version: round.version + 1 })
    .where(and(eq(reportRoundsTable.id, round.id), eq(reportRoundsTable.version, round.version)))
    .run();
  const reports = tx.select({ status: roundReportsTable.status }).from(roundReportsTable).where(eq(roundReportsTable.roundId, round.id)).all();
  appendAuditEvent(tx, {
    at,
    type: "round.closed",
    ...auditActorOf(user),
    planId: round.planId,
    payload: { roundId: round.id, reports: reports.length, submitted: reports.filter((r) => r.status === "submitted").length },
  });
  const next = nextRoundDates(round, round.recurrence);
  if (next === null) return { id: round.id, nextRoundId: null };
  const opened = openRound(
    tx,
    null,
    {
      planId: round.planId,
      title: nextRoundTitle(round.title, round, next),
      ...next,
      measureNumbers: JSON.parse(round.measureNumbers) as number[],
      departments: JSON.parse(round.departments) as string[],
      recurrence: round.recurrence,
    },
    now,
    round.id,
  );
  return { id: round.id, nextRoundId: opened.id };
}

export interface RoundTick {
  /** Rounds closed and followed by their next round. */
  rolledOver: ClosedRound[];
  /** Rounds whose departments were told the due date is near. */
  dueSoonNotified: number[];
}

/**
 * The scheduler's tick (`cli rounds tick`, or the server every few minutes): rolls over every open repeating round
 * whose next period has started, and sends the "due soon" notice of each open round once, to the departments with
 * reports not yet submitted. Runs inside the caller's transaction; idempotent (a second tick does nothing more).
 */
export function tickRounds(tx: Queryable, now: Date): RoundTick {
  const tick: RoundTick = { rolledOver: [], dueSoonNotified: [] };
  const open = tx.select().from(reportRoundsTable).where(eq(reportRoundsTable.status, "open")).all();
  for (const round of open) {
    if (roundDueForRollover(round, now)) {
      tick.rolledOver.push(closeRound(tx, null, round.id, null, now));
      continue;
    }
    if (round.dueSoonNotifiedAt === null && isRoundDueSoon(round.dueDate, now)) {
      const owing = tx
        .selectDistinct({ department: roundReportsTable.department })
        .from(roundReportsTable)
        .where(and(eq(roundReportsTable.roundId, round.id), isNull(roundReportsTable.submittedAt)))
        .all()
        .map((r) => r.department);
      tx.update(reportRoundsTable).set({ dueSoonNotifiedAt: now.toISOString() }).where(eq(reportRoundsTable.id, round.id)).run();
      notify(tx, { kind: "round.due_soon", params: { roundId: round.id, title: round.title, dueDate: round.dueDate }, link: `/rounds/${round.id}`, departments: owing }, now);
      tick.dueSoonNotified.push(round.id);
    }
  }
  return tick;
}
