/** The first answer to a mutation sent with an `Idempotency-Key`, as stored (per user and key). */
export interface StoredIdempotentAnswer {
  procedure: string;
  /** sha256 hex of the canonical JSON of `{ procedure, input }`. */
  requestHash: string;
  /** The JSON of the first answer. */
  response: string;
}

/** `idempotency_keys`: first answers kept so that a retried mutation gets its answer again (security/idempotency.ts). */
export interface IdempotencyRepo {
  /**
   * Holds `userId`'s `key` until the unit of work ends, waiting while another unit of work holds it: a request
   * double-sent with one key runs once, and its twin then finds the first answer instead of racing it (a CONFLICT).
   * Call before `find`. SQLite: nothing to do (one writer at a time); PostgreSQL: a transaction-scoped advisory lock.
   */
  hold(userId: number, key: string): Promise<void>;
  /** The stored answer of `userId`'s `key`, or undefined. */
  find(userId: number, key: string): Promise<StoredIdempotentAnswer | undefined>;
  /** Removes `userId`'s keys created before `before` (UTC ISO). */
  prune(userId: number, before: string): Promise<void>;
  /** Stores a first answer; `createdAt` is UTC ISO. Errors: the engine's unique violation if the key exists. */
  insert(row: StoredIdempotentAnswer & { userId: number; key: string; createdAt: string }): Promise<void>;
}
