import { setTimeout as sleep } from "node:timers/promises";
import { isDatabaseBusy } from "@countersign/db";
import { ServiceError } from "../../errors.js";

/**
 * How a request waits for a busy database. better-sqlite3 is synchronous, so SQLite's own busy timeout blocks the
 * whole process while it waits: the server keeps that timeout short (`DATABASE_BUSY_TIMEOUT_MS`, milliseconds one
 * attempt may block) and waits between attempts asynchronously, so that other requests go on meanwhile.
 */
export interface BusyPolicy {
  /** Total milliseconds a request keeps retrying before it is refused with `database_busy` (503). */
  maxWaitMs: number;
  /** Milliseconds before the first retry; each further wait doubles, up to `maxDelayMs`. */
  firstDelayMs: number;
  maxDelayMs: number;
  /** What Retry-After tells the client, in whole seconds. */
  retryAfterSeconds: number;
}

export const defaultBusyPolicy: BusyPolicy = { maxWaitMs: 5000, firstDelayMs: 10, maxDelayMs: 250, retryAfterSeconds: 2 };

/**
 * The wait before retry number `attempt` (0-based), or null when waiting it would pass `policy.maxWaitMs` after
 * `waitedMs` already spent: then the request is refused.
 */
export function nextBusyDelay(policy: BusyPolicy, attempt: number, waitedMs: number): number | null {
  const remaining = policy.maxWaitMs - waitedMs;
  if (remaining <= 0) return null;
  const delay = Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** Math.min(attempt, 30));
  return Math.min(delay, remaining);
}

/** The refusal once the wait is over: retryable, with the seconds to wait (HTTP 503 and Retry-After). */
export function databaseBusyError(policy: BusyPolicy, waitedMs: number): ServiceError {
  return new ServiceError(
    "database_busy",
    `The database is busy (another process holds its write lock); nothing was changed after waiting ${Math.round(waitedMs)} ms. Try again in ${policy.retryAfterSeconds} s.`,
    { retryAfterSeconds: policy.retryAfterSeconds },
  );
}

/** The part of a request's logger this needs (Fastify's request logger carries the request id). */
export interface RequestLog {
  warn(details: Record<string, unknown>, message: string): void;
  error(details: Record<string, unknown>, message: string): void;
}

/**
 * Runs `attempt` until it does not fail as busy: between attempts it waits (without blocking other requests) with a
 * doubling delay; after `policy.maxWaitMs` it logs and throws `database_busy`. `attempt` answers an outcome, so that
 * the tRPC middleware can retry a result that carries the error rather than throws it.
 */
export async function retryWhileBusy<T>(
  policy: BusyPolicy,
  attempt: () => Promise<{ busy: true; error: unknown } | { busy: false; value: T }>,
  refused: (waitedMs: number, attempts: number) => void,
): Promise<T> {
  const started = performance.now();
  for (let n = 0; ; n++) {
    const outcome = await attempt();
    if (!outcome.busy) return outcome.value;
    const waited = performance.now() - started;
    const delay = nextBusyDelay(policy, n, waited);
    if (delay === null) {
      refused(waited, n + 1);
      throw databaseBusyError(policy, waited);
    }
    await sleep(delay);
  }
}

/** `retryWhileBusy` for a synchronous write such as recording a refused access. */
export function runWhileBusy<T>(policy: BusyPolicy, write: () => T | Promise<T>, log: RequestLog | undefined, what: string): Promise<T> {
  return retryWhileBusy(
    policy,
    async () => {
      try {
        return { busy: false as const, value: await write() };
      } catch (error) {
        if (isDatabaseBusy(error)) return { busy: true as const, error };
        throw error;
      }
    },
    (waitedMs, attempts) => log?.warn({ what, waitedMs: Math.round(waitedMs), attempts }, "database busy: write refused (503)"),
  );
}
