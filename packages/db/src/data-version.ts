import type { Database as SqliteDatabase, Statement } from "better-sqlite3";

/**
 * What the database's data is at, for HTTP validators and the server's answer cache (issue 17): two numbers that
 * change whenever a read's answer may have.
 * - `auditSeq` and `auditHash`: the audit chain head (table `audit_chain_head`). Every state change appends an audit
 *   event in the same transaction, so it moves atomically with the change; it is the same for every instance of a
 *   shared database (the global data version on PostgreSQL). The hash as well as the seq: should a version ever be
 *   read inside a unit of work that then rolls back, the next commit reuses the seq but never the hash.
 * - `otherConnections`: SQLite's `PRAGMA data_version`, which changes when another connection (another process on
 *   the same file, the command line) commits anything, audited or not. This connection's own unaudited writes are not
 *   counted here; the server counts its own mutations itself (apps/server/src/http-cache/data-version.ts).
 */
export interface DataVersion {
  auditSeq: number;
  auditHash: string;
  otherConnections: number;
}

type VersionRow = { seq: number | null; hash: string | null; dv: number };
const prepared = new WeakMap<SqliteDatabase, Statement<[], VersionRow>>();

/**
 * The data version of the database on a better-sqlite3 connection (`db.$client`; one statement, a few microseconds);
 * `auditSeq` is 0 and `auditHash` "" before the first event.
 */
export function readDataVersion(sqlite: SqliteDatabase): DataVersion {
  let statement = prepared.get(sqlite);
  if (statement === undefined) {
    statement = sqlite.prepare<[], VersionRow>(
      "select h.seq as seq, h.hash as hash, (select data_version from pragma_data_version) as dv from (select 1) left join audit_chain_head h on h.id = 1",
    );
    prepared.set(sqlite, statement);
  }
  const row = statement.get();
  return { auditSeq: row?.seq ?? 0, auditHash: row?.hash ?? "", otherConnections: row?.dv ?? 0 };
}
