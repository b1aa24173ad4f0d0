import type { FastifyReply, FastifyRequest } from "fastify";
// Brings the cookie methods into the request and reply types.
import type {} from "@fastify/cookie";
import type { AnyStore, CountersignDb, DatabaseProbe } from "@countersign/db";
import type { LiveBus } from "./live.js";
import type { LoginLimiter } from "./security/login-limiter.js";
import type { BusyPolicy, RequestLog } from "./services/shared/database-busy.js";
import type { RequestMeta } from "./services/auth/login.js";
import type { ImportRunner } from "./services/plan/import-runner.js";
import { resolveSession } from "./services/auth/resolve-session.js";
import type { ResolvedSession } from "./services/auth/resolve-session.js";
import { sessionCookieName } from "./services/auth/session-policy.js";
import { deviceCookieMaxAgeMs, deviceCookieName } from "./services/auth/known-device.js";
import type { SessionPolicy } from "./services/auth/session-policy.js";
import type { ActingUser } from "./services/shared/acting-user.js";
import type { SignInSettings } from "./sso/config.js";

/** What every request shares: the database, the live bus, the session policy and the clock. */
export interface ServerDeps {
  /**
   * The store seam (issue 13), on the deployment's engine: services moved onto it run on SQLite and PostgreSQL alike
   * (`store.transaction(tx => …)` for a unit of work, `store.read(repos => …)` for committed state).
   */
  store: AnyStore;
  /**
   * The synchronous SQLite handle the services not yet on the seam take. On PostgreSQL it refuses every use with
   * `not_on_this_engine` (engine-gate.ts).
   */
  db: CountersignDb;
  live: LiveBus;
  /**
   * How `/health` and `/ready` ask the database, within `timeoutMs` milliseconds: start.ts sets PostgreSQL's
   * (`probePostgres`); absent: SQLite's `probeDatabase` on `db`.
   */
  databaseProbe?: (timeoutMs: number) => Promise<DatabaseProbe>;
  sessionPolicy: SessionPolicy;
  /** The clock; tests and the demo seed may set it. */
  now: () => Date;
  /** Send the session cookie with `Secure` (behind HTTPS). */
  secureCookies: boolean;
  /** Failed sign-ins per account name and address; `buildApp` always sets one. */
  loginLimiter?: LoginLimiter;
  /** Password sign-in on or off, and single sign-on (issue 15); absent: password only. */
  signIn?: SignInSettings;
  /** How long writes wait for a busy database, asynchronously (default `defaultBusyPolicy`). */
  busyPolicy?: BusyPolicy;
  /** Runs `plan.import` parsing in worker threads with a time budget; by default one with the default budget. */
  importRunner?: ImportRunner;
}

/** Sets and clears the session cookie of the response; reads and sets the known-device cookie. */
export interface SessionCookies {
  set(token: string, expiresAt: Date): void;
  clear(): void;
  /** The known-device cookie the browser sent, if any (services/auth/known-device.ts); absent outside HTTP. */
  device?: string | null;
  setDevice?(token: string): void;
}

export interface Context extends ServerDeps {
  user: ActingUser | null;
  /** The stored id (sha256) of the session the request came with, if valid. */
  sessionId: string | null;
  request: RequestMeta;
  cookies: SessionCookies;
  /** The `Idempotency-Key` header of a mutation: a retry with the same key gets the first answer. */
  idempotencyKey?: string | null;
  /** Fastify's id of the HTTP request (also the X-Request-Id answer header), for log lines. */
  requestId?: string;
  /** The request's logger: each line carries the request id. */
  log?: RequestLog;
}

const requestSessions = new WeakMap<FastifyRequest, Promise<ResolvedSession | null>>();

/**
 * The request's session cookie resolved to a user, once a request: the answer cache's check (http-cache), the
 * request's context and the hooks of app.ts ask for it, and the lookup (and its touch of the session) is done by the
 * first (a second asker awaits the same lookup). Through the store: on either engine, every instance on the database
 * resolves the same sessions.
 */
export function sessionOfRequest(deps: ServerDeps, req: FastifyRequest): Promise<ResolvedSession | null> {
  const known = requestSessions.get(req);
  if (known !== undefined) return known;
  const token = req.cookies[sessionCookieName];
  const now = deps.now();
  const session = token === undefined ? Promise.resolve(null) : deps.store.read((repos) => resolveSession(repos, token, deps.sessionPolicy, now));
  requestSessions.set(req, session);
  return session;
}

/** The context of one HTTP request: the session cookie resolved to a user. */
export async function createRequestContext(deps: ServerDeps, req: FastifyRequest, res: FastifyReply): Promise<Context> {
  const session = await sessionOfRequest(deps, req);
  const cookieOptions = { path: "/", httpOnly: true, sameSite: "lax" as const, secure: deps.secureCookies };
  return {
    ...deps,
    user: session?.user ?? null,
    sessionId: session?.sessionId ?? null,
    request: { ip: req.ip, userAgent: req.headers["user-agent"] ?? null },
    idempotencyKey: headerValue(req.headers["idempotency-key"]),
    requestId: req.id,
    log: req.log,
    cookies: {
      set: (value, expiresAt) => {
        res.setCookie(sessionCookieName, value, { ...cookieOptions, expires: expiresAt });
      },
      clear: () => {
        res.clearCookie(sessionCookieName, cookieOptions);
      },
      device: req.cookies[deviceCookieName] ?? null,
      // Kept across sign-out: it names the browser, not a session, and opens nothing by itself.
      setDevice: (value) => {
        res.setCookie(deviceCookieName, value, { ...cookieOptions, maxAge: Math.floor(deviceCookieMaxAgeMs / 1000) });
      },
    },
  };
}

/** One header's value (the first when sent more than once), or null when absent. */
export function headerValue(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  return Array.isArray(value) ? (value[0] ?? null) : value;
}
