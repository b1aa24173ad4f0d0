import { parseArgs } from "node:util";
import { actorRoles } from "@countersign/domain";
import type { ActorRole } from "@countersign/domain";
import { loadDefaultPlan, openDatabase, resolveDatabasePath } from "@countersign/db";
import { ServiceError } from "../errors.js";
import { runAccountStatusCommand } from "../security/account-status.js";
import { createUser } from "../services/users/create-user.js";
import { readAll } from "./command.js";
import type { CliCommand, CliIo } from "./command.js";

const help = `usage: cli user add --username <name> --role <${actorRoles.join("|")}> [--department <CODE>]
                   [--display-name <text>] --password-stdin
Creates an account in the database (DATABASE_PATH, default ./data/countersign.sqlite); the password is read from
standard input, never from the command line.
       cli user disable --username <name> [--reason <text>]   refuses sign-in and ends every session of the account
       cli user enable --username <name> [--reason <text>]`;

export const userCommand: CliCommand = {
  async run(args: string[], io: CliIo): Promise<number> {
    const [sub, ...rest] = args;
    if (sub === "disable" || sub === "enable") return runAccountStatusCommand(sub, rest, io);
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
    const database = openDatabase(resolveDatabasePath(io.env));
    try {
      // The departments come with the default plan; a fresh database gets them here too.
      loadDefaultPlan(database.db);
      const user = await createUser(
        database.db,
        {
          username: values.username,
          role: values.role as ActorRole,
          department: values.department?.toUpperCase() ?? null,
          password,
          displayName: values["display-name"],
        },
        null,
        new Date(),
      );
      io.stdout.write(`created ${user.username} (${user.role}${user.department === null ? "" : `, ${user.department}`}) in ${database.path}\n`);
      return 0;
    } catch (error) {
      if (error instanceof ServiceError) {
        io.stderr.write(`${error.field === null ? "" : `${error.field}: `}${error.message}\n`);
        return 1;
      }
      throw error;
    } finally {
      database.close();
    }
  },
};
