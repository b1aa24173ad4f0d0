import type { AnyStoreTransaction } from "@countersign/db";
import { auditActorOf } from "../shared/acting-user.js";
import type { ActingUser } from "../shared/acting-user.js";

/**
 * Sets the signed-in user's new password (already checked against the current one and the rules, and hashed by the
 * caller, outside the unit of work: scrypt is slow) and ends every other session of the account
 * (user.password_changed), so a stolen session does not outlive the change. Runs in the caller's unit of work.
 */
export async function changeOwnPassword(
  tx: AnyStoreTransaction,
  user: ActingUser,
  newPasswordHash: string,
  keepSessionId: string | null,
  now: Date,
): Promise<{ sessionsEnded: number }> {
  await tx.repos.sessions.setPasswordHash(user.id, newPasswordHash);
  const sessionsEnded = await tx.repos.sessions.endAllOf(user.id, keepSessionId);
  await tx.appendAuditEvent({
    at: now.toISOString(),
    type: "user.password_changed",
    ...auditActorOf(user),
    department: user.department,
    payload: { username: user.username, userId: user.id, sessionsEnded },
  });
  return { sessionsEnded };
}
