import { eq } from "drizzle-orm";
import { appendAuditEvent, writeTransaction } from "@countersign/db";
import type { CountersignDb } from "@countersign/db";
import { sessionsTable } from "@countersign/db/schema";
import { auditActorOf } from "../shared/acting-user.js";
import type { ActingUser } from "../shared/acting-user.js";

/** Ends one session (the cookie's), and records it. */
export function logout(db: CountersignDb, user: ActingUser, sessionId: string, now: Date): void {
  writeTransaction(db, (tx) => {
    tx.delete(sessionsTable).where(eq(sessionsTable.id, sessionId)).run();
    appendAuditEvent(tx, {
      at: now.toISOString(),
      type: "auth.logout",
      ...auditActorOf(user),
      department: user.department,
      payload: {},
    });
  });
}
