/**
 * Starting and stopping one server process: open (and migrate) the database, load the default plan on first start,
 * seed the demo when asked, build the HTTP app, listen; and the graceful shutdown main.ts runs on SIGTERM/SIGINT.
 */
import net from "node:net";
import { createSqliteStore, GroupCommit, loadDefaultPlan, openDatabase } from "@countersign/db";
import type { OpenedDatabase } from "@countersign/db";
import type { FastifyInstance } from "fastify";
import { buildApp } from "./app.js";
import { limitHeapGrowth } from "./heap-policy.js";
import type { AppConfig } from "./app.js";
import type { ServerConfig } from "./config.js";
import { demoPassword } from "./demo/demo-accounts.js";
import { firstAdministratorHint } from "./setup/first-administrator.js";
import type { ServerDeps } from "./context.js";
import { seedDemo } from "./demo/seed-demo.js";
import { Lifecycle } from "./lifecycle.js";
import { LiveBus } from "./live.js";
import { bridgeStoreLiveEvents } from "./live-bridge.js";
import { defaultBusyPolicy } from "./services/shared/database-busy.js";
import { startOutbound } from "./services/notifications/outbound-config.js";
import { startAttachmentStore } from "./services/attachments/s3-attachment-store.js";

export interface RunningServer {
  app: FastifyInstance;
  database: OpenedDatabase;
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

export async function startServer(config: ServerConfig, options: StartOptions = {}): Promise<RunningServer> {
  // A short SQLite busy timeout: better-sqlite3 blocks the whole process while it waits; requests wait asynchronously.
  const database = openDatabase(config.databasePath, { busyTimeoutMs: config.busyTimeoutMs });
  loadDefaultPlan(database.db);
  const demo = config.demo ? await seedDemo(database.db) : null;
  const lifecycle = new Lifecycle();
  const live = new LiveBus();
  const store = createSqliteStore(database);
  const unbridge = await bridgeStoreLiveEvents(store, live);
  const deps: ServerDeps = {
    store,
    db: database.db,
    live,
    sessionPolicy: config.sessionPolicy,
    now: () => new Date(),
    secureCookies: config.secureCookies,
    signIn: config.signIn,
    busyPolicy: { ...defaultBusyPolicy, maxWaitMs: config.busyWaitMs },
    writes: new GroupCommit(database.sqlite, config.groupCommit),
  };
  const app = await buildApp(deps, { ...config, lifecycle, readyTimeoutMs: config.readyTimeoutMs, ...options.app });
  // Attachments in an S3-compatible object store when configured (ATTACHMENT_STORE=s3), with its orphan sweep.
  const attachmentStore = startAttachmentStore(database.db, process.env, () => new Date());
  app.addHook("onClose", async () => attachmentStore.stop());
  // Webhooks and email (off unless configured) and the reporting rounds' scheduler tick.
  const outbound = startOutbound(database.db, process.env, () => new Date());
  app.addHook("onClose", async () => outbound.stop());
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
    stopping ??= drainAndClose({ app, database, lifecycle, live: deps.live, writes: deps.writes, drainTimeoutMs: config.drainTimeoutMs });
    return stopping;
  };
  return { app, database, port, demo, shutdown };
}

/**
 * The graceful shutdown, in this order: `/ready` answers 503 and new requests on open connections are refused with
 * 503 and `Connection: close` (Lifecycle); the listening socket closes (new connections are refused); live streams
 * end without tRPC's `return` event, so browsers reconnect (to another instance behind the proxy); requests in
 * flight finish, for at most `drainTimeoutMs`; then the remaining (idle or cut-off) connections close, the app's
 * onClose hooks run (PDF renderer, object-store sweep, notices), writes still queued for group commit are committed,
 * and the database closes. A write is answered only after the COMMIT holding it, so it either committed before its
 * answer was sent or never began.
 */
async function drainAndClose(input: {
  app: FastifyInstance;
  database: OpenedDatabase;
  lifecycle: Lifecycle;
  live: LiveBus;
  writes?: GroupCommit;
  drainTimeoutMs: number;
}): Promise<ShutdownReport> {
  const { app, database, lifecycle, live } = input;
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
  input.writes?.flushNow();
  database.close();
  return { drained, cutOff, liveStreams, elapsedMs: Math.round(performance.now() - started) };
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
  const { database, demo, port } = server;
  const shownHost = config.host === "0.0.0.0" || config.host === "::" ? "localhost" : config.host;
  const lines = [
    `Countersign is running at http://${shownHost}:${port}`,
    `  database: ${database.path}`,
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
  lines.push(...firstAdministratorHint(database.db, database.path));
  process.stdout.write(`${lines.join("\n")}\n`);

  const onSignal = (signal: string): void => {
    process.stdout.write(`${signal}: shutting down (requests in flight may take ${config.drainTimeoutMs / 1000} s to finish)\n`);
    server.shutdown().then(
      (report) => {
        process.stdout.write(
          `${signal}: closed after ${report.elapsedMs} ms (${report.drained ? "every request finished" : `${report.cutOff} requests cut off`}, ${report.liveStreams} live streams ended)\n`,
        );
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
