/**
 * Starting and stopping one server process: open (and migrate) the database, load the default plan on first start,
 * seed the demo when asked, build the HTTP app, listen; and the graceful shutdown main.ts runs on SIGTERM/SIGINT.
 */
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSqliteStore, loadDefaultPlan, openDatabase } from "@countersign/db";
import type { AnyStore, CountersignDb, DatabaseProbe, Engine, OpenedDatabase } from "@countersign/db";
import {
  connectPostgres,
  createPostgresStore,
  postgresAccountExists,
  postgresAccounts,
  postgresPlanIdByKey,
  probePostgres,
  seedEmptyDatabase,
} from "@countersign/db-postgres";
import { defaultPlan } from "@countersign/domain";
import type { FastifyInstance } from "fastify";
import { buildApp } from "./app.js";
import { limitHeapGrowth } from "./heap-policy.js";
import type { AppConfig } from "./app.js";
import { shownDatabaseUrl } from "./config.js";
import type { ServerConfig } from "./config.js";
import { demoAccounts, demoPassword } from "./demo/demo-accounts.js";
import { firstAdministratorHint } from "./setup/first-administrator.js";
import type { ServerDeps } from "./context.js";
import { sqliteOnlyOnPostgres } from "./engine-gate.js";
import { seedDemo } from "./demo/seed-demo.js";
import type { DemoSeedResult } from "./demo/seed-demo.js";
import { Lifecycle } from "./lifecycle.js";
import { LiveBus, liveRingCapacity } from "./live.js";
import { bridgeStoreLiveEvents, liveIdsOf } from "./live-bridge.js";
import { defaultBusyPolicy } from "./services/shared/database-busy.js";
import { startOutboxDispatcher } from "./services/notifications/outbound-config.js";
import { outboundChannelsFor } from "./services/notifications/notify.js";
import { roundsTickIntervalMs, startRoundsScheduler } from "./services/rounds/rounds-scheduler.js";
import { startAttachmentStore } from "./services/attachments/s3-attachment-store.js";

export interface RunningServer {
  app: FastifyInstance;
  /** The engine the process runs on (DATABASE_URL=postgres://… selects PostgreSQL; SQLite otherwise). */
  engine: Engine;
  /** Where the data is, as printed: the SQLite file's path, or the PostgreSQL URL with its password hidden. */
  databaseShown: string;
  /** The SQLite database (null on PostgreSQL). */
  database: OpenedDatabase | null;
  /** The store seam on the process's engine (the one `ServerDeps.store` the services use). */
  store: AnyStore;
  /** The process's live bus: what its `live.changes` streams listen to (fed by the store's bus, see live-bridge.ts). */
  live: LiveBus;
  /** What start-up wants an operator to read: functions not available on this engine, the first administrator. */
  notices: string[];
  /** The port listened on (the one the system chose when PORT=0). */
  port: number;
  /** The demo accounts seeded (or found), when started with --demo. */
  demo: Awaited<ReturnType<typeof seedDemo>> | null;
  /** Ends the process's service gracefully (see `shutdown`); the same promise however often it is called. */
  shutdown(): Promise<ShutdownReport>;
}

/** What a shutdown did: whether every request in flight finished within the drain timeout. */
export interface ShutdownReport {
  drained: boolean;
  /** Requests still running when the drain timeout cut them off (0 when drained). */
  cutOff: number;
  /** Live streams ended. */
  liveStreams: number;
  elapsedMs: number;
}

export interface StartOptions {
  /** The app's extra settings (tests and the benchmark's own entry point); merged over those from `config`. */
  app?: Partial<AppConfig>;
  /** Called with the built app before it listens: routes of the benchmark's entry point (never of production). */
  extend?: (app: FastifyInstance, deps: ServerDeps) => void | Promise<void>;
}

/** The process's database, opened on its engine: what `startServer` builds the app on. */
interface OpenedEngine {
  engine: Engine;
  databaseShown: string;
  sqlite: OpenedDatabase | null;
  store: AnyStore;
  /** The synchronous SQLite handle the services not yet on the seam take; on PostgreSQL the one that refuses (501). */
  db: CountersignDb;
  databaseProbe?: (timeoutMs: number) => Promise<DatabaseProbe>;
  demo: DemoSeedResult | null;
  notices: string[];
  /** After the store closed: the SQLite file or the PostgreSQL pool. */
  close(): Promise<void>;
}

/** SQLite (the default): the file opened and migrated, the default plan loaded (at every start: it is idempotent), the demo seeded when asked. */
async function openSqliteEngine(config: ServerConfig): Promise<OpenedEngine> {
  // A short SQLite busy timeout: better-sqlite3 blocks the whole process while it waits; requests wait asynchronously.
  const database = openDatabase(config.databasePath, { busyTimeoutMs: config.busyTimeoutMs });
  loadDefaultPlan(database.db);
  const demo = config.demo ? await seedDemo(database.db) : null;
  return {
    engine: "sqlite",
    databaseShown: database.path,
    sqlite: database,
    // Units of work arriving while a COMMIT syncs share the next one (GROUP_COMMIT, _MAX_BATCH, _MAX_WAIT_MS), the sync
    // on the thread pool (GROUP_COMMIT_SYNC).
    store: createSqliteStore(database, undefined, { groupCommit: config.groupCommit, syncOffLoop: config.groupCommitSync === "background" }),
    db: database.db,
    demo,
    notices: firstAdministratorHint(database.db, database.path),
    close: async () => database.close(),
  };
}

/**
 * The default plan and, with `demo`, the demo accounts and data, built by the same code as on SQLite into a
 * temporary SQLite file (removed by `dispose`), for `seedEmptyDatabase` to copy into an empty PostgreSQL database.
 */
export async function firstStartFile(demo: boolean): Promise<{ sqlitePath: string; built: DemoSeedResult | null; dispose: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), "countersign-first-start-"));
  const dispose = (): void => rmSync(dir, { recursive: true, force: true });
  try {
    const database = openDatabase(join(dir, "first-start.sqlite"));
    try {
      loadDefaultPlan(database.db);
      const built = demo ? await seedDemo(database.db) : null;
      // The copy reads the file: everything written must be in it, not only in its write-ahead log.
      database.sqlite.pragma("wal_checkpoint(TRUNCATE)");
      return { sqlitePath: database.path, built, dispose };
    } finally {
      database.close();
    }
  } catch (error) {
    dispose();
    throw error;
  }
}

/**
 * PostgreSQL (DATABASE_URL): connect, apply the migrations (advisory-locked: instances may start together), and on an
 * empty database copy in the default plan (and the demo, when asked) built on SQLite; a database holding data is left
 * alone. Services not on the store seam yet answer 501 `not_on_this_engine` (engine-gate.ts).
 */
async function openPostgresEngine(config: ServerConfig, url: string): Promise<OpenedEngine> {
  // Two pools: the start (migrations and the first copy take turns on locks as long as they run) without a lock
  // timeout, closed once started; the requests' with one: a write waiting on a lock another session holds gives up
  // after DATABASE_BUSY_WAIT_MS (SQLSTATE 55P03, nothing written) and is refused as database_busy (503), as on
  // SQLite, instead of stalling its request for as long as the lock is held.
  const connection = connectPostgres(url);
  const serving = connectPostgres(url, { lockTimeoutMs: Math.max(1, config.busyWaitMs) });
  try {
    let dispose = (): void => undefined;
    const seed = await seedEmptyDatabase(connection, async () => {
      const file = await firstStartFile(config.demo);
      dispose = file.dispose;
      return { sqlitePath: file.sqlitePath, built: file.built };
    }).finally(() => dispose());
    const notices: string[] = [];
    let demo: DemoSeedResult | null = null;
    if (seed.seeded) demo = seed.built;
    else if (config.demo) {
      if (await postgresAccountExists(connection, "miit")) {
        demo = { seeded: false, accounts: demoAccounts(), planId: await postgresPlanIdByKey(connection, defaultPlan.key) };
      } else {
        notices.push("--demo: this PostgreSQL database already holds data, and the demo is seeded only into an empty one: no demo accounts.");
      }
    }
    if ((await postgresAccounts(connection, "admin")) === 0 && demo === null) {
      notices.push("No administrator account yet: create one with `DATABASE_URL=… cli user add --role admin --password-stdin` (docs/deploy.md).");
    }
    await connection.close();
    const store = createPostgresStore(serving);
    return {
      engine: "postgres",
      databaseShown: shownDatabaseUrl(url),
      sqlite: null,
      store,
      db: sqliteOnlyOnPostgres(),
      databaseProbe: (timeoutMs) => probePostgres(serving, timeoutMs),
      demo,
      notices,
      close: () => serving.close(),
    };
  } catch (error) {
    await Promise.allSettled([connection.close(), serving.close()]);
    throw error;
  }
}

/**
 * The background work, on either engine: the attachments' object store, the reporting rounds' scheduler and the
 * outbox's dispatcher (webhooks, email); every instance runs each (rows and rounds are claimed once).
 */
function startBackgroundWork(app: FastifyInstance, opened: OpenedEngine, env: NodeJS.ProcessEnv): void {
  // Read first: a wrong ROUNDS_TICK_SECONDS stops the start before anything runs.
  const roundsTickMs = roundsTickIntervalMs(env);
  // Attachments in an S3-compatible object store when configured (ATTACHMENT_STORE=s3), with its orphan sweep (either engine).
  const attachmentStore = startAttachmentStore(opened.db, opened.store, env, () => new Date());
  app.addHook("onClose", async () => attachmentStore.stop());
  // The reporting rounds' scheduler (rollover at the next period, due-soon notices), on every instance of either
  // engine: two instances ticking at once close a round once (rounds-scheduler.ts).
  const scheduler = startRoundsScheduler(opened.store, {
    intervalMs: roundsTickMs,
    now: () => new Date(),
    channels: () => outboundChannelsFor({ store: opened.store }),
    onError: (error) => app.log.error({ err: error }, "rounds tick failed"),
  });
  app.addHook("onClose", async () => scheduler.stop());
  // Webhooks and email (off unless configured): every instance runs a dispatcher; each row is claimed by one.
  const outbox = startOutboxDispatcher(opened.store, env, () => new Date());
  app.addHook("onClose", async () => outbox.stop());
}

export async function startServer(config: ServerConfig, options: StartOptions = {}): Promise<RunningServer> {
  const opened = config.databaseUrl === null ? await openSqliteEngine(config) : await openPostgresEngine(config, config.databaseUrl);
  const { store, demo } = opened;
  const lifecycle = new Lifecycle();
  // PostgreSQL: event ids assigned at commit, the same on every instance (a browser resumes on any of them).
  const live = new LiveBus(liveRingCapacity, liveIdsOf(store));
  // On PostgreSQL the store's bus LISTENs: changes committed through any instance reach this one's live streams.
  const unbridge = await bridgeStoreLiveEvents(store, live);
  const deps: ServerDeps = {
    store,
    db: opened.db,
    live,
    ...(opened.databaseProbe === undefined ? {} : { databaseProbe: opened.databaseProbe }),
    sessionPolicy: config.sessionPolicy,
    now: () => new Date(),
    secureCookies: config.secureCookies,
    signIn: config.signIn,
    busyPolicy: { ...defaultBusyPolicy, maxWaitMs: config.busyWaitMs },
  };
  // The answer cache's key holds the store's data version: on PostgreSQL the commit notifications this instance heard
  // (every instance's writes), and none while its LISTEN connection is down (the cache is then off: register.ts).
  const app = await buildApp(deps, { ...config, lifecycle, readyTimeoutMs: config.readyTimeoutMs, ...options.app });
  startBackgroundWork(app, opened, process.env);
  for (const notice of opened.notices) if (opened.engine === "postgres") app.log.warn(notice);
  // After the requests have drained (onClose runs after them): units of work still open finish, then the bus closes.
  app.addHook("onClose", async () => {
    await unbridge();
    await store.close();
  });
  await options.extend?.(app, deps);
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === "object" && address !== null ? address.port : config.port;

  let stopping: Promise<ShutdownReport> | null = null;
  const shutdown = (): Promise<ShutdownReport> => {
    stopping ??= drainAndClose({ app, close: opened.close, lifecycle, live: deps.live, drainTimeoutMs: config.drainTimeoutMs });
    return stopping;
  };
  return {
    app,
    engine: opened.engine,
    databaseShown: opened.databaseShown,
    database: opened.sqlite,
    store,
    live,
    notices: opened.notices,
    port,
    demo,
    shutdown,
  };
}

/**
 * The graceful shutdown, in this order: `/ready` answers 503 and new requests on open connections are refused with
 * 503 and `Connection: close` (Lifecycle); the listening socket closes (new connections are refused); live streams
 * end without tRPC's `return` event, so browsers reconnect (to another instance behind the proxy); requests in
 * flight finish, for at most `drainTimeoutMs`; then the remaining (idle or cut-off) connections close, the app's
 * onClose hooks run (PDF renderer, object-store sweep, notices, the store, whose close commits the units of work still
 * queued for group commit, and its live bus), and the database closes (the SQLite file, or the PostgreSQL pool). A write is answered only after the COMMIT holding it, so it either committed before its
 * answer was sent or never began.
 */
async function drainAndClose(input: {
  app: FastifyInstance;
  /** Closes the database: the SQLite file, or the PostgreSQL pool. */
  close: () => Promise<void>;
  lifecycle: Lifecycle;
  live: LiveBus;
  drainTimeoutMs: number;
}): Promise<ShutdownReport> {
  const { app, lifecycle, live } = input;
  const started = performance.now();
  lifecycle.beginDrain();
  // Stops accepting new connections, and only that: http.Server#close would also drop idle kept-alive connections
  // at once, and a client sending on one of them at that moment (a proxy's health check, a POST) would get a reset
  // instead of the 503 `shutting_down` it gets now. They are closed after the drain. Fastify's own close later
  // finds the server closed already (ERR_SERVER_NOT_RUNNING, which it ignores).
  // One turn of the event loop first: connections the kernel had already queued when the signal came are accepted
  // (and answered, 503 `shutting_down`) instead of reset by the listener's close.
  await new Promise((resolve) => setImmediate(resolve));
  const listenerClosed = new Promise<void>((resolve) => net.Server.prototype.close.call(app.server, () => resolve()));
  const liveStreams = live.listeners();
  live.close();
  const drained = await lifecycle.whenIdle(input.drainTimeoutMs);
  const cutOff = drained ? 0 : lifecycle.requestsInFlight();
  if (!drained) app.log.warn({ cutOff, drainTimeoutMs: input.drainTimeoutMs }, "shutdown: requests still running at the drain timeout were cut off");
  // Idle keep-alive connections (and, past the timeout, unfinished ones) would otherwise hold the close open.
  app.server.closeAllConnections();
  await listenerClosed;
  await app.close();
  await input.close();
  return { drained, cutOff, liveStreams, elapsedMs: Math.round(performance.now() - started) };
}

/**
 * The line a shutdown ends with, for the operator: how long it took, whether every request finished or how many were
 * cut off at SHUTDOWN_DRAIN_SECONDS, and how many live streams it ended, e.g.
 * "SIGTERM: closed after 10086 ms (1 request cut off, 1 live stream ended)".
 */
export function shutdownSummary(signal: string, report: ShutdownReport): string {
  const requests = report.drained ? "every request finished" : `${report.cutOff} ${report.cutOff === 1 ? "request" : "requests"} cut off`;
  const streams = `${report.liveStreams} live ${report.liveStreams === 1 ? "stream" : "streams"} ended`;
  return `${signal}: closed after ${report.elapsedMs} ms (${requests}, ${streams})`;
}

/**
 * A server process's life: starts, prints where it runs (the demo accounts, the first-administrator hint), and on
 * SIGTERM or SIGINT shuts down gracefully and exits 0 (1 if the shutdown itself failed). main.ts runs it with no
 * options; the benchmark's entry point (bench-support/server.ts) with its own router and routes.
 */
export async function runServer(config: ServerConfig, options: StartOptions = {}): Promise<RunningServer> {
  // Before start-up allocates: the heap stays near what is live (heap-policy.ts). Here, so that every entry point
  // that runs a server process (main.ts, the benchmark's) has the same heap as production.
  limitHeapGrowth();
  const server = await startServer(config, options);
  const { demo, port } = server;
  const shownHost = config.host === "0.0.0.0" || config.host === "::" ? "localhost" : config.host;
  const lines = [
    `Countersign is running at http://${shownHost}:${port}`,
    `  database: ${server.engine === "postgres" ? "PostgreSQL" : "SQLite"} ${server.databaseShown}`,
    `  API: http://${shownHost}:${port}/trpc   health: http://${shownHost}:${port}/health   ready: http://${shownHost}:${port}/ready`,
    config.webDist === null ? "  web client: not built (run the web build to serve it here)" : `  web client: ${config.webDist}`,
  ];
  if (demo !== null) {
    lines.push(
      "",
      `Demo mode${demo.seeded ? " (seeded now)" : ""}: every account's password is "${demoPassword}"`,
      ...demo.accounts.map((a) => `  ${a.username.padEnd(14)} ${a.role.padEnd(12)} ${a.department ?? "-"}`),
    );
  }
  if (server.engine === "postgres" && server.notices.length > 0) lines.push("", "On PostgreSQL:", ...server.notices.map((n) => `  ${n}`));
  else lines.push(...server.notices);
  process.stdout.write(`${lines.join("\n")}\n`);

  const onSignal = (signal: string): void => {
    process.stdout.write(`${signal}: shutting down (requests in flight may take ${config.drainTimeoutMs / 1000} s to finish)\n`);
    server.shutdown().then(
      (report) => {
        process.stdout.write(`${shutdownSummary(signal, report)}\n`);
        process.exit(0);
      },
      (error: unknown) => {
        process.stderr.write(`${signal}: shutdown failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => onSignal("SIGINT"));
  process.on("SIGTERM", () => onSignal("SIGTERM"));
  return server;
}
