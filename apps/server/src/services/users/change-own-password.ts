import { and, eq, ne } from "drizzle-orm";
import { appendAuditEvent } from "@countersign/db";
import type { Queryable } from "@countersign/db";
import { sessionsTable, usersTable } from "@countersign/db/schema";
import { auditActorOf } from "../shared/acting-user.js";
import type { ActingUser } from "../shared/acting-user.js";

/**
 * Sets the signed-in user's new password (already checked against the current one and the rules, and hashed by the
 * caller, outside the transaction: scrypt is slow) and ends every other session of the account
 * (user.password_changed), so a stolen session does not outlive the change.
 */
export function changeOwnPassword(tx: Queryable, user: ActingUser, newPasswordHash: string, keepSessionId: string | null, now: Date): { sessionsEnded: number } {
  tx.update(usersTable).set({ passwordHash: newPasswordHash }).where(eq(usersTable.id, user.id)).run();
  const others = keepSessionId === null ? eq(sessionsTable.userId, user.id) : and(eq(sessionsTable.userId, user.id), ne(sessionsTable.id, keepSessionId));
  const sessionsEnded = tx.delete(sessionsTable).where(others).run().changes;
  appendAuditEvent(tx, {
    at: now.toISOString(),
    type: "user.password_changed",
    ...auditActorOf(user),
    department: user.department,
    payload: { username: user.username, userId: user.id, sessionsEnded },
  });
  return { sessionsEnded };
}
