import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * A retried mutation carrying the same key returns the first answer instead of a conflict. Keys are per user,
 * and remember a hash of the request so that one key cannot be reused for a different request.
 */
export const idempotencyKeysTable = sqliteTable(
  "idempotency_keys",
  {
    userId: integer("user_id").notNull(),
    key: text("key").notNull(),
    procedure: text("procedure").notNull(),
    requestHash: text("request_hash").notNull(),
    /** The JSON of the first answer. */
    response: text("response").notNull(),
    createdAt: text("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.key] })],
);
