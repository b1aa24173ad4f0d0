import { parseArgs } from "node:util";
import { eq } from "drizzle-orm";
import { normaliseText } from "@countersign/domain";
import { appendAuditEvent, openDatabase, resolveDatabasePath, writeTransaction } from "@countersign/db";
import type { CountersignDb } from "@countersign/db";
import { sessionsTable, usersTable } from "@countersign/db/schema";
import type { CliIo } from "../cli/command.js";
import { ServiceError } from "../errors.js";

export interface AccountStatusChange {
  username: string;
  /** False when the account already was in the asked state (nothing recorded). */
  changed: boolean;
  sessionsEnded: number;
}

/**
 * Disables an account (from the command line): sign-in is refused from now on and every open session of the account
 * ends in the same transaction, so a running server answers its very next request as signed out.
 */
export function disableAccount(db: CountersignDb, username: string, reason: string, now: Date): AccountStatusChange {
  return setAccountStatus(db, username, "disable", reason, now);
}

/** Lets a disabled account sign in again (its old sessions stay ended). */
export function enableAccount(db: CountersignDb, username: string, reason: string, now: Date): AccountStatusChange {
  return setAccountStatus(db, username, "enable", reason, now);
}

function setAccountStatus(
  db: CountersignDb,
  rawUsername: string,
  action: "disable" | "enable",
  reason: string,
  now: Date,
): AccountStatusChange {
  const username = rawUsername.trim().toLowerCase();
  const at = now.toISOString();
  return writeTransaction(db, (tx) => {
    const user = tx.select().from(usersTable).where(eq(usersTable.username, username)).get();
    if (user === undefined) throw new ServiceError("not_found", `There is no account ${username}.`, { field: "username" });
    const disabling = action === "disable";
    // Disabling an already disabled account still ends any session, as a safety net.
    const sessionsEnded = disabling ? tx.delete(sessionsTable).where(eq(sessionsTable.userId, user.id)).run().changes : 0;
    const changed = disabling ? user.disabledAt === null : user.disabledAt !== null;
    if (changed) {
      tx.update(usersTable)
        .set({ disabledAt: disabling ? at : null })
        .where(eq(usersTable.id, user.id))
        .run();
    }
    if (changed || sessionsEnded > 0) {
      appendAuditEvent(tx, {
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
  });
}

/** `cli user disable|enable --username <name> [--reason <text>]` on the database file (DATABASE_PATH). */
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
  const database = openDatabase(resolveDatabasePath(io.env));
  try {
    const out = (action === "disable" ? disableAccount : enableAccount)(
      database.db,
      values.username,
      values.reason ?? "",
      new Date(),
    );
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
    database.close();
  }
}
