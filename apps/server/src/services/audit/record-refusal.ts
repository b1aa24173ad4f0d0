import { appendAuditEvent, writeTransaction } from "@countersign/db";
import type { CountersignDb } from "@countersign/db";
import { auditActorOf } from "../shared/acting-user.js";
import type { ActingUser } from "../shared/acting-user.js";

export interface RefusedAccess {
  /** The procedure path, e.g. "assignment.accept", or the HTTP route. */
  procedure: string;
  code: string;
  message: string;
  assignmentId?: number | null;
  planId?: number | null;
  ip?: string | null;
}

/** A refused authorization is part of the trail (its own transaction: the refused change itself never happened). */
export function recordRefusedAccess(db: CountersignDb, user: ActingUser | null, refused: RefusedAccess, now: Date): void {
  writeTransaction(db, (tx) => {
    appendAuditEvent(tx, {
      at: now.toISOString(),
      type: "access.refused",
      ...auditActorOf(user),
      planId: refused.planId ?? null,
      assignmentId: refused.assignmentId ?? null,
      department: user?.department ?? null,
      payload: {
        procedure: refused.procedure,
        code: refused.code,
        message: refused.message,
        ip: refused.ip ?? null,
      },
    });
  });
}
