import { and, count, desc, eq, inArray, isNull, like, lt } from "drizzle-orm";
import type { SQL } from "drizzle-orm";
import type { NotificationsRepo } from "@countersign/db";
import type { PostgresDb } from "../connect.js";
import { assignmentNoticesTable, notificationsTable, outboxTable } from "../schema/index.js";
import type { PostgresTx } from "../store.js";

const n = notificationsTable;

function unreadOf(userId: number, ids: readonly number[] | null): SQL | undefined {
  const mine = and(eq(n.userId, userId), isNull(n.readAt));
  return ids === null ? mine : and(mine, inArray(n.id, [...ids]));
}

export function postgresNotificationsRepo(db: PostgresDb | PostgresTx): NotificationsRepo {
  return {
    async list(userId, limit, before) {
      return db
        .select({ id: n.id, kind: n.kind, params: n.params, link: n.link, createdAt: n.createdAt, readAt: n.readAt })
        .from(n)
        .where(before === null ? eq(n.userId, userId) : and(eq(n.userId, userId), lt(n.id, before)))
        .orderBy(desc(n.id))
        .limit(limit);
    },
    async unreadCount(userId) {
      const [row] = await db.select({ c: count() }).from(n).where(unreadOf(userId, null));
      return row?.c ?? 0;
    },
    async unreadLinks(userId, ids, prefix) {
      if (ids !== null && ids.length === 0) return [];
      const rows = await db
        .select({ link: n.link })
        .from(n)
        .where(and(unreadOf(userId, ids), like(n.link, `${prefix}%`)));
      return rows.map((r) => r.link);
    },
    async markRead(userId, ids, at) {
      if (ids !== null && ids.length === 0) return;
      await db.update(n).set({ readAt: at }).where(unreadOf(userId, ids));
    },
    async markLinkRead(userId, link, at) {
      await db.update(n).set({ readAt: at }).where(and(unreadOf(userId, null), eq(n.link, link)));
    },
    async clearInboxMarks(department, assignmentIds) {
      if (assignmentIds.length === 0) return;
      const m = assignmentNoticesTable;
      await db.update(m)
        .set({ unread: false, readEventId: m.noticeEventId })
        .where(and(eq(m.department, department), eq(m.unread, true), inArray(m.assignmentId, [...assignmentIds])));
    },
    async deliveries(limit) {
      const o = outboxTable;
      return db
        .select({
          id: o.id,
          channel: o.channel,
          eventId: o.eventId,
          type: o.type,
          createdAt: o.createdAt,
          attempts: o.attempts,
          nextAttemptAt: o.nextAttemptAt,
          deliveredAt: o.deliveredAt,
          lastStatus: o.lastStatus,
          lastError: o.lastError,
        })
        .from(o)
        .orderBy(desc(o.id))
        .limit(limit);
    },
  };
}
