import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import Database from "better-sqlite3";
import type { Database as SqliteDatabase, RunResult } from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import type { BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import type { BaseSQLiteDatabase } from "drizzle-orm/sqlite-core";
import {
  assignmentCountsTable,
  assignmentNoticesTable,
  assignmentsTable,
  auditChainHeadTable,
  auditEventsTable,
  commentsTable,
  departmentsTable,
  extensionRequestsTable,
  idempotencyKeysTable,
  measuresTable,
  passwordResetsTable,
  planDepartmentsTable,
  plansTable,
  responsibilitiesTable,
  sectionsTable,
  sessionsTable,
  usersTable,
  reportRoundsTable,
  roundReportsTable,
  attachmentsTable,
  attachmentBlobsTable,
  notificationsTable,
  outboxTable,
} from "./schema/index.js";
import { migrateDatabase } from "./migrate.js";
import { unitOfWorkOpenElsewhere } from "./store/unit-of-work.js";
import { registerSearchFunctions } from "./search.js";

export const schema = {
  assignmentCountsTable,
  assignmentNoticesTable,
  assignmentsTable,
  auditChainHeadTable,
  auditEventsTable,
  commentsTable,
  departmentsTable,
  extensionRequestsTable,
  idempotencyKeysTable,
  measuresTable,
  passwordResetsTable,
  planDepartmentsTable,
  plansTable,
  responsibilitiesTable,
  sectionsTable,
  sessionsTable,
  usersTable,
  reportRoundsTable,
  roundReportsTable,
  attachmentsTable,
  attachmentBlobsTable,
  notificationsTable,
  outboxTable,
};
export type Schema = typeof schema;

/** drizzle over better-sqlite3; `$client` is the better-sqlite3 handle (as `drizzle()` returns it). */
export type CountersignDb = BetterSQLite3Database<Schema> & { $client: SqliteDatabase };
/** The database or a transaction on it: queries take this as their first parameter. */
export type Queryable = BaseSQLiteDatabase<"sync", RunResult, Schema>;

export interface OpenedDatabase {
  db: CountersignDb;
  /** The better-sqlite3 handle, for pragmas, backups and raw prepared statements. */
  sqlite: SqliteDatabase;
  /** The file opened, or ":memory:". */
  path: string;
  close(): void;
}

export const defaultDatabasePath = "data/countersign.sqlite";

/**
 * The database file to use: `DATABASE_PATH` if set, else `./data/countersign.sqlite` relative to the directory the
 * command was started from (pnpm's INIT_CWD when run through a package script, so that `pnpm cli` at the repository
 * root and `node apps/server/dist/main.js` at the root open the same file).
 */
export function resolveDatabasePath(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env["DATABASE_PATH"];
  if (fromEnv !== undefined && fromEnv !== "") return fromEnv === ":memory:" ? fromEnv : resolve(fromEnv);
  const base = env["INIT_CWD"] !== undefined && env["INIT_CWD"] !== "" ? env["INIT_CWD"] : process.cwd();
  return resolve(base, defaultDatabasePath);
}

export interface OpenDatabaseOptions {
  /** Apply the committed migrations (default true). */
  migrate?: boolean;
  /** Milliseconds a writer waits for another writer's lock before SQLITE_BUSY (default 5000). */
  busyTimeoutMs?: number;
}

/**
 * Opens one SQLite file (creating its folder) with the durability the product promises: WAL, synchronous = FULL
 * (a commit survives power loss, not only a process crash), foreign keys on, and a busy timeout.
 */
export function openDatabase(path: string = resolveDatabasePath(), options: OpenDatabaseOptions = {}): OpenedDatabase {
  const inMemory = path === ":memory:";
  if (!inMemory) mkdirSync(dirname(resolve(path)), { recursive: true });
  const sqlite = new Database(path);
  sqlite.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
  if (!inMemory) sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = FULL");
  sqlite.pragma("foreign_keys = ON");
  // The measures' search index is kept by triggers that call it (search.ts).
  registerSearchFunctions(sqlite);
  const db = drizzle({ client: sqlite, schema });
  if (options.migrate ?? true) migrateDatabase(db);
  return {
    db,
    sqlite,
    path: inMemory ? path : resolve(path),
    close: () => {
      if (sqlite.open) sqlite.close();
    },
  };
}

// The database each open transaction runs on, so that statements prepared once per database can run inside it.
const transactionDatabases = new WeakMap<Queryable, CountersignDb>();

/** The database a transaction (from `writeTransaction`) runs on, or the argument itself when it is not a transaction. */
export function databaseOf(q: Queryable): Queryable {
  return transactionDatabases.get(q) ?? q;
}

/**
 * Runs `fn` in one synchronous write transaction (BEGIN IMMEDIATE, so that a read-then-write never fails to upgrade
 * its lock). `fn` must not be async: better-sqlite3 would commit before the promise settles.
 */
export function writeTransaction<T>(db: CountersignDb, fn: (tx: Queryable) => T): T {
  if (unitOfWorkOpenElsewhere(db.$client)) {
    // Busy, as if another connection held the lock: nothing ran; the busy policy runs it again after the unit of work.
    throw Object.assign(new Error("a unit of work of the store is open on this connection: try again"), { code: "SQLITE_BUSY" });
  }
  return db.transaction(
    (tx) => {
      transactionDatabases.set(tx, db);
      const result = fn(tx);
      if (result instanceof Promise) throw new Error("writeTransaction: the callback must be synchronous");
      return result;
    },
    { behavior: "immediate" },
  );
}
