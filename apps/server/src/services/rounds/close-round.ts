import { isRoundDueSoon, nextRoundDates, nextRoundTitle, roundDueForRollover } from "@countersign/domain";
import type { AnyStore, AnyStoreTransaction, RoundRecord } from "@countersign/db";
import { ServiceError } from "../../errors.js";
import { auditActorOf, requireRole } from "../shared/acting-user.js";
import type { ActingUser } from "../shared/acting-user.js";
import { notifyOnSeam } from "../notifications/notify.js";
import type { OutboundChannels } from "../notifications/notify.js";
import { openRound } from "./open-round.js";

export interface ClosedRound {
  id: number;
  /** The round opened next when this one repeats; null otherwise. */
  nextRoundId: number | null;
}

/**
 * Closes an open round (the coordinator, or the scheduler's tick with `user` null): nothing in it changes any more.
 * A repeating round opens the next (dates from the domain's `nextRoundDates`, same scope) in the same unit of work.
 * The close is a conditional update on the round's version, so of two closes at once (two instances' ticks, a tick
 * and the coordinator) exactly one applies; the other is refused before it has written anything.
 * Runs inside the caller's unit of work `tx`. Errors: `forbidden_role`, `not_found`, `round_closed`, `stale_version`.
 */
export async function closeRound(
  tx: AnyStoreTransaction,
  user: ActingUser | null,
  roundId: number,
  expectedVersion: number | null,
  now: Date,
  channels: OutboundChannels,
): Promise<ClosedRound> {
  if (user !== null) requireRole(user, ["coordinator"], "close a reporting round");
  const { repos } = tx;
  const round = await repos.rounds.findRound(roundId);
  if (round === undefined) throw new ServiceError("not_found", `There is no round ${roundId}.`, { field: "roundId" });
  if (round.status !== "open") throw new ServiceError("round_closed", "This round is already closed.");
  if (expectedVersion !== null && round.version !== expectedVersion) {
    throw new ServiceError("stale_version", `This round has changed since you loaded it (now version ${round.version}); reload it and try again.`);
  }
  const at = now.toISOString();
  const closed = await repos.rounds.closeIfVersion(round.id, round.version, at);
  if (closed === undefined) {
    // PostgreSQL: another unit of work changed the round between the read and the update (SQLite: one writer, unreachable).
    const current = await repos.rounds.findRound(round.id);
    if (current !== undefined && current.status !== "open") throw new ServiceError("round_closed", "This round has just been closed.");
    throw new ServiceError("stale_version", "This round has just changed; reload it and try again.");
  }
  const tally = await repos.rounds.reportTally(round.id);
  await tx.appendAuditEvent({
    at,
    type: "round.closed",
    ...auditActorOf(user),
    planId: round.planId,
    payload: { roundId: round.id, reports: tally.reports, submitted: tally.submitted },
  });
  const next = nextRoundDates(round, round.recurrence);
  if (next === null) return { id: round.id, nextRoundId: null };
  const opened = await openRound(
    tx,
    null,
    {
      planId: round.planId,
      title: nextRoundTitle(round.title, round, next),
      ...next,
      measureNumbers: round.measureNumbers,
      departments: round.departments,
      recurrence: round.recurrence,
    },
    now,
    channels,
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

/** Whether the scheduler has anything to do for this round now (the domain's rules; the unit of work decides again). */
function roundNeedsTick(round: RoundRecord, now: Date): boolean {
  return roundDueForRollover(round, now) || (round.status === "open" && round.dueSoonNotifiedAt === null && isRoundDueSoon(round.dueDate, now));
}

/**
 * The scheduler's work on one round, inside the caller's unit of work `tx`, read afresh there: rolls it over (closes
 * it and opens the next) when its next period has started, or else sends its "due soon" notice once, to the
 * departments with reports not yet submitted (the mark is a conditional update: sent once however many instances
 * tick). Resolves to what it did. Errors: `round_closed`, `stale_version` when another unit of work won the race.
 */
export async function tickRound(tx: AnyStoreTransaction, roundId: number, now: Date, channels: OutboundChannels): Promise<RoundTick> {
  const tick: RoundTick = { rolledOver: [], dueSoonNotified: [] };
  const round = await tx.repos.rounds.findRound(roundId);
  if (round === undefined || round.status !== "open") return tick;
  if (roundDueForRollover(round, now)) {
    tick.rolledOver.push(await closeRound(tx, null, round.id, round.version, now, channels));
    return tick;
  }
  if (round.dueSoonNotifiedAt === null && isRoundDueSoon(round.dueDate, now) && (await tx.repos.rounds.markDueSoonNotified(round.id, now.toISOString()))) {
    const owing = await tx.repos.rounds.departmentsOwing(round.id);
    await notifyOnSeam(
      tx.repos,
      { kind: "round.due_soon", params: { roundId: round.id, title: round.title, dueDate: round.dueDate }, link: `/rounds/${round.id}`, departments: owing },
      channels,
      now,
    );
    tick.dueSoonNotified.push(round.id);
  }
  return tick;
}

/**
 * The scheduler's tick (`cli rounds tick`, or the server's rounds scheduler every few minutes, on every instance):
 * rolls over every open repeating round whose next period has started, and sends the "due soon" notice of each open
 * round once. One unit of work per round, so a round another instance has just handled (its close or mark came
 * first: `round_closed`, `stale_version`) is skipped without undoing the others. Idempotent: a second tick does
 * nothing more. Errors: the store's own (a round's failure other than a lost race stops the tick).
 */
export async function tickRounds(store: AnyStore, now: Date, channels: OutboundChannels): Promise<RoundTick> {
  const tick: RoundTick = { rolledOver: [], dueSoonNotified: [] };
  const open = await store.read((repos) => repos.rounds.openRounds());
  for (const round of open) {
    if (!roundNeedsTick(round, now)) continue;
    try {
      const done = await store.transaction((tx) => tickRound(tx, round.id, now, channels));
      tick.rolledOver.push(...done.rolledOver);
      tick.dueSoonNotified.push(...done.dueSoonNotified);
    } catch (error) {
      if (error instanceof ServiceError && (error.code === "round_closed" || error.code === "stale_version")) continue;
      throw error;
    }
  }
  return tick;
}
