import type { AnyStore, Repositories } from "@countersign/db";
import { boundedValue } from "../../security/bounded-text.js";
import { newDeviceToken, rememberDevice } from "./known-device.js";
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
export const noticeKeyOf = (userId: number): string => `notice:${userId}`;

/** The prefix of the owner's notice keys, which the sign-in limiter's pruning keeps. */
export const noticeKeyPrefix = "notice:";

/**
 * Checks the password (as slowly for an unknown account as for a known one) and opens a new session; the session
 * the browser came with, if any, is ended, so a session id is never carried across a login.
 *
 * Units of work: the account is read on committed state, the password checked outside any unit of work (scrypt is
 * slow: it must not hold SQLite's write lock or a PostgreSQL connection), then ONE unit of work records the outcome.
 * A failure on an existing account is in the trail (`auth.login_failed`, bounded by the sign-in delays on that
 * account) and counted for the owner's notice; a failure on a name no account has is not written to the trail
 * (anyone could fill it with made-up names), only counted by the sign-in limiter. On success, `succeeded(repos)` runs
 * in the same unit of work (the limiter clears its counts) and the browser becomes a known device of the account.
 * Errors: invalid_credentials (wrong password, unknown or disabled account: one answer for all).
 */
export async function login(
  store: AnyStore,
  input: LoginInput,
  meta: RequestMeta & { previousSessionId: string | null; deviceToken: string | null },
  policy: SessionPolicy,
  now: Date,
  succeeded: (repos: Repositories) => Promise<void> = async () => undefined,
): Promise<LoggedIn> {
  const username = input.username.trim().toLowerCase();
  const found = await store.read((repos) => repos.sessions.accountNamed(username));
  const passwordOk = await verifyPassword(input.password, found?.passwordHash ?? unmatchableHash);
  const at = now.toISOString();
  if (found === undefined || !passwordOk || found.disabledAt !== null) {
    if (found !== undefined) {
      const reason = found.disabledAt !== null ? "disabled" : "wrong_password";
      await store.transaction(async (tx) => {
        await tx.appendAuditEvent({
          at,
          type: "auth.login_failed",
          actorUserId: found.id,
          actorUsername: found.username,
          actorRole: found.role,
          actorDepartment: found.department,
          department: found.department,
          payload: { reason, ip: boundedValue(meta.ip) },
        });
        await tx.repos.loginThrottle.addFailure(noticeKeyOf(found.id), at);
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
  // Made outside the unit of work, which may run more than once on PostgreSQL.
  const token = newSessionToken();
  const freshDevice = newDeviceToken();
  const expiresAt = new Date(now.getTime() + policy.absoluteMs);
  const { deviceToken, failedSignInsSinceLast } = await store.transaction(async (tx) => {
    const { sessions, loginThrottle } = tx.repos;
    if (meta.previousSessionId !== null) await sessions.end(meta.previousSessionId);
    await sessions.open({
      id: sessionIdOf(token),
      userId: user.id,
      createdAt: at,
      lastSeenAt: at,
      expiresAt: expiresAt.toISOString(),
      ip: boundedValue(meta.ip),
      userAgent: boundedValue(meta.userAgent),
    });
    await tx.appendAuditEvent({
      at,
      type: "auth.login",
      ...auditActorOf(user),
      department: user.department,
      payload: { ip: boundedValue(meta.ip) },
    });
    const failures = await loginThrottle.clear(noticeKeyOf(user.id));
    await succeeded(tx.repos);
    return { deviceToken: await rememberDevice(tx.repos, user.id, meta.deviceToken, freshDevice, now), failedSignInsSinceLast: failures };
  });
  return { user, token, expiresAt, deviceToken, failedSignInsSinceLast };
}
