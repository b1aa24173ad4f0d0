import { and, asc, eq, isNull } from "drizzle-orm";
import type { Queryable } from "../../client.js";
import { outboxTable as o } from "../../schema/index.js";
import type { OutboxRepo } from "../repos/outbox.js";

const delivery = {
  id: o.id,
  channel: o.channel,
  eventId: o.eventId,
  type: o.type,
  payload: o.payload,
  attempts: o.attempts,
  nextAttemptAt: o.nextAttemptAt,
};

export function sqliteOutboxRepo(db: Queryable): OutboxRepo {
  /** The row while the claim that set `leaseUntil` holds: undelivered, not claimed again since. */
  const claimed = (id: number, leaseUntil: string) => and(eq(o.id, id), isNull(o.deliveredAt), eq(o.nextAttemptAt, leaseUntil));
  return {
    async undelivered(channel, limit) {
      return db.select(delivery).from(o).where(and(eq(o.channel, channel), isNull(o.deliveredAt))).orderBy(asc(o.id)).limit(limit).all();
    },
    async claim(id, seenNextAttemptAt, leaseUntil) {
      const rows = db
        .update(o)
        .set({ nextAttemptAt: leaseUntil })
        .where(and(eq(o.id, id), isNull(o.deliveredAt), eq(o.nextAttemptAt, seenNextAttemptAt)))
        .returning({ id: o.id })
        .all();
      return rows.length === 1;
    },
    async markDelivered(id, leaseUntil, result) {
      const rows = db
        .update(o)
        .set({ deliveredAt: result.deliveredAt, attempts: result.attempts, lastStatus: result.lastStatus, lastError: null })
        .where(claimed(id, leaseUntil))
        .returning({ id: o.id })
        .all();
      return rows.length === 1;
    },
    async markFailed(id, leaseUntil, failure) {
      const rows = db
        .update(o)
        .set({ attempts: failure.attempts, nextAttemptAt: failure.nextAttemptAt, lastStatus: failure.lastStatus, lastError: failure.lastError })
        .where(claimed(id, leaseUntil))
        .returning({ id: o.id })
        .all();
      return rows.length === 1;
    },
  };
}
