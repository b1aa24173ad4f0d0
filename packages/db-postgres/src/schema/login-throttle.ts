import { index, integer, pgTable, text } from "drizzle-orm/pg-core";
import { usersTable } from "./users.js";

/** Mirrors packages/db/src/schema/login-throttle.ts: failed sign-in counts shared by every server instance. */
export const loginThrottleTable = pgTable(
  "login_throttle",
  {
    key: text("key").primaryKey(),
    failures: integer("failures").notNull(),
    lastFailureAt: text("last_failure_at").notNull(),
  },
  (t) => [index("login_throttle_last_failure_idx").on(t.lastFailureAt)],
);

/** Mirrors packages/db/src/schema/login-throttle.ts: browsers that signed in to an account before (sha256 of the token). */
export const knownDevicesTable = pgTable(
  "known_devices",
  {
    id: text("id").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => usersTable.id, { onDelete: "cascade" }),
    createdAt: text("created_at").notNull(),
    lastSignInAt: text("last_sign_in_at").notNull(),
  },
  (t) => [index("known_devices_user_idx").on(t.userId, t.lastSignInAt)],
);
