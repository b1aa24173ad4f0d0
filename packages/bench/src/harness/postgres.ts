/**
 * The benchmark's PostgreSQL (issues 13 and 17): a throw-away cluster when no URL is given, and the scale database
 * copied into it from the SQLite file (the production copy, `copyFromSqlite`, as `cli db migrate-to-postgres`), or
 * reused when the database already holds that data.
 */
import { execFile } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import { connectPostgres, copyFromSqlite } from "@countersign/db-postgres";
import type { PostgresConnection } from "@countersign/db-postgres";
import { repoRoot } from "./paths.js";
import { freePort } from "./server-process.js";

const run = promisify(execFile);
const script = join(repoRoot, "scripts", "postgres.sh");

export interface Cluster {
  url: string;
  /** Stops the server and removes its directory. */
  stop(): Promise<void>;
}

/**
 * A throw-away cluster (`scripts/postgres.sh start DIR PORT`) on a free port, its directory under the system's
 * temporary directory (as root, the `postgres` user must reach it: not under the run's private work dir).
 */
export async function startCluster(log: (line: string) => void): Promise<Cluster> {
  const port = await freePort();
  const dir = join(tmpdir(), `countersign-bench-pg-${process.pid}-${port}`);
  log(`postgres: starting a throw-away cluster in ${dir} on port ${port}`);
  const { stdout } = await run("bash", [script, "start", dir, String(port)], { encoding: "utf8" });
  const url = stdout.trim();
  if (!/^postgres:\/\//.test(url)) throw new Error(`scripts/postgres.sh start printed no URL: ${stdout}`);
  return {
    url,
    stop: async () => {
      await run("bash", [script, "stop", dir], { encoding: "utf8" });
    },
  };
}

/** Where the audit chain ends: two databases holding the same events end at the same sequence number and hash. */
interface ChainHead {
  seq: number;
  hash: string;
  assignments: number;
}

function sqliteHead(path: string, atSeq?: number): ChainHead | null {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const row = (
      atSeq === undefined
        ? db.prepare("SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1").get()
        : db.prepare("SELECT seq, hash FROM audit_events WHERE seq = ?").get(atSeq)
    ) as { seq: number; hash: string } | undefined;
    const assignments = (db.prepare("SELECT count(*) AS n FROM assignments").get() as { n: number }).n;
    return row === undefined ? null : { ...row, assignments };
  } finally {
    db.close();
  }
}

async function postgresHead(connection: PostgresConnection, atSeq?: number): Promise<ChainHead | null> {
  const tables = await connection.pool.query<{ n: string }>(
    "select count(*) as n from information_schema.tables where table_schema = 'public' and table_name in ('audit_events', 'assignments')",
  );
  if (Number(tables.rows[0]?.n) !== 2) return null;
  const event = await connection.pool.query<{ seq: number; hash: string }>(
    atSeq === undefined ? "select seq, hash from audit_events order by seq desc limit 1" : "select seq, hash from audit_events where seq = $1",
    atSeq === undefined ? [] : [atSeq],
  );
  const row = event.rows[0];
  if (row === undefined) return null;
  const assignments = await connection.pool.query<{ n: string }>("select count(*) as n from assignments");
  return { seq: Number(row.seq), hash: row.hash, assignments: Number(assignments.rows[0]?.n) };
}

/**
 * The copy's mark, kept as the database's comment (no table of the application's is touched): the source's chain
 * head when it was copied. Both sides then grow their own events (each engine's write loads), so "the same data"
 * is: both still hold that event, with that hash, and the same number of assignments.
 */
const markPrefix = "countersign-bench copy of seq ";

async function readMark(connection: PostgresConnection): Promise<{ seq: number; hash: string } | null> {
  const result = await connection.pool.query<{ comment: string | null }>(
    "select shobj_description(oid, 'pg_database') as comment from pg_database where datname = current_database()",
  );
  const comment = result.rows[0]?.comment ?? null;
  const match = comment === null ? null : new RegExp(`^${markPrefix}(\\d+) hash ([0-9a-f]+)$`).exec(comment);
  return match?.[1] === undefined || match[2] === undefined ? null : { seq: Number(match[1]), hash: match[2] };
}

async function writeMark(connection: PostgresConnection, head: ChainHead, log: (line: string) => void): Promise<void> {
  const name = await connection.pool.query<{ name: string }>("select current_database() as name");
  const database = (name.rows[0]?.name ?? "").replace(/"/g, '""');
  try {
    // COMMENT takes no parameters; the text is digits and hex only.
    await connection.pool.query(`comment on database "${database}" is '${markPrefix}${head.seq} hash ${head.hash}'`);
  } catch (error) {
    log(`postgres: could not mark the copy (the next run will copy again unless the data is unchanged): ${String(error)}`);
  }
}

export interface PreparedPostgres {
  /** Seconds `copyFromSqlite` took (copy and verification), or null when the database was reused. */
  copySeconds: number | null;
  /** Rows copied over every table, when copied. */
  rowsCopied: number | null;
}

/**
 * Makes the PostgreSQL database at `url` hold the SQLite file's data: reused when it already does (the copy's mark
 * matches the SQLite file, or both chains end at the same event with the same assignments), copied with
 * `copyFromSqlite` when it is empty (its tables are created by the copy's migrations). A database holding other
 * data is an error: the benchmark never empties a database it did not create.
 */
export async function preparePostgres(sqlitePath: string, url: string, log: (line: string) => void): Promise<PreparedPostgres> {
  const connection = connectPostgres(url, { maxConnections: 2 });
  try {
    const source = sqliteHead(sqlitePath);
    if (source === null) throw new Error(`${sqlitePath} has no audit events: not a generated database`);
    const target = await postgresHead(connection);
    if (target !== null) {
      const mark = await readMark(connection);
      const same = async (seq: number, hash: string): Promise<boolean> => {
        const there = await postgresHead(connection, seq);
        const here = sqliteHead(sqlitePath, seq);
        return there?.hash === hash && here?.hash === hash && there.assignments === source.assignments;
      };
      if ((mark !== null && (await same(mark.seq, mark.hash))) || (await same(source.seq, source.hash))) {
        log(`postgres: the database already holds this data (${target.assignments.toLocaleString("en-US")} assignments): reused`);
        return { copySeconds: null, rowsCopied: null };
      }
      throw new Error(
        "the PostgreSQL database holds other data than the SQLite database: give an empty database (createdb) or the one an earlier run filled from this file",
      );
    }
    log(`postgres: copying ${sqlitePath} into the database (copyFromSqlite)`);
    const started = performance.now();
    let lastTable = "";
    const report = await copyFromSqlite(sqlitePath, connection, {
      onProgress: (p) => {
        if (p.phase === "copy" && p.table !== lastTable) {
          lastTable = p.table;
          if (p.total >= 10_000) log(`postgres: copying ${p.table} (${p.total.toLocaleString("en-US")} rows)`);
        } else if (p.phase !== "copy") log(`postgres: ${p.phase} after ${(p.elapsedMs / 1000).toFixed(1)} s`);
      },
    });
    const seconds = (performance.now() - started) / 1000;
    if (!report.ok) {
      throw new Error(
        `the copy into PostgreSQL did not verify: ${JSON.stringify({ tables: report.tables.filter((t) => t.source !== t.target), chain: report.chain, counts: report.countMismatches })}`,
      );
    }
    await writeMark(connection, source, log);
    const rows = report.tables.reduce((sum, t) => sum + t.target, 0);
    log(`postgres: copied ${rows.toLocaleString("en-US")} rows in ${seconds.toFixed(1)} s, counts equal and the audit chain verified`);
    return { copySeconds: seconds, rowsCopied: rows };
  } finally {
    await connection.close();
  }
}
