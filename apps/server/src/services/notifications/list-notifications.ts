import { and, desc, eq, lt } from "drizzle-orm";
import type { Queryable } from "@countersign/db";
import { notificationsTable, outboxTable } from "@countersign/db/schema";
import { requireRole } from "../shared/acting-user.js";
import type { ActingUser } from "../shared/acting-user.js";
import type { NotificationParams } from "./notify.js";
import { unreadCount } from "./read-state.js";

export interface NotificationView {
  id: number;
  kind: string;
  params: NotificationParams;
  link: string;
  createdAt: string;
  read: boolean;
}

/** The caller's newest notices (before `before`, an id, for the next page) and how many are unread. */
export function listNotifications(db: Queryable, user: ActingUser, limit: number, before: number | null): { items: NotificationView[]; unread: number } {
  const n = notificationsTable;
  const rows = db
    .select()
    .from(n)
    .where(before === null ? eq(n.userId, user.id) : and(eq(n.userId, user.id), lt(n.id, before)))
    .orderBy(desc(n.id))
    .limit(limit)
    .all();
  return {
    items: rows.map((r) => ({ id: r.id, kind: r.kind, params: JSON.parse(r.params) as NotificationParams, link: r.link, createdAt: r.createdAt, read: r.readAt !== null })),
    unread: unreadCount(db, user),
  };
}

export interface DeliveryView {
  id: number;
  channel: string;
  eventId: string;
  type: string;
  createdAt: string;
  attempts: number;
  nextAttemptAt: string;
  deliveredAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
}

/** The outbox's delivery log, newest first: administrators only (it names every event). */
export function listDeliveries(db: Queryable, user: ActingUser, limit: number): DeliveryView[] {
  requireRole(user, ["admin"], "read the delivery log");
  return db
    .select({
      id: outboxTable.id,
      channel: outboxTable.channel,
      eventId: outboxTable.eventId,
      type: outboxTable.type,
      createdAt: outboxTable.createdAt,
      attempts: outboxTable.attempts,
      nextAttemptAt: outboxTable.nextAttemptAt,
      deliveredAt: outboxTable.deliveredAt,
      lastStatus: outboxTable.lastStatus,
      lastError: outboxTable.lastError,
    })
    .from(outboxTable)
    .orderBy(desc(outboxTable.id))
    .limit(limit)
    .all();
}
