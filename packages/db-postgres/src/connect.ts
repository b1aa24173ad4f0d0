import type { Logger } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import pg from "pg";
import * as tables from "./schema/index.js";

export const schema = { ...tables };
export type PostgresSchema = typeof schema;
export type PostgresDb = NodePgDatabase<PostgresSchema>;

export interface PostgresConnection {
  db: PostgresDb;
  /** The node-postgres pool under `db`, for LISTEN clients and session-level locks. */
  pool: pg.Pool;
  /** The URL connected to (`postgres://user@host:port/database`). */
  url: string;
  /** Ends every pooled connection (waits for checked-out ones to be released). */
  close(): Promise<void>;
}

export interface ConnectPostgresOptions {
  /** Most pooled connections (default 10): each open unit of work holds one until it settles. */
  maxConnections?: number;
  /** Milliseconds to wait for a free pooled connection before failing (default 10,000). */
  connectionTimeoutMs?: number;
  /**
   * Milliseconds a statement may wait for a lock (PostgreSQL's `lock_timeout`, set on every pooled connection);
   * past it the statement fails with SQLSTATE 55P03 and its transaction rolls back, changing nothing. Default none
   * (wait as long as it takes: migrations and the first start's copy take turns on locks for as long as they run).
   */
  lockTimeoutMs?: number;
  /** drizzle's query logger (the benchmark captures every statement to explain it). */
  logger?: Logger;
}

/**
 * A pool of connections to the PostgreSQL database at `url`, with drizzle on it. Connects lazily: an unreachable
 * server shows on the first query (use `migratePostgres` at start-up to fail early). Pool errors on idle
 * connections (the server restarted) are logged, not thrown: the pool replaces them.
 */
export function connectPostgres(url: string, options: ConnectPostgresOptions = {}): PostgresConnection {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 10_000,
    ...(options.lockTimeoutMs === undefined ? {} : { lock_timeout: options.lockTimeoutMs }),
  });
  pool.on("error", (error) => console.error("PostgreSQL pool: an idle connection failed", error.message));
  const db = drizzle({ client: pool, schema, ...(options.logger === undefined ? {} : { logger: options.logger }) });
  return { db, pool, url, close: () => pool.end() };
}
