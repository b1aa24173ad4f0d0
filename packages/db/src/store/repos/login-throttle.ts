/** One key's count of failed sign-ins (`login_throttle`); `lastFailureAt` is UTC ISO. */
export interface ThrottleCount {
  key: string;
  failures: number;
  lastFailureAt: string;
}

/**
 * The failed sign-in counts of the sign-in limiter (apps/server security/login-limiter.ts) and the owner's notice
 * of failures: in the database, so every instance on it counts alike and a restart forgets nothing.
 */
export interface LoginThrottleRepo {
  /**
   * Inside a unit of work: holds `keys` against every other unit of work that holds any of them, until this one
   * ends, also when a key has no row yet (PostgreSQL: transaction-scoped advisory locks, taken in a fixed order;
   * SQLite: the unit of work's write lock does it already). Read `counts` after it to decide on current counts.
   */
  hold(keys: readonly string[]): Promise<void>;
  /** The counts of those of `keys` that have one. */
  counts(keys: readonly string[]): Promise<ThrottleCount[]>;
  /** Adds one failure to `key` (a new key starts at 1) in one atomic statement; resolves with the new count. */
  addFailure(key: string, at: string): Promise<number>;
  /** Takes one failure off `key`'s count, never below 0. */
  takeBackFailure(key: string): Promise<void>;
  /** Forgets `key`; resolves with the count it had (0 when none). */
  clear(key: string): Promise<number>;
  /** Forgets the keys whose latest failure is before `before` (UTC ISO), except those starting with `keepPrefix`. */
  forgetBefore(before: string, keepPrefix: string): Promise<void>;
}
