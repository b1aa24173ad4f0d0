/** One in-app notice to one account (`params` is the JSON of the words' parameters). */
export interface NotificationRow {
  userId: number;
  kind: string;
  params: string;
  link: string;
  createdAt: string;
}

/** One outbound message of the durable outbox (a webhook body or an email), delivered after the commit. */
export interface OutboxRow {
  channel: "webhook" | "email";
  /** The idempotency id a receiver sees. */
  eventId: string;
  type: string;
  payload: string;
  createdAt: string;
  nextAttemptAt: string;
}

/**
 * The notification centre and the outbox, written in the act's own unit of work (apps/server
 * services/notifications/notify.ts decides who is told and what; this only reads accounts and writes rows).
 */
export interface NoticesRepo {
  /** The ids of the enabled accounts of the departments named, each once, in id order. */
  enabledAccountsIn(departments: readonly string[]): Promise<number[]>;
  /** One account's notices, newest first, at most `limit`. */
  listFor(userId: number, limit: number): Promise<Array<NotificationRow & { id: number; readAt: string | null }>>;
  insertNotifications(rows: readonly NotificationRow[]): Promise<void>;
  enqueueOutbox(rows: readonly OutboxRow[]): Promise<void>;
}
