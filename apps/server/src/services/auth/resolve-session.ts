import { nationalId } from "@countersign/domain";
import { isDatabaseBusy } from "@countersign/db";
import type { Repositories } from "@countersign/db";
import type { ActingUser } from "../shared/acting-user.js";
import type { SessionPolicy } from "./session-policy.js";
import { sessionIdOf } from "./session-token.js";

export interface ResolvedSession {
  sessionId: string;
  user: ActingUser;
  expiresAt: string;
}

/**
 * The user behind a cookie's token, or null when there is none, it expired (idle or absolute), or the account is
 * disabled. Reads committed state (`store.read`): every instance on the database resolves the same sessions. Touches
 * the session's last-seen time at most every `policy.touchAfterMs`, and deletes an expired row, both best-effort.
 */
export async function resolveSession(repos: Repositories, token: string, policy: SessionPolicy, now: Date): Promise<ResolvedSession | null> {
  if (token === "" || token.length > 128) return null;
  const sessionId = sessionIdOf(token);
  const found = await repos.sessions.withAccount(sessionId);
  if (found === undefined) return null;
  const nowMs = now.getTime();
  const lastSeenMs = Date.parse(found.lastSeenAt);
  if (Date.parse(found.expiresAt) <= nowMs || lastSeenMs + policy.idleMs <= nowMs || found.disabledAt !== null) {
    await bestEffort(() => repos.sessions.end(sessionId));
    return null;
  }
  if (nowMs - lastSeenMs >= policy.touchAfterMs) {
    await bestEffort(() => repos.sessions.touch(sessionId, now.toISOString()));
  }
  const { id, username, displayName, role, department, departmentRole, divisionId } = found;
  // As organisationOfUser decides it: a department's organisation, else the account's.
  const organisation = found.departmentOrganisation ?? found.accountOrganisation ?? nationalId;
  return { sessionId, user: { id, username, displayName, role, department, departmentRole, divisionId, organisation }, expiresAt: found.expiresAt };
}

/**
 * Housekeeping writes of every request (touching last-seen, deleting an expired row) must not fail or stall a read
 * while another process holds SQLite's write lock: skipped then, and done by a later request (an expired session is
 * refused either way).
 */
async function bestEffort(write: () => Promise<unknown>): Promise<void> {
  try {
    await write();
  } catch (error) {
    if (!isDatabaseBusy(error)) throw error;
  }
}

/** Whether a session (by its stored id) is still open, for long-lived subscriptions. */
export async function sessionIsLive(repos: Repositories, sessionId: string, policy: SessionPolicy, now: Date): Promise<boolean> {
  const found = await repos.sessions.timesOf(sessionId);
  if (found === undefined) return false;
  const nowMs = now.getTime();
  return Date.parse(found.expiresAt) > nowMs && Date.parse(found.lastSeenAt) + policy.idleMs > nowMs;
}
