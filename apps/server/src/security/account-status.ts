import { parseArgs } from "node:util";
import { normaliseText } from "@countersign/domain";
import type { AnyStoreTransaction } from "@countersign/db";
import type { CliIo } from "../cli/command.js";
import { openCommandStore } from "../cli/command-store.js";
import { ServiceError } from "../errors.js";

export interface AccountStatusChange {
  username: string;
  /** False when the account already was in the asked state (nothing recorded). */
  changed: boolean;
  sessionsEnded: number;
}

/**
 * Disables an account (from the command line): sign-in is refused from now on and every open session of the account
 * ends in the same unit of work, so a running server answers its very next request as signed out.
 * Errors: not_found (no such account).
 */
export function disableAccount(tx: AnyStoreTransaction, username: string, reason: string, now: Date): Promise<AccountStatusChange> {
  return setAccountStatus(tx, username, "disable", reason, now);
}

/** Lets a disabled account sign in again (its old sessions stay ended). Errors: not_found. */
export function enableAccount(tx: AnyStoreTransaction, username: string, reason: string, now: Date): Promise<AccountStatusChange> {
  return setAccountStatus(tx, username, "enable", reason, now);
}

async function setAccountStatus(
  tx: AnyStoreTransaction,
  rawUsername: string,
  action: "disable" | "enable",
  reason: string,
  now: Date,
): Promise<AccountStatusChange> {
  const username = rawUsername.trim().toLowerCase();
  const at = now.toISOString();
  const accounts = tx.repos.accounts;
  const user = await accounts.byUsername(username);
  if (user === undefined) throw new ServiceError("not_found", `There is no account ${username}.`, { field: "username" });
  const disabling = action === "disable";
  // Disabling an already disabled account still ends any session, as a safety net.
  const sessionsEnded = disabling ? await accounts.endSessions(user.id) : 0;
  const changed = disabling ? user.disabledAt === null : user.disabledAt !== null;
  if (changed) await accounts.update(user.id, { disabledAt: disabling ? at : null });
  if (changed || sessionsEnded > 0) {
    await tx.appendAuditEvent({
      at,
      type: disabling ? "user.disabled" : "user.enabled",
      // From the command line: no signed-in actor.
      actorUserId: null,
      actorUsername: null,
      actorRole: null,
      actorDepartment: null,
      department: user.department,
      // The reason is optional written text: normalised as all of it is (a reason that shows nothing is "").
      payload: { username: user.username, reason: normaliseText(reason), sessionsEnded },
    });
  }
  return { username: user.username, changed, sessionsEnded };
}

/** `cli user disable|enable --username <name> [--reason <text>]` on the database (`openCommandStore`: either engine). */
export async function runAccountStatusCommand(action: "disable" | "enable", args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { username: { type: "string" }, reason: { type: "string" } },
    strict: true,
  });
  if (values.username === undefined) {
    io.stderr.write(`usage: cli user ${action} --username <name> [--reason <text>]\n`);
    return 2;
  }
  const opened = await openCommandStore(io);
  try {
    const username = values.username;
    const out = await opened.store.transaction((tx) => (action === "disable" ? disableAccount : enableAccount)(tx, username, values.reason ?? "", new Date()));
    const state = action === "disable" ? "disabled" : "enabled";
    io.stdout.write(
      `${out.username} ${out.changed ? `is now ${state}` : `was already ${state}`}` +
        `${action === "disable" ? `; ${out.sessionsEnded} session(s) ended` : ""}\n`,
    );
    return 0;
  } catch (error) {
    if (error instanceof ServiceError) {
      io.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    await opened.close();
  }
}
