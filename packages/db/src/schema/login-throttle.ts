import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { usersTable } from "./users.js";

/**
 * Failed sign-in counts, shared by every server process on the database (apps/server/src/security/login-limiter.ts).
 * Keys: `account:<name>`, `address:<ip>`, `device:<id>` (progressive delays) and `notice:<user id>` (failures since
 * the owner's last sign-in, told on the next one). Rows older than the forget period are pruned.
 */
export const loginThrottleTable = sqliteTable(
  "login_throttle",
  {
    key: text("key").primaryKey(),
    failures: integer("failures").notNull(),
    /** ISO time of the latest counted failure; the next attempt waits its delay from here. */
    lastFailureAt: text("last_failure_at").notNull(),
  },
  (t) => [index("login_throttle_last_failure_idx").on(t.lastFailureAt)],
);

/**
 * Browsers that signed in to an account before: the `countersign_device` cookie holds a random 256-bit token, only
 * its sha256 is stored. Such a device has its own failure budget, so an attacker's failures do not keep the owner out.
 */
export const knownDevicesTable = sqliteTable(
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
