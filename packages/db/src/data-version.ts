import type { Database as SqliteDatabase, Statement } from "better-sqlite3";
import type { CountersignDb } from "./client.js";

/**
 * What the database's data is at, for HTTP validators and the server's answer cache (issue 17): two numbers that
 * change whenever a read's answer may have.
 * - `auditSeq`: the audit chain head's `seq` (table `audit_chain_head`). Every state change appends an audit event in
 *   the same transaction, so it moves atomically with the change; it is the same figure for every instance of a
 *   shared database (the global data version on PostgreSQL).
 * - `otherConnections`: SQLite's `PRAGMA data_version`, which changes when another connection (another process on
 *   the same file, the command line) commits anything, audited or not. This connection's own unaudited writes are not
 *   counted here; the server counts its own mutations itself (apps/server/src/http-cache/data-version.ts).
 */
export interface DataVersion {
  auditSeq: number;
  otherConnections: number;
}

type VersionRow = { seq: number | null; dv: number };
const prepared = new WeakMap<SqliteDatabase, Statement<[], VersionRow>>();

/** The data version of the database (one statement, a few microseconds); `auditSeq` is 0 before the first event. */
export function readDataVersion(db: CountersignDb): DataVersion {
  const sqlite = db.$client;
  let statement = prepared.get(sqlite);
  if (statement === undefined) {
    statement = sqlite.prepare<[], VersionRow>(
      "select (select seq from audit_chain_head where id = 1) as seq, (select data_version from pragma_data_version) as dv",
    );
    prepared.set(sqlite, statement);
  }
  const row = statement.get();
  return { auditSeq: row?.seq ?? 0, otherConnections: row?.dv ?? 0 };
}
