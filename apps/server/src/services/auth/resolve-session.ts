import { eq, sql } from "drizzle-orm";
import { nationalId } from "@countersign/domain";
import { isDatabaseBusy } from "@countersign/db";
import type { CountersignDb } from "@countersign/db";
import { departmentsTable, sessionsTable, usersTable } from "@countersign/db/schema";
import type { ActingUser } from "../shared/acting-user.js";
import type { SessionPolicy } from "./session-policy.js";
import { sessionIdOf } from "./session-token.js";

export interface ResolvedSession {
  sessionId: string;
  user: ActingUser;
  expiresAt: string;
}

function prepareSessionLookup(db: CountersignDb) {
  return db
    .select({
      lastSeenAt: sessionsTable.lastSeenAt,
      expiresAt: sessionsTable.expiresAt,
      id: usersTable.id,
      username: usersTable.username,
      displayName: usersTable.displayName,
      role: usersTable.role,
      department: usersTable.department,
      departmentRole: usersTable.departmentRole,
      divisionId: usersTable.divisionId,
      disabledAt: usersTable.disabledAt,
      accountOrganisation: usersTable.organisationId,
      departmentOrganisation: departmentsTable.organisationId,
    })
    .from(sessionsTable)
    .innerJoin(usersTable, eq(usersTable.id, sessionsTable.userId))
    // The caller's organisation (issue 16) read with the session, once a request: the boundary and live filters use it.
    .leftJoin(departmentsTable, eq(departmentsTable.code, usersTable.department))
    .where(eq(sessionsTable.id, sql.placeholder("sessionId")))
    .prepare();
}

// Every request resolves its session: the statement is built and prepared once per database, not per request
// (building and preparing it cost more than running it).
const sessionLookups = new WeakMap<CountersignDb, ReturnType<typeof prepareSessionLookup>>();
function sessionLookup(db: CountersignDb): ReturnType<typeof prepareSessionLookup> {
  let lookup = sessionLookups.get(db);
  if (lookup === undefined) {
    lookup = prepareSessionLookup(db);
    sessionLookups.set(db, lookup);
  }
  return lookup;
}

/** The user behind a cookie's token, or null when there is none, it expired (idle or absolute), or the account is disabled. */
export function resolveSession(db: CountersignDb, token: string, policy: SessionPolicy, now: Date): ResolvedSession | null {
  if (token === "" || token.length > 128) return null;
  const sessionId = sessionIdOf(token);
  const found = sessionLookup(db).get({ sessionId });
  if (found === undefined) return null;
  const nowMs = now.getTime();
  const lastSeenMs = Date.parse(found.lastSeenAt);
  if (Date.parse(found.expiresAt) <= nowMs || lastSeenMs + policy.idleMs <= nowMs || found.disabledAt !== null) {
    bestEffort(() => db.delete(sessionsTable).where(eq(sessionsTable.id, sessionId)).run());
    return null;
  }
  if (nowMs - lastSeenMs >= policy.touchAfterMs) {
    bestEffort(() => db.update(sessionsTable).set({ lastSeenAt: now.toISOString() }).where(eq(sessionsTable.id, sessionId)).run());
  }
  const { id, username, displayName, role, department, departmentRole, divisionId } = found;
  // As organisationOfUser decides it: a department's organisation, else the account's.
  const organisation = found.departmentOrganisation ?? found.accountOrganisation ?? nationalId;
  return { sessionId, user: { id, username, displayName, role, department, departmentRole, divisionId, organisation }, expiresAt: found.expiresAt };
}

/**
 * Housekeeping writes of every request (touching last-seen, deleting an expired row) must not fail or stall a read
 * while another process holds the write lock: skipped then, and done by a later request (an expired session is
 * refused either way).
 */
function bestEffort(write: () => unknown): void {
  try {
    write();
  } catch (error) {
    if (!isDatabaseBusy(error)) throw error;
  }
}

/** Whether a session (by its stored id) is still open, for long-lived subscriptions. */
export function sessionIsLive(db: CountersignDb, sessionId: string, policy: SessionPolicy, now: Date): boolean {
  const found = db
    .select({ lastSeenAt: sessionsTable.lastSeenAt, expiresAt: sessionsTable.expiresAt })
    .from(sessionsTable)
    .where(eq(sessionsTable.id, sessionId))
    .get();
  if (found === undefined) return false;
  const nowMs = now.getTime();
  return Date.parse(found.expiresAt) > nowMs && Date.parse(found.lastSeenAt) + policy.idleMs > nowMs;
}
