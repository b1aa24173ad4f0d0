import { execFile } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { latenessOf } from "@countersign/domain";
import { describeMachine } from "./harness/machine.js";
import type { Machine } from "./harness/machine.js";
import { benchServerMain, repoRoot, serverCli } from "./harness/paths.js";
import { startProcess } from "./harness/server-process.js";
import type { ServerProcess } from "./harness/server-process.js";
import { median } from "./harness/stats.js";
import { signIn } from "./harness/trpc-http.js";
import { notesFor } from "./notes.js";
import type { BenchDocument, Figure, QueryPlanRecord } from "./report.js";
import { benchCascade } from "./stages/cascade.js";
import { benchExports } from "./stages/exports.js";
import { benchImport } from "./stages/import.js";
import { benchQueries } from "./stages/queries.js";
import type { CallerFactory, InProcessApi } from "./stages/queries.js";
import { benchReads } from "./stages/reads.js";
import { benchRounds, benchUploads } from "./stages/rounds.js";
import { benchSoak } from "./stages/soak.js";
import { benchWeb } from "./stages/web.js";
import { benchWrites } from "./stages/writes.js";

/** The demo password the generated accounts share (as in demo mode). */
export const demoPassword = "countersign-demo";

export interface BenchOptions {
  /** Generate a database of about this many assignments (unless `database` names an existing one). */
  assignments: number;
  /** Use this database file: generated there if it does not exist, reused as it is if it does. */
  database?: string;
  workDir: string;
  connections: number;
  loadSeconds: number;
  warmupSeconds: number;
  /** In-process samples per query case, and the time budget of one case. */
  queryIterations: number;
  queryBudgetMs: number;
  webLoads: number;
  exportRuns: number;
  /** The soak after the write load: reads and writes alternated for this long, RSS sampled every second. */
  soakSeconds: number;
  soakPhaseSeconds: number;
  /** 1 MiB uploads in a row, and the departments of the round grid measured (× 25 measures). */
  uploads: number;
  roundDepartments: number;
  serverStarts: number;
  smoke: boolean;
  log: (line: string) => void;
}

export interface BenchResult {
  document: BenchDocument;
  /** Full scans of big tables found in the query plans: the benchmark fails if there is any. */
  fullScans: string[];
}

/** The typical liaison measured, and the one with the largest inbox (the lead ministry's own). */
const liaison = { username: "mof", department: "MOF" };
const largestLiaison = "miit-liaison";
const coordinator = "miit";

async function seed(options: BenchOptions, path: string): Promise<number> {
  options.log(`seed: generating about ${options.assignments.toLocaleString("en-US")} assignments into ${path}`);
  const started = performance.now();
  const child = execFile(process.execPath, [serverCli, "seed:scale", "--assignments", String(options.assignments), "--out", path], {
    maxBuffer: 16 * 1024 * 1024,
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    for (const line of chunk.toString().split("\n")) if (line.trim() !== "") options.log(`seed: ${line.trim()}`);
  });
  const code = await new Promise<number>((resolve) => child.once("exit", (c) => resolve(c ?? 1)));
  if (code !== 0) throw new Error(`seed:scale exited with ${code}`);
  return (performance.now() - started) / 1000;
}

function describeDatabase(path: string) {
  const db = new Database(path, { readonly: true });
  try {
    const count = (sql: string): number => (db.prepare(sql).get() as { n: number }).n;
    const byStatus = Object.fromEntries(
      (db.prepare("SELECT status, count(*) AS n FROM assignments GROUP BY status ORDER BY n DESC").all() as Array<{ status: string; n: number }>).map((r) => [r.status, r.n]),
    );
    const byLateness: Record<string, number> = {};
    const now = new Date();
    for (const row of db.prepare("SELECT due_date AS dueDate, status FROM assignments").iterate() as Iterable<{ dueDate: string; status: Parameters<typeof latenessOf>[1] }>) {
      const lateness = latenessOf(row.dueDate, row.status, now);
      byLateness[lateness] = (byLateness[lateness] ?? 0) + 1;
    }
    return {
      byLateness,
      assignments: count("SELECT count(*) AS n FROM assignments"),
      auditEvents: count("SELECT max(seq) AS n FROM audit_events"),
      plans: count("SELECT count(*) AS n FROM plans"),
      byStatus,
      user: db.prepare("SELECT id, username, department FROM users WHERE username = ?").get(liaison.username) as
        | { id: number; username: string; department: string }
        | undefined,
    };
  } finally {
    db.close();
  }
}

/** The whole benchmark: every figure of issue 7, in one run, on one machine. */
export async function runBench(options: BenchOptions): Promise<BenchResult> {
  const log = options.log;
  const machine: Machine = describeMachine(repoRoot);
  for (const built of [benchServerMain, serverCli]) {
    if (!existsSync(built)) throw new Error(`${built} is missing: build first (pnpm build)`);
  }
  const dbPath = options.database ?? join(options.workDir, `scale-${options.assignments}.sqlite`);
  const seedSeconds = existsSync(dbPath) ? null : await seed(options, dbPath);
  if (seedSeconds === null) log(`seed: reusing ${dbPath}`);
  const described = describeDatabase(dbPath);
  const user = described.user;
  if (user === undefined) throw new Error(`the database has no account ${liaison.username}`);
  const figures: Figure[] = [];
  const load = { connections: options.connections, seconds: options.loadSeconds, warmupSeconds: options.warmupSeconds };

  // Start-up on the large database: process start until /health answers, a few times.
  // The production server plus the benchmark's ceilings (apps/server/src/bench-support/server.ts).
  const env = { DATABASE_PATH: dbPath, NODE_ENV: "production" };
  const startups: number[] = [];
  let server: ServerProcess | null = null;
  try {
    for (let i = 0; i < options.serverStarts; i += 1) {
      log(`start-up: starting the server on the large database (${i + 1}/${options.serverStarts})`);
      const started = await startProcess(benchServerMain, { env });
      startups.push(started.startupMs);
      if (i < options.serverStarts - 1) await started.stop();
      else server = started;
    }
    if (server === null) throw new Error("the server did not start");
    figures.push({
      id: "startup",
      section: "start-up",
      name: "process start until GET /health answers, large database",
      value: median(startups),
      unit: "ms",
      digits: 0,
      target: { op: "≤", value: 2000 },
      detail: `median of ${startups.length}: ${startups.map((s) => s.toFixed(0)).join(", ")} ms`,
    });

    const cookie = await signIn(server.url, liaison.username, demoPassword);
    const reads = await benchReads({ server, cookie, department: liaison.department, load, workDir: options.workDir, log });
    figures.push(...reads.figures);
    figures.push(...(await benchWrites({ server, dbPath, cookie, user, load, log })));
    figures.push(
      ...(await benchSoak({ server, dbPath, cookie, user, connections: options.connections, seconds: options.soakSeconds, phaseSeconds: options.soakPhaseSeconds, log })),
    );
    const rss = server.peakRssMiB();
    figures.push({
      id: "memory.peak-rss",
      section: "memory",
      name: "server peak RSS (VmHWM) through start-up, read and write loads and the soak",
      value: rss,
      unit: "MiB",
      digits: 0,
      target: { op: "≤", value: 250 },
    });

    const coordinatorCookie = await signIn(server.url, coordinator, demoPassword);
    figures.push(...(await benchExports({ baseUrl: server.url, cookie: coordinatorCookie, runs: options.exportRuns, log })));
    figures.push(...(await benchImport({ baseUrl: server.url, cookie: coordinatorCookie, runs: options.exportRuns, log })));
    figures.push(...(await benchUploads({ baseUrl: server.url, cookie, department: liaison.department, uploads: options.uploads, log })));
    figures.push(...(await benchWeb(server.url, cookie, options.webLoads, log)));
  } catch (error) {
    if (server !== null) log(`server output:\n${server.output().slice(-4000)}`);
    throw error;
  } finally {
    await server?.stop();
  }

  const callerFor = await loadCallerFactory();
  const queries = await benchQueries({
    dbPath,
    callerFor,
    iterations: options.queryIterations,
    budgetMs: options.queryBudgetMs,
    liaison: liaison.username,
    largestLiaison,
    coordinator,
    log,
  });
  figures.push(...queries.figures);
  figures.push(...(await benchRounds({ workDir: options.workDir, gridDepartments: options.roundDepartments, measures: 25, runs: options.exportRuns, log })));
  figures.push(...(await benchCascade({ workDir: options.workDir, organisations: options.smoke ? 200 : 3_000, iterations: options.smoke ? 5 : 50, log })));
  const order = ["reads", "writes", "queries at scale", "exports", "import", "rounds", "cascade", "memory", "start-up", "web"];
  figures.sort((a, b) => order.indexOf(a.section) - order.indexOf(b.section));

  const n = options.assignments;
  const sizeArgs = options.smoke ? " -- --smoke" : n === 1_000_000 ? "" : ` -- --assignments ${n}`;
  const document: BenchDocument = {
    machine,
    size: {
      assignments: described.assignments,
      auditEvents: described.auditEvents,
      plans: described.plans,
      databaseMiB: statSync(dbPath).size / 1024 / 1024,
      seedSeconds,
    },
    database: { byStatus: described.byStatus, byLateness: described.byLateness },
    figures,
    notes: notesFor(figures, { smoke: options.smoke, cores: machine.cores }),
    queryPlans: mergePlans(queries.plans),
    commands: [
      "npx -y pnpm@12.4.2 install && npx -y pnpm@12.4.2 exec turbo run build",
      `npx -y pnpm@12.4.2 bench${sizeArgs}    # generates the database (seed:scale), runs every stage, rewrites this file`,
      "# or, generating the database once and reusing it:",
      `npx -y pnpm@12.4.2 --silent cli seed:scale --assignments ${n} --out data/scale.sqlite`,
      `npx -y pnpm@12.4.2 bench -- --database data/scale.sqlite${options.smoke ? " --smoke" : ""}`,
    ],
    smoke: options.smoke,
    durations: { loadSeconds: options.loadSeconds, warmupSeconds: options.warmupSeconds, connections: options.connections },
  };
  return { document, fullScans: queries.fullScans };
}

/**
 * The server's in-process caller for the benchmark (`@countersign/server/bench-support`), loaded at run time so that
 * this package builds whatever the server exports; a server without it cannot be benchmarked in process.
 */
async function loadCallerFactory(): Promise<CallerFactory> {
  const specifier = "@countersign/server/bench-support";
  const loaded: unknown = await import(specifier).catch((error: unknown) => {
    throw new Error(`the server does not export ${specifier} (needed for the in-process figures): ${String(error)}`);
  });
  const create = loaded !== null && typeof loaded === "object" ? (loaded as Record<string, unknown>)["createBenchCaller"] : undefined;
  if (typeof create !== "function") throw new Error(`${specifier} has no createBenchCaller`);
  return (db, username) => (create as (db: unknown, username: string) => InProcessApi)(db, username);
}

function mergePlans(plans: QueryPlanRecord[]): QueryPlanRecord[] {
  return [...plans].sort((a, b) => (a.cases[0] ?? "").localeCompare(b.cases[0] ?? ""));
}
