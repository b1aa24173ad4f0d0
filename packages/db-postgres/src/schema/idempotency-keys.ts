import { integer, pgTable, primaryKey, text } from "drizzle-orm/pg-core";

/** Mirrors packages/db/src/schema/idempotency-keys.ts. */
export const idempotencyKeysTable = pgTable(
  "idempotency_keys",
  {
    userId: integer("user_id").notNull(),
    key: text("key").notNull(),
    procedure: text("procedure").notNull(),
    requestHash: text("request_hash").notNull(),
    response: text("response").notNull(),
    createdAt: text("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.key] })],
);
