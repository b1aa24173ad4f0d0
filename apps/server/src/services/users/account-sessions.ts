import { createHash } from "node:crypto";
import { asc, eq } from "drizzle-orm";
import { appendAuditEvent } from "@countersign/db";
import type { Queryable } from "@countersign/db";
import { sessionsTable } from "@countersign/db/schema";
import { ServiceError } from "../../errors.js";
import { auditActorOf } from "../shared/acting-user.js";
import type { ActingUser } from "../shared/acting-user.js";
import { userRowById } from "./account-view.js";

export interface SessionView {
  /** 16 hex digits derived from the stored id: enough to name it, useless to open it. */
  ref: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  ip: string | null;
  userAgent: string | null;
  /** The session this request came with. */
  current: boolean;
}

/** A session's public reference: sha256 of its stored id (itself the token's sha256), cut to 16 hex digits. */
export function sessionRefOf(sessionId: string): string {
  return createHash("sha256").update(sessionId).digest("hex").slice(0, 16);
}

/** The account's sessions not yet past their absolute expiry, oldest first. */
export function listSessionsOf(db: Queryable, userId: number, currentSessionId: string | null, now: Date): SessionView[] {
  const nowMs = now.getTime();
  return db
    .select()
    .from(sessionsTable)
    .where(eq(sessionsTable.userId, userId))
    .orderBy(asc(sessionsTable.createdAt))
    .all()
    .filter((s) => Date.parse(s.expiresAt) > nowMs)
    .map((s) => ({
      ref: sessionRefOf(s.id),
      createdAt: s.createdAt,
      lastSeenAt: s.lastSeenAt,
      expiresAt: s.expiresAt,
      ip: s.ip,
      userAgent: s.userAgent,
      current: s.id === currentSessionId,
    }));
}

/**
 * Ends one session of an account (user.session_ended, by its owner or an administrator): its next request is signed
 * out. Errors: not_found (no such account, or no such session of it).
 */
export function endSessionOf(tx: Queryable, userId: number, ref: string, actor: ActingUser, now: Date): void {
  const user = userRowById(tx, userId);
  if (user === undefined) throw new ServiceError("not_found", `There is no account ${userId}.`, { field: "id" });
  const session = tx
    .select({ id: sessionsTable.id })
    .from(sessionsTable)
    .where(eq(sessionsTable.userId, userId))
    .all()
    .find((s) => sessionRefOf(s.id) === ref);
  if (session === undefined) throw new ServiceError("not_found", "There is no such session of this account; it may have ended already.", { field: "session" });
  tx.delete(sessionsTable).where(eq(sessionsTable.id, session.id)).run();
  appendAuditEvent(tx, {
    at: now.toISOString(),
    type: "user.session_ended",
    ...auditActorOf(actor),
    department: user.department,
    payload: { username: user.username, userId: user.id, session: ref, byOwner: actor.id === user.id },
  });
}
