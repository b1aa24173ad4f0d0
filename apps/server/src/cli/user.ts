import { parseArgs } from "node:util";
import { actorRoles } from "@countersign/domain";
import type { ActorRole } from "@countersign/domain";
import { runAccountStatusCommand } from "../security/account-status.js";
import { runUserAdminCommand } from "./user-admin.js";
import { createUserInStore } from "../services/users/create-user.js";
import { readAll, printRefusal } from "./command.js";
import { openCommandStore } from "./command-store.js";
import type { CliCommand, CliIo } from "./command.js";

const help = `usage: cli user add --username <name> --role <${actorRoles.join("|")}> [--department <CODE>]
                   [--display-name-zh <中文名>] [--display-name-en <English name>] --password-stdin
Creates an account in the database (DATABASE_URL=postgres://… for PostgreSQL, else the SQLite file DATABASE_PATH,
default ./data/countersign.sqlite; every command below too); the password is read from standard input, never from the
command line. A database without the default plan (a fresh one) gets it first, as at a server's first start.
       cli user disable --username <name> [--reason <text>]   refuses sign-in and ends every session of the account
       cli user enable --username <name> [--reason <text>]
       cli user list [--json]                                 every account: names, role, department, state
       cli user reset-password --username <name> [--base-url <https://…>]
                                                              prints a one-time reset code and link (24 hours)
       cli user set-role --username <name> --role <role> [--department <CODE>]
The password rules: at least 15 characters, any characters, not a common or breached password (OWASP ASVS 5.0 V6.2).`;

export const userCommand: CliCommand = {
  async run(args: string[], io: CliIo): Promise<number> {
    const [sub, ...rest] = args;
    if (sub === "disable" || sub === "enable") return runAccountStatusCommand(sub, rest, io);
    if (sub === "list" || sub === "reset-password" || sub === "set-role") return runUserAdminCommand(sub, rest, io);
    if (sub !== "add") {
      io.stderr.write(`${help}\n`);
      return 2;
    }
    const { values } = parseArgs({
      args: rest,
      options: {
        username: { type: "string" },
        role: { type: "string" },
        department: { type: "string" },
        "display-name": { type: "string" },
        "display-name-zh": { type: "string" },
        "display-name-en": { type: "string" },
        "password-stdin": { type: "boolean" },
      },
      strict: true,
    });
    if (values.username === undefined || values.role === undefined || values["password-stdin"] !== true) {
      io.stderr.write(`${help}\n`);
      return 2;
    }
    if (!(actorRoles as readonly string[]).includes(values.role)) {
      io.stderr.write(`--role must be one of ${actorRoles.join(", ")}\n`);
      return 2;
    }
    const password = await readAll(io.stdin);
    const opened = await openCommandStore(io, { firstStart: true });
    try {
      const user = await createUserInStore(
        opened.store,
        {
          username: values.username,
          role: values.role as ActorRole,
          department: values.department?.toUpperCase() ?? null,
          password,
          displayName: values["display-name"],
          displayNameZh: values["display-name-zh"],
          displayNameEn: values["display-name-en"],
        },
        null,
        new Date(),
      );
      io.stdout.write(`created ${user.username} (${user.role}${user.department === null ? "" : `, ${user.department}`}) in ${opened.shown}\n`);
      return 0;
    } catch (error) {
      return printRefusal(io, error);
    } finally {
      await opened.close();
    }
  },
};
