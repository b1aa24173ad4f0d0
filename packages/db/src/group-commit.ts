import type { Database as SqliteDatabase } from "better-sqlite3";
import { writerQueueOf } from "./store/unit-of-work.js";
import type { SerialQueue } from "./store/unit-of-work.js";

/**
 * Bounds of a group commit (issue 17, writes). With synchronous = FULL each COMMIT waits for the disk (fsync); a
 * batch of writes shares one COMMIT, so the disk wait is paid once per batch instead of once per write.
 */
export interface GroupCommitOptions {
  /** Off: each write runs and commits on its own as soon as it is asked for (the behaviour before issue 17). */
  enabled: boolean;
  /** The most writes in one transaction (≥ 1); a full batch commits at once. */
  maxBatch: number;
  /**
   * Milliseconds the first write of a batch may wait for others to join (0: none beyond the current turn of the
   * event loop, i.e. the writes whose requests were read together, typically while the previous COMMIT was syncing).
   */
  maxWaitMs: number;
}

/** 64 writes or the current turn of the event loop, whichever comes first (measured: docs/performance.md). */
export const defaultGroupCommitOptions: GroupCommitOptions = { enabled: true, maxBatch: 64, maxWaitMs: 0 };

interface Pending {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Settled = { ok: true; value: unknown } | { ok: false; error: unknown };

/**
 * Group commit for one SQLite connection. `run(work)` queues a synchronous write; the writes queued in the same turn
 * of the event loop (or within `maxWaitMs`, at most `maxBatch`) run one after another in ONE transaction
 * (`BEGIN IMMEDIATE` … `COMMIT`), each in a savepoint of its own:
 * - a write that throws has its savepoint rolled back and its promise rejected with the error; its neighbours go on;
 * - every promise settles only after the COMMIT that holds the batch has returned (synchronous = FULL: on disk), so
 *   no answer is given for a write that is not durable, and a refusal is never given on a state that was not
 *   committed;
 * - if `BEGIN IMMEDIATE` or `COMMIT` fails (SQLITE_BUSY: another process holds the write lock), every write of the
 *   batch is rejected with that error and nothing of the batch is stored: callers may run them again
 *   (`retryWhileDatabaseBusy` does, then answers 503);
 * - the batch runs synchronously from BEGIN to COMMIT, so no other code of the process ever sees the transaction
 *   open (reads never see uncommitted writes; a synchronous `writeTransaction` elsewhere starts after it ends);
 * - a batch takes its turn on the connection's writer queue, so it waits for a unit of work of `createSqliteStore`
 *   open on the same connection (whose transaction spans awaits) instead of colliding with it.
 * `work` may use `writeTransaction` (better-sqlite3 turns it into a nested savepoint) and must not be async.
 * Audit events are appended in the order the writes run, which is the order they commit in.
 */
export class GroupCommit {
  private queue: Pending[] = [];
  private timer: NodeJS.Timeout | NodeJS.Immediate | null = null;
  private batches = 0;
  private writes = 0;
  private readonly writer: SerialQueue;

  constructor(
    private readonly sqlite: SqliteDatabase,
    readonly options: GroupCommitOptions = defaultGroupCommitOptions,
  ) {
    if (!Number.isInteger(options.maxBatch) || options.maxBatch < 1) throw new RangeError("maxBatch must be a whole number ≥ 1");
    if (!(options.maxWaitMs >= 0)) throw new RangeError("maxWaitMs must be ≥ 0");
    this.writer = writerQueueOf(sqlite);
  }

  /**
   * Runs `work` (synchronous, on this connection) in the next batch; resolves to what it returned, once committed.
   * Rejects with what it threw (its own writes undone, the batch's others kept), or with the error that stopped the
   * whole batch (nothing stored). With group commit off: runs `work` now and settles as it does.
   */
  run<T>(work: () => T): Promise<T> {
    if (!this.options.enabled) {
      try {
        return Promise.resolve(work());
      } catch (error) {
        return Promise.reject(error);
      }
    }
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (this.queue.length >= this.options.maxBatch) {
        this.cancelTimer();
        // After the caller's own synchronous code: a flush never runs inside another request's call.
        this.takeTurn();
      } else if (this.timer === null) {
        this.timer =
          this.options.maxWaitMs === 0 ? setImmediate(() => this.takeTurn()) : setTimeout(() => this.takeTurn(), this.options.maxWaitMs);
      }
    });
  }

  /**
   * Commits what is queued now (the server calls it before closing the database, once no unit of work is open).
   * A batch waiting for its turn finds nothing left and ends.
   */
  flushNow(): void {
    this.flush();
  }

  /** Runs the next batch on the writer queue: at once when no unit of work is open on the connection (a microtask). */
  private takeTurn(): void {
    this.timer = null;
    this.writer.run(async () => this.flush()).catch((error: unknown) => {
      // flush delivers every failure to the batch's promises; reaching here is a bug, which must not pass silently.
      queueMicrotask(() => {
        throw error;
      });
    });
  }

  /** Batches committed (or failed) and writes run so far: for tests and the benchmark. */
  stats(): { batches: number; writes: number } {
    return { batches: this.batches, writes: this.writes };
  }

  private cancelTimer(): void {
    if (this.timer === null) return;
    clearTimeout(this.timer as NodeJS.Timeout);
    clearImmediate(this.timer as NodeJS.Immediate);
    this.timer = null;
  }

  private flush(): void {
    this.cancelTimer();
    if (this.queue.length === 0) return;
    const batch = this.queue.splice(0, this.options.maxBatch);
    // What did not fit waits for the next turn.
    if (this.queue.length > 0) this.timer = setImmediate(() => this.takeTurn());
    this.batches += 1;
    this.writes += batch.length;
    const failAll = (error: unknown) => {
      for (const p of batch) p.reject(error);
    };
    const sqlite = this.sqlite;
    try {
      sqlite.exec("BEGIN IMMEDIATE");
    } catch (error) {
      failAll(error);
      return;
    }
    const settled: Settled[] = [];
    for (const p of batch) {
      try {
        sqlite.exec("SAVEPOINT group_commit_write");
        const value = p.work();
        if (value instanceof Promise) throw new TypeError("group commit: the write must be synchronous");
        sqlite.exec("RELEASE group_commit_write");
        settled.push({ ok: true, value });
      } catch (error) {
        if (!sqlite.inTransaction) {
          // SQLite rolled the whole transaction back (e.g. disk full): the writes before this one are gone too.
          failAll(error);
          return;
        }
        try {
          sqlite.exec("ROLLBACK TO group_commit_write");
          sqlite.exec("RELEASE group_commit_write");
        } catch (undoError) {
          rollbackQuietly(sqlite);
          failAll(undoError);
          return;
        }
        settled.push({ ok: false, error });
      }
    }
    try {
      sqlite.exec("COMMIT");
    } catch (error) {
      rollbackQuietly(sqlite);
      failAll(error);
      return;
    }
    batch.forEach((p, i) => {
      const s = settled[i];
      if (s === undefined) p.reject(new Error("group commit: a write was not run"));
      else if (s.ok) p.resolve(s.value);
      else p.reject(s.error);
    });
  }
}

/** Ends a failed batch's transaction, if SQLite has not already: the batch's own error is the one reported. */
function rollbackQuietly(sqlite: SqliteDatabase): void {
  try {
    if (sqlite.inTransaction) sqlite.exec("ROLLBACK");
  } catch {
    // The connection is unusable then; the next BEGIN reports it.
  }
}
