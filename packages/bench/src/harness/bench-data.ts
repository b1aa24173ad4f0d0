/**
 * What the load stages read from the database under test besides the API: the open assignments a write load
 * reports on and their current versions. The same questions on either engine: the SQLite file, or the PostgreSQL
 * database the server runs on (the benchmark's own look, not through the server).
 */
import Database from "better-sqlite3";
import { connectPostgres } from "@countersign/db-postgres";

/** One assignment a write load reports on: in use by one request at a time, its version carried from the answers. */
export interface Slot {
  id: number;
  version: number;
  busy: boolean;
}

export interface BenchData {
  engine: "sqlite" | "postgres";
  /**
   * Up to `count` open assignments (accepted or in progress, on open measures) of `department`, newest first:
   * reportProgress is allowed on each, again and again. Throws when fewer than `atLeast`.
   */
  openAssignments(department: string, count: number, atLeast: number): Promise<Slot[]>;
  /** The slots' current versions, read again (requests a run left in flight may have moved them on); frees every slot. */
  refreshVersions(slots: Slot[]): Promise<void>;
  close(): Promise<void>;
}

const openSql = (placeholder: (n: number) => string, closed: string): string =>
  `SELECT a.id, a.version FROM assignments a JOIN measures m ON m.id = a.measure_id
   WHERE a.department = ${placeholder(1)} AND a.status IN ('accepted', 'in_progress') AND m.closed = ${closed}
   ORDER BY a.id DESC LIMIT ${placeholder(2)}`;

function enough(department: string, rows: Slot[], atLeast: number): Slot[] {
  if (rows.length < atLeast) throw new Error(`${department} has only ${rows.length} open assignments; the write load needs ${atLeast}`);
  return rows;
}

export function sqliteData(dbPath: string): BenchData {
  const withDb = <T>(fn: (db: Database.Database) => T): T => {
    const db = new Database(dbPath, { readonly: true });
    try {
      return fn(db);
    } finally {
      db.close();
    }
  };
  return {
    engine: "sqlite",
    openAssignments: async (department, count, atLeast) =>
      withDb((db) => {
        const rows = db.prepare(openSql(() => "?", "0")).all(department, count) as Array<{ id: number; version: number }>;
        return enough(department, rows.map((r) => ({ ...r, busy: false })), atLeast);
      }),
    refreshVersions: async (slots) =>
      withDb((db) => {
        const get = db.prepare("SELECT version FROM assignments WHERE id = ?");
        for (const slot of slots) {
          slot.version = (get.get(slot.id) as { version: number }).version;
          slot.busy = false;
        }
      }),
    close: async () => undefined,
  };
}

export function postgresData(url: string): BenchData {
  const connection = connectPostgres(url, { maxConnections: 2 });
  return {
    engine: "postgres",
    openAssignments: async (department, count, atLeast) => {
      const result = await connection.pool.query<{ id: number; version: number }>(openSql((n) => `$${n}`, "false"), [department, count]);
      return enough(department, result.rows.map((r) => ({ id: Number(r.id), version: Number(r.version), busy: false })), atLeast);
    },
    refreshVersions: async (slots) => {
      const result = await connection.pool.query<{ id: number; version: number }>("select id, version from assignments where id = any($1::integer[])", [
        slots.map((s) => s.id),
      ]);
      const versions = new Map(result.rows.map((r) => [Number(r.id), Number(r.version)]));
      for (const slot of slots) {
        const version = versions.get(slot.id);
        if (version === undefined) throw new Error(`assignment ${slot.id} is gone`);
        slot.version = version;
        slot.busy = false;
      }
    },
    close: () => connection.close(),
  };
}
