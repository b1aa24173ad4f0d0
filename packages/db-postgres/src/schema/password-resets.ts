import { index, integer, pgTable, text } from "drizzle-orm/pg-core";
import { usersTable } from "./users.js";

/** Mirrors packages/db/src/schema/password-resets.ts. */
export const passwordResetsTable = pgTable(
  "password_resets",
  {
    id: text("id").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => usersTable.id, { onDelete: "cascade" }),
    createdAt: text("created_at").notNull(),
    expiresAt: text("expires_at").notNull(),
    usedAt: text("used_at"),
    createdByUserId: integer("created_by_user_id"),
  },
  (t) => [index("password_resets_user_idx").on(t.userId)],
);
