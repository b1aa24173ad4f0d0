/** One in-app notice as stored (`params` is its JSON text). */
export interface StoredNotification {
  id: number;
  kind: string;
  params: string;
  link: string;
  createdAt: string;
  readAt: string | null;
}

/** One row of the outbound delivery log. */
export interface StoredDelivery {
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

/**
 * The notification centre's reads and read state (apps/server services/notifications/read-state.ts decides what is
 * read when): an account's notices, and the department inbox's unread marks that opening an assignment clears.
 * Writing notices is notify.ts's (not here).
 */
export interface NotificationsRepo {
  /** An account's notices, newest (highest id) first, with ids below `before` when given, at most `limit`. */
  list(userId: number, limit: number, before: number | null): Promise<StoredNotification[]>;
  /** How many of an account's notices are unread. */
  unreadCount(userId: number): Promise<number>;
  /** The links starting with `prefix` (plain text: no `%` or `_`) of an account's unread notices (those with these ids, or all for null). */
  unreadLinks(userId: number, ids: readonly number[] | null, prefix: string): Promise<string[]>;
  /** Marks an account's unread notices read at `at` (UTC ISO): those with these ids, or all for null. */
  markRead(userId: number, ids: readonly number[] | null, at: string): Promise<void>;
  /** Marks an account's unread notices with this link read at `at` (UTC ISO). */
  markLinkRead(userId: number, link: string, at: string): Promise<void>;
  /** Clears a department's unread inbox marks of these assignments (the mark remembers the event it read). */
  clearInboxMarks(department: string, assignmentIds: readonly number[]): Promise<void>;
  /** The outbox's delivery log, newest first, at most `limit`. */
  deliveries(limit: number): Promise<StoredDelivery[]>;
}
