import { createHash } from "node:crypto";
import type { AnyStoreTransaction, AuditEventInput, Repositories, SessionRow } from "@countersign/db";
import { ServiceError } from "../../errors.js";
import { auditActorOf } from "../shared/acting-user.js";
import type { ActingUser } from "../shared/acting-user.js";

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

/** The rule of both forms below: of an account's sessions (oldest first), those not yet past their absolute expiry. */
export function sessionViewsOf(rows: readonly SessionRow[], currentSessionId: string | null, now: Date): SessionView[] {
  const nowMs = now.getTime();
  return rows
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

/** The account's sessions not yet past their absolute expiry, oldest first (on the store seam, either engine). */
export async function listAccountSessions(repos: Repositories, userId: number, currentSessionId: string | null, now: Date): Promise<SessionView[]> {
  return sessionViewsOf(await repos.sessions.listOf(userId), currentSessionId, now);
}


/**
 * Ends one session of an account (user.session_ended, by its owner or an administrator), in the caller's unit of
 * work: its next request is signed out. Errors: not_found (no such account, or no such session of it).
 */
export async function endAccountSession(tx: AnyStoreTransaction, userId: number, ref: string, actor: ActingUser, now: Date): Promise<void> {
  const { sessions } = tx.repos;
  const user = await sessions.accountById(userId);
  if (user === undefined) throw new ServiceError("not_found", `There is no account ${userId}.`, { field: "id" });
  const session = (await sessions.listOf(userId)).find((s) => sessionRefOf(s.id) === ref);
  if (session === undefined) throw noSuchSession();
  await sessions.end(session.id);
  await tx.appendAuditEvent(sessionEndedEvent(user, ref, actor, now));
}

const noSuchSession = () => new ServiceError("not_found", "There is no such session of this account; it may have ended already.", { field: "session" });

function sessionEndedEvent(user: { id: number; username: string; department: string | null }, ref: string, actor: ActingUser, now: Date): AuditEventInput {
  return {
    at: now.toISOString(),
    type: "user.session_ended",
    ...auditActorOf(actor),
    department: user.department,
    payload: { username: user.username, userId: user.id, session: ref, byOwner: actor.id === user.id },
  };
}

