import { existsSync } from "node:fs";
import { defaultAnswerCacheBounds } from "./http-cache/answer-cache.js";
import type { HttpCacheOptions } from "./http-cache/register.js";
import { fileURLToPath } from "node:url";
import { defaultGroupCommitOptions, resolveDatabasePath } from "@countersign/db";
import type { GroupCommitOptions } from "@countersign/db";
import { defaultSessionPolicy } from "./services/auth/session-policy.js";
import type { SessionPolicy } from "./services/auth/session-policy.js";
import { defaultLoginLimits } from "./security/login-limiter.js";
import { parseProxyTrust } from "./security/proxy-trust.js";
import type { ProxyTrust } from "./security/proxy-trust.js";
import { readSignInSettings } from "./sso/config.js";
import type { SignInSettings } from "./sso/config.js";
import type { LoginLimits } from "./security/login-limiter.js";

export interface ServerConfig {
  port: number;
  host: string;
  /** The SQLite file (DATABASE_PATH, default ./data/countersign.sqlite): the engine unless `databaseUrl` is set. */
  databasePath: string;
  /**
   * DATABASE_URL=postgres://… (or postgresql://…) runs the process on PostgreSQL instead of SQLite (issue 13; start.ts,
   * docs/deploy.md); null: SQLite at `databasePath`.
   */
  databaseUrl: string | null;
  /** Seed the demo plan and accounts on first start. */
  demo: boolean;
  /** Origins, besides the server's own, from which browsers may send mutations (e.g. a Vite dev server). */
  allowedOrigins: string[];
  /** Request bodies over this many bytes get 413. */
  bodyLimitBytes: number;
  /** The built web client to serve, if it exists. */
  webDist: string | null;
  sessionPolicy: SessionPolicy;
  /**
   * Sign-in delays: free failures per account name, address and known device (LOGIN_FREE_FAILURES_PER_ACCOUNT,
   * _PER_ADDRESS, _PER_DEVICE), the first and the longest delay (LOGIN_BASE_DELAY_SECONDS, LOGIN_MAX_DELAY_SECONDS),
   * and when counts are forgotten (LOGIN_FORGET_MINUTES).
   */
  loginLimits: LoginLimits;
  /** `Secure` cookies: set behind HTTPS (COOKIE_SECURE=1). */
  secureCookies: boolean;
  /** Which reverse proxies' X-Forwarded-For to trust: none, a hop count, or their addresses (TRUST_PROXY; never all). */
  trustProxy: ProxyTrust;
  logRequests: boolean;
  /** PASSWORD_SIGN_IN and the OIDC_* settings (sso/config.ts). */
  signIn: SignInSettings;
  /** Milliseconds one write attempt may block the process waiting for another writer (DATABASE_BUSY_TIMEOUT_MS, default 20). */
  busyTimeoutMs: number;
  /** Milliseconds a request retries a busy write, asynchronously, before its 503 (DATABASE_BUSY_WAIT_MS, default 5000). */
  busyWaitMs: number;
  /** Milliseconds `plan.import` may spend reading one document before it is stopped (IMPORT_TIMEOUT_MS). */
  importTimeoutMs: number;
  /** Milliseconds a shutdown lets requests in flight finish (SHUTDOWN_DRAIN_SECONDS, default 10). */
  drainTimeoutMs: number;
  /** Milliseconds `/ready` waits at most for the database (READY_DATABASE_TIMEOUT_MS, default 200 on SQLite, 2,000 on PostgreSQL). */
  readyTimeoutMs: number;
  /**
   * Validators and the answer cache of repeated reads (http-cache/register.ts): HTTP_CACHE=0 turns both off;
   * HTTP_CACHE_MAX_ENTRIES (default 1,000) and HTTP_CACHE_MAX_MIB (default 16) bound the cache.
   */
  httpCache: HttpCacheOptions;
  /**
   * Group commit of the mutations (packages/db/src/group-commit.ts): GROUP_COMMIT=0 turns it off (each mutation
   * commits on its own); GROUP_COMMIT_MAX_BATCH (default 64 writes per transaction) and GROUP_COMMIT_MAX_WAIT_MS
   * (default 0: the writes read in the same turn of the event loop) bound a batch.
   */
  groupCommit: GroupCommitOptions;
  /**
   * SQLite with group commit: where a batch's COMMIT waits for the disk. "background" (the default): the WAL is synced
   * on libuv's thread pool while the event loop serves other requests, and nothing is answered or announced before
   * it is on disk (packages/db/src/store/sqlite/wal-sync.ts); "commit" (GROUP_COMMIT_SYNC=commit): COMMIT syncs in
   * place, holding the event loop, as before issue 17's second round.
   */
  groupCommitSync: "background" | "commit";
}

/** apps/web/dist, beside this package (from src/ or dist/ alike). */
export const defaultWebDist = fileURLToPath(new URL("../../web/dist", import.meta.url));

const minutes = (value: string | undefined, fallbackMs: number): number => {
  const n = Number(value);
  return value !== undefined && value !== "" && Number.isFinite(n) && n > 0 ? n * 60_000 : fallbackMs;
};

const seconds = (value: string | undefined, fallbackMs: number): number => {
  const n = Number(value);
  return value !== undefined && value !== "" && Number.isFinite(n) && n > 0 ? n * 1000 : fallbackMs;
};

const count = (value: string | undefined, fallback: number): number => {
  const n = Number(value);
  return value !== undefined && value !== "" && Number.isInteger(n) && n > 0 ? n : fallback;
};

function sessionPolicyOf(env: NodeJS.ProcessEnv): SessionPolicy {
  const idleMs = minutes(env["SESSION_IDLE_MINUTES"], defaultSessionPolicy.idleMs);
  const absoluteMs = minutes(env["SESSION_MAX_MINUTES"], defaultSessionPolicy.absoluteMs);
  // A short idle timeout needs last-seen written more often, or an active session would expire as if idle.
  return { idleMs, absoluteMs, touchAfterMs: Math.min(defaultSessionPolicy.touchAfterMs, Math.floor(idleMs / 4)) };
}

/**
 * DATABASE_URL as the PostgreSQL URL to run on, or null when unset or empty (SQLite).
 * Errors: an Error for any other scheme: SQLite is chosen with DATABASE_PATH, never with a URL.
 */
export function postgresUrlOf(value: string | undefined): string | null {
  if (value === undefined || value.trim() === "") return null;
  const url = value.trim();
  if (/^postgres(ql)?:\/\//i.test(url)) return url;
  throw new Error("DATABASE_URL must be a postgres:// (or postgresql://) URL; for SQLite leave it unset and set DATABASE_PATH.");
}

/**
 * GROUP_COMMIT_SYNC: unset or "background" (the WAL synced on libuv's thread pool), or "commit" (each COMMIT syncs in
 * place). A durability setting: any other value (a typo, "Commit", "full") stops the start instead of silently
 * running with the default, as TRUST_PROXY=true does. Throws Error naming the value and the two accepted.
 */
export function groupCommitSyncOf(value: string | undefined): "background" | "commit" {
  if (value === undefined || value === "" || value === "background") return "background";
  if (value === "commit") return "commit";
  throw new Error(`GROUP_COMMIT_SYNC must be "background" (the default) or "commit", not "${value}"`);
}

/** A database URL as it may be printed and logged: the password replaced by `***`. */
export function shownDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== "") parsed.password = "***";
    return parsed.toString();
  } catch {
    // Unparseable: print nothing of what may be a secret.
    return "postgres://(unparseable URL)";
  }
}

export function readConfig(argv: readonly string[] = process.argv.slice(2), env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const port = Number(env["PORT"] ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, not ${env["PORT"]}`);
  const webDist = env["WEB_DIST"] ?? defaultWebDist;
  const databaseUrl = postgresUrlOf(env["DATABASE_URL"]);
  const cacheMiB = count(env["HTTP_CACHE_MAX_MIB"], defaultAnswerCacheBounds.maxBytes / 1024 / 1024);
  return {
    port,
    host: env["HOST"] ?? "localhost",
    databasePath: resolveDatabasePath(env),
    databaseUrl,
    demo: argv.includes("--demo") || env["COUNTERSIGN_DEMO"] === "1",
    allowedOrigins: (env["ALLOWED_ORIGINS"] ?? "")
      .split(",")
      .map((o) => o.trim())
      .filter((o) => o !== ""),
    bodyLimitBytes: Number(env["BODY_LIMIT_BYTES"] ?? 256 * 1024),
    webDist: existsSync(webDist) ? webDist : null,
    sessionPolicy: sessionPolicyOf(env),
    loginLimits: {
      freeFailuresPerAccount: count(env["LOGIN_FREE_FAILURES_PER_ACCOUNT"], defaultLoginLimits.freeFailuresPerAccount),
      freeFailuresPerAddress: count(env["LOGIN_FREE_FAILURES_PER_ADDRESS"], defaultLoginLimits.freeFailuresPerAddress),
      freeFailuresPerDevice: count(env["LOGIN_FREE_FAILURES_PER_DEVICE"], defaultLoginLimits.freeFailuresPerDevice),
      baseDelayMs: seconds(env["LOGIN_BASE_DELAY_SECONDS"], defaultLoginLimits.baseDelayMs),
      maxDelayMs: seconds(env["LOGIN_MAX_DELAY_SECONDS"], defaultLoginLimits.maxDelayMs),
      forgetAfterMs: minutes(env["LOGIN_FORGET_MINUTES"], defaultLoginLimits.forgetAfterMs),
    },
    secureCookies: env["COOKIE_SECURE"] === "1",
    trustProxy: parseProxyTrust(env["TRUST_PROXY"]),
    logRequests: env["LOG_REQUESTS"] === "1",
    signIn: readSignInSettings(env),
    busyTimeoutMs: count(env["DATABASE_BUSY_TIMEOUT_MS"], 20),
    busyWaitMs: count(env["DATABASE_BUSY_WAIT_MS"], 5000),
    importTimeoutMs: count(env["IMPORT_TIMEOUT_MS"], 20_000),
    drainTimeoutMs: seconds(env["SHUTDOWN_DRAIN_SECONDS"], 10_000),
    // SQLite's probe blocks the process, so it is kept short; PostgreSQL's waits asynchronously, over the network.
    readyTimeoutMs: count(env["READY_DATABASE_TIMEOUT_MS"], databaseUrl === null ? 200 : 2000),
    groupCommit: {
      enabled: env["GROUP_COMMIT"] !== "0",
      maxBatch: count(env["GROUP_COMMIT_MAX_BATCH"], defaultGroupCommitOptions.maxBatch),
      maxWaitMs: count(env["GROUP_COMMIT_MAX_WAIT_MS"], defaultGroupCommitOptions.maxWaitMs),
    },
    groupCommitSync: groupCommitSyncOf(env["GROUP_COMMIT_SYNC"]),
    httpCache: {
      enabled: env["HTTP_CACHE"] !== "0",
      bounds: {
        maxEntries: count(env["HTTP_CACHE_MAX_ENTRIES"], defaultAnswerCacheBounds.maxEntries),
        maxBytes: cacheMiB * 1024 * 1024,
        // One answer at most a quarter of the cache: a big matrix must not flush every inbox page.
        maxEntryBytes: cacheMiB * 256 * 1024,
      },
    },
  };
}
