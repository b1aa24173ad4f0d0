import { randomBytes } from "node:crypto";
import type { AnyStore } from "@countersign/db";
import { connectPostgres, copyFromSqlite, createPostgresStore } from "@countersign/db-postgres";

/** A stage's own PostgreSQL database, filled from its SQLite file, and a store on it. */
export interface OwnPostgresDatabase {
  /** The database's name, `countersign_bench_<stage>_<8 hex digits>`. */
  name: string;
  store: AnyStore;
  /** Seconds the copy from the SQLite file took. */
  copySeconds: number;
  /** Closes the store and drops the database. */
  close(): Promise<void>;
}

/**
 * A database of the stage's own on the PostgreSQL server at `url` (its name random, so that runs and stages never
 * share one), filled from the SQLite file at `sqlitePath` by `copyFromSqlite` (as `cli db migrate-to-postgres`);
 * logs `<stage>: copied into PostgreSQL database <name> in <s> s (<n> tables)`. The SQLite file must be closed for
 * writing. Errors: the server refuses `create database` (the account needs CREATEDB); the copy's own (the database
 * is dropped first).
 */
export async function ownPostgresDatabase(url: string, sqlitePath: string, stage: string, log: (line: string) => void): Promise<OwnPostgresDatabase> {
  const name = `countersign_bench_${stage}_${randomBytes(4).toString("hex")}`;
  const admin = connectPostgres(url, { maxConnections: 1 });
  await admin.pool.query(`create database ${name}`);
  const target = new URL(url);
  target.pathname = `/${name}`;
  const connection = connectPostgres(target.toString());
  const drop = async () => {
    await connection.close();
    await admin.pool.query(`drop database if exists ${name} with (force)`);
    await admin.close();
  };
  const started = performance.now();
  try {
    const report = await copyFromSqlite(sqlitePath, connection);
    const copySeconds = (performance.now() - started) / 1000;
    log(`${stage}: copied into PostgreSQL database ${name} in ${copySeconds.toFixed(1)} s (${report.tables.length} tables)`);
    const store = createPostgresStore(connection);
    return {
      name,
      store,
      copySeconds,
      close: async () => {
        await store.close();
        await drop();
      },
    };
  } catch (error) {
    await drop();
    throw error;
  }
}
