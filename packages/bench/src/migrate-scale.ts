/**
 * The SQLite → PostgreSQL migration at scale (issue 13): seeds a national-scale SQLite history with `seedScale` (or
 * takes an existing file), copies it into an empty PostgreSQL database with `copyFromSqlite` (what
 * `cli db migrate-to-postgres` runs) and prints the seeding time, the per-table counts on both sides, the chain's
 * verdict on PostgreSQL and the copy's time.
 *
 *   pnpm --filter @countersign/bench bench:migrate --assignments 100000 --to postgres://cs@127.0.0.1:54341/empty [--sqlite FILE] [--keep]
 *
 * --sqlite FILE: the SQLite database to use (seeded there when missing; default a temporary file, removed after
 * unless --keep). Exit 0 when every count is equal and the chain verifies on PostgreSQL, 1 otherwise, 2 on usage.
 */
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { connectPostgres, copyFromSqlite } from "@countersign/db-postgres";
import type { CopyFromSqliteReport } from "@countersign/db-postgres";
import { seedScale } from "./seed-scale.js";

const help = `usage: migrate-scale --assignments N --to postgres://…/empty-database [--sqlite FILE] [--keep] [--batch-rows N]`;

/** The measured figures, as printed (and returned for tests). */
export interface MigrateScaleResult {
  sqlitePath: string;
  sqliteBytes: number;
  /** Seconds spent seeding, or null when an existing file was used. */
  seedSeconds: number | null;
  report: CopyFromSqliteReport;
}

/** Seeds (unless `sqlitePath` exists) and migrates; progress lines go to `log`. */
export async function migrateScale(options: {
  assignments: number;
  to: string;
  sqlitePath: string;
  batchRows?: number;
  log: (line: string) => void;
}): Promise<MigrateScaleResult> {
  let seedSeconds: number | null = null;
  if (!existsSync(options.sqlitePath)) {
    let last = 0;
    const seeded = seedScale(options.sqlitePath, {
      assignments: options.assignments,
      onProgress: (p) => {
        if (p.phase !== "load" || p.elapsedMs - last >= 15_000) {
          last = p.elapsedMs;
          options.log(`seed ${p.phase}: ${p.done}/${p.total}, ${p.auditEvents} audit events, ${(p.elapsedMs / 1000).toFixed(0)}s`);
        }
      },
    });
    seedSeconds = seeded.seconds;
  }
  const connection = connectPostgres(options.to, { maxConnections: 3 });
  try {
    let last = -Infinity;
    const report = await copyFromSqlite(options.sqlitePath, connection, {
      ...(options.batchRows === undefined ? {} : { batchRows: options.batchRows }),
      onProgress: (p) => {
        if (p.phase !== "copy" || p.copied === p.total || p.elapsedMs - last >= 15_000) {
          last = p.elapsedMs;
          options.log(`migrate ${p.phase}${p.phase === "copy" ? ` ${p.table} ${p.copied}/${p.total}` : ""}, ${(p.elapsedMs / 1000).toFixed(0)}s`);
        }
      },
    });
    return { sqlitePath: options.sqlitePath, sqliteBytes: statSync(options.sqlitePath).size, seedSeconds, report };
  } finally {
    await connection.close();
  }
}

/** The figures as printed on standard output. */
export function describeMigrateScale(r: MigrateScaleResult): string {
  const width = Math.max(...r.report.tables.map((t) => t.table.length));
  const lines = [
    `SQLite ${r.sqlitePath}: ${(r.sqliteBytes / 1024 / 1024).toFixed(0)} MiB${r.seedSeconds === null ? " (existing file)" : `, seeded in ${r.seedSeconds.toFixed(1)} s`}`,
    ...r.report.tables.map(
      (t) => `  ${t.table.padEnd(width)} ${t.source.toLocaleString("en").padStart(11)} → ${t.target.toLocaleString("en").padStart(11)}${t.source === t.target ? "" : "  MISMATCH"}`,
    ),
    r.report.chain.ok
      ? `audit chain on PostgreSQL: verified, ${r.report.chain.events.toLocaleString("en")} events`
      : `audit chain on PostgreSQL: NOT VERIFIED (${r.report.chain.reason} at seq ${r.report.chain.firstBroken.seq})`,
    `kept assignment counts: ${r.report.countMismatches.length === 0 ? "agree" : `${r.report.countMismatches.length} disagree`}`,
    `migration (copy, counts and chain verification): ${(r.report.elapsedMs / 1000).toFixed(1)} s — ${r.report.ok ? "OK" : "DOES NOT CHECK OUT"}`,
  ];
  return `${lines.join("\n")}\n`;
}

async function main(args: string[]): Promise<number> {
  let values: { assignments?: string; to?: string; sqlite?: string; keep?: boolean; "batch-rows"?: string };
  try {
    ({ values } = parseArgs({
      // `pnpm … bench:migrate -- --assignments N` passes the `--` on.
      args: args[0] === "--" ? args.slice(1) : args,
      options: { assignments: { type: "string" }, to: { type: "string" }, sqlite: { type: "string" }, keep: { type: "boolean" }, "batch-rows": { type: "string" } },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${help}\n`);
    return 2;
  }
  const assignments = Number(values.assignments ?? "100000");
  const batchRows = values["batch-rows"] === undefined ? undefined : Number(values["batch-rows"]);
  if (values.to === undefined || !Number.isInteger(assignments) || assignments < 1 || (batchRows !== undefined && !(batchRows > 0))) {
    process.stderr.write(`${help}\n`);
    return 2;
  }
  const temporary = values.sqlite === undefined ? mkdtempSync(join(tmpdir(), "countersign-migrate-scale-")) : null;
  // A relative --sqlite means the folder the command was typed in (pnpm runs the script in packages/bench).
  const base = process.env["INIT_CWD"] !== undefined && process.env["INIT_CWD"] !== "" ? process.env["INIT_CWD"] : process.cwd();
  const sqlitePath = values.sqlite === undefined ? join(temporary ?? tmpdir(), "scale.sqlite") : resolve(base, values.sqlite);
  try {
    const result = await migrateScale({
      assignments,
      to: values.to,
      sqlitePath,
      ...(batchRows === undefined ? {} : { batchRows }),
      log: (line) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`),
    });
    process.stdout.write(describeMigrateScale(result));
    return result.report.ok ? 0 : 1;
  } finally {
    if (temporary !== null && values.keep !== true) rmSync(temporary, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === new URL(import.meta.url).pathname) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
