import { createHash } from "node:crypto";
import { canonicalJson } from "@countersign/db";
import type { AnyStore, AnyStoreTransaction, TransactionOptions } from "@countersign/db";
import { ServiceError } from "../errors.js";
import { storeEventOfEnvelope } from "../live-bridge.js";
import type { ActingUser } from "../services/shared/acting-user.js";
import type { Outcome } from "../services/shared/live-change.js";

/** A key is 1–200 printable ASCII characters, e.g. a UUID the client made when the user first pressed the button. */
const keyPattern = /^[\x21-\x7e]{1,200}$/;

/** A retry is expected within minutes; a day is generous. Older keys of the same user are pruned as new ones come. */
export const idempotencyKeyLifetimeMs = 24 * 60 * 60 * 1000;

/** The request's hash for its key; refuses a key that is not 1–200 printable ASCII characters (`invalid_input`). */
function requestHashOf(key: string, procedure: string, input: unknown): string {
  if (!keyPattern.test(key)) {
    throw new ServiceError("invalid_input", "The Idempotency-Key header must be 1–200 printable ASCII characters.", {
      field: "Idempotency-Key",
    });
  }
  return createHash("sha256").update(canonicalJson({ procedure, input })).digest("hex");
}

/** The first answer again, for a retry of the same request; `idempotency_key_reused` for a different one. */
function replayOf<T>(earlier: { procedure: string; requestHash: string; response: string }, procedure: string, requestHash: string): T {
  if (earlier.procedure !== procedure || earlier.requestHash !== requestHash) {
    throw new ServiceError(
      "idempotency_key_reused",
      `This Idempotency-Key was already used for a different request (${earlier.procedure}); use a new key for a new request.`,
      { field: "Idempotency-Key" },
    );
  }
  return JSON.parse(earlier.response) as T;
}

/** What a mutation on the store seam needs of the request context. */
export interface SeamMutationScope {
  store: AnyStore;
  user: ActingUser;
  now: () => Date;
  /** The request's `Idempotency-Key` header, if any. */
  idempotencyKey?: string | null;
}

/**
 * A mutation on the store seam (issue 13), on either engine: opens the one unit of work, runs the
 * service in it (read → the domain's transition → write, through `tx`), and with an `Idempotency-Key` stores the
 * first answer in the same unit of work (a retry gets it again, a different request with the key is refused). The
 * change is queued with `tx.afterCommit`, so every instance's live streams hear of it when, and only if, it commits.
 * On PostgreSQL the unit of work may run more than once (serialisation failures): `run` must touch only `tx`.
 * `options`: the unit of work's (e.g. serializable on PostgreSQL for a read-decide-write that no version guards).
 * Errors: the service's, `invalid_input` and `idempotency_key_reused` (nothing stored).
 */
export async function runSeamMutation<T>(
  scope: SeamMutationScope,
  procedure: string,
  input: unknown,
  run: (tx: AnyStoreTransaction) => Promise<Outcome<T>>,
  options?: TransactionOptions,
): Promise<T> {
  const key = scope.idempotencyKey ?? null;
  const requestHash = key === null ? null : requestHashOf(key, procedure, input);
  const now = scope.now();
  return scope.store.transaction(async (tx) => {
    if (key !== null && requestHash !== null) {
      // A twin sent at once with the same key waits here for the first to commit, then replays its answer.
      await tx.repos.idempotency.hold(scope.user.id, key);
      const earlier = await tx.repos.idempotency.find(scope.user.id, key);
      if (earlier !== undefined) return replayOf<T>(earlier, procedure, requestHash);
    }
    const out = await run(tx);
    if (key !== null && requestHash !== null) {
      await tx.repos.idempotency.prune(scope.user.id, new Date(now.getTime() - idempotencyKeyLifetimeMs).toISOString());
      await tx.repos.idempotency.insert({
        userId: scope.user.id,
        key,
        procedure,
        requestHash,
        response: JSON.stringify(out.value),
        createdAt: now.toISOString(),
      });
    }
    if (out.change !== null) tx.afterCommit(storeEventOfEnvelope(out.change));
    return out.value;
  }, options);
}
