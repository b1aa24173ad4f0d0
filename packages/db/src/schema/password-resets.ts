import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { usersTable } from "./users.js";

/**
 * One-time password-reset codes an administrator issues (重置密码). Only the code's sha256 is stored; a code is
 * good once, until `expires_at`, and issuing a new one for the account voids the earlier ones (`used_at` set).
 */
export const passwordResetsTable = sqliteTable(
  "password_resets",
  {
    /** sha256 (hex) of the code. */
    id: text("id").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => usersTable.id, { onDelete: "cascade" }),
    createdAt: text("created_at").notNull(),
    /** UTC ISO; the code is refused from this instant on. */
    expiresAt: text("expires_at").notNull(),
    /** When it was used or voided; null while it is good. */
    usedAt: text("used_at"),
    createdByUserId: integer("created_by_user_id"),
  },
  (t) => [index("password_resets_user_idx").on(t.userId)],
);
