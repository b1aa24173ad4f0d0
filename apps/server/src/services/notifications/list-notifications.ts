import type { Repositories, StoredDelivery } from "@countersign/db";
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

/** The caller's newest notices (before `before`, an id, for the next page) and how many are unread. Either engine. */
export async function listNotifications(
  repos: Repositories,
  user: ActingUser,
  limit: number,
  before: number | null,
): Promise<{ items: NotificationView[]; unread: number }> {
  const rows = await repos.notifications.list(user.id, limit, before);
  return {
    items: rows.map((r) => ({ id: r.id, kind: r.kind, params: JSON.parse(r.params) as NotificationParams, link: r.link, createdAt: r.createdAt, read: r.readAt !== null })),
    unread: await unreadCount(repos, user),
  };
}

export type DeliveryView = StoredDelivery;

/** The outbox's delivery log, newest first: administrators only (it names every event). Errors: `forbidden_role` for anyone but an administrator. */
export async function listDeliveries(repos: Repositories, user: ActingUser, limit: number): Promise<DeliveryView[]> {
  requireRole(user, ["admin"], "read the delivery log");
  return repos.notifications.deliveries(limit);
}
