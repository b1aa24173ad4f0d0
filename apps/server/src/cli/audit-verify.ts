import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { resolveDatabasePath, schema } from "@countersign/db";
import { verifyAuditTrail } from "../security/audit-verification.js";
import type { CliCommand, CliIo } from "./command.js";

const help = `usage: cli audit verify [--anchor <seq>:<hash>] [--json]
Checks the hash chain of the audit trail in the database (DATABASE_PATH, default ./data/countersign.sqlite).
Prints "ok, N events" and exits 0 when it verifies; names the first broken event and exits 1 otherwise.
--anchor checks that event <seq> still has the hash noted earlier (e.g. printed by an earlier verify or backup).`;

/** `cli audit verify`: the tamper check an operator (or a cron job) runs on the database file. */
export const auditCommand: CliCommand = {
  async run(args: string[], io: CliIo): Promise<number> {
    const [sub, ...rest] = args;
    if (sub !== "verify") {
      io.stderr.write(`${help}\n`);
      return 2;
    }
    const { values } = parseArgs({ args: rest, options: { anchor: { type: "string" }, json: { type: "boolean" } }, strict: true });
    let anchor: { seq: number; hash: string } | undefined;
    if (values.anchor !== undefined) {
      const match = /^(\d+):([0-9a-f]{64})$/.exec(values.anchor);
      if (match === null) {
        io.stderr.write("--anchor is <seq>:<64 hex digits>, as printed by an earlier verify\n");
        return 2;
      }
      anchor = { seq: Number(match[1]), hash: match[2] ?? "" };
    }
    const path = resolveDatabasePath(io.env);
    if (path !== ":memory:" && !existsSync(path)) {
      io.stderr.write(`no database at ${path}\n`);
      return 2;
    }
    // Read-only: verifying (a backup, say) must not change the file.
    const sqlite = new Database(path, { readonly: true, fileMustExist: true });
    try {
      const result = verifyAuditTrail(drizzle({ client: sqlite, schema }), new Date(), anchor);
      if (values.json === true) io.stdout.write(`${JSON.stringify(result)}\n`);
      else if (result.ok) {
        io.stdout.write(
          `ok, ${result.events} events${result.head === null ? "" : ` (head ${result.head.seq}:${result.head.hash})`}\n`,
        );
      } else {
        io.stdout.write(`BROKEN at event ${result.firstBroken?.seq ?? "?"}: ${result.firstBroken?.message ?? ""}\n`);
        io.stdout.write(`${result.events} events verify before it\n`);
      }
      return result.ok ? 0 : 1;
    } finally {
      sqlite.close();
    }
  },
};
