import type { AnyStoreTransaction } from "@countersign/db";
import { auditActorOf } from "../shared/acting-user.js";
import type { ActingUser } from "../shared/acting-user.js";

/**
 * Ends every session of the account, not only the cookie's: signing out on a shared office computer must not leave
 * another tab or machine signed in. Recorded with the number of sessions ended (in the caller's unit of work).
 */
export async function logout(tx: AnyStoreTransaction, user: ActingUser, now: Date): Promise<void> {
  const ended = await tx.repos.sessions.endAllOf(user.id, null);
  await tx.appendAuditEvent({
    at: now.toISOString(),
    type: "auth.logout",
    ...auditActorOf(user),
    department: user.department,
    payload: { sessionsEnded: ended },
  });
}
