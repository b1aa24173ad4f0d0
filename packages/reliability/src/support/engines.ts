/**
 * The two engines the suite runs on (issue 13), and one database of the template on either: on SQLite a copy of the
 * template file; on PostgreSQL a fresh database of the run's throw-away cluster, migrated, then filled from a copy of
 * the template with the production copy (`copyFromSqlite`, what `cli db migrate-to-postgres` runs).
 */
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { openDatabase, verifyAuditChain } from "@countersign/db";
import { connectPostgres, copyFromSqlite, createPostgresStore, migratePostgres } from "@countersign/db-postgres";
import { freshDatabaseUrl } from "@countersign/db-postgres/test-support";
import { freshDatabase, scratchDir } from "./fixture.js";
import { runCli, startServer } from "./server.js";
import type { CliResult, StartOptions, StartedServer } from "./server.js";

export const engines = ["sqlite", "postgres"] as const;
export type Engine = (typeof engines)[number];

/** ", PostgreSQL" on PostgreSQL, "" on SQLite: the suffix of a figures area, so SQLite's areas keep their names. */
export const areaSuffix = (engine: Engine): string => (engine === "sqlite" ? "" : ", PostgreSQL");

/** A PostgreSQL database of the run's cluster holding a copy of the SQLite database at `sqlitePath`. */
export async function postgresCopyOf(sqlitePath: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const fresh = await freshDatabaseUrl();
  const connection = connectPostgres(fresh.url);
  try {
    await migratePostgres(connection);
    await copyFromSqlite(sqlitePath, connection);
  } finally {
    await connection.close();
  }
  return fresh;
}

/**
 * The test's own look at a database, beside the server (never through it). Statements are written once for both
 * engines: `?` placeholders (numbered `$n` on PostgreSQL), aliases in double quotes; 64-bit integers and numerics come
 * back as numbers on both.
 */
export interface Look {
  rows<T>(text: string, params?: unknown[]): Promise<T[]>;
  /** The first row, or undefined. */
  row<T>(text: string, params?: unknown[]): Promise<T | undefined>;
  /** Runs a statement that changes the database (the tests that tamper with it). */
  run(text: string, params?: unknown[]): Promise<void>;
  close(): Promise<void>;
}

const numbered = (text: string): string => text.split("?").reduce((out, part, i) => (i === 0 ? part : `${out}$${i}${part}`), "");

// count(*), max(bigint) and sum(...) answer int8 / numeric, which node-postgres gives as text: numbers here.
const asNumber = (value: string): number => Number(value);
const lookTypes = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === pg.types.builtins.INT8 || oid === pg.types.builtins.NUMERIC ? asNumber : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

function sqliteLook(path: string, readonly: boolean): Look {
  const db = new Database(path, { readonly });
  return {
    rows: async <T>(text: string, params: unknown[] = []) => db.prepare(text).all(...params) as T[],
    row: async <T>(text: string, params: unknown[] = []) => db.prepare(text).get(...params) as T | undefined,
    run: async (text, params = []) => {
      db.prepare(text).run(...params);
    },
    close: async () => {
      db.close();
    },
  };
}

function postgresLook(url: string): Look {
  const pool = new pg.Pool({ connectionString: url, max: 2, types: lookTypes });
  const rows = async <T>(text: string, params: unknown[] = []): Promise<T[]> =>
    (await pool.query(numbered(text), params)).rows as T[];
  return {
    rows,
    row: async <T>(text: string, params: unknown[] = []) => (await rows<T>(text, params))[0],
    run: async (text, params = []) => {
      await pool.query(numbered(text), params);
    },
    close: () => pool.end(),
  };
}

/** The audit chain's verdict on the SQLite file `path`, or on the PostgreSQL database at `url` when given. */
export async function chainVerifiesAt(path: string, url: string | null): Promise<boolean> {
  if (url === null) {
    const database = openDatabase(path, { migrate: false });
    try {
      return verifyAuditChain(database.db).ok;
    } finally {
      database.close();
    }
  }
  const connection = connectPostgres(url, { maxConnections: 1 });
  try {
    return (await createPostgresStore(connection).verifyAuditChain()).ok;
  } finally {
    await connection.close();
  }
}

/** A look at the SQLite file `path` (read-only unless `writable`), or at the PostgreSQL database at `url` when given. */
export function lookAt(path: string, url: string | null, writable = false): Look {
  return url === null ? sqliteLook(path, !writable) : postgresLook(url);
}

/** One database of the template on one engine, with what a test needs to run servers, commands and looks on it. */
export interface EngineDatabase {
  engine: Engine;
  /** The SQLite file the server runs on; on PostgreSQL the copy the database was filled from (not used after). */
  sqlitePath: string;
  /** The PostgreSQL URL, or null on SQLite. */
  url: string | null;
  /** `startServer`'s options for this database, with `env` added to the engine's own. */
  serverOptions(options?: Omit<StartOptions, "dbPath">): StartOptions;
  start(options?: Omit<StartOptions, "dbPath">): Promise<StartedServer>;
  /** `cli …` on this database (DATABASE_URL on PostgreSQL). */
  cli(args: string[], stdin?: string, env?: Record<string, string>): Promise<CliResult>;
  /** A look at the database (read-only on SQLite unless `writable`); close it after. */
  look(writable?: boolean): Look;
  /** Whether the audit trail's hash chain verifies, read by the test itself (the store's own check, not the server). */
  chainVerifies(): Promise<boolean>;
  /** SQLite's `PRAGMA integrity_check` ("ok" when whole); null on PostgreSQL, which has no such check of a database. */
  integrityCheck(): string | null;
  /**
   * A new database holding what this one holds now: a copy of the file, or on PostgreSQL `create database … template`
   * (a file-level copy, much faster than a second `copyFromSqlite`; no server may be connected to this one meanwhile).
   */
  fork(name: string): Promise<EngineDatabase>;
  /** Drops the PostgreSQL database (nothing on SQLite). */
  drop(): Promise<void>;
}

/**
 * A fresh database of the template on `engine`. `prepare` runs on the SQLite copy before PostgreSQL is filled from it
 * (e.g. issuing the drill plan through a server on it); on SQLite it runs on the file itself.
 */
export async function databaseOn(engine: Engine, name: string, prepare?: (sqlitePath: string) => Promise<void>): Promise<EngineDatabase> {
  const sqlitePath = freshDatabase(`${name}-${engine}`);
  if (prepare !== undefined) await prepare(sqlitePath);
  return engineDatabase(engine, sqlitePath, engine === "postgres" ? await postgresCopyOf(sqlitePath) : null);
}

function engineDatabase(engine: Engine, sqlitePath: string, copy: { url: string; drop: () => Promise<void> } | null): EngineDatabase {
  const url = copy?.url ?? null;
  const serverOptions = (options: Omit<StartOptions, "dbPath"> = {}): StartOptions =>
    url === null ? { ...options, dbPath: sqlitePath } : { ...options, dbPath: "", env: { ...options.env, DATABASE_URL: url } };
  return {
    engine,
    sqlitePath,
    url,
    serverOptions,
    start: (options) => startServer(serverOptions(options)),
    cli: (args, stdin, env = {}) => runCli(args, sqlitePath, stdin, url === null ? env : { ...env, DATABASE_URL: url }),
    look: (writable = false) => lookAt(sqlitePath, url, writable),
    integrityCheck: () => {
      if (url !== null) return null;
      const db = new Database(sqlitePath, { readonly: true });
      try {
        return String(db.pragma("integrity_check", { simple: true }));
      } finally {
        db.close();
      }
    },
    chainVerifies: () => chainVerifiesAt(sqlitePath, url),
    fork: async (name) => {
      if (url !== null) return engineDatabase(engine, sqlitePath, await freshDatabaseUrl({ template: new URL(url).pathname.slice(1) }));
      const path = join(scratchDir(`${name}-${engine}`), "countersign.sqlite");
      const source = new Database(sqlitePath, { readonly: true });
      try {
        await source.backup(path);
      } finally {
        source.close();
      }
      return engineDatabase(engine, path, null);
    },
    drop: copy?.drop ?? (async () => undefined),
  };
}
