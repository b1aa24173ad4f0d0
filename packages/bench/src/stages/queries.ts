import Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { assignmentStatuses, defaultPlan, latenessLevels } from "@countersign/domain";
import type { AssignmentStatus, Lateness } from "@countersign/domain";
import { schema } from "@countersign/db";
import type { CountersignDb } from "@countersign/db";
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

export type CallerFactory = (db: CountersignDb, username: string) => InProcessApi;

export interface QueriesInput {
  dbPath: string;
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

/**
 * The procedures in process on the large database: p50/p95 of inbox.list under each filter, tracking.overview of one
 * plan, audit.list paging deep. Every statement they run is captured (drizzle's logger) and checked with
 * EXPLAIN QUERY PLAN: a full scan of a big table fails the benchmark.
 */
export async function benchQueries(input: QueriesInput): Promise<{ figures: Figure[]; plans: QueryPlanRecord[]; fullScans: string[] }> {
  const sqlite = new Database(input.dbPath);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = FULL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  let current = "setup";
  const seen = new Map<string, { params: unknown[]; cases: Set<string> }>();
  const db: CountersignDb = drizzle({
    client: sqlite,
    schema,
    logger: {
      logQuery(query: string, params: unknown[]) {
        const entry = seen.get(query) ?? { params, cases: new Set<string>() };
        entry.cases.add(current);
        seen.set(query, entry);
      },
    },
  });
  try {
    const liaison = input.callerFor(db, input.liaison);
    const largest = input.callerFor(db, input.largestLiaison);
    const coordinator = input.callerFor(db, input.coordinator);

    const one = <T>(sql: string, ...params: unknown[]): T => sqlite.prepare(sql).get(...params) as T;
    const defaultPlanId = one<{ id: number } | undefined>("SELECT id FROM plans WHERE key = ?", defaultPlan.key)?.id;
    if (defaultPlanId === undefined) throw new Error("the database has no default plan");
    // The plan with the most assignments: the heaviest grid.
    const largestPlan = one<{ plan_id: number; n: number }>(
      "SELECT plan_id, count(*) AS n FROM assignments GROUP BY plan_id ORDER BY n DESC LIMIT 1",
    );
    const liaisonDepartment = one<{ department: string }>("SELECT department FROM users WHERE username = ?", input.liaison).department;
    const anAssignment = one<{ id: number }>(
      "SELECT id FROM assignments WHERE department = ? ORDER BY id LIMIT 1",
      liaisonDepartment,
    ).id;
    const events = one<{ min: number; max: number }>("SELECT min(id) AS min, max(id) AS max FROM audit_events");
    const planEvents = one<{ min: number; max: number }>(
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
    const plans: QueryPlanRecord[] = [];
    const fullScans: string[] = [];
    for (const [sql, entry] of seen) {
      if (!/^\s*(select|with)\b/i.test(sql)) continue;
      const plan = (sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...(entry.params as unknown[])) as Array<{ detail: string }>).map((r) => r.detail);
      // An ordered scan that a LIMIT stops early (no sort step) reads a page, not the table.
      const limited = /\blimit\b/i.test(sql) && !plan.some((line) => line.includes("TEMP B-TREE"));
      const scans = plan.filter((line) => {
        const match = /^SCAN (\S+)/.exec(line);
        if (match?.[1] === undefined || match[1] === "CONSTANT") return false;
        // A full-text table read through its index (FTS5's MATCH "M…", a rowid "=…") is a lookup, not a scan.
        if (/ VIRTUAL TABLE INDEX \d+:\S/.test(line)) return false;
        return big(match[1]) && !limited;
      });
      for (const scan of scans) fullScans.push(`${scan} in: ${sql.slice(0, 160)}`);
      plans.push({ cases: [...entry.cases], sql, plan, fullScans: scans });
    }
    return { figures, plans, fullScans };
  } finally {
    sqlite.close();
  }
}
