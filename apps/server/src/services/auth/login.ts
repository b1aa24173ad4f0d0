import { eq } from "drizzle-orm";
import { appendAuditEvent, writeTransaction } from "@countersign/db";
import type { CountersignDb, Queryable } from "@countersign/db";
import { loginThrottleTable, sessionsTable, usersTable } from "@countersign/db/schema";
import { sql } from "drizzle-orm";
import { boundedValue } from "../../security/bounded-text.js";
import { rememberDevice } from "./known-device.js";
import { ServiceError } from "../../errors.js";
import { auditActorOf } from "../shared/acting-user.js";
import type { ActingUser } from "../shared/acting-user.js";
import { unmatchableHash, verifyPassword } from "./password.js";
import type { SessionPolicy } from "./session-policy.js";
import { newSessionToken, sessionIdOf } from "./session-token.js";

export interface LoginInput {
  username: string;
  password: string;
}

export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
}

export interface LoggedIn {
  user: ActingUser;
  /** The cookie's value; only its hash is stored. */
  token: string;
  expiresAt: Date;
  /** The known-device cookie's value for this browser (the same as it sent, if it was known to this account). */
  deviceToken: string;
  /** Failed sign-ins on this account since its previous successful one, for the owner to be told. */
  failedSignInsSinceLast: number;
}

/** The key of an account's count of failures since its last successful sign-in (in `login_throttle`). */
const noticeKeyOf = (userId: number): string => `notice:${userId}`;

/**
 * Checks the password (as slowly for an unknown account as for a known one) and opens a new session; the session
 * the browser came with, if any, is ended, so a session id is never carried across a login.
 *
 * A failure on an existing account is in the trail (`auth.login_failed`, bounded by the sign-in delays on that
 * account) and counted for the owner's notice; a failure on a name no account has is not written to the trail
 * (anyone could fill it with made-up names), only counted by the sign-in limiter. On success, `succeeded(tx)` runs in
 * the same transaction (the limiter clears its counts) and the browser becomes a known device of the account.
 */
export async function login(
  db: CountersignDb,
  input: LoginInput,
  meta: RequestMeta & { previousSessionId: string | null; deviceToken: string | null },
  policy: SessionPolicy,
  now: Date,
  succeeded: (tx: Queryable) => void = () => {},
): Promise<LoggedIn> {
  const username = input.username.trim().toLowerCase();
  const found = db.select().from(usersTable).where(eq(usersTable.username, username)).get();
  const passwordOk = await verifyPassword(input.password, found?.passwordHash ?? unmatchableHash);
  const at = now.toISOString();
  if (found === undefined || !passwordOk || found.disabledAt !== null) {
    if (found !== undefined) {
      const reason = found.disabledAt !== null ? "disabled" : "wrong_password";
      writeTransaction(db, (tx) => {
        appendAuditEvent(tx, {
          at,
          type: "auth.login_failed",
          actorUserId: found.id,
          actorUsername: found.username,
          actorRole: found.role,
          actorDepartment: found.department,
          department: found.department,
          payload: { reason, ip: boundedValue(meta.ip) },
        });
        tx.insert(loginThrottleTable)
          .values({ key: noticeKeyOf(found.id), failures: 1, lastFailureAt: at })
          .onConflictDoUpdate({ target: loginThrottleTable.key, set: { failures: sql`${loginThrottleTable.failures} + 1`, lastFailureAt: at } })
          .run();
      });
    }
    throw new ServiceError("invalid_credentials", "Wrong username or password.");
  }
  const user: ActingUser = {
    id: found.id,
    username: found.username,
    displayName: found.displayName,
    role: found.role,
    department: found.department,
    departmentRole: found.departmentRole,
    divisionId: found.divisionId,
  };
  const token = newSessionToken();
  const expiresAt = new Date(now.getTime() + policy.absoluteMs);
  const { deviceToken, failedSignInsSinceLast } = writeTransaction(db, (tx) => {
    if (meta.previousSessionId !== null) {
      tx.delete(sessionsTable).where(eq(sessionsTable.id, meta.previousSessionId)).run();
    }
    tx.insert(sessionsTable)
      .values({
        id: sessionIdOf(token),
        userId: user.id,
        createdAt: at,
        lastSeenAt: at,
        expiresAt: expiresAt.toISOString(),
        ip: boundedValue(meta.ip),
        userAgent: boundedValue(meta.userAgent),
      })
      .run();
    appendAuditEvent(tx, {
      at,
      type: "auth.login",
      ...auditActorOf(user),
      department: user.department,
      payload: { ip: boundedValue(meta.ip) },
    });
    const notice = tx.select().from(loginThrottleTable).where(eq(loginThrottleTable.key, noticeKeyOf(user.id))).get();
    if (notice !== undefined) tx.delete(loginThrottleTable).where(eq(loginThrottleTable.key, notice.key)).run();
    succeeded(tx);
    return { deviceToken: rememberDevice(tx, user.id, meta.deviceToken, now), failedSignInsSinceLast: notice?.failures ?? 0 };
  });
  return { user, token, expiresAt, deviceToken, failedSignInsSinceLast };
}
