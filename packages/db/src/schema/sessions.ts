import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { usersTable } from "./users.js";

/** Server-side sessions. The cookie holds a random 256-bit token; only its sha256 is stored, as the id. */
export const sessionsTable = sqliteTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => usersTable.id, { onDelete: "cascade" }),
    createdAt: text("created_at").notNull(),
    lastSeenAt: text("last_seen_at").notNull(),
    /** Absolute expiry; idle expiry is lastSeenAt + the idle timeout. */
    expiresAt: text("expires_at").notNull(),
    ip: text("ip"),
    userAgent: text("user_agent"),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);
