import { parseArgs } from "node:util";
import { addDepartment, listDepartmentRows, renameDepartment, retireDepartment } from "../services/departments/manage-departments.js";
import { printRefusal } from "./command.js";
import type { CliCommand, CliIo } from "./command.js";
import { openCommandStore } from "./command-store.js";

const help = `usage: cli department list [--json]
       cli department add --code <CODE> [--name-zh <全称> --name-en <name> [--short-zh <简称>] [--short-en <abbr>]]
           a unit of the register of departments by its code alone (e.g. MOE, NAFR, ACFIC), or another with its names
       cli department rename --code <CODE> [--name-zh …] [--name-en …] [--short-zh …] [--short-en …]
       cli department retire --code <CODE> [--on YYYY-MM-DD]   kept for existing plans, offered for no new one
Each change is recorded in the audit trail. DATABASE_URL=postgres://… chooses PostgreSQL, else DATABASE_PATH the SQLite
file (default ./data/countersign.sqlite).`;

export const departmentCommand: CliCommand = {
  async run(args: string[], io: CliIo): Promise<number> {
    const [sub, ...rest] = args;
    if (sub !== "list" && sub !== "add" && sub !== "rename" && sub !== "retire") {
      io.stderr.write(`${help}\n`);
      return 2;
    }
    let values: Record<string, string | boolean | undefined>;
    try {
      values = parseArgs({
        args: rest,
        options: {
          code: { type: "string" },
          "name-zh": { type: "string" },
          "name-en": { type: "string" },
          "short-zh": { type: "string" },
          "short-en": { type: "string" },
          on: { type: "string" },
          json: { type: "boolean" },
        },
        strict: true,
      }).values;
    } catch (error) {
      io.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${help}\n`);
      return 2;
    }
    const str = (k: string): string | undefined => (typeof values[k] === "string" ? (values[k] as string) : undefined);
    const code = str("code");
    if (sub !== "list" && code === undefined) {
      io.stderr.write(`--code is required\n${help}\n`);
      return 2;
    }
    // A fresh database gets the 2020 departments first, as with `cli user add` (either engine: `openCommandStore`).
    const opened = await openCommandStore(io, { firstStart: true });
    try {
      const now = new Date();
      const named = { nameZh: str("name-zh"), nameEn: str("name-en"), shortZh: str("short-zh"), shortEn: str("short-en") };
      // The store seam: the same services, and units of work, as the server's.
      const store = opened.store;
      if (sub === "list") {
        const rows = await store.read((repos) => listDepartmentRows(repos));
        io.stdout.write(
          values["json"] === true
            ? `${JSON.stringify(rows, null, 2)}\n`
            : `${rows.map((r) => `${r.code.padEnd(10)} ${r.shortZh}\t${r.shortEn}\t${r.kind}${r.retiredOn ? `\tretired ${r.retiredOn}` : ""}`).join("\n")}\n`,
        );
        return 0;
      }
      const c = code ?? "";
      // The command line acts as the system (no account); each change is one transaction with its audit event.
      const row = await store.transaction((tx) =>
        sub === "add"
          ? addDepartment(tx, { code: c, ...definedOnly(named) }, null, now)
          : sub === "rename"
            ? renameDepartment(tx, { code: c, ...definedOnly(named) }, null, now)
            : retireDepartment(tx, { code: c, ...(str("on") === undefined ? {} : { on: str("on") }) }, null, now),
      );
      const verb = sub === "add" ? "added" : sub === "rename" ? "renamed" : "retired";
      io.stdout.write(`${verb} ${row.code} ${row.nameZh} (${row.nameEn})${row.retiredOn ? ` from ${row.retiredOn}` : ""}\n`);
      return 0;
    } catch (error) {
      return printRefusal(io, error);
    } finally {
      await opened.close();
    }
  },
};

function definedOnly<T extends Record<string, string | undefined>>(o: T): { [K in keyof T]?: string } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: string };
}
