import { parseArgs } from "node:util";
import { actorRoles, personLabel } from "@countersign/domain";
import type { ActorRole } from "@countersign/domain";
import { ServiceError } from "../errors.js";
import { accountViewsOf } from "../services/users/account-view.js";
import { updateAccount } from "../services/users/manage-accounts.js";
import { issuePasswordReset } from "../services/users/password-reset.js";
import { printRefusal } from "./command.js";
import type { CliIo } from "./command.js";
import { openCommandStore } from "./command-store.js";

const usage: Record<"list" | "reset-password" | "set-role", string> = {
  list: "usage: cli user list [--json]",
  "reset-password": "usage: cli user reset-password --username <name> [--base-url <https://countersign.example.gov.cn>]",
  "set-role": `usage: cli user set-role --username <name> --role <${actorRoles.join("|")}> [--department <CODE>]`,
};

/**
 * `cli user list | reset-password | set-role` on the database (`openCommandStore`: PostgreSQL with DATABASE_URL, else
 * the SQLite file DATABASE_PATH), without a running server. Each
 * change is recorded in the audit trail with no signed-in actor (the command line). Exit 0 done, 1 refused, 2 usage.
 */
export async function runUserAdminCommand(sub: "list" | "reset-password" | "set-role", args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      username: { type: "string" },
      role: { type: "string" },
      department: { type: "string" },
      "base-url": { type: "string" },
      json: { type: "boolean" },
    },
    strict: true,
  });
  if (sub !== "list" && values.username === undefined) {
    io.stderr.write(`${usage[sub]}\n`);
    return 2;
  }
  if (sub === "set-role" && (values.role === undefined || !(actorRoles as readonly string[]).includes(values.role))) {
    io.stderr.write(`${usage[sub]}\n`);
    return 2;
  }
  const opened = await openCommandStore(io);
  const now = new Date();
  // The store seam: the same services, and units of work, as the server's.
  const store = opened.store;
  try {
    if (sub === "list") {
      const accounts = await store.read((repos) => accountViewsOf(repos, now));
      if (values.json === true) {
        io.stdout.write(`${JSON.stringify(accounts, null, 2)}\n`);
        return 0;
      }
      for (const a of accounts) {
        const state = a.disabled ? "disabled" : "enabled";
        io.stdout.write(
          `${a.username.padEnd(16)} ${a.role.padEnd(11)} ${(a.department ?? "-").padEnd(8)} ${state.padEnd(8)} ${String(a.openSessions).padStart(2)} session(s)  ${personLabel(a.person, "en").name} / ${personLabel(a.person, "zh").name}\n`,
        );
      }
      return 0;
    }
    const username = (values.username ?? "").trim().toLowerCase();
    const user = await store.read((repos) => repos.accounts.byUsername(username));
    if (user === undefined) throw new ServiceError("not_found", `There is no account ${username}.`, { field: "username" });
    if (sub === "reset-password") {
      const reset = await store.transaction((tx) => issuePasswordReset(tx, user.id, null, now));
      const base = (values["base-url"] ?? io.env["PUBLIC_URL"] ?? "").replace(/\/+$/, "");
      io.stdout.write(
        `One-time reset code for ${user.username} (shown once; good until ${reset.expiresAt}, single use):\n  ${reset.code}\n` +
          `Link: ${base}${reset.link}\nThe owner opens the link (or the sign-in page's "Set a password with a reset code") and chooses a new password.\n`,
      );
      return 0;
    }
    const department = values.department === undefined ? user.department : values.department.toUpperCase();
    const result = await store.transaction((tx) =>
      updateAccount(
        tx,
        {
          id: user.id,
          displayNameZh: user.displayNameZh,
          displayNameEn: user.displayNameEn,
          role: values.role as ActorRole,
          department,
          ssoIdentity: user.ssoIdentity,
        },
        null,
        now,
      ),
    );
    io.stdout.write(`${user.username} is now ${values.role}${department === null ? "" : ` of ${department}`}; ${result.sessionsEnded} session(s) ended\n`);
    return 0;
  } catch (error) {
    return printRefusal(io, error);
  } finally {
    await opened.close();
  }
}
