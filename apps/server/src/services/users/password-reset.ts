import { createHash, randomBytes } from "node:crypto";
import { and, eq, isNull } from "drizzle-orm";
import { appendAuditEvent } from "@countersign/db";
import type { AnyStoreTransaction, Queryable } from "@countersign/db";
import { passwordResetsTable, sessionsTable, usersTable } from "@countersign/db/schema";
import { ServiceError } from "../../errors.js";
import { auditActorOf } from "../shared/acting-user.js";
import type { ActingUser } from "../shared/acting-user.js";
import { userRowById } from "./account-view.js";

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

/** The account a code would reset, or `reset_code_invalid` (unknown, used, voided or expired alike). */
export function accountOfResetCode(tx: Queryable, code: string, now: Date): { resetId: string; userId: number; username: string } {
  const found = tx
    .select({ id: passwordResetsTable.id, userId: passwordResetsTable.userId, usedAt: passwordResetsTable.usedAt, expiresAt: passwordResetsTable.expiresAt, username: usersTable.username })
    .from(passwordResetsTable)
    .innerJoin(usersTable, eq(usersTable.id, passwordResetsTable.userId))
    .where(eq(passwordResetsTable.id, codeHash(code)))
    .get();
  if (found === undefined || found.usedAt !== null || Date.parse(found.expiresAt) <= now.getTime()) {
    throw new ServiceError("reset_code_invalid", "This reset code is not valid: it may have expired or been used already. Ask an administrator for a new one.", {
      field: "code",
    });
  }
  return { resetId: found.id, userId: found.userId, username: found.username };
}

/**
 * Redeems a code: the account's password becomes `newPasswordHash`, the code is spent, every session of the account
 * ends (user.password_reset_redeemed, by the owner). Conditional on the code being unspent, so two racing redemptions
 * cannot both succeed. Errors: reset_code_invalid.
 */
export function redeemPasswordReset(tx: Queryable, code: string, newPasswordHash: string, now: Date): { username: string } {
  const reset = accountOfResetCode(tx, code, now);
  const at = now.toISOString();
  const spent = tx
    .update(passwordResetsTable)
    .set({ usedAt: at })
    .where(and(eq(passwordResetsTable.id, reset.resetId), isNull(passwordResetsTable.usedAt)))
    .run().changes;
  if (spent !== 1) throw new ServiceError("reset_code_invalid", "This reset code has just been used.", { field: "code" });
  const user = userRowById(tx, reset.userId);
  if (user === undefined) throw new ServiceError("reset_code_invalid", "This reset code is not valid.", { field: "code" });
  tx.update(usersTable).set({ passwordHash: newPasswordHash }).where(eq(usersTable.id, user.id)).run();
  const sessionsEnded = tx.delete(sessionsTable).where(eq(sessionsTable.userId, user.id)).run().changes;
  appendAuditEvent(tx, {
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
