import { and, count, desc, eq, inArray, isNull, like, lt } from "drizzle-orm";
import type { SQL } from "drizzle-orm";
import type { Queryable } from "../../client.js";
import { assignmentNoticesTable, notificationsTable, outboxTable } from "../../schema/index.js";
import type { NotificationsRepo } from "../repos/notifications.js";

const n = notificationsTable;

function unreadOf(userId: number, ids: readonly number[] | null): SQL | undefined {
  const mine = and(eq(n.userId, userId), isNull(n.readAt));
  return ids === null ? mine : and(mine, inArray(n.id, [...ids]));
}

export function sqliteNotificationsRepo(db: Queryable): NotificationsRepo {
  return {
    async list(userId, limit, before) {
      return db
        .select({ id: n.id, kind: n.kind, params: n.params, link: n.link, createdAt: n.createdAt, readAt: n.readAt })
        .from(n)
        .where(before === null ? eq(n.userId, userId) : and(eq(n.userId, userId), lt(n.id, before)))
        .orderBy(desc(n.id))
        .limit(limit)
        .all();
    },
    async unreadCount(userId) {
      return db.select({ c: count() }).from(n).where(unreadOf(userId, null)).get()?.c ?? 0;
    },
    async unreadLinks(userId, ids, prefix) {
      if (ids !== null && ids.length === 0) return [];
      const rows = db
        .select({ link: n.link })
        .from(n)
        .where(and(unreadOf(userId, ids), like(n.link, `${prefix}%`)))
        .all();
      return rows.map((r) => r.link);
    },
    async markRead(userId, ids, at) {
      if (ids !== null && ids.length === 0) return;
      db.update(n).set({ readAt: at }).where(unreadOf(userId, ids)).run();
    },
    async markLinkRead(userId, link, at) {
      db.update(n).set({ readAt: at }).where(and(unreadOf(userId, null), eq(n.link, link))).run();
    },
    async clearInboxMarks(department, assignmentIds) {
      if (assignmentIds.length === 0) return;
      const m = assignmentNoticesTable;
      db.update(m)
        .set({ unread: false, readEventId: m.noticeEventId })
        .where(and(eq(m.department, department), eq(m.unread, true), inArray(m.assignmentId, [...assignmentIds])))
        .run();
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
        .limit(limit)
        .all();
    },
  };
}
