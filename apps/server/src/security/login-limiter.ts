/**
 * Slows password guessing without locking the owner out (OWASP ASVS 5.0 §6.3 and NIST SP 800-63B §3.2.2:
 * throttle, do not lock; prefer a separate budget for a device that signed in before).
 *
 * Each attempt is counted under keys, and a key with more than its free failures makes the next attempt wait a
 * progressive delay after the key's latest failure: base × 2^(failures − free), at most `maxDelayMs`.
 * - From a browser that signed in to this account before (a known-device cookie): only the device's own key
 *   (`device:<id>`). An attacker's failures under the owner's name or from the owner's address do not touch it.
 * - Otherwise: the account name (`account:<name>`, alike whether the account exists, so the answer never tells them
 *   apart) and the address (`address:<ip>`). The owner on a new device waits at most `maxDelayMs`.
 *
 * The counts live in the database (`login_throttle`, through the store seam), so every server instance on one database
 * shares them and a restart forgets nothing. A key is forgotten `forgetAfterMs` after its latest failure. On
 * PostgreSQL, attempts through several instances at once on the same keys take turns (`loginThrottle.hold`) and each
 * failure is added in one atomic upsert, so no attempt slips past a delay another instance has just earned.
 */
import type { Repositories } from "@countersign/db";
import { knownDeviceOf } from "../services/auth/known-device.js";
import { noticeKeyPrefix } from "../services/auth/login.js";
import { boundedValue } from "./bounded-text.js";

export interface LoginLimits {
  /** Failures on one account name (from devices it does not know) before attempts are delayed. */
  freeFailuresPerAccount: number;
  /** Failures from one address (from devices not known to the account tried) before attempts are delayed. */
  freeFailuresPerAddress: number;
  /** Failures from one known device before its attempts are delayed. */
  freeFailuresPerDevice: number;
  /** The first delay, doubled with each further failure. */
  baseDelayMs: number;
  /** The longest delay: what the owner waits at worst on a new device. */
  maxDelayMs: number;
  /** A key's count is forgotten this long after its latest failure. */
  forgetAfterMs: number;
}

export const defaultLoginLimits: LoginLimits = {
  freeFailuresPerAccount: 5,
  freeFailuresPerAddress: 20,
  freeFailuresPerDevice: 10,
  baseDelayMs: 1000,
  maxDelayMs: 5 * 60 * 1000,
  forgetAfterMs: 60 * 60 * 1000,
};

export type LoginAttempt =
  | { allowed: true; knownDevice: boolean; succeeded(repos: Repositories): Promise<void> }
  | { allowed: false; retryAfterMs: number };

/** The wait after a key's latest failure before its next attempt, in ms: 0 within the free failures. */
export function delayAfter(failures: number, free: number, limits: Pick<LoginLimits, "baseDelayMs" | "maxDelayMs">): number {
  if (failures < free) return 0;
  const doublings = Math.min(failures - free, 40);
  return Math.min(limits.baseDelayMs * 2 ** doublings, limits.maxDelayMs);
}

export class LoginLimiter {
  readonly limits: LoginLimits;

  constructor(limits: LoginLimits = defaultLoginLimits) {
    this.limits = limits;
  }

  /** Forgets the counts whose latest failure is older than `forgetAfterMs` (the owner's notices stay). */
  async forgetOld(repos: Repositories, now: Date): Promise<void> {
    await repos.loginThrottle.forgetBefore(new Date(now.getTime() - this.limits.forgetAfterMs).toISOString(), noticeKeyPrefix);
  }

  /**
   * Admits one attempt, or refuses it with the time to wait; runs in the caller's unit of work (`tx.repos`), which
   * must commit before the password is checked so that every instance sees the attempt. An admitted attempt counts as
   * a failure at once (so that parallel guesses cannot all slip in before the first answer) until
   * `succeeded(repos)` is called in the successful sign-in's unit of work. `deviceToken` is the known-device cookie,
   * if the browser sent one.
   */
  async begin(repos: Repositories, username: string, ip: string | null, deviceToken: string | null, now: Date): Promise<LoginAttempt> {
    const name = normalizeUsername(username);
    const nowMs = now.getTime();
    const device = await knownDeviceOf(repos, deviceToken, now);
    const knownDevice = device !== null && device.username === name;
    const keys: Array<[string, number]> = knownDevice
      ? [[`device:${device.id}`, this.limits.freeFailuresPerDevice]]
      : [[`account:${name}`, this.limits.freeFailuresPerAccount]];
    if (!knownDevice && ip !== null && ip !== "") keys.push([`address:${boundedValue(ip, 64) ?? ""}`, this.limits.freeFailuresPerAddress]);

    // Held until this unit of work ends: a concurrent attempt on the same keys decides on the counts after this one.
    await repos.loginThrottle.hold(keys.map(([key]) => key));
    const counts = new Map((await repos.loginThrottle.counts(keys.map(([key]) => key))).map((row) => [row.key, row]));
    let retryAfterMs = 0;
    for (const [key, free] of keys) {
      const row = counts.get(key);
      if (row === undefined) continue;
      const wait = Date.parse(row.lastFailureAt) + delayAfter(row.failures, free, this.limits) - nowMs;
      retryAfterMs = Math.max(retryAfterMs, wait);
    }
    if (retryAfterMs > 0) return { allowed: false, retryAfterMs };

    const at = now.toISOString();
    for (const [key] of keys) await repos.loginThrottle.addFailure(key, at);
    return {
      allowed: true,
      knownDevice,
      // A correct password clears the account's (or device's) count, and takes this attempt off the address's
      // count, but not the address's earlier failures: one good account must not unlock guessing on others.
      succeeded: async (successRepos: Repositories) => {
        for (const [key] of keys) {
          if (key.startsWith("address:")) await successRepos.loginThrottle.takeBackFailure(key);
          else await successRepos.loginThrottle.clear(key);
        }
      },
    };
  }
}

/** As the login service reads a username. */
export function normalizeUsername(username: string): string {
  return username.trim().toLowerCase().slice(0, 64);
}

/** "15 minutes", "1 minute", "40 seconds", "1 second". */
export function retryAfterText(retryAfterMs: number): string {
  if (retryAfterMs < 60_000) {
    const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
    return seconds === 1 ? "1 second" : `${seconds} seconds`;
  }
  const minutes = Math.max(1, Math.ceil(retryAfterMs / 60_000));
  return minutes === 1 ? "1 minute" : `${minutes} minutes`;
}
