/**
 * Bounds on the work one request or one account can start (issue 18, kind 5 and the export part of kind 8).
 * Each figure is stated once, here, and documented in docs/api.md.
 */

/** Calls in one tRPC batch (`/trpc/a,b,c?batch=1`); the web client batches at most this many. */
export const maxBatchCalls = 10;

/** Exports (XLSX, CSV, PDF) running at once for one account; the next gets 429 with Retry-After. */
export const maxConcurrentExportsPerAccount = 2;

/** Seconds a refused export is told to wait (Retry-After): about one PDF render on the 2-core machine. */
export const exportRetryAfterSeconds = 2;

/** Live streams (`live.changes` subscriptions) open at once for one account: a few tabs and devices. */
export const maxLiveStreamsPerAccount = 8;

/** Counts running things per account, refusing one over the limit. */
export class PerAccountSlots {
  private readonly running = new Map<number, number>();
  readonly limit: number;

  constructor(limit: number) {
    this.limit = limit;
  }

  /** Takes a slot for the account: a function that frees it (once, however often called), or null when full. */
  take(accountId: number): (() => void) | null {
    const n = this.running.get(accountId) ?? 0;
    if (n >= this.limit) return null;
    this.running.set(accountId, n + 1);
    let freed = false;
    return () => {
      if (freed) return;
      freed = true;
      const left = (this.running.get(accountId) ?? 1) - 1;
      if (left <= 0) this.running.delete(accountId);
      else this.running.set(accountId, left);
    };
  }

  /** Slots the account holds now. */
  held(accountId: number): number {
    return this.running.get(accountId) ?? 0;
  }
}

/**
 * The number of calls of a tRPC request path (`/trpc/a,b,c`): 1 plus its commas. Counted without splitting, so a
 * path of 2,000 commas costs no array.
 */
export function callsInPath(path: string): number {
  let n = 1;
  for (let i = path.indexOf(","); i !== -1; i = path.indexOf(",", i + 1)) n += 1;
  return n;
}
