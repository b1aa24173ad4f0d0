import Database from "better-sqlite3";
import type { Logger } from "drizzle-orm";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { assignmentStatuses, defaultPlan, latenessLevels } from "@countersign/domain";
import type { AssignmentStatus, Lateness } from "@countersign/domain";
import { createSqliteStore, schema } from "@countersign/db";
import type { AnyStore, CountersignDb } from "@countersign/db";
import { connectPostgres, createPostgresStore } from "@countersign/db-postgres";
import { summarize } from "../harness/stats.js";
import type { Timing } from "../harness/stats.js";
import type { Figure, QueryPlanRecord } from "../report.js";

/** What the benchmark calls in process: the real router, through `createCaller`, as one signed-in user. */
export interface InProcessApi {
  inbox: {
    list(input: {
      planId?: number;
      department?: string | null;
      status?: AssignmentStatus;
      lateness?: Lateness;
      search?: string;
      cursor?: string;
      limit?: number;
    }): Promise<{ rows: Array<{ id: number }>; nextCursor: string | null }>;
  };
  tracking: { overview(input: { planId: number }): Promise<unknown> };
  audit: {
    list(input: { planId?: number; assignmentId?: number; cursor?: number; limit?: number }): Promise<{ rows: Array<{ id: number }>; nextCursor: number | null }>;
  };
}

/**
 * The router as `username` on `store` (`createStoreBenchCaller` of `@countersign/server/bench-support`); `db` is the
 * SQLite handle for procedures not on the store seam yet (absent on PostgreSQL).
 */
export type CallerFactory = (store: AnyStore, username: string, db: CountersignDb | undefined) => Promise<InProcessApi>;

export interface QueriesInput {
  dbPath: string;
  /** The PostgreSQL database the server runs on (a copy of `dbPath`), or null on SQLite. */
  databaseUrl: string | null;
  callerFor: CallerFactory;
  /** Measured calls per case (fewer when a case is slow: see `budgetMs`). */
  iterations: number;
  /** Stop sampling a case after this long (at least 10 samples). */
  budgetMs: number;
  /** The typical liaison and the one with the largest inbox. */
  liaison: string;
  largestLiaison: string;
  coordinator: string;
  log: (line: string) => void;
}

interface Case {
  label: string;
  run: () => Promise<unknown>;
}

interface Group {
  id: string;
  name: string;
  target: number;
  cases: Case[];
}

/** Tables this big are never read whole by a request. */
const bigTableRows = 10_000;

/** The database under the procedures, on either engine: its store, a way to look, and a way to explain. */
interface Engine {
  store: AnyStore;
  db: CountersignDb | undefined;
  /** One row of `sql` (`?` placeholders; numbers come back as numbers on both engines). */
  one(sql: string, ...params: unknown[]): Promise<Record<string, unknown> | undefined>;
  /** The plan of a captured statement, a line a step, and the full scans of big tables in it. */
  explain(sql: string, params: unknown[]): Promise<{ plan: string[]; scans: string[] }>;
  close(): Promise<void>;
}

/** The captured statements: each with the parameters of its first run and the cases that ran it. */
type Seen = Map<string, { params: unknown[]; cases: Set<string> }>;

function capturing(seen: Seen, current: () => string): Logger {
  return {
    logQuery(query: string, params: unknown[]) {
      const entry = seen.get(query) ?? { params, cases: new Set<string>() };
      entry.cases.add(current());
      seen.set(query, entry);
    },
  };
}

function sqliteEngine(dbPath: string, logger: Logger): Engine {
  const sqlite = new Database(dbPath);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = FULL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  const db: CountersignDb = drizzle({ client: sqlite, schema, logger });
  const store = createSqliteStore({ db, sqlite });
  const rowCounts = new Map<string, number>();
  const big = (table: string): boolean => {
    if (!rowCounts.has(table)) {
      let n = 0;
      try {
        n = (sqlite.prepare(`SELECT count(*) AS n FROM "${table.replace(/"/g, "")}"`).get() as { n: number }).n;
      } catch {
        n = 0;
      }
      rowCounts.set(table, n);
    }
    return (rowCounts.get(table) ?? 0) >= bigTableRows;
  };
  return {
    store,
    db,
    one: async (sql, ...params) => sqlite.prepare(sql).get(...params) as Record<string, unknown> | undefined,
    explain: async (sql, params) => {
      const plan = (sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>).map((r) => r.detail);
      // An ordered scan that a LIMIT stops early (no sort step) reads a page, not the table.
      const limited = /\blimit\b/i.test(sql) && !plan.some((line) => line.includes("TEMP B-TREE"));
      const scans = plan.filter((line) => {
        const match = /^SCAN (\S+)/.exec(line);
        if (match?.[1] === undefined || match[1] === "CONSTANT") return false;
        // A full-text table read through its index (FTS5's MATCH "M…", a rowid "=…") is a lookup, not a scan.
        if (/ VIRTUAL TABLE INDEX \d+:\S/.test(line)) return false;
        return big(match[1]) && !limited;
      });
      return { plan, scans };
    },
    close: async () => {
      await store.close();
      sqlite.close();
    },
  };
}

/** A node of PostgreSQL's `EXPLAIN (FORMAT JSON)` plan. */
interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  Plans?: PlanNode[];
}

function postgresEngine(url: string, logger: Logger): Engine {
  const connection = connectPostgres(url, { logger });
  const store = createPostgresStore(connection);
  const rowCounts = new Map<string, number>();
  // The planner's own estimate (kept by ANALYZE and autovacuum): counting a 5-million-row table per statement would dwarf the stage.
  const big = async (table: string): Promise<boolean> => {
    if (!rowCounts.has(table)) {
      const result = await connection.pool.query<{ n: number }>("SELECT reltuples::float8 AS n FROM pg_class WHERE relname = $1", [table]);
      rowCounts.set(table, Number(result.rows[0]?.n ?? 0));
    }
    return (rowCounts.get(table) ?? 0) >= bigTableRows;
  };
  return {
    store,
    db: undefined,
    one: async (sql, ...params) => {
      let n = 0;
      const text = sql.replace(/\?/g, () => `$${++n}`);
      const row = (await connection.pool.query<Record<string, unknown>>(text, params)).rows[0];
      if (row === undefined) return undefined;
      // count(*), min(id) … are bigint, which node-postgres gives as text.
      return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === "string" && /^-?\d+$/.test(v) ? Number(v) : v]));
    },
    explain: async (sql, params) => {
      const result = await connection.pool.query<{ "QUERY PLAN": Array<{ Plan: PlanNode }> }>(`EXPLAIN (FORMAT JSON) ${sql}`, params);
      const root = result.rows[0]?.["QUERY PLAN"][0]?.Plan;
      const plan: string[] = [];
      const seqScans: string[] = [];
      let sorted = false;
      const walk = (node: PlanNode, depth: number): void => {
        const on = node["Relation Name"] === undefined ? "" : ` on ${node["Relation Name"]}`;
        const using = node["Index Name"] === undefined ? "" : ` using ${node["Index Name"]}`;
        plan.push(`${"  ".repeat(depth)}${node["Node Type"]}${on}${using}`);
        if (node["Node Type"].includes("Sort")) sorted = true;
        if (node["Node Type"] === "Seq Scan" && node["Relation Name"] !== undefined) seqScans.push(node["Relation Name"]);
        for (const child of node.Plans ?? []) walk(child, depth + 1);
      };
      if (root !== undefined) walk(root, 0);
      // As on SQLite: a scan a LIMIT stops early without sorting first reads a page, not the table.
      const limited = /\blimit\b/i.test(sql) && !sorted;
      const scans: string[] = [];
      for (const table of seqScans) if (!limited && (await big(table))) scans.push(`Seq Scan on ${table}`);
      return { plan, scans };
    },
    close: async () => {
      await store.close();
      await connection.close();
    },
  };
}

/**
 * The procedures in process on the large database, on the engine the server runs on: p50/p95 of inbox.list under each
 * filter, tracking.overview of one plan, audit.list paging deep. Every statement they run is captured (drizzle's
 * logger) and explained (SQLite: EXPLAIN QUERY PLAN; PostgreSQL: EXPLAIN (FORMAT JSON) with the statement's
 * parameters): a full scan of a big table (≥ 10,000 rows) fails the benchmark.
 */
export async function benchQueries(input: QueriesInput): Promise<{ figures: Figure[]; plans: QueryPlanRecord[]; fullScans: string[] }> {
  let current = "setup";
  const seen: Seen = new Map();
  const logger = capturing(seen, () => current);
  const engine = input.databaseUrl === null ? sqliteEngine(input.dbPath, logger) : postgresEngine(input.databaseUrl, logger);
  try {
    const liaison = await input.callerFor(engine.store, input.liaison, engine.db);
    const largest = await input.callerFor(engine.store, input.largestLiaison, engine.db);
    const coordinator = await input.callerFor(engine.store, input.coordinator, engine.db);

    const one = async <T>(sql: string, ...params: unknown[]): Promise<T> => {
      const row = await engine.one(sql, ...params);
      if (row === undefined) throw new Error(`no row: ${sql}`);
      return row as T;
    };
    const defaultPlanId = (await engine.one("SELECT id FROM plans WHERE key = ?", defaultPlan.key))?.["id"];
    if (typeof defaultPlanId !== "number") throw new Error("the database has no default plan");
    // The plan with the most assignments: the heaviest grid.
    const largestPlan = await one<{ plan_id: number; n: number }>(
      "SELECT plan_id, count(*) AS n FROM assignments GROUP BY plan_id ORDER BY n DESC LIMIT 1",
    );
    const liaisonDepartment = (await one<{ department: string }>("SELECT department FROM users WHERE username = ?", input.liaison)).department;
    const anAssignment = (await one<{ id: number }>("SELECT id FROM assignments WHERE department = ? ORDER BY id LIMIT 1", liaisonDepartment)).id;
    const events = await one<{ min: number; max: number }>("SELECT min(id) AS min, max(id) AS max FROM audit_events");
    const planEvents = await one<{ min: number; max: number }>(
      "SELECT min(id) AS min, max(id) AS max FROM audit_events WHERE plan_id = ?",
      largestPlan.plan_id,
    );

    // A deep inbox cursor: follow the pages.
    let deepCursor: string | null = null;
    let pages = 0;
    for (let cursor: string | null = null; pages < 20; pages += 1) {
      const page: { nextCursor: string | null } = await liaison.inbox.list({ limit: 50, ...(cursor === null ? {} : { cursor }) });
      if (page.nextCursor === null) break;
      cursor = page.nextCursor;
      deepCursor = cursor;
    }
    const firstPage = await liaison.inbox.list({ limit: 50 });

    const inbox = (label: string, api: InProcessApi, filter: Parameters<InProcessApi["inbox"]["list"]>[0]): Case => ({
      label,
      run: () => api.inbox.list({ limit: 50, ...filter }),
    });
    const groups: Group[] = [
      { id: "queries.inbox-none", name: "inbox.list, no filter (a department's whole history)", target: 5, cases: [inbox(`${input.liaison}`, liaison, {})] },
      {
        id: "queries.inbox-largest",
        name: "inbox.list, no filter, the largest inbox",
        target: 5,
        cases: [inbox(`${input.largestLiaison}`, largest, {})],
      },
      { id: "queries.inbox-plan", name: "inbox.list, planId", target: 5, cases: [inbox("default plan", liaison, { planId: defaultPlanId })] },
      {
        id: "queries.inbox-status",
        name: "inbox.list, status (each)",
        target: 5,
        cases: assignmentStatuses.map((status) => inbox(status, liaison, { status })),
      },
      {
        id: "queries.inbox-lateness",
        name: "inbox.list, lateness (each)",
        target: 5,
        cases: latenessLevels.map((lateness) => inbox(lateness, liaison, { lateness })),
      },
      {
        id: "queries.inbox-search",
        name: "inbox.list, search (a word; a measure number; a two-character Chinese word; a Chinese phrase)",
        target: 5,
        cases: [
          inbox("word “financing”", liaison, { search: "financing" }),
          inbox("number “(7)”", liaison, { search: "(7)" }),
          // Too short for the trigram index: a scan of the distinct texts (search_texts), then the department's keys.
          inbox("two characters “融资”", liaison, { search: "融资" }),
          inbox("phrase “中小企业融资担保”", liaison, { search: "中小企业融资担保" }),
        ],
      },
      {
        id: "queries.inbox-cursor",
        name: "inbox.list, cursor (next page; page 20)",
        target: 5,
        cases: [
          inbox("next page", liaison, firstPage.nextCursor === null ? {} : { cursor: firstPage.nextCursor }),
          inbox(`page ${pages + 1}`, liaison, deepCursor === null ? {} : { cursor: deepCursor }),
        ],
      },
      {
        id: "queries.inbox-coordinator",
        name: "inbox.list, coordinator: one department; a plan's every department",
        target: 5,
        cases: [
          inbox(`department ${liaisonDepartment}`, coordinator, { department: liaisonDepartment }),
          inbox("largest plan, all departments", coordinator, { planId: largestPlan.plan_id, department: null }),
          inbox("largest plan, all departments, declined", coordinator, { planId: largestPlan.plan_id, department: null, status: "declined" }),
        ],
      },
      {
        id: "queries.tracking",
        name: "tracking.overview of one plan",
        target: 50,
        cases: [
          { label: `largest plan (${largestPlan.n} assignments)`, run: () => coordinator.tracking.overview({ planId: largestPlan.plan_id }) },
          { label: "default plan", run: () => coordinator.tracking.overview({ planId: defaultPlanId }) },
          { label: "largest plan as a liaison", run: () => liaison.tracking.overview({ planId: largestPlan.plan_id }) },
        ],
      },
      {
        id: "queries.audit-first",
        name: "audit.list, first page (all; a plan; an assignment; a liaison's)",
        target: 10,
        cases: [
          { label: "all", run: () => coordinator.audit.list({}) },
          { label: "plan", run: () => coordinator.audit.list({ planId: largestPlan.plan_id }) },
          { label: "assignment", run: () => coordinator.audit.list({ assignmentId: anAssignment }) },
          { label: "liaison", run: () => liaison.audit.list({}) },
        ],
      },
      {
        id: "queries.audit-deep",
        name: "audit.list, deep pages (the oldest events)",
        target: 10,
        cases: [
          { label: "all, oldest", run: () => coordinator.audit.list({ cursor: events.min + 60 }) },
          { label: "all, middle", run: () => coordinator.audit.list({ cursor: Math.floor((events.min + events.max) / 2) }) },
          { label: "plan, oldest", run: () => coordinator.audit.list({ planId: largestPlan.plan_id, cursor: planEvents.min + 60 }) },
          { label: "liaison, oldest", run: () => liaison.audit.list({ cursor: events.min + 2000 }) },
        ],
      },
    ];

    const figures: Figure[] = [];
    for (const group of groups) {
      input.log(`queries: ${group.name}`);
      let worst: { label: string; timing: Timing } | null = null;
      const parts: string[] = [];
      for (const c of group.cases) {
        current = `${group.name.split(",")[0] ?? group.name} — ${c.label}`;
        await c.run();
        await c.run();
        const samples: number[] = [];
        const started = performance.now();
        while (samples.length < input.iterations && (samples.length < 10 || performance.now() - started < input.budgetMs)) {
          const t0 = performance.now();
          await c.run();
          samples.push(performance.now() - t0);
        }
        const timing = summarize(samples);
        parts.push(`${c.label} ${timing.p50.toFixed(1)}/${timing.p95.toFixed(1)}`);
        if (worst === null || timing.p95 > worst.timing.p95) worst = { label: c.label, timing };
      }
      if (worst === null) continue;
      figures.push({
        id: group.id,
        section: "queries at scale",
        name: `${group.name}, p95${group.cases.length > 1 ? " (worst)" : ""}`,
        value: worst.timing.p95,
        unit: "ms",
        digits: 2,
        target: { op: "≤", value: group.target },
        detail: `p50/p95 ms: ${parts.join("; ")}`,
      });
    }

    // Every statement seen, explained with the parameters it ran with.
    const plans: QueryPlanRecord[] = [];
    const fullScans: string[] = [];
    for (const [sql, entry] of seen) {
      if (!/^\s*(select|with)\b/i.test(sql)) continue;
      const { plan, scans } = await engine.explain(sql, entry.params);
      for (const scan of scans) fullScans.push(`${scan} in: ${sql.slice(0, 160)}`);
      plans.push({ cases: [...entry.cases], sql, plan, fullScans: scans });
    }
    return { figures, plans, fullScans };
  } finally {
    await engine.close();
  }
}
