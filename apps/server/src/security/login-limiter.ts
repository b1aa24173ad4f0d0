/**
 * Limits failed sign-in attempts per account name and per client address, so that a password cannot be guessed
 * by brute force. Kept in memory: a restart forgets the counts (an attacker gains one window per restart, which an
 * operator sees in the trail as `auth.login_failed` events).
 *
 * An account name is limited whether or not the account exists, so that the answer never tells them apart.
 */

export interface LoginLimits {
  /** Failed attempts on one account name within the window before it is locked. */
  maxFailuresPerAccount: number;
  /** Failed attempts from one address within the window before it is locked. */
  maxFailuresPerAddress: number;
  /** The window over which failures count, and how long a lock lasts after the last counted failure. */
  windowMs: number;
}

export const defaultLoginLimits: LoginLimits = {
  maxFailuresPerAccount: 5,
  maxFailuresPerAddress: 20,
  windowMs: 15 * 60 * 1000,
};

export type LoginAttempt = { allowed: true; succeeded(): void } | { allowed: false; retryAfterMs: number };

/** Bounds the memory an attacker can make us spend with made-up account names or addresses. */
const maxTrackedKeys = 50_000;

export class LoginLimiter {
  readonly limits: LoginLimits;
  /** Failure times (ms) per key, oldest first; keys are `account:<name>` and `address:<ip>`. */
  private readonly failures = new Map<string, number[]>();

  constructor(limits: LoginLimits = defaultLoginLimits) {
    this.limits = limits;
  }

  /**
   * Admits one attempt, or refuses it while the account name or the address is locked. An admitted attempt counts
   * as a failure at once (so that parallel guesses cannot all slip in before the first answer) until `succeeded()`.
   */
  begin(username: string, ip: string | null, now: Date): LoginAttempt {
    const nowMs = now.getTime();
    const keys = this.keysOf(username, ip);
    let retryAfterMs = 0;
    for (const [key, max] of keys) {
      const recent = this.recent(key, nowMs);
      if (recent.length >= max) {
        const oldest = recent[recent.length - max] ?? nowMs;
        retryAfterMs = Math.max(retryAfterMs, oldest + this.limits.windowMs - nowMs);
      }
    }
    if (retryAfterMs > 0) return { allowed: false, retryAfterMs };
    for (const [key] of keys) {
      const recent = this.recent(key, nowMs);
      recent.push(nowMs);
      // Re-insert so that the map's order is least recently failed first, for eviction.
      this.failures.delete(key);
      this.failures.set(key, recent);
    }
    this.evict();
    return {
      allowed: true,
      // A correct password clears the account's count, and takes this attempt off the address's count (but not the
      // address's earlier failures: one good account must not unlock guessing on others).
      succeeded: () => {
        const [accountKey, addressKey] = keys;
        if (accountKey !== undefined) this.failures.delete(accountKey[0]);
        const list = addressKey === undefined ? undefined : this.failures.get(addressKey[0]);
        const i = list?.lastIndexOf(nowMs) ?? -1;
        if (list !== undefined && i >= 0) list.splice(i, 1);
      },
    };
  }

  private evict(): void {
    while (this.failures.size > maxTrackedKeys) {
      const oldestKey = this.failures.keys().next().value;
      if (oldestKey === undefined) break;
      this.failures.delete(oldestKey);
    }
  }

  private keysOf(username: string, ip: string | null): Array<[string, number]> {
    const keys: Array<[string, number]> = [[`account:${normalizeUsername(username)}`, this.limits.maxFailuresPerAccount]];
    if (ip !== null && ip !== "") keys.push([`address:${ip}`, this.limits.maxFailuresPerAddress]);
    return keys;
  }

  private recent(key: string, nowMs: number): number[] {
    const all = this.failures.get(key) ?? [];
    const recent = all.filter((t) => t > nowMs - this.limits.windowMs);
    if (recent.length === 0) this.failures.delete(key);
    else if (recent.length !== all.length) this.failures.set(key, recent);
    return recent;
  }
}

/** As the login service reads a username. */
function normalizeUsername(username: string): string {
  return username.trim().toLowerCase().slice(0, 64);
}

/** "15 minutes", "1 minute", "40 seconds" (short windows are for tests). */
export function retryAfterText(retryAfterMs: number): string {
  if (retryAfterMs < 60_000) return `${Math.max(1, Math.ceil(retryAfterMs / 1000))} seconds`;
  const minutes = Math.max(1, Math.ceil(retryAfterMs / 60_000));
  return minutes === 1 ? "1 minute" : `${minutes} minutes`;
}
