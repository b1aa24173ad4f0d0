import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { resolveDatabasePath } from "@countersign/db";
import { connectPostgres, copyFromSqlite, SourceShapeError, TargetNotEmptyError } from "@countersign/db-postgres";
import type { CopyFromSqliteReport, CopyProgress } from "@countersign/db-postgres";
import type { CliIo } from "./command.js";

export const migrateToPostgresHelp = `usage: cli db migrate-to-postgres --to postgres://user@host:port/database [--database FILE] [--batch-rows N]
Copies the SQLite database (FILE, else DATABASE_PATH, else ./data/countersign.sqlite) into an EMPTY PostgreSQL
database: applies the PostgreSQL migrations, copies every table in one transaction, then counts every table on both
sides and re-verifies the audit chain on PostgreSQL. Stop the server first (later writes are not copied).
Exit 0: counts equal and chain verified; 1: a mismatch or a broken chain; 2: refused (nothing copied).`;

/** The URL as printed: without its password. */
export function redactedUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== "") u.password = "***";
    return u.toString();
  } catch {
    return "(unparsable URL)";
  }
}

function describeProgress(p: CopyProgress): string {
  const seconds = `${(p.elapsedMs / 1000).toFixed(1)}s`;
  switch (p.phase) {
    case "migrate":
      return `applying the PostgreSQL migrations, ${seconds}`;
    case "copy":
      return `copying ${p.table}: ${p.copied.toLocaleString("en")} / ${p.total.toLocaleString("en")} rows, ${seconds}`;
    case "sequences":
      return `setting identity counters, ${seconds}`;
    case "commit":
      return `committing, ${seconds}`;
    case "verify":
      return `counting and re-verifying the audit chain on PostgreSQL, ${seconds}`;
  }
}

/** The report as printed: one line per table, the chain's verdict, the kept counts, the time. */
export function describeReport(report: CopyFromSqliteReport): string {
  const width = Math.max(5, ...report.tables.map((t) => t.table.length));
  const n = (v: number) => v.toLocaleString("en").padStart(12);
  const lines = [`${"table".padEnd(width)} ${"sqlite".padStart(12)} ${"postgres".padStart(12)}`];
  for (const t of report.tables) lines.push(`${t.table.padEnd(width)} ${n(t.source)} ${n(t.target)}${t.source === t.target ? "" : "  MISMATCH"}`);
  const c = report.chain;
  lines.push(
    c.ok
      ? `audit chain on PostgreSQL: verified, ${c.events.toLocaleString("en")} events, head ${c.headHash}`
      : `audit chain on PostgreSQL: NOT VERIFIED at event seq ${c.firstBroken.seq} (id ${c.firstBroken.id}): ${c.reason}; ${c.events.toLocaleString("en")} events verify before it`,
  );
  lines.push(
    report.countMismatches.length === 0
      ? "kept assignment counts: agree with the assignments"
      : `kept assignment counts: ${report.countMismatches.length} disagree with the assignments`,
  );
  lines.push(`elapsed: ${(report.elapsedMs / 1000).toFixed(1)}s`);
  lines.push(report.ok ? "migrated: every count equal, chain verified" : "MIGRATION DOES NOT CHECK OUT: see above");
  return `${lines.join("\n")}\n`;
}

/** `cli db migrate-to-postgres`: argument parsing and printing around `copyFromSqlite`. Returns the exit code. */
export async function migrateToPostgres(args: string[], io: CliIo): Promise<number> {
  let values: { to?: string; database?: string; "batch-rows"?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: { to: { type: "string" }, database: { type: "string" }, "batch-rows": { type: "string" }, help: { type: "boolean" } },
      strict: true,
    }));
  } catch (error) {
    io.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${migrateToPostgresHelp}\n`);
    return 2;
  }
  const to = values.to;
  const batchRows = values["batch-rows"] === undefined ? undefined : Number(values["batch-rows"]);
  if (values.help === true || to === undefined || !/^postgres(ql)?:\/\//.test(to) || (batchRows !== undefined && !(Number.isInteger(batchRows) && batchRows > 0))) {
    io.stderr.write(`${migrateToPostgresHelp}\n`);
    return 2;
  }
  // A file named on the command line is relative to where the command was typed (pnpm runs scripts elsewhere).
  const base = io.env["INIT_CWD"] !== undefined && io.env["INIT_CWD"] !== "" ? io.env["INIT_CWD"] : process.cwd();
  const source = values.database === undefined ? resolveDatabasePath(io.env) : resolve(base, values.database);
  if (source === ":memory:" || !existsSync(source)) {
    io.stderr.write(`no SQLite database at ${source}\n`);
    return 2;
  }
  io.stderr.write(`migrating ${source} to ${redactedUrl(to)}\n`);
  const connection = connectPostgres(to, { maxConnections: 3 });
  let lastLine = -Infinity;
  try {
    const report = await copyFromSqlite(source, connection, {
      ...(batchRows === undefined ? {} : { batchRows }),
      onProgress: (p) => {
        // A log, not a terminal: a line per phase and per table copied, and one every few seconds within a table.
        if (p.phase !== "copy" || p.copied === p.total || p.elapsedMs - lastLine >= 5000) {
          lastLine = p.elapsedMs;
          io.stderr.write(`${describeProgress(p)}\n`);
        }
      },
    });
    io.stdout.write(describeReport(report));
    return report.ok ? 0 : 1;
  } catch (error) {
    if (error instanceof TargetNotEmptyError || error instanceof SourceShapeError) {
      io.stderr.write(`refused: ${error.message}\n`);
      return 2;
    }
    throw error;
  } finally {
    await connection.close();
  }
}
