import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { usersTable } from "./users.js";

/** One in-app notice to one account (fanned out to a department's accounts when written). */
export const notificationsTable = sqliteTable(
  "notifications",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: integer("user_id")
      .notNull()
      .references(() => usersTable.id),
    /** e.g. `round.opened`, `round.due_soon`, `round_report.returned`, `round_report.reminded`. */
    kind: text("kind").notNull(),
    /** JSON of the words' parameters (title, due date, reason …), rendered by the client in its language. */
    params: text("params").notNull(),
    /** The client path of the item, e.g. `/rounds/3`. */
    link: text("link").notNull(),
    createdAt: text("created_at").notNull(),
    readAt: text("read_at"),
  },
  (t) => [index("notifications_user_idx").on(t.userId, t.readAt, t.id)],
);

/**
 * The durable outbox of outbound messages (webhooks, email), written in the same transaction as the act; a
 * dispatcher delivers each row in id order per channel, retrying with backoff. `eventId` is the idempotency id the
 * receiver sees.
 */
export const outboxTable = sqliteTable(
  "outbox",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** `webhook` or `email`. */
    channel: text("channel").notNull(),
    eventId: text("event_id").notNull().unique(),
    type: text("type").notNull(),
    /** The JSON body (webhook) or the message (email: to, subject, text). */
    payload: text("payload").notNull(),
    createdAt: text("created_at").notNull(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: text("next_attempt_at").notNull(),
    deliveredAt: text("delivered_at"),
    lastError: text("last_error"),
    lastStatus: integer("last_status"),
  },
  (t) => [index("outbox_pending_idx").on(t.channel, t.deliveredAt, t.id)],
);
