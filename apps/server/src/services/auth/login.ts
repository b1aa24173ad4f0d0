import { eq } from "drizzle-orm";
import { appendAuditEvent, writeTransaction } from "@countersign/db";
import type { CountersignDb } from "@countersign/db";
import { sessionsTable, usersTable } from "@countersign/db/schema";
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
}

/**
 * Checks the password (as slowly for an unknown account as for a known one) and opens a new session; the session
 * the browser came with, if any, is ended, so a session id is never carried across a login.
 */
export async function login(
  db: CountersignDb,
  input: LoginInput,
  meta: RequestMeta & { previousSessionId: string | null },
  policy: SessionPolicy,
  now: Date,
): Promise<LoggedIn> {
  const username = input.username.trim().toLowerCase();
  const found = db.select().from(usersTable).where(eq(usersTable.username, username)).get();
  const passwordOk = await verifyPassword(input.password, found?.passwordHash ?? unmatchableHash);
  const at = now.toISOString();
  if (found === undefined || !passwordOk || found.disabledAt !== null) {
    const reason = found === undefined ? "unknown_user" : found.disabledAt !== null ? "disabled" : "wrong_password";
    writeTransaction(db, (tx) => {
      appendAuditEvent(tx, {
        at,
        type: "auth.login_failed",
        actorUserId: found?.id ?? null,
        actorUsername: username.slice(0, 64),
        actorRole: found?.role ?? null,
        actorDepartment: found?.department ?? null,
        department: found?.department ?? null,
        payload: { reason, ip: meta.ip },
      });
    });
    throw new ServiceError("invalid_credentials", "Wrong username or password.");
  }
  const user: ActingUser = {
    id: found.id,
    username: found.username,
    displayName: found.displayName,
    role: found.role,
    department: found.department,
  };
  const token = newSessionToken();
  const expiresAt = new Date(now.getTime() + policy.absoluteMs);
  writeTransaction(db, (tx) => {
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
        ip: meta.ip,
        userAgent: meta.userAgent?.slice(0, 256) ?? null,
      })
      .run();
    appendAuditEvent(tx, {
      at,
      type: "auth.login",
      ...auditActorOf(user),
      department: user.department,
      payload: { ip: meta.ip },
    });
  });
  return { user, token, expiresAt };
}
