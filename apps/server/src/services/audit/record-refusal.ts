import type { AnyStore } from "@countersign/db";
import { boundedValue } from "../../security/bounded-text.js";
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

/**
 * A refused authorization of a signed-in user is part of the trail (its own transaction: the refused change itself
 * never happened). Only signed-in users: anonymous refusals go to the sampled server log (`AnonymousRefusalLog`),
 * since anyone could otherwise append rows that can never be removed. Every request value is cut to 256 characters.
 */
export async function recordRefusedAccess(store: AnyStore, user: ActingUser, refused: RefusedAccess, now: Date): Promise<void> {
  await store.transaction(async (tx) => {
    await tx.appendAuditEvent({
      at: now.toISOString(),
      type: "access.refused",
      ...auditActorOf(user),
      planId: refused.planId ?? null,
      assignmentId: refused.assignmentId ?? null,
      department: user.department,
      payload: {
        procedure: boundedValue(refused.procedure),
        code: boundedValue(refused.code),
        message: boundedValue(refused.message),
        ip: boundedValue(refused.ip),
      },
    });
  });
}
