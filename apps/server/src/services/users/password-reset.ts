import { createHash, randomBytes } from "node:crypto";
import type { AnyStoreTransaction, Repositories } from "@countersign/db";
import { ServiceError } from "../../errors.js";
import { auditActorOf } from "../shared/acting-user.js";
import type { ActingUser } from "../shared/acting-user.js";

/** How long a reset code is good: a working day for the administrator to hand it over (by phone, in person). */
export const resetCodeLifetimeMs = 24 * 60 * 60 * 1000;

/** The path of the page where the owner redeems a code; the code rides in the fragment, which no server log sees. */
export const resetPagePath = "/reset-password";

export interface IssuedReset {
  /** The code: shown once, to the administrator who issued it; only its sha256 is stored. */
  code: string;
  /** `/reset-password#code=…` (relative to the server's address). */
  link: string;
  expiresAt: string;
}

const codeHash = (code: string): string => createHash("sha256").update(code.trim()).digest("hex");

/**
 * Issues a one-time reset code for an account (user.password_reset_issued), voiding any earlier one, in the caller's
 * unit of work on either engine. The password stays as it was until the owner redeems the code. 256 random bits, so
 * guessing one is hopeless without a limit. A unit of work run again (a PostgreSQL retry) draws a new code and
 * answers with the one it stored. Errors: not_found.
 */
export async function issuePasswordReset(tx: AnyStoreTransaction, userId: number, actor: ActingUser | null, now: Date): Promise<IssuedReset> {
  const user = await tx.repos.accounts.byId(userId);
  if (user === undefined) throw new ServiceError("not_found", `There is no account ${userId}.`, { field: "id" });
  const at = now.toISOString();
  const voided = await tx.repos.accounts.voidResets(user.id, at);
  const code = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + resetCodeLifetimeMs).toISOString();
  await tx.repos.accounts.addReset({ id: codeHash(code), userId: user.id, createdAt: at, expiresAt, createdByUserId: actor?.id ?? null });
  await tx.appendAuditEvent({
    at,
    type: "user.password_reset_issued",
    ...auditActorOf(actor),
    department: user.department,
    payload: { username: user.username, userId: user.id, expiresAt, earlierVoided: voided },
  });
  return { code, link: `${resetPagePath}#code=${code}`, expiresAt };
}

const invalidCode = (): ServiceError =>
  new ServiceError("reset_code_invalid", "This reset code is not valid: it may have expired or been used already. Ask an administrator for a new one.", {
    field: "code",
  });

/** The account a code would reset, or `reset_code_invalid` (unknown, used, voided or expired alike). */
export async function accountOfResetCode(repos: Repositories, code: string, now: Date): Promise<{ resetId: string; userId: number; username: string }> {
  const found = await repos.accounts.resetById(codeHash(code));
  if (found === undefined || found.usedAt !== null || Date.parse(found.expiresAt) <= now.getTime()) throw invalidCode();
  return { resetId: found.id, userId: found.userId, username: found.username };
}

/**
 * Redeems a code, in the caller's unit of work: the account's password becomes `newPasswordHash`, the code is spent,
 * every session of the account ends (user.password_reset_redeemed, by the owner). Conditional on the code being
 * unspent, so two racing redemptions cannot both succeed. Errors: reset_code_invalid.
 */
export async function redeemPasswordReset(tx: AnyStoreTransaction, code: string, newPasswordHash: string, now: Date): Promise<{ username: string }> {
  const { accounts, sessions } = tx.repos;
  const reset = await accountOfResetCode(tx.repos, code, now);
  const at = now.toISOString();
  if (!(await accounts.spendReset(reset.resetId, at))) throw new ServiceError("reset_code_invalid", "This reset code has just been used.", { field: "code" });
  const user = await accounts.byId(reset.userId);
  if (user === undefined) throw new ServiceError("reset_code_invalid", "This reset code is not valid.", { field: "code" });
  await sessions.setPasswordHash(user.id, newPasswordHash);
  const sessionsEnded = await accounts.endSessions(user.id);
  await tx.appendAuditEvent({
    at,
    type: "user.password_reset_redeemed",
    actorUserId: user.id,
    actorUsername: user.username,
    actorRole: user.role,
    actorDepartment: user.department,
    department: user.department,
    payload: { username: user.username, userId: user.id, sessionsEnded },
  });
  return { username: user.username };
}
