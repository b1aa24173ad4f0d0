import type { AnyStoreTransaction } from "@countersign/db";
import type { ActingUser } from "../shared/acting-user.js";
import { auditActorOf } from "../shared/acting-user.js";
import type { SessionPolicy } from "./session-policy.js";
import { newSessionToken, sessionIdOf } from "./session-token.js";

export type SsoRefusal = "unknown_account" | "disabled" | "no_claim";

export type SsoOutcome =
  | { ok: true; user: ActingUser; token: string; expiresAt: Date }
  | { ok: false; reason: SsoRefusal };

/**
 * Signs in the account an identity provider vouched for: the claim's value (trimmed, lower case) equals an account's
 * single-sign-on identity, or, for an account without one, its username. Opens a session as a password sign-in does
 * (the browser's previous session ended) and records auth.sso_login; an unknown or disabled account is refused and
 * recorded as auth.sso_refused. Never creates an account. Runs in the caller's unit of work; `token` is the new
 * session's cookie value (made by the caller, outside the unit of work, which may run twice on PostgreSQL).
 */
export async function signInWithClaim(
  tx: AnyStoreTransaction,
  claim: { name: string; value: unknown; issuer: string; subject: string },
  meta: { ip: string | null; userAgent: string | null; previousSessionId: string | null },
  policy: SessionPolicy,
  now: Date,
  token: string = newSessionToken(),
): Promise<SsoOutcome> {
  const at = now.toISOString();
  const { sessions } = tx.repos;
  const value = typeof claim.value === "string" ? claim.value.trim().toLowerCase() : "";
  const found =
    value === "" ? undefined : ((await sessions.accountWithSsoIdentity(value)) ?? (await sessions.accountNamedWithoutSsoIdentity(value)));
  const reason: SsoRefusal | null = value === "" ? "no_claim" : found === undefined ? "unknown_account" : found.disabledAt !== null ? "disabled" : null;
  if (found === undefined || reason !== null) {
    await tx.appendAuditEvent({
      at,
      type: "auth.sso_refused",
      actorUserId: found?.id ?? null,
      actorUsername: found?.username ?? null,
      actorRole: found?.role ?? null,
      actorDepartment: found?.department ?? null,
      department: found?.department ?? null,
      payload: { reason: reason ?? "unknown_account", claim: claim.name, value: value.slice(0, 254), issuer: claim.issuer, subject: claim.subject.slice(0, 254), ip: meta.ip },
    });
    return { ok: false, reason: reason ?? "unknown_account" };
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
  const expiresAt = new Date(now.getTime() + policy.absoluteMs);
  if (meta.previousSessionId !== null) await sessions.end(meta.previousSessionId);
  await sessions.open({ id: sessionIdOf(token), userId: user.id, createdAt: at, lastSeenAt: at, expiresAt: expiresAt.toISOString(), ip: meta.ip, userAgent: meta.userAgent?.slice(0, 256) ?? null });
  await tx.appendAuditEvent({
    at,
    type: "auth.sso_login",
    ...auditActorOf(user),
    department: user.department,
    payload: { claim: claim.name, value, issuer: claim.issuer, subject: claim.subject.slice(0, 254), ip: meta.ip },
  });
  return { ok: true, user, token, expiresAt };
}
