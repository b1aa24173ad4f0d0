import { existsSync } from "node:fs";
import Database from "better-sqlite3";
import type { AuditChainVerdict, CountMismatch } from "@countersign/db";
import type pg from "pg";
import type { PostgresConnection } from "./connect.js";
import { migratePostgres } from "./migrate.js";
import { createPostgresStore } from "./store.js";

/** One table's rows in the SQLite file (read in the copy's snapshot) and in PostgreSQL after the copy. */
export interface TableCount {
  table: string;
  source: number;
  target: number;
}

/** What `copyFromSqlite` reports as it goes (for a progress line). */
export type CopyProgress =
  | { phase: "migrate"; elapsedMs: number }
  | { phase: "copy"; table: string; copied: number; total: number; elapsedMs: number }
  | { phase: "sequences"; elapsedMs: number }
  | { phase: "commit"; elapsedMs: number }
  | { phase: "verify"; elapsedMs: number };

export interface CopyFromSqliteOptions {
  /** Rows per page read from SQLite and inserted into PostgreSQL (default 5,000). */
  batchRows?: number;
  /** Most bytes of blob per page, for tables with a blob column (default 32 MiB; a single larger blob is one page). */
  batchBytes?: number;
  onProgress?: (progress: CopyProgress) => void;
}

export interface CopyFromSqliteReport {
  /** Every copied table, in the order copied (parents before children). */
  tables: TableCount[];
  /** The audit chain walked again on PostgreSQL, page by page, with the rules of `AuditChainWalker`. */
  chain: AuditChainVerdict;
  /** Kept assignment counts that disagree with the assignments copied (none when the source was consistent). */
  countMismatches: CountMismatch[];
  /** Milliseconds from the start to the end of the verification. */
  elapsedMs: number;
  /** True when every table's counts are equal, the chain verifies and the kept counts agree. */
  ok: boolean;
}

/** The target already holds rows: nothing was changed (not even the migrations applied). */
export class TargetNotEmptyError extends Error {
  constructor(readonly tables: { table: string }[]) {
    super(
      `the PostgreSQL database is not empty (rows in ${tables.map((t) => t.table).join(", ")}); ` +
        "migrate into a new, empty database (createdb) — nothing was changed",
    );
    this.name = "TargetNotEmptyError";
  }
}

/** The SQLite file's tables or columns are not those the PostgreSQL migrations create. */
export class SourceShapeError extends Error {
  constructor(readonly differences: string[]) {
    super(
      `the SQLite database does not have the tables and columns this version copies (${differences.join("; ")}). ` +
        "Start this version of the server on it once (it applies its migrations at start), or use the version it was written by",
    );
    this.name = "SourceShapeError";
  }
}

interface ColumnInfo {
  name: string;
  /** PostgreSQL's type: integer, text, boolean, jsonb, bytea. */
  type: string;
  identity: boolean;
}

interface TableInfo {
  name: string;
  columns: ColumnInfo[];
  /** Tables this one refers to by foreign key (other than itself). */
  parents: Set<string>;
  hasUserTriggers: boolean;
}

/** The element type for `unnest($n::type[])` and how a SQLite value becomes that type's value. */
function convert(column: ColumnInfo, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (column.type) {
    case "boolean":
      // SQLite keeps booleans as 0/1.
      return value !== 0 && value !== 0n && value !== "0";
    case "bytea":
      return Buffer.isBuffer(value) ? value : Buffer.from(String(value), "utf8");
    case "integer":
    case "bigint":
      return typeof value === "bigint" ? value.toString() : value;
    default:
      return typeof value === "string" ? value : Buffer.isBuffer(value) ? value.toString("utf8") : String(value);
  }
}

const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** Every base table of the public schema with its columns, foreign-key parents and user triggers. */
async function targetTables(client: pg.PoolClient): Promise<Map<string, TableInfo>> {
  const columns = await client.query<{ table_name: string; column_name: string; data_type: string; is_identity: string }>(
    `select c.table_name, c.column_name, c.data_type, c.is_identity
       from information_schema.columns c join information_schema.tables t
         on t.table_schema = c.table_schema and t.table_name = c.table_name
      where c.table_schema = 'public' and t.table_type = 'BASE TABLE'
      order by c.table_name, c.ordinal_position`,
  );
  const tables = new Map<string, TableInfo>();
  for (const r of columns.rows) {
    let table = tables.get(r.table_name);
    if (table === undefined) {
      table = { name: r.table_name, columns: [], parents: new Set(), hasUserTriggers: false };
      tables.set(r.table_name, table);
    }
    table.columns.push({ name: r.column_name, type: r.data_type, identity: r.is_identity === "YES" });
  }
  const references = await client.query<{ child: string; parent: string }>(
    `select c.relname as child, p.relname as parent from pg_constraint k
       join pg_class c on c.oid = k.conrelid join pg_class p on p.oid = k.confrelid
       join pg_namespace n on n.oid = c.relnamespace
      where k.contype = 'f' and n.nspname = 'public'`,
  );
  for (const r of references.rows) if (r.child !== r.parent) tables.get(r.child)?.parents.add(r.parent);
  const triggers = await client.query<{ table_name: string }>(
    `select distinct c.relname as table_name from pg_trigger t join pg_class c on c.oid = t.tgrelid
       join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and not t.tgisinternal`,
  );
  for (const r of triggers.rows) {
    const table = tables.get(r.table_name);
    if (table !== undefined) table.hasUserTriggers = true;
  }
  return tables;
}

/** Parents before children (Kahn's order, ties by name so that runs are repeatable). Throws on a cycle. */
export function dependencyOrder(tables: ReadonlyMap<string, { parents: ReadonlySet<string> }>): string[] {
  const order: string[] = [];
  const done = new Set<string>();
  const remaining = new Set(tables.keys());
  while (remaining.size > 0) {
    const ready = [...remaining].filter((name) => [...(tables.get(name)?.parents ?? [])].every((p) => done.has(p) || !tables.has(p))).sort();
    if (ready.length === 0) throw new Error(`foreign keys form a cycle among ${[...remaining].sort().join(", ")}`);
    for (const name of ready) {
      order.push(name);
      done.add(name);
      remaining.delete(name);
    }
  }
  return order;
}

/** Tables of any schema but PostgreSQL's own and drizzle's bookkeeping that hold at least one row. */
/** The tables (any schema but PostgreSQL's own and drizzle's bookkeeping) holding at least one row. */
export async function nonEmptyTables(client: pg.PoolClient): Promise<{ table: string }[]> {
  const all = await client.query<{ table_schema: string; table_name: string }>(
    `select table_schema, table_name from information_schema.tables
      where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema', 'drizzle')
      order by table_schema, table_name`,
  );
  const found: { table: string }[] = [];
  for (const t of all.rows) {
    const r = await client.query<{ any: boolean }>(`select exists (select 1 from ${quote(t.table_schema)}.${quote(t.table_name)}) as any`);
    if (r.rows[0]?.any === true) found.push({ table: t.table_schema === "public" ? t.table_name : `${t.table_schema}.${t.table_name}` });
  }
  return found;
}

/**
 * SQLite's ordinary tables (not its own, not drizzle's) and their column names. The full-text index (FTS5
 * `measure_search`, "virtual", and its "shadow" storage tables) is left out: it is rebuilt from `measures`, and
 * PostgreSQL's counterpart is a trigram index on the copied rows.
 */
function sourceTables(sqlite: Database.Database): Map<string, string[]> {
  const names = (sqlite.prepare("pragma table_list").all() as { schema: string; name: string; type: string }[])
    .filter((t) => t.schema === "main" && t.type === "table" && !t.name.startsWith("sqlite_") && !t.name.startsWith("__drizzle"))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return new Map(
    names.map(({ name }) => [name, (sqlite.prepare(`pragma table_info(${quote(name)})`).all() as { name: string }[]).map((c) => c.name)]),
  );
}

function shapeDifferences(source: ReadonlyMap<string, string[]>, target: ReadonlyMap<string, TableInfo>): string[] {
  const differences: string[] = [];
  for (const [name, columns] of source) {
    const table = target.get(name);
    if (table === undefined) {
      differences.push(`table ${name} has no PostgreSQL mirror`);
      continue;
    }
    const want = new Set(table.columns.map((c) => c.name));
    for (const c of columns) if (!want.has(c)) differences.push(`column ${name}.${c} has no PostgreSQL mirror`);
    for (const c of want) if (!columns.includes(c)) differences.push(`column ${name}.${c} is missing`);
  }
  for (const name of target.keys()) if (!source.has(name)) differences.push(`table ${name} is missing`);
  return differences;
}

/**
 * Copies a Countersign SQLite database into an empty PostgreSQL database, then checks the copy.
 *
 * Steps: refuses a target whose tables (any schema but `drizzle`'s bookkeeping) hold a row, before changing anything
 * (`TargetNotEmptyError`); applies the PostgreSQL migrations; refuses a source whose tables or columns differ from
 * theirs (`SourceShapeError`); then, in ONE PostgreSQL transaction over one SQLite read snapshot, copies every table
 * parents-first (foreign keys), in pages of `batchRows` rows (and at most `batchBytes` of blob) read by rowid, so
 * memory stays bounded whatever the size. Ids are copied as they are; identity counters are then set past the largest
 * id (or SQLite's AUTOINCREMENT counter, when rows were deleted, so ids are never reused). Trigger-kept tables
 * (`assignment_counts`, `assignment_notices`) are copied as rows with the triggers off for the copy, so nothing is
 * counted twice. The audit chain head is a table and is copied with the rest.
 *
 * A failure rolls the whole copy back: the target is left migrated and empty, and running again starts over (the
 * story for resuming). After commit it counts every table on both sides, walks the audit chain on PostgreSQL
 * page by page (`Store.verifyAuditChain`, the same `AuditChainWalker` rules as SQLite) and checks the kept
 * assignment counts. Stop the server first: writes after the snapshot are not copied.
 *
 * @param sqlitePath the SQLite file (opened read-only; it must exist)
 * @param target a connection to the empty PostgreSQL database (the caller closes it)
 */
export async function copyFromSqlite(sqlitePath: string, target: PostgresConnection, options: CopyFromSqliteOptions = {}): Promise<CopyFromSqliteReport> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const batchRows = Math.max(1, options.batchRows ?? 5000);
  const batchBytes = Math.max(1, options.batchBytes ?? 32 * 1024 * 1024);
  const progress = options.onProgress ?? (() => undefined);
  if (!existsSync(sqlitePath)) throw new Error(`no SQLite database at ${sqlitePath}`);
  const sqlite = new Database(sqlitePath, { readonly: true, fileMustExist: true });
  sqlite.defaultSafeIntegers(false);
  try {
    {
      const client = await target.pool.connect();
      try {
        const nonEmpty = await nonEmptyTables(client);
        if (nonEmpty.length > 0) throw new TargetNotEmptyError(nonEmpty);
      } finally {
        client.release();
      }
    }
    progress({ phase: "migrate", elapsedMs: elapsed() });
    await migratePostgres(target);

    const client = await target.pool.connect();
    const counts: { table: string; source: number }[] = [];
    try {
      const tables = await targetTables(client);
      const differences = shapeDifferences(sourceTables(sqlite), tables);
      if (differences.length > 0) throw new SourceShapeError(differences);
      const order = dependencyOrder(tables);

      // One read snapshot of the whole file: every table as of the same committed state (WAL readers do not block).
      sqlite.exec("begin");
      await client.query("begin");
      try {
        const triggered = order.filter((name) => tables.get(name)?.hasUserTriggers === true);
        for (const name of triggered) await client.query(`alter table ${quote(name)} disable trigger user`);
        for (const name of order) {
          const table = tables.get(name);
          if (table === undefined) continue;
          const total = (sqlite.prepare(`select count(*) as n from ${quote(name)}`).get() as { n: number }).n;
          counts.push({ table: name, source: total });
          progress({ phase: "copy", table: name, copied: 0, total, elapsedMs: elapsed() });
          if (total === 0) continue;
          await copyTable(sqlite, client, table, total, { batchRows, batchBytes }, (copied) =>
            progress({ phase: "copy", table: name, copied, total, elapsedMs: elapsed() }),
          );
        }
        progress({ phase: "sequences", elapsedMs: elapsed() });
        const autoincrement = new Map(
          (hasTable(sqlite, "sqlite_sequence") ? (sqlite.prepare("select name, seq from sqlite_sequence").all() as { name: string; seq: number }[]) : []).map(
            (r) => [r.name, r.seq],
          ),
        );
        for (const name of order) {
          for (const column of tables.get(name)?.columns ?? []) {
            if (!column.identity) continue;
            const max = await client.query<{ n: number | null }>(`select max(${quote(column.name)})::bigint as n from ${quote(name)}`);
            const last = Math.max(Number(max.rows[0]?.n ?? 0), autoincrement.get(name) ?? 0);
            // setval(…, 1, false): the next id is 1, as in an untouched table.
            await client.query("select setval(pg_get_serial_sequence($1, $2), $3, $4)", [quote(name), column.name, Math.max(last, 1), last > 0]);
          }
        }
        for (const name of triggered) await client.query(`alter table ${quote(name)} enable trigger user`);
        progress({ phase: "commit", elapsedMs: elapsed() });
        await client.query("commit");
      } catch (error) {
        await client.query("rollback").catch(() => undefined);
        throw error;
      } finally {
        if (sqlite.inTransaction) sqlite.exec("commit");
      }
      // Fresh statistics for the planner after a bulk load.
      await client.query("analyze");
    } finally {
      client.release();
    }

    progress({ phase: "verify", elapsedMs: elapsed() });
    const tableCounts: TableCount[] = [];
    for (const { table, source } of counts) {
      const r = await target.pool.query<{ n: string }>(`select count(*) as n from ${quote(table)}`);
      tableCounts.push({ table, source, target: Number(r.rows[0]?.n ?? -1) });
    }
    const store = createPostgresStore(target);
    let chain: AuditChainVerdict;
    let countMismatches: CountMismatch[];
    try {
      chain = await store.verifyAuditChain();
      countMismatches = await store.checkAssignmentCounts();
    } finally {
      await store.close();
    }
    const ok = tableCounts.every((t) => t.source === t.target) && chain.ok && countMismatches.length === 0;
    return { tables: tableCounts, chain, countMismatches, elapsedMs: elapsed(), ok };
  } finally {
    sqlite.close();
  }
}

function hasTable(sqlite: Database.Database, name: string): boolean {
  return sqlite.prepare("select 1 from sqlite_master where type = 'table' and name = ?").get(name) !== undefined;
}

/**
 * One table, page by page in rowid order: each page is read with `rowid > last` (no offset scan), converted and
 * inserted with one `insert … select from unnest(…)` (one array parameter per column, whatever the page size).
 */
async function copyTable(
  sqlite: Database.Database,
  client: pg.PoolClient,
  table: TableInfo,
  total: number,
  limits: { batchRows: number; batchBytes: number },
  onPage: (copied: number) => void,
): Promise<void> {
  const columns = table.columns;
  const list = columns.map((c) => quote(c.name)).join(", ");
  const blobs = columns.filter((c) => c.type === "bytea");
  const insert = `insert into ${quote(table.name)} (${list}) select * from unnest(${columns.map((c, i) => `$${i + 1}::${c.type}[]`).join(", ")})`;
  // Tables with blobs: a page ends at batchBytes, so a few large files never sit in memory together.
  const pageSize =
    blobs.length === 0
      ? () => limits.batchRows
      : (() => {
          const sizes = sqlite.prepare(
            `select ${blobs.map((b) => `coalesce(length(${quote(b.name)}), 0)`).join(" + ")} as n from ${quote(table.name)} where rowid > ? order by rowid limit ?`,
          );
          return (after: number): number => {
            let bytes = 0;
            let rows = 0;
            for (const r of sizes.all(after, limits.batchRows) as { n: number }[]) {
              if (rows > 0 && bytes + r.n > limits.batchBytes) break;
              bytes += r.n;
              rows += 1;
            }
            return Math.max(rows, 1);
          };
        })();
  const page = sqlite.prepare(`select rowid as "__rowid", ${list} from ${quote(table.name)} where rowid > ? order by rowid limit ?`);
  let after = Number.MIN_SAFE_INTEGER;
  let copied = 0;
  for (;;) {
    const rows = page.all(after, pageSize(after)) as Record<string, unknown>[];
    const lastRow = rows.at(-1);
    if (lastRow === undefined) break;
    const values = columns.map((c) => rows.map((r) => convert(c, r[c.name])));
    await client.query(insert, values);
    copied += rows.length;
    after = Number(lastRow["__rowid"]);
    onPage(Math.min(copied, total));
  }
}
