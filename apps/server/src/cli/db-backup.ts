import { closeSync, copyFileSync, existsSync, fsyncSync, openSync, renameSync, rmSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { createSqliteStore, openDatabase, resolveDatabasePath, schema } from "@countersign/db";
import { postgresUrlOf } from "../config.js";
import { verifyStoredAuditTrail } from "../security/audit-verification.js";
import type { AuditVerification } from "../security/audit-verification.js";
import type { CliCommand, CliIo } from "./command.js";

const help = `usage: cli db backup <file>            a consistent copy of the live database, while the server runs
       cli db restore <file> [--force]   replace the database with a backup (stop the server first)
       cli db migrate-to-postgres --to postgres://… [--database FILE]   copy into an empty PostgreSQL database
The database is DATABASE_PATH (default ./data/countersign.sqlite). Both check the copy: integrity and audit chain.
With DATABASE_URL=postgres://… backup runs pg_dump (custom format) into <file>: restore that with pg_restore.`;

export interface DatabaseFileCheck {
  integrity: string;
  audit: AuditVerification;
  counts: Record<"assignments" | "auditEvents" | "comments" | "users", number>;
}

/** Integrity, the audit chain and a few counts of a database file, opened read-only. */
export async function checkDatabaseFile(path: string): Promise<DatabaseFileCheck> {
  const sqlite = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const integrity = sqlite.pragma("integrity_check", { simple: true });
    const count = (table: string): number => {
      const row = sqlite.prepare(`select count(*) as n from ${table}`).get() as { n: number };
      return row.n;
    };
    const store = createSqliteStore({ db: drizzle({ client: sqlite, schema }), sqlite });
    return {
      integrity: String(integrity),
      audit: await verifyStoredAuditTrail(store, new Date()),
      counts: {
        assignments: count("assignments"),
        auditEvents: count("audit_events"),
        comments: count("comments"),
        users: count("users"),
      },
    };
  } finally {
    sqlite.close();
  }
}

function describe(check: DatabaseFileCheck): string {
  const head = check.audit.head === null ? "" : `, head ${check.audit.head.seq}:${check.audit.head.hash}`;
  return `integrity ${check.integrity}; audit chain ${check.audit.ok ? "ok" : "BROKEN"}, ${check.audit.events} events${head}; ${check.counts.assignments} assignments, ${check.counts.comments} comments, ${check.counts.users} accounts`;
}

/** A file named on the command line, relative to where the command was typed (pnpm runs scripts elsewhere). */
function fromCaller(file: string, io: CliIo): string {
  const base = io.env["INIT_CWD"] !== undefined && io.env["INIT_CWD"] !== "" ? io.env["INIT_CWD"] : process.cwd();
  return resolve(base, file);
}

const healthy = (check: DatabaseFileCheck): boolean => check.integrity === "ok" && check.audit.ok;

function fsyncFile(path: string): void {
  const fd = openSync(path, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * better-sqlite3's online backup: the copy is one snapshot of a committed state while the server keeps writing
 * (WAL lets it read without blocking writers). After the first step the rest goes in one step, so a write between
 * steps restarts the copy at most once instead of starving it. The copy is written beside the target and renamed
 * once checked, and turned into a single self-contained file (rollback journal instead of WAL).
 */
async function backup(target: string, io: CliIo): Promise<number> {
  const source = resolveDatabasePath(io.env);
  if (!existsSync(source)) {
    io.stderr.write(`no database at ${source}\n`);
    return 2;
  }
  const destination = fromCaller(target, io);
  if (existsSync(destination)) {
    io.stderr.write(`${destination} exists; choose a new file name\n`);
    return 2;
  }
  const partial = `${destination}.partial`;
  rmSync(partial, { force: true });
  const database = openDatabase(source, { migrate: false });
  try {
    await database.sqlite.backup(partial, { progress: () => 1_000_000_000 });
  } finally {
    database.close();
  }
  const copy = new Database(partial);
  copy.pragma("journal_mode = DELETE");
  copy.close();
  const check = await checkDatabaseFile(partial);
  if (!healthy(check)) {
    io.stderr.write(`the copy does not check out, kept as ${partial}: ${describe(check)}\n`);
    if (check.audit.firstBroken !== null) io.stderr.write(`${check.audit.firstBroken.message}\n`);
    return 1;
  }
  fsyncFile(partial);
  renameSync(partial, destination);
  fsyncFile(dirname(destination));
  io.stdout.write(`backed up ${source} to ${destination}: ${describe(check)}\n`);
  return 0;
}

/**
 * Puts a backup in place of the database. The server must be stopped: a running one keeps the old file open. The
 * old file is kept beside (`.replaced-<time>`), and its -wal/-shm are moved too, because SQLite would otherwise
 * replay the old write-ahead log onto the restored file.
 */
async function restore(file: string, force: boolean, io: CliIo): Promise<number> {
  const from = fromCaller(file, io);
  if (!existsSync(from)) {
    io.stderr.write(`no backup at ${from}\n`);
    return 2;
  }
  const check = await checkDatabaseFile(from);
  if (!healthy(check)) {
    io.stderr.write(`refusing to restore a backup that does not check out: ${describe(check)}\n`);
    if (check.audit.firstBroken !== null) io.stderr.write(`${check.audit.firstBroken.message}\n`);
    return 1;
  }
  const target = resolveDatabasePath(io.env);
  if (target === ":memory:") {
    io.stderr.write("DATABASE_PATH is :memory:; nothing to restore into\n");
    return 2;
  }
  if (existsSync(target)) {
    if (!force) {
      io.stderr.write(`${target} exists; stop the server and add --force to replace it (the old file is kept beside)\n`);
      return 2;
    }
    const stamp = new Date().toISOString().replace(/[:.]/g, "-");
    for (const suffix of ["", "-wal", "-shm"]) {
      if (existsSync(`${target}${suffix}`)) renameSync(`${target}${suffix}`, `${target}.replaced-${stamp}${suffix}`);
    }
  }
  const partial = `${target}.restoring`;
  copyFileSync(from, partial);
  fsyncFile(partial);
  renameSync(partial, target);
  fsyncFile(dirname(target));
  io.stdout.write(`restored ${from} to ${target}: ${describe(check)}\n`);
  return 0;
}

export const dbCommand: CliCommand = {
  async run(args: string[], io: CliIo): Promise<number> {
    const [sub, ...rest] = args;
    if (sub === "migrate-to-postgres") return (await import("./db-migrate-to-postgres.js")).migrateToPostgres(rest, io);
    // An unknown option (a first try of `--help`) answers with the usage, not a bare parser error and exit 1.
    let parsed: { values: { force?: boolean; help?: boolean }; positionals: string[] };
    try {
      parsed = parseArgs({ args: rest, options: { force: { type: "boolean" }, help: { type: "boolean", short: "h" } }, allowPositionals: true, strict: true });
    } catch (error) {
      io.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${help}\n`);
      return 2;
    }
    const { values, positionals } = parsed;
    if (values.help === true) {
      io.stdout.write(`${help}\n`);
      return 0;
    }
    const [file] = positionals;
    if ((sub !== "backup" && sub !== "restore") || file === undefined || positionals.length !== 1) {
      io.stderr.write(`${help}\n`);
      return 2;
    }
    const postgresUrl = postgresUrlOf(io.env["DATABASE_URL"]);
    if (postgresUrl !== null) {
      if (sub === "backup") return (await import("./db-backup-postgres.js")).backupPostgres(postgresUrl, fromCaller(file, io), io);
      io.stderr.write(
        "cli db restore restores a SQLite backup; on PostgreSQL restore a `cli db backup` archive with pg_restore into an empty database (docs/deploy.md, Backups)\n",
      );
      return 2;
    }
    return sub === "backup" ? backup(file, io) : restore(file, values.force === true, io);
  },
};
