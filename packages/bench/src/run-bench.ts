import { execFile } from "node:child_process";
import { existsSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { connectPostgres } from "@countersign/db-postgres";
import { latenessOf } from "@countersign/domain";
import { postgresData, sqliteData } from "./harness/bench-data.js";
import { isNotOnThisEngine, NotOnThisEngineError } from "./harness/engine-gate.js";
import { describeMachine } from "./harness/machine.js";
import type { Machine } from "./harness/machine.js";
import { benchServerMain, repoRoot, serverCli } from "./harness/paths.js";
import { startProcess } from "./harness/server-process.js";
import type { ServerProcess } from "./harness/server-process.js";
import { median } from "./harness/stats.js";
import { preparePostgres, startCluster } from "./harness/postgres.js";
import type { Cluster } from "./harness/postgres.js";
import { signIn } from "./harness/trpc-http.js";
import { notesFor } from "./notes.js";
import { notAvailable } from "./report.js";
import type { BenchDocument, Engine, Figure, QueryPlanRecord, Section } from "./report.js";
import { benchCascade } from "./stages/cascade.js";
import { benchExports } from "./stages/exports.js";
import { benchImport } from "./stages/import.js";
import { benchQueries } from "./stages/queries.js";
import type { CallerFactory, InProcessApi } from "./stages/queries.js";
import { benchReads } from "./stages/reads.js";
import { benchRounds, benchUploads } from "./stages/rounds.js";
import { benchSoak } from "./stages/soak.js";
import { benchWeb } from "./stages/web.js";
import { benchTwoInstanceReads, benchTwoInstanceWrites } from "./stages/two-instances.js";
import { benchRawWrites, benchWrites, writesRatio } from "./stages/writes.js";

/** The demo password the generated accounts share (as in demo mode). */
export const demoPassword = "countersign-demo";

export interface BenchOptions {
  /** Generate a database of about this many assignments (unless `database` names an existing one). */
  assignments: number;
  /** The engine the server under test runs on (PostgreSQL: DATABASE_URL). */
  engine: Engine;
  /** With engine postgres: the database to use (filled from the SQLite file, or reused); null: a throw-away cluster. */
  databaseUrl: string | null;
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
      user: liaisonIn(db),
    };
  } finally {
    db.close();
  }
}

/** The measured liaison's account (`mof`) in a scale database, or undefined when it has none. */
function liaisonIn(db: Database.Database): { id: number; username: string; department: string } | undefined {
  return db.prepare("SELECT id, username, department FROM users WHERE username = ?").get(liaison.username) as
    | { id: number; username: string; department: string }
    | undefined;
}

/** `liaisonIn` on the SQLite scale database at `path` (bench:writes measures the same liaison as `pnpm bench`). */
export function measuredLiaisonOf(path: string): { id: number; username: string; department: string } | undefined {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return liaisonIn(db);
  } finally {
    db.close();
  }
}

/** A stage's figures, or the row saying it is not available on PostgreSQL yet (a 501 `not_on_this_engine`). */
async function gated(
  engine: Engine,
  stage: { id: string; section: Section; name: string },
  log: (line: string) => void,
  measure: () => Promise<Figure[]>,
): Promise<Figure[]> {
  try {
    return await measure();
  } catch (error) {
    if (engine !== "postgres" || !isNotOnThisEngine(error)) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    log(`${stage.id}: not available on PostgreSQL yet (${reason})`);
    return [notAvailable(`${stage.id}.not-available`, stage.section, stage.name, reason)];
  }
}

/** The stages that need the server (and a signed-in liaison): their rows when that is not available. */
const serverStages: Array<{ id: string; section: Section; name: string; postgresOnly?: boolean }> = [
  { id: "reads", section: "reads", name: "inbox.list under load against the constant tRPC query and bare node:http" },
  { id: "writes.http", section: "writes", name: "assignment.reportProgress over HTTP" },
  { id: "two-instances", section: "two instances", name: "reads and writes through two instances on one database", postgresOnly: true },
  { id: "memory.soak", section: "memory", name: "soak: reads and writes alternated, RSS sampled" },
  { id: "exports", section: "exports", name: "exports of the responsibility matrix" },
  { id: "import", section: "import", name: "plan.import of .docx and .xlsx" },
  { id: "rounds.upload", section: "rounds", name: "1 MiB uploads" },
  { id: "web", section: "web", name: "the web client's JavaScript and first inbox row" },
];

/** The whole benchmark: every figure of issue 7, in one run, on one machine, with the server on `options.engine`. */
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

  let cluster: Cluster | null = null;
  try {
    let postgres: BenchDocument["postgres"];
    let databaseUrl: string | null = null;
    if (options.engine === "postgres") {
      cluster = options.databaseUrl === null ? await startCluster(log) : null;
      databaseUrl = cluster?.url ?? options.databaseUrl;
      if (databaseUrl === null) throw new Error("no PostgreSQL URL");
      const prepared = await preparePostgres(dbPath, databaseUrl, log);
      postgres = { version: await postgresVersion(databaseUrl), cluster: cluster === null ? "given" : "throw-away", ...prepared };
    }
    const figures = await measure(options, { dbPath, databaseUrl, user });
    const n = options.assignments;
    const engineArgs = options.engine === "postgres" ? " --engine postgres" : "";
    const sizeArgs = `${options.smoke ? " --smoke" : n === 1_000_000 ? "" : ` --assignments ${n}`}${engineArgs}`;
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
      figures: figures.figures,
      notes: notesFor(figures.figures, { smoke: options.smoke, cores: machine.cores, engine: options.engine }),
      queryPlans: mergePlans(figures.plans),
      commands: [
        "npx -y pnpm@12.4.2 install && npx -y pnpm@12.4.2 exec turbo run build",
        `npx -y pnpm@12.4.2 bench${sizeArgs === "" ? "" : ` --${sizeArgs}`}    # generates the database (seed:scale), runs every stage, rewrites this engine's section`,
        "# or, generating the database once and reusing it:",
        `npx -y pnpm@12.4.2 --silent cli seed:scale --assignments ${n} --out data/scale.sqlite`,
        `npx -y pnpm@12.4.2 bench -- --database data/scale.sqlite${options.smoke ? " --smoke" : ""}${engineArgs}`,
        ...(options.engine === "postgres"
          ? ["# on a PostgreSQL database of your own (filled from the SQLite file on the first run, reused after):", `npx -y pnpm@12.4.2 bench -- --database data/scale.sqlite --engine postgres --database-url postgres://user@host/db`]
          : []),
      ],
      smoke: options.smoke,
      durations: { loadSeconds: options.loadSeconds, warmupSeconds: options.warmupSeconds, connections: options.connections },
      engine: options.engine,
      ...(postgres === undefined ? {} : { postgres }),
    };
    return { document, fullScans: figures.fullScans };
  } finally {
    if (cluster !== null) {
      log("postgres: stopping the throw-away cluster");
      await cluster.stop();
    }
  }
}

async function postgresVersion(url: string): Promise<string> {
  const connection = connectPostgres(url, { maxConnections: 1 });
  try {
    const result = await connection.pool.query<{ server_version: string }>("show server_version");
    return result.rows[0]?.server_version ?? "unknown";
  } finally {
    await connection.close();
  }
}

/** Every stage, on the engine of the options (the in-process ones through the store seam on either engine). */
async function measure(
  options: BenchOptions,
  where: { dbPath: string; databaseUrl: string | null; user: { id: number; username: string; department: string } },
): Promise<{ figures: Figure[]; plans: QueryPlanRecord[]; fullScans: string[] }> {
  const { log, engine } = options;
  const { dbPath, databaseUrl, user } = where;
  const figures: Figure[] = [];
  const load = { connections: options.connections, seconds: options.loadSeconds, warmupSeconds: options.warmupSeconds };
  const data = databaseUrl === null ? sqliteData(dbPath) : postgresData(databaseUrl);

  // Start-up on the large database: process start until /health answers, a few times.
  // The production server plus the benchmark's ceilings (apps/server/src/bench-support/server.ts).
  // On PostgreSQL, DATABASE_PATH names a file that must stay absent: a server that ignored DATABASE_URL creates it.
  const ignoredSqlite = join(options.workDir, "unused-on-postgres.sqlite");
  const env =
    databaseUrl === null
      ? { DATABASE_PATH: dbPath, DATABASE_URL: "", NODE_ENV: "production" }
      : { DATABASE_URL: databaseUrl, DATABASE_PATH: ignoredSqlite, NODE_ENV: "production" };
  const start = async (): Promise<ServerProcess> => {
    const started = await startProcess(benchServerMain, { env });
    if (databaseUrl !== null && existsSync(ignoredSqlite)) {
      await started.stop();
      rmSync(ignoredSqlite, { force: true });
      throw new NotOnThisEngineError("the server process", "the server does not run on PostgreSQL yet: it ignored DATABASE_URL and opened a SQLite file");
    }
    return started;
  };
  const startups: number[] = [];
  // Set inside the start-up stage's closure: an object, so that the narrowing below sees it change.
  const held: { server: ServerProcess | null } = { server: null };
  // VmHWM right after the soak (memory.peak-rss); null when the soak did not run.
  let peakThroughSoak: number | null = null;
  try {
    figures.push(
      ...(await gated(engine, { id: "startup", section: "start-up", name: "process start until GET /health answers, large database" }, log, async () => {
        for (let i = 0; i < options.serverStarts; i += 1) {
          log(`start-up: starting the server on the large database (${i + 1}/${options.serverStarts})`);
          const started = await start();
          startups.push(started.startupMs);
          if (i < options.serverStarts - 1) await started.stop();
          else held.server = started;
        }
        return [
          {
            id: "startup",
            section: "start-up",
            name: "process start until GET /health answers, large database",
            value: median(startups),
            unit: "ms",
            digits: 0,
            target: { op: "≤", value: 2000 },
            detail: `median of ${startups.length}: ${startups.map((s) => s.toFixed(0)).join(", ")} ms`,
          },
        ];
      })),
    );
    const running = held.server;
    const stages = serverStages.filter((s) => engine === "postgres" || s.postgresOnly !== true);
    let cookie: string | null = null;
    let why = "";
    if (running === null) why = "the server does not run on PostgreSQL yet";
    else {
      try {
        cookie = await signIn(running.url, liaison.username, demoPassword);
      } catch (error) {
        if (engine !== "postgres" || !isNotOnThisEngine(error)) throw error;
        why = error instanceof Error ? error.message : String(error);
      }
    }
    if (running === null || cookie === null) {
      log(`server stages: not available on PostgreSQL yet (${why})`);
      for (const s of stages) figures.push(notAvailable(`${s.id}.not-available`, s.section, s.name, why));
    } else {
      const signedIn = cookie;
      const stage = (id: string): { id: string; section: Section; name: string } => {
        const found = stages.find((s) => s.id === id);
        if (found === undefined) throw new Error(`no stage ${id}`);
        return found;
      };
      figures.push(
        ...(await gated(engine, stage("reads"), log, async () => {
          const reads = await benchReads({ server: running, cookie: signedIn, department: liaison.department, load, workDir: options.workDir, engine, log });
          return reads.figures;
        })),
      );
      figures.push(...(await gated(engine, stage("writes.http"), log, () => benchWrites({ server: running, dbPath, data, databaseUrl, cookie: signedIn, user, load, log }))));
      if (engine === "postgres" && databaseUrl !== null) {
        figures.push(
          ...(await gated(engine, stage("two-instances"), log, async () => {
            log("two instances: starting a second server process on the same database");
            const second = await start();
            const both = { first: running, second, cookie: signedIn, user, data, load, log };
            try {
              const part = (id: string, name: string) => ({ id: `two-instances.${id}`, section: "two instances" as const, name });
              return [
                ...(await gated(engine, part("reads", "reads through two instances"), log, () => benchTwoInstanceReads(both))),
                ...(await gated(engine, part("writes", "writes through two instances"), log, () => benchTwoInstanceWrites(both))),
              ];
            } finally {
              await second.stop();
            }
          })),
        );
      }
      figures.push(
        ...(await gated(engine, stage("memory.soak"), log, () =>
          benchSoak({ server: running, data, cookie: signedIn, user, connections: options.connections, seconds: options.soakSeconds, phaseSeconds: options.soakPhaseSeconds, log }),
        )),
      );
      // The peak as its figure names it: through start-up, the read and write loads and the soak (the exports,
      // imports and uploads after it are reported as a figure of their own below).
      peakThroughSoak = running.peakRssMiB();
      figures.push(
        ...(await gated(engine, stage("exports"), log, async () => {
          const coordinatorCookie = await signIn(running.url, coordinator, demoPassword);
          return benchExports({ baseUrl: running.url, cookie: coordinatorCookie, runs: options.exportRuns, log });
        })),
      );
      figures.push(
        ...(await gated(engine, stage("import"), log, async () => {
          const coordinatorCookie = await signIn(running.url, coordinator, demoPassword);
          return benchImport({ baseUrl: running.url, cookie: coordinatorCookie, runs: options.exportRuns, log });
        })),
      );
      figures.push(
        ...(await gated(engine, stage("rounds.upload"), log, () =>
          benchUploads({ baseUrl: running.url, cookie: signedIn, department: liaison.department, uploads: options.uploads, log }),
        )),
      );
      figures.push(...(await gated(engine, stage("web"), log, () => benchWeb(running.url, signedIn, options.webLoads, log))));
    }
    // The write ceiling needs no server: measured on either engine whatever the server can do there yet.
    figures.push(await benchRawWrites({ dbPath, data, databaseUrl, user, load, log }));
    const http = figures.find((f) => f.id === "writes.http");
    const raw = figures.find((f) => f.id === "writes.raw");
    if (http !== undefined && raw !== undefined) figures.push(writesRatio(http, raw, engine));
    if (running !== null) {
      figures.push({
        id: "memory.peak-rss",
        section: "memory",
        name: "server peak RSS (VmHWM) through start-up, read and write loads and the soak",
        value: peakThroughSoak ?? running.peakRssMiB(),
        unit: "MiB",
        digits: 0,
        target: { op: "≤", value: 250 },
        ...(figures.some((f) => f.unavailable !== undefined && f.section !== "queries at scale")
          ? { detail: "through the stages that ran: those not available on PostgreSQL yet loaded nothing" }
          : {}),
      });
      figures.push({
        id: "memory.peak-rss-all",
        section: "memory",
        name: "server peak RSS (VmHWM) through every stage, the exports of 500 × 60, the imports and the uploads included",
        value: running.peakRssMiB(),
        unit: "MiB",
        digits: 0,
        detail: "no target: the exports build whole workbooks and documents in the server, and imports parse in worker threads",
      });
    }
  } catch (error) {
    const running = held.server;
    if (running !== null) log(`server output:\n${running.output().slice(-4000)}`);
    throw error;
  } finally {
    const running = held.server;
    if (running !== null) await running.stop();
    await data.close();
  }

  // The procedures in process, on the engine the server ran on (the store seam's caller).
  const queries = await benchQueries({
    dbPath,
    databaseUrl,
    callerFor: await loadCallerFactory(),
    iterations: options.queryIterations,
    budgetMs: options.queryBudgetMs,
    liaison: liaison.username,
    largestLiaison,
    coordinator,
    log,
  });
  figures.push(...queries.figures);
  const { plans, fullScans } = queries;
  // The rounds' grid and the cascade are on the store seam: on PostgreSQL the same stages on databases of their own
  // on the same server (built in SQLite through the services, copied, dropped after).
  const postgresUrl = engine === "postgres" ? databaseUrl : null;
  figures.push(...(await benchRounds({ workDir: options.workDir, gridDepartments: options.roundDepartments, measures: 25, runs: options.exportRuns, log, postgresUrl })));
  figures.push(...(await benchCascade({ workDir: options.workDir, organisations: options.smoke ? 200 : 3_000, iterations: options.smoke ? 5 : 50, log, postgresUrl })));
  const order: Section[] = ["reads", "writes", "two instances", "queries at scale", "exports", "import", "rounds", "cascade", "memory", "start-up", "web"];
  figures.sort((a, b) => order.indexOf(a.section) - order.indexOf(b.section));
  return { figures, plans, fullScans };
}

/**
 * The server's in-process caller for the benchmark (`@countersign/server/bench-support`), loaded at run time so that
 * this package builds whatever the server exports; a server without it cannot be benchmarked in process.
 */
export async function loadCallerFactory(): Promise<CallerFactory> {
  const specifier = "@countersign/server/bench-support";
  const loaded: unknown = await import(specifier).catch((error: unknown) => {
    throw new Error(`the server does not export ${specifier} (needed for the in-process figures): ${String(error)}`);
  });
  const create = loaded !== null && typeof loaded === "object" ? (loaded as Record<string, unknown>)["createStoreBenchCaller"] : undefined;
  if (typeof create !== "function") throw new Error(`${specifier} has no createStoreBenchCaller`);
  const typed = create as (store: unknown, username: string, options: { db?: unknown }) => Promise<InProcessApi>;
  return (store, username, db) => typed(store, username, db === undefined ? {} : { db });
}

function mergePlans(plans: QueryPlanRecord[]): QueryPlanRecord[] {
  return [...plans].sort((a, b) => (a.cases[0] ?? "").localeCompare(b.cases[0] ?? ""));
}
