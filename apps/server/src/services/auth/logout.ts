import { eq } from "drizzle-orm";
import { appendAuditEvent, writeTransaction } from "@countersign/db";
import type { CountersignDb } from "@countersign/db";
import { sessionsTable } from "@countersign/db/schema";
import { auditActorOf } from "../shared/acting-user.js";
import type { ActingUser } from "../shared/acting-user.js";

/**
 * Ends every session of the account, not only the cookie's: signing out on a shared office computer must not leave
 * another tab or machine signed in. Recorded with the number of sessions ended.
 */
export function logout(db: CountersignDb, user: ActingUser, now: Date): void {
  writeTransaction(db, (tx) => {
    const ended = tx.delete(sessionsTable).where(eq(sessionsTable.userId, user.id)).run().changes;
    appendAuditEvent(tx, {
      at: now.toISOString(),
      type: "auth.logout",
      ...auditActorOf(user),
      department: user.department,
      payload: { sessionsEnded: ended },
    });
  });
}
