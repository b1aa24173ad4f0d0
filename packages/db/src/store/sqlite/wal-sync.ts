import { closeSync, fdatasync, openSync } from "node:fs";

/**
 * The write-ahead log's fdatasync on libuv's thread pool instead of inside COMMIT (issue 17, writes: "requests that
 * arrive while a commit is syncing join the next transaction, each still durable before its answer").
 *
 * With synchronous = FULL, better-sqlite3's COMMIT holds the event loop through the fsync (under `pnpm bench`'s write
 * load, the largest single piece of the server thread's time in a CPU profile), so no request can even be read
 * while a commit syncs. A group commit run at synchronous = NORMAL writes its WAL frames without the
 * sync; this class then syncs the WAL file off the thread and tells each waiter once the frames of its commit are on
 * disk. Nothing is answered or announced before that: the store settles a batch's promises and publishes its live
 * events after `through(commit)`, and every HTTP answer waits for `pending()` (app.ts), so no one is shown data a
 * power cut could still take away. SQLite's own rules at NORMAL keep the file consistent: the WAL is synced before
 * every checkpoint, and a torn tail of the WAL is discarded by its checksums on recovery (https://sqlite.org/wal.html,
 * https://sqlite.org/pragma.html#pragma_synchronous).
 *
 * Linux syncs the file, not the descriptor: fdatasync on our own descriptor of the `-wal` file writes SQLite's frames
 * too. The file stays the same while any connection of the process keeps the database open (SQLite removes it only
 * when the last connection closes).
 *
 * One sync at a time; commits made while it runs are covered by the next one, so a steady load costs one sync per
 * sync's duration, whatever the number of commits. A failed sync (EIO, ENOSPC) fails every waiter and every later
 * one: as PostgreSQL after a failed fsync, nothing written since can be promised durable (the kernel may have
 * dropped the dirty pages); restart the process, which recovers from the WAL.
 */
export class WalSync {
  /** Commits counted so far (`committed()`), and the highest one known on disk. */
  private commits = 0;
  private synced = 0;
  private inFlight = false;
  private failed: Error | null = null;
  private fd: number | null = null;
  private waiters: Array<{ commit: number; resolve: () => void; reject: (error: unknown) => void }> = [];
  /** Syncs run so far: for tests and the benchmark. */
  syncs = 0;

  /** `walPath`: the database file's name with `-wal`. Opened at the first sync (SQLite creates it at the first write). */
  constructor(private readonly walPath: string) {}

  /**
   * Counts a COMMIT made at synchronous = NORMAL and starts its sync unless one is running (then the next one, started
   * as that one ends, covers it); returns its number, for `through`.
   */
  committed(): number {
    this.commits += 1;
    this.start();
    return this.commits;
  }

  /**
   * Resolves once commit `commit` (from `committed()`) is on disk; rejects with the sync's error if a sync failed.
   * Settles in the order asked for the same or a lower commit.
   */
  through(commit: number): Promise<void> {
    if (this.failed !== null) return Promise.reject(this.failed);
    if (commit <= this.synced) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ commit, resolve, reject });
      this.start();
    });
  }

  /**
   * Null when every commit counted so far is on disk (the common case: nothing to wait for, no promise made);
   * otherwise a promise that resolves once they all are.
   */
  pending(): Promise<void> | null {
    if (this.failed === null && this.synced >= this.commits) return null;
    return this.through(this.commits);
  }

  /** The failed sync's error, once one failed (then no unit of work may commit: see the class's comment). */
  failure(): Error | null {
    return this.failed;
  }

  /** Waits for the sync in flight and closes the descriptor; later commits are not synced by this class. */
  async close(): Promise<void> {
    if (this.commits > this.synced && this.failed === null) await this.through(this.commits).catch(() => undefined);
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  private start(): void {
    if (this.inFlight || this.failed !== null) return;
    const target = this.commits;
    let fd: number;
    try {
      fd = this.fd ??= openSync(this.walPath, "r+");
    } catch (error) {
      this.fail(error);
      return;
    }
    this.inFlight = true;
    this.syncs += 1;
    fdatasync(fd, (error) => {
      this.inFlight = false;
      if (error !== null) {
        this.fail(error);
        return;
      }
      this.synced = target;
      const due = this.waiters.filter((w) => w.commit <= target);
      this.waiters = this.waiters.filter((w) => w.commit > target);
      for (const w of due) w.resolve();
      // Commits made while this sync ran: the next sync starts now, before anyone asks.
      if (this.commits > this.synced) this.start();
    });
  }

  private fail(error: unknown): void {
    this.failed = new Error(`the database's write-ahead log could not be synced to disk (${this.walPath}): ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    const waiting = this.waiters;
    this.waiters = [];
    for (const w of waiting) w.reject(this.failed);
  }
}
