import { existsSync } from "node:fs";
import { join } from "node:path";
import fastifyCookie from "@fastify/cookie";
import fastifyStatic from "@fastify/static";
import { TRPC_ERROR_CODES_BY_KEY } from "@trpc/server/rpc";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";
import Fastify from "fastify";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { probeDatabase, writeLockAvailable } from "@countersign/db";
import type { ServerConfig } from "./config.js";
import { Transform } from "node:stream";
import { importBodyLimitBytes } from "@countersign/domain";
import { createRequestContext, sessionOfRequest } from "./context.js";
import { Lifecycle } from "./lifecycle.js";
import { registerExportRoutes } from "./exports/routes.js";
import { registerSsoRoutes } from "./sso/routes.js";
import { registerAttachmentRoutes } from "./attachments/routes.js";
import { registerRoundExportRoutes } from "./exports/round-routes.js";
import type { ServerDeps } from "./context.js";
import type { ErrorCode } from "./errors.js";
import { ServiceError, toTRPCError, trpcCodeOf } from "./errors.js";
import { sendServiceError } from "./http-refusal.js";
import { appRouter } from "./router.js";
import type { AppRouter } from "./router.js";
import { recordRefusedAccess } from "./services/audit/record-refusal.js";
import { LoginLimiter } from "./security/login-limiter.js";
import { defaultImportRunnerOptions, ImportRunner } from "./services/plan/import-runner.js";
import type { LoginLimits } from "./security/login-limiter.js";
import { boundedValue } from "./security/bounded-text.js";
import { AnonymousRefusalLog } from "./security/refusal-log.js";
import { fastifyTrustProxyOf } from "./security/proxy-trust.js";
import type { RefusalLogOptions } from "./security/refusal-log.js";
import { callsInPath, maxBatchCalls, maxLiveStreamsPerAccount, PerAccountSlots } from "./security/work-bounds.js";
import { defaultBusyPolicy, runWhileBusy } from "./services/shared/database-busy.js";
import { registerHttpCache } from "./http-cache/register.js";
import { registerTrpcRoute } from "./trpc-route.js";
import type { TrpcRouteOptions } from "./trpc-route.js";
import type { HttpCacheOptions } from "./http-cache/register.js";

export type AppConfig = Pick<
  ServerConfig,
  "allowedOrigins" | "bodyLimitBytes" | "webDist" | "trustProxy" | "logRequests"
> & {
  loginLimits?: LoginLimits;
  refusalLog?: Partial<RefusalLogOptions>;
  /** Where the log lines go (default standard output); tests read them. */
  logStream?: { write(line: string): void };
  importTimeoutMs?: number;
  /** Serving or draining for a shutdown, and the requests in flight (main.ts drives it); by default a new one. */
  lifecycle?: Lifecycle;
  /** Milliseconds `/ready` waits at most for the database (READY_DATABASE_TIMEOUT_MS, default 200). */
  readyTimeoutMs?: number;
  /** The router served at /trpc: the public API (`appRouter`) unless an entry point of its own (the benchmark's) says. */
  router?: AppRouter;
  /** Validators and the answer cache of repeated reads (http-cache/register.ts); on by default. */
  httpCache?: HttpCacheOptions;
};

/** How long `/ready` waits for the database by default: short, since better-sqlite3 blocks the process meanwhile. */
export const defaultReadyTimeoutMs = 200;

const safeMethods = new Set(["GET", "HEAD", "OPTIONS"]);

function tooLarge(): Error & { statusCode: number } {
  return Object.assign(new Error("The request is too large."), { statusCode: 413 });
}

/** The body stream, failing with 413 once more than `limit` bytes have come (Fastify's own check, for one route). */
function limitedStream(payload: NodeJS.ReadableStream, limit: number): NodeJS.ReadableStream {
  let received = 0;
  const counted = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      received += chunk.length;
      if (received > limit) done(tooLarge());
      else done(null, chunk);
    },
  });
  payload.on("error", (error) => counted.destroy(error));
  return payload.pipe(counted);
}

/** A refusal outside tRPC (origin, content type, body size), in the shape tRPC clients read. */
function sendRefusal(reply: FastifyReply, refusalCode: ErrorCode, message: string): FastifyReply {
  const key: TRPC_ERROR_CODE_KEY = trpcCodeOf[refusalCode];
  const httpStatus =
    { FORBIDDEN: 403, PAYLOAD_TOO_LARGE: 413, UNSUPPORTED_MEDIA_TYPE: 415, TOO_MANY_REQUESTS: 429, SERVICE_UNAVAILABLE: 503 }[
      key as string
    ] ?? 400;
  return reply.code(httpStatus).send({
    error: {
      message,
      code: TRPC_ERROR_CODES_BY_KEY[key],
      data: { code: key, httpStatus, path: null, refusalCode, field: null, issues: [], current: null },
    },
  });
}

/**
 * Builds the HTTP server: tRPC at /trpc, GET /health, and the built web client with an SPA fallback.
 * Mutations must be JSON and, when a browser names an Origin, come from this server's origin (or an allowed one):
 * tRPC v11 would otherwise accept a cross-site form's multipart or text/plain POST without a CORS preflight.
 */
export async function buildApp(appDeps: ServerDeps, config: AppConfig): Promise<FastifyInstance> {
  // Sign-in is always limited over HTTP.
  const deps: ServerDeps = {
    ...appDeps,
    loginLimiter: appDeps.loginLimiter ?? new LoginLimiter(config.loginLimits),
    importRunner:
      appDeps.importRunner ??
      new ImportRunner({ ...defaultImportRunnerOptions, timeoutMs: config.importTimeoutMs ?? defaultImportRunnerOptions.timeoutMs }),
  };
  const busyPolicy = deps.busyPolicy ?? defaultBusyPolicy;
  const liveStreams = new PerAccountSlots(maxLiveStreamsPerAccount);
  const anonymousRefusals = new AnonymousRefusalLog(config.refusalLog);
  const lifecycle = config.lifecycle ?? new Lifecycle();
  const app = Fastify({
    bodyLimit: config.bodyLimitBytes,
    trustProxy: fastifyTrustProxyOf(config.trustProxy),
    // Warnings and errors are always logged (each line with the request id, `reqId`); every request only when asked.
    logger: { level: config.logRequests ? "info" : "warn", ...(config.logStream === undefined ? {} : { stream: config.logStream }) },
    // Big enough for a plan's matrix; refuses absurd URLs (GET inputs ride in the query string).
    routerOptions: { maxParamLength: 2000 },
    // A shutdown ends live streams and waits for requests in flight itself (start.ts), then closes what is left.
    forceCloseConnections: false,
  });
  await app.register(fastifyCookie);

  // Some procedures may take a bigger body: a document's file in base64 (importBodyLimitBytes, about 13.4 MiB) for
  // plan.import and for deriving from an office's own document (issue 16). The tRPC adapter serves every procedure
  // from one route, so that route gets the bigger limit and every other procedure is held to the normal limit: a
  // declared length over it is refused, a streamed body is counted.
  const importPaths = new Set(["/trpc/plan.import", "/trpc/cascade.matchDocument", "/trpc/cascade.deriveFromDocument"]);
  const trpcBodyLimit = Math.max(config.bodyLimitBytes, importBodyLimitBytes);
  app.addHook("onRoute", (route) => {
    if (route.url.startsWith("/trpc")) route.bodyLimit = trpcBodyLimit;
  });
  app.addHook("preParsing", async (req, _reply, payload) => {
    if (!req.url.startsWith("/trpc")) return payload;
    const limit = importPaths.has(req.url.split("?")[0] ?? "") ? trpcBodyLimit : config.bodyLimitBytes;
    if (limit >= trpcBodyLimit) return payload;
    const declared = Number(req.headers["content-length"]);
    if (Number.isFinite(declared) && declared > limit) throw tooLarge();
    // A body framed by its Content-Length (no Transfer-Encoding: Node refuses a request with both) ends after that
    // many bytes, which are within the limit: nothing to count. The counting stream cost every write a stream more.
    if (req.headers["content-length"] !== undefined && Number.isFinite(declared) && req.headers["transfer-encoding"] === undefined) return payload;
    return limitedStream(payload, limit);
  });

  // Closing the app (tests; start.ts's shutdown has done this already) ends live streams, which would hold it open.
  app.addHook("preClose", async () => {
    lifecycle.beginDrain();
    deps.live.close();
  });

  // First of all: while draining for a shutdown, new requests are refused (the proxy sends them to another
  // instance) but the probes still answer; every other request is counted until its answer is out.
  app.addHook("onRequest", async (req: FastifyRequest, reply: FastifyReply) => {
    const path = req.url.split("?")[0] ?? "";
    if (path === "/health" || path === "/ready") return;
    if (lifecycle.draining()) {
      reply.header("Connection", "close").header("Retry-After", "1");
      return sendRefusal(reply, "shutting_down", "This server is shutting down; send the request again (another instance will answer).");
    }
    if (path !== "/trpc/live.changes") {
      lifecycle.track(req);
    }
    return;
  });
  // The answer was sent, or the client went away before its request was whole (after it, Lifecycle sees its connection close).
  app.addHook("onResponse", async (req) => lifecycle.untrack(req));
  app.addHook("onRequestAbort", async (req) => lifecycle.untrack(req));

  app.addHook("onRequest", async (req: FastifyRequest, reply: FastifyReply) => {
    const path = req.url.split("?")[0] ?? "";
    // Clients and operators can quote it: every log line of the request carries the same id.
    reply.header("X-Request-Id", req.id);
    // Before anything runs: one URL must not start an unbounded number of procedures (issue 18, kind 5).
    if (path.startsWith("/trpc/") && callsInPath(path) > maxBatchCalls) {
      return sendRefusal(reply, "batch_too_large", `A batch may hold at most ${maxBatchCalls} calls; send fewer at once.`);
    }
    // Live streams per account, counted over HTTP so that the refusal is a plain 429 before any stream starts (a tRPC
    // subscription's own error would arrive inside an open stream); the place is freed when the connection closes.
    if (path === "/trpc/live.changes") {
      const session = await sessionOfRequest(deps, req);
      if (session === null) return; // tRPC answers 401
      const release = liveStreams.take(session.user.id);
      if (release === null) {
        reply.header("Retry-After", "5");
        return sendRefusal(
          reply,
          "too_many_streams",
          `This account already has ${maxLiveStreamsPerAccount} live update streams open; close a tab or window and reload.`,
        );
      }
      reply.raw.once("close", release);
      return;
    }
    if (safeMethods.has(req.method)) return;
    const refuse = async (code: ErrorCode, message: string, value: string | null): Promise<FastifyReply> => {
      const session = await sessionOfRequest(deps, req);
      const route = `${req.method} ${path}`;
      // Only a signed-in user's refusal goes to the trail; anyone's would let anyone append rows forever.
      if (session === null) anonymousRefusals.record({ code, route, ip: req.ip, value }, deps.now());
      else {
        const refused = { procedure: route, code, message, ip: req.ip };
        try {
          await runWhileBusy(busyPolicy, () => recordRefusedAccess(deps.store, session.user, refused, deps.now()), req.log, "audit of a refused request");
        } catch (error) {
          if (!(error instanceof ServiceError)) throw error;
          reply.header("Retry-After", String(error.retryAfterSeconds ?? busyPolicy.retryAfterSeconds));
          return sendRefusal(reply, error.code, error.message);
        }
      }
      return sendRefusal(reply, code, message);
    };
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== `${req.protocol}://${req.host}` && !config.allowedOrigins.includes(origin)) {
      return refuse("cross_origin", `Requests from ${boundedValue(origin) ?? ""} may not change anything here.`, origin);
    }
    const contentType = (req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
    // Uploads (attachments/routes.ts) are multipart; they also need a header no cross-site form can send.
    if (contentType === "multipart/form-data" && req.method === "POST" && path.startsWith("/attachments/")) return;
    const hasBody = req.headers["content-length"] !== undefined && req.headers["content-length"] !== "0";
    if (contentType !== "application/json" && (hasBody || contentType !== "" || req.headers["transfer-encoding"] !== undefined)) {
      return refuse("unsupported_content_type", "Send mutations as application/json.", req.headers["content-type"] ?? null);
    }
    return;
  });

  app.addHook("onSend", async (_req, reply, payload) => {
    // No answer shows what a power cut could still take away: on SQLite with the WAL synced off the event loop, a
    // read may have seen a commit whose sync is still running (null, nothing to wait for, when there is none).
    const durable = deps.store.whenDurable?.() ?? null;
    if (durable !== null) await durable;
    // An answer sent while draining for a shutdown closes its connection: a client reusing a kept-alive socket would
    // otherwise send its next request into the close of every connection at the drain's end and get a reset (not
    // knowing whether it arrived); with the socket closed it opens a new one, which the closed listener refuses.
    if (lifecycle.draining()) reply.header("Connection", "close");
    reply.header("X-Content-Type-Options", "nosniff");
    reply.header("Referrer-Policy", "same-origin");
    reply.header("X-Frame-Options", "DENY");
    // An attachment's preview sets its own, stricter policy (attachments/routes.ts).
    if (!reply.hasHeader("Content-Security-Policy")) reply.header(
      "Content-Security-Policy",
      "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; font-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
    );
    return payload;
  });

  app.setErrorHandler((error: { statusCode?: number; message: string }, req, reply) => {
    // A service's refusal from a hook or plain route (e.g. `not_on_this_engine` on PostgreSQL) as /trpc answers it.
    if (error instanceof ServiceError) return sendServiceError(reply, error);
    if (error.statusCode === 413) return sendRefusal(reply, "payload_too_large", "The request is too large.");
    if (error.statusCode === 415) return sendRefusal(reply, "unsupported_content_type", "Send requests as application/json.");
    if (error.statusCode !== undefined && error.statusCode < 500) {
      return reply.code(error.statusCode).send({ error: { message: error.message } });
    }
    req.log.error(error);
    return reply.code(500).send({ error: { message: "Internal server error." } });
  });

  const readyTimeoutMs = config.readyTimeoutMs ?? defaultReadyTimeoutMs;
  // Answers at once, whatever the database's state: the write-lock probe never waits (see writeLockAvailable).
  app.get("/health", async (req, reply) => {
    const { databaseProbe } = deps;
    if (databaseProbe !== undefined) {
      // PostgreSQL: reachable is alive enough; its writers wait for each other's row locks, not for one file lock.
      const probe = await databaseProbe(readyTimeoutMs);
      if (probe.reachable) return { status: "ok", database: "ok", time: deps.now().toISOString() };
      req.log.error({ reason: probe.reason, message: probe.message }, "health: the database is unreachable");
      return reply.code(503).send({ status: "unavailable", database: "unreachable" });
    }
    try {
      if (!writeLockAvailable(deps.db)) {
        reply.header("Retry-After", String(busyPolicy.retryAfterSeconds));
        return reply.code(503).send({ status: "busy", database: "busy", time: deps.now().toISOString() });
      }
      return { status: "ok", database: "ok", time: deps.now().toISOString() };
    } catch (error) {
      req.log.error({ err: error }, "health: the database is unreachable");
      return reply.code(503).send({ status: "unavailable", database: "unreachable" });
    }
  });

  // Ready for traffic: not shutting down, the database answers within a short bound, and every bundled migration
  // is applied. A load balancer sends requests only to ready instances; /health says only that the process answers.
  app.get("/ready", async (req, reply) => {
    const time = deps.now().toISOString();
    const notReady = (reason: string, message: string, extra: Record<string, unknown> = {}) => {
      reply.header("Retry-After", String(busyPolicy.retryAfterSeconds)).header("Cache-Control", "no-store");
      return reply.code(503).send({ status: "not_ready", reason, message, ...extra, time });
    };
    if (lifecycle.draining()) return notReady("shutting_down", "This server is shutting down.");
    const probe = deps.databaseProbe === undefined ? probeDatabase(deps.db, readyTimeoutMs) : await deps.databaseProbe(readyTimeoutMs);
    if (!probe.reachable) {
      req.log.warn({ reason: probe.reason, message: probe.message, elapsedMs: probe.elapsedMs }, "ready: the database did not answer");
      return probe.reason === "busy"
        ? notReady("database_busy", `The database did not answer within ${readyTimeoutMs} ms.`)
        : notReady("database_unreachable", "The database cannot be read.");
    }
    const { migrations } = probe;
    if (migrations.pending.length > 0) {
      return notReady("migrations_pending", `The database lacks ${migrations.pending.length} of this build's migrations.`, {
        migrations: { applied: migrations.applied, latest: migrations.latest, pending: migrations.pending },
      });
    }
    reply.header("Cache-Control", "no-store");
    return { status: "ready", database: "ok", migrations: { applied: migrations.applied, latest: migrations.latest }, time };
  });

  registerExportRoutes(app, deps);
  registerSsoRoutes(app, deps);
  await registerAttachmentRoutes(app, deps);
  registerRoundExportRoutes(app, deps);

  registerHttpCache(app, deps, config.httpCache);
  await registerTrpcRoute(app, {
    prefix: "/trpc",
    trpcOptions: {
      router: config.router ?? appRouter,
      createContext: async ({ req, res }) => {
        try {
          return await createRequestContext(deps, req, res);
        } catch (error) {
          // A refusal while reading the session (on PostgreSQL: `not_on_this_engine`, 501) keeps its status, not 500.
          throw error instanceof ServiceError ? toTRPCError(error) : error;
        }
      },
      // A second line behind the onRequest check above.
      maxBatchSize: maxBatchCalls,
      onError({ error, path, req }) {
        // req.log's lines carry the request id (reqId), which the answer's X-Request-Id header gives the client.
        if (error.code === "INTERNAL_SERVER_ERROR") req.log.error({ err: error, path }, "tRPC internal error");
      },
      responseMeta({ errors }) {
        const busy = errors.find((e) => e.cause instanceof ServiceError && e.cause.code === "database_busy");
        const seconds = busy?.cause instanceof ServiceError ? busy.cause.retryAfterSeconds : null;
        return seconds === null || seconds === undefined ? {} : { headers: { "Retry-After": String(seconds) } };
      },
    } satisfies TrpcRouteOptions<AppRouter>,
  });

  const webDist = config.webDist !== null && existsSync(join(config.webDist, "index.html")) ? config.webDist : null;
  if (webDist !== null) {
    await app.register(fastifyStatic, { root: webDist, prefix: "/", wildcard: true, index: "index.html" });
  }
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split("?")[0] ?? "";
    const api =
      path.startsWith("/trpc") ||
      path === "/health" ||
      path === "/ready" ||
      path.startsWith("/export") ||
      path.startsWith("/auth/") ||
      path.startsWith("/attachments/");
    if (webDist !== null && req.method === "GET" && !api && (req.headers.accept ?? "").includes("text/html")) {
      return reply.type("text/html").sendFile("index.html", webDist);
    }
    return reply.code(404).send({ error: { message: `Nothing at ${req.method} ${path}.` } });
  });

  return app;
}
