import { and, asc, eq, isNull } from "drizzle-orm";
import type { OutboxRepo } from "@countersign/db";
import type { PostgresDb } from "../connect.js";
import { outboxTable as o } from "../schema/notifications.js";
import type { PostgresTx } from "../store.js";

const delivery = {
  id: o.id,
  channel: o.channel,
  eventId: o.eventId,
  type: o.type,
  payload: o.payload,
  attempts: o.attempts,
  nextAttemptAt: o.nextAttemptAt,
};

/**
 * The outbox on PostgreSQL. Claims are conditional updates (under read committed the second of two racing
 * updates re-reads the row after the first commits, finds `next_attempt_at` changed, and changes nothing), so
 * several instances share the outbox without holding a transaction open across a send.
 */
export function postgresOutboxRepo(db: PostgresDb | PostgresTx): OutboxRepo {
  const claimed = (id: number, leaseUntil: string) => and(eq(o.id, id), isNull(o.deliveredAt), eq(o.nextAttemptAt, leaseUntil));
  return {
    async undelivered(channel, limit) {
      return db.select(delivery).from(o).where(and(eq(o.channel, channel), isNull(o.deliveredAt))).orderBy(asc(o.id)).limit(limit);
    },
    async claim(id, seenNextAttemptAt, leaseUntil) {
      const rows = await db
        .update(o)
        .set({ nextAttemptAt: leaseUntil })
        .where(and(eq(o.id, id), isNull(o.deliveredAt), eq(o.nextAttemptAt, seenNextAttemptAt)))
        .returning({ id: o.id });
      return rows.length === 1;
    },
    async markDelivered(id, leaseUntil, result) {
      const rows = await db
        .update(o)
        .set({ deliveredAt: result.deliveredAt, attempts: result.attempts, lastStatus: result.lastStatus, lastError: null })
        .where(claimed(id, leaseUntil))
        .returning({ id: o.id });
      return rows.length === 1;
    },
    async markFailed(id, leaseUntil, failure) {
      const rows = await db
        .update(o)
        .set({ attempts: failure.attempts, nextAttemptAt: failure.nextAttemptAt, lastStatus: failure.lastStatus, lastError: failure.lastError })
        .where(claimed(id, leaseUntil))
        .returning({ id: o.id });
      return rows.length === 1;
    },
  };
}
