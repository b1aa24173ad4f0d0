import { parseArgs } from "node:util";
import { createDivisionInputSchema, departmentRoles, setDepartmentPartInputSchema } from "@countersign/domain";
import type { DepartmentRole } from "@countersign/domain";
import { ServiceError } from "../errors.js";
import { createDivision, departmentPeople, setDepartmentPart, setLeaderApproval } from "../services/users/department-parts.js";
import { printRefusal } from "./command.js";
import type { CliCommand, CliIo } from "./command.js";
import { openCommandStore } from "./command-store.js";

const help = `usage: cli division list --department <CODE> [--json]
       cli division add --department <CODE> [--name-zh <处室>] [--name-en <name>]
       cli division set-part --username <name> --part liaison|handler|leader [--division <ID>]
           a department account's part in its department; a handler belongs to one of its divisions
       cli division approval --department <CODE> --required yes|no
           whether the department's sign-offs and extension requests wait for its leader's approval
Each change is recorded in the audit trail (no signed-in actor). DATABASE_URL=postgres://… chooses PostgreSQL, else
DATABASE_PATH the SQLite file.`;

/** Inside a department (issue 15, point 2) from the command line. Exit 0 done, 1 refused, 2 usage. */
export const divisionCommand: CliCommand = {
  async run(args: string[], io: CliIo): Promise<number> {
    const [sub, ...rest] = args;
    if (sub !== "list" && sub !== "add" && sub !== "set-part" && sub !== "approval") {
      io.stderr.write(`${help}\n`);
      return 2;
    }
    let values: Record<string, string | boolean | undefined>;
    try {
      values = parseArgs({
        args: rest,
        options: {
          department: { type: "string" },
          "name-zh": { type: "string" },
          "name-en": { type: "string" },
          username: { type: "string" },
          part: { type: "string" },
          division: { type: "string" },
          required: { type: "string" },
          json: { type: "boolean" },
        },
        strict: true,
      }).values;
    } catch (error) {
      io.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${help}\n`);
      return 2;
    }
    const str = (k: string): string | undefined => (typeof values[k] === "string" ? (values[k] as string) : undefined);
    const department = str("department");
    if ((sub === "list" || sub === "add" || sub === "approval") && department === undefined) {
      io.stderr.write(`--department is required\n${help}\n`);
      return 2;
    }
    const part = str("part");
    if (sub === "set-part" && (str("username") === undefined || part === undefined || !(departmentRoles as readonly string[]).includes(part))) {
      io.stderr.write(`--username and --part liaison|handler|leader are required\n${help}\n`);
      return 2;
    }
    const required = str("required");
    if (sub === "approval" && required !== "yes" && required !== "no") {
      io.stderr.write(`--required yes|no is required\n${help}\n`);
      return 2;
    }
    const opened = await openCommandStore(io, { firstStart: true });
    try {
      const now = new Date();
      // The store seam: the same services, and units of work, as the server's.
      const store = opened.store;
      switch (sub) {
        case "list": {
          // The command line reads as an administrator would.
          const people = await store.read((repos) => departmentPeople(repos, { id: 0, username: "cli", displayName: "cli", role: "admin", department: null }, department));
          io.stdout.write(
            values["json"] === true
              ? `${JSON.stringify(people, null, 2)}\n`
              : `${[
                  `leader approval: ${people.leaderApproval ? "required" : "not required"}`,
                  ...people.divisions.map((d) => `division ${d.id}\t${d.nameZh ?? ""}\t${d.nameEn ?? ""}`),
                  ...people.people.map((p) => `${p.username}\t${p.departmentRole}${p.divisionId === null ? "" : `\tdivision ${p.divisionId}`}`),
                ].join("\n")}\n`,
          );
          return 0;
        }
        case "add": {
          const input = createDivisionInputSchema.parse({ department, nameZh: str("name-zh") ?? null, nameEn: str("name-en") ?? null });
          const d = await store.transaction((tx) => createDivision(tx, input, null, now));
          io.stdout.write(`added division ${d.id} of ${d.department}: ${d.nameZh ?? ""} ${d.nameEn ?? ""}\n`);
          return 0;
        }
        case "set-part": {
          const user = await store.read((repos) => repos.accounts.byUsername((str("username") ?? "").toLowerCase()));
          if (user === undefined) throw new ServiceError("not_found", `There is no account ${str("username") ?? ""}.`, { field: "username" });
          const division = str("division");
          const input = setDepartmentPartInputSchema.parse({
            id: user.id,
            departmentRole: part as DepartmentRole,
            divisionId: division === undefined ? null : Number(division),
          });
          const r = await store.transaction((tx) => setDepartmentPart(tx, input, null, now));
          io.stdout.write(`${str("username") ?? ""} is now ${input.departmentRole}; sessions ended: ${r.sessionsEnded}\n`);
          return 0;
        }
        case "approval": {
          const r = await store.transaction((tx) => setLeaderApproval(tx, department ?? "", required === "yes", null, now));
          io.stdout.write(`${department ?? ""}: leader approval ${required === "yes" ? "required" : "not required"}${r.changed ? "" : " (unchanged)"}\n`);
          return 0;
        }
      }
    } catch (error) {
      if (error instanceof ServiceError) return printRefusal(io, error);
      if (error instanceof Error && error.name === "ZodError") {
        io.stderr.write(`${error.message}\n`);
        return 2;
      }
      throw error;
    } finally {
      await opened.close();
    }
  },
};
