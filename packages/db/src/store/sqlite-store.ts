import { and, eq, sql } from "drizzle-orm";
import { appendAuditEvent, verifyAuditChain } from "../audit.js";
import type { AuditEventRow } from "../audit.js";
import type { OpenedDatabase, Queryable } from "../client.js";
import { assignmentsTable } from "../schema/assignments.js";
import { readDataVersion } from "../data-version.js";
import { assignmentCountMismatchesSql } from "./assignment-counts-check.js";
import { InProcessLiveEventBus } from "./in-process-bus.js";
import { StaleVersionError } from "./ports.js";
import type { ChangeSet, CountMismatch, LiveEvent, LiveEventBus, Store, StoreTransaction } from "./ports.js";
import { assertNotInsideUnitOfWork, insideUnitOfWork, markUnitOfWorkOpen, writerQueueOf } from "./unit-of-work.js";
import { sqliteRepositories } from "./sqlite/repositories.js";
import type { GroupCommitOptions } from "../group-commit.js";
import type { Statement } from "better-sqlite3";
import { WalSync } from "./sqlite/wal-sync.js";

export interface SqliteStoreOptions {
  /**
   * Group commit of units of work (issue 17, writes): the units asked for in the same turn of the event loop (or
   * within `maxWaitMs`, at most `maxBatch`) share one transaction and one COMMIT (one fsync at synchronous = FULL),
   * each in a savepoint. Absent or disabled: each unit of work is its own transaction.
   */
  groupCommit?: GroupCommitOptions;
  /**
   * With group commit on a file in WAL mode: commit each batch at synchronous = NORMAL and sync the WAL on libuv's
   * thread pool (sqlite/wal-sync.ts), the batch's promises and live events held until its frames are on disk, so
   * the event loop serves requests while a commit syncs. Every other commit on the connection stays at FULL. Off
   * (the default, e.g. for the CLI's one-off stores): each batch's COMMIT syncs in place.
   */
  syncOffLoop?: boolean;
}

/**
 * The SQLite adapter of the store port, on a connection opened with `openDatabase`.
 *
 * better-sqlite3's own `transaction()` cannot take an async callback (it would commit before the promise settles),
 * so a unit of work here is: wait for the connection's writer queue (one unit of work at a time in the process),
 * `BEGIN IMMEDIATE` (the database's write lock, so other processes on the file wait too), await `fn`, then `COMMIT`,
 * or `ROLLBACK` if `fn` threw. SQLite's single writer makes every unit of work serializable; none is retried.
 *
 * Rules while the services are being converted (issue 13):
 * - The unit of work runs on the connection itself, so a read made on the same connection outside any unit of work
 *   while one is open sees that unit of work's uncommitted writes; reads that must see only committed state run in
 *   a unit of work too.
 * - Do not call the synchronous `writeTransaction` inside a unit of work: better-sqlite3 would turn it into a
 *   savepoint of this one. Beginning a unit of work while a synchronous transaction is open throws.
 * - Do not open a second connection to the same file in the same process for writing while units of work run: its
 *   synchronous wait for the lock would block the event loop the open unit of work needs to finish.
 */
export function createSqliteStore(
  opened: Pick<OpenedDatabase, "db" | "sqlite">,
  live: LiveEventBus = new InProcessLiveEventBus(),
  options: SqliteStoreOptions = {},
): Store<Queryable> & Required<Pick<Store<Queryable>, "groupCommitStats">> {
  const { db, sqlite } = opened;
  const writer = writerQueueOf(sqlite);
  const repos = sqliteRepositories(db);
  const grouping = options.groupCommit ?? { enabled: false, maxBatch: 1, maxWaitMs: 0 };
  const maxBatch = grouping.enabled ? Math.max(1, grouping.maxBatch) : 1;
  const stats = { batches: 0, units: 0 };
  const walSync =
    grouping.enabled && options.syncOffLoop === true && !sqlite.memory && String(sqlite.pragma("journal_mode", { simple: true })) === "wal"
      ? new WalSync(`${sqlite.name}-wal`)
      : null;
  // The batches committed at NORMAL settle in commit order, each after its sync (a chain, so that one batch's live
  // events are all out before the next one's).
  let settling: Promise<void> = Promise.resolve();
  // Prepared at the first unit of work, once per store: every unit runs these (a batch of n: BEGIN, n SAVEPOINTs and
  // RELEASEs, COMMIT), and `exec` would parse each again. Not at creation: some callers make a store for one call.
  let prepared: {
    begin: Statement;
    savepoint: Statement;
    release: Statement;
    commit: Statement;
    syncNormal: Statement;
    syncFull: Statement;
  } | null = null;
  const control = () =>
    (prepared ??= {
      begin: sqlite.prepare("BEGIN IMMEDIATE"),
      savepoint: sqlite.prepare("SAVEPOINT unit_of_work"),
      release: sqlite.prepare("RELEASE unit_of_work"),
      commit: sqlite.prepare("COMMIT"),
      syncNormal: sqlite.prepare("PRAGMA synchronous = NORMAL"),
      syncFull: sqlite.prepare("PRAGMA synchronous = FULL"),
    });

  /** A unit of work's tx on the open transaction: its live events collected, usable until `end()`. */
  function unitTransaction(events: LiveEvent[]): { tx: StoreTransaction<Queryable>; end: () => void } {
    let open = true;
    const ensureOpen = () => {
      if (!open) throw new Error("this unit of work has ended: its transaction cannot be used any more");
    };
    const tx: StoreTransaction<Queryable> = {
      engine: "sqlite",
      db,
      repos,
      appendAuditEvent: async (input) => {
        ensureOpen();
        return appendAuditEvent(db, input);
      },
      commit: async (changes: ChangeSet) => {
        ensureOpen();
        for (const change of changes.assignments ?? []) {
          const updated = db
            .update(assignmentsTable)
            .set({ ...change.set, version: change.expectedVersion + 1 })
            .where(and(eq(assignmentsTable.id, change.id), eq(assignmentsTable.version, change.expectedVersion)))
            .returning({ id: assignmentsTable.id })
            .all();
          if (updated.length === 0) throw new StaleVersionError(change.id, change.expectedVersion);
        }
        const rows: AuditEventRow[] = [];
        for (const input of changes.auditEvents ?? []) rows.push(appendAuditEvent(db, input));
        if (changes.live !== undefined) events.push(changes.live);
        return rows;
      },
      afterCommit: (event) => {
        ensureOpen();
        events.push(event);
      },
    };
    return {
      tx,
      end: () => {
        open = false;
      },
    };
  }

  interface Pending {
    fn: (tx: StoreTransaction<Queryable>) => Promise<unknown>;
    resolve: (value: unknown) => void;
    reject: (error: unknown) => void;
  }
  const queue: Pending[] = [];
  let scheduled: NodeJS.Immediate | NodeJS.Timeout | null = null;

  /**
   * Runs the queued units of work (at most `maxBatch`) in ONE transaction, each in a savepoint of its own: a unit
   * that throws has its savepoint rolled back and its promise rejected; the others go on. Every promise settles after
   * the COMMIT that holds the batch is on disk (at synchronous = FULL in the COMMIT; with `syncOffLoop`, after the
   * WAL sync that covers it, while the next batches run), and the live events are announced before the promises
   * settle, in commit order. A refusal waits too: it was decided on state that may hold an earlier batch not yet on
   * disk. A failed BEGIN or COMMIT, or SQLite rolling the whole transaction back, rejects every unit of the batch
   * (nothing of it stored).
   */
  async function runBatch(): Promise<void> {
    const batch = queue.splice(0, maxBatch);
    // What did not fit goes in the next batch (without group commit each unit has scheduled its own run).
    if (grouping.enabled && queue.length > 0) schedule();
    if (batch.length === 0) return;
    stats.batches += 1;
    stats.units += batch.length;
    const failAll = (error: unknown) => {
      for (const p of batch) p.reject(error);
    };
    if (sqlite.inTransaction) {
      failAll(new Error("a transaction is already open on this connection (a synchronous writeTransaction?)"));
      return;
    }
    const failedSync = walSync?.failure() ?? null;
    if (failedSync !== null) {
      failAll(failedSync);
      return;
    }
    try {
      // Outside the transaction, where SQLite reads it: this batch's COMMIT writes its frames without the fsync.
      if (walSync !== null) control().syncNormal.run();
      control().begin.run();
    } catch (error) {
      if (walSync !== null) control().syncFull.run();
      failAll(error);
      return;
    }
    markUnitOfWorkOpen(sqlite, true);
    const settled: Array<{ ok: true; value: unknown; events: LiveEvent[] } | { ok: false; error: unknown }> = [];
    try {
      for (const p of batch) {
        const events: LiveEvent[] = [];
        const { tx, end } = unitTransaction(events);
        const savepoint = batch.length > 1;
        try {
          if (savepoint) control().savepoint.run();
          const value = await insideUnitOfWork(() => p.fn(tx));
          end();
          if (savepoint) control().release.run();
          settled.push({ ok: true, value, events });
        } catch (error) {
          end();
          if (!sqlite.inTransaction) {
            // SQLite rolled the whole transaction back (e.g. disk full): the units before this one are gone too.
            failAll(error);
            return;
          }
          if (savepoint) {
            sqlite.exec("ROLLBACK TO unit_of_work");
            sqlite.exec("RELEASE unit_of_work");
          } else {
            sqlite.exec("ROLLBACK");
          }
          settled.push({ ok: false, error });
        }
      }
      if (sqlite.inTransaction) control().commit.run();
    } catch (error) {
      if (sqlite.inTransaction) sqlite.exec("ROLLBACK");
      failAll(error);
      return;
    } finally {
      markUnitOfWorkOpen(sqlite, false);
      if (walSync !== null && !sqlite.inTransaction) control().syncFull.run();
    }
    if (walSync === null) {
      await announceAndSettle(batch, settled);
      return;
    }
    // Not awaited: the next batch runs while this one's frames sync; answers and announcements wait for the sync.
    const commit = walSync.committed();
    settling = settling
      .then(() => walSync.through(commit))
      .then(() => announceAndSettle(batch, settled))
      // A failed sync (or announcement): this batch's promises rejected, the chain kept going for the next batches.
      .catch((error: unknown) => failAll(error));
  }

  /** A committed (and synced) batch: its live events announced in commit order, then its promises settled. */
  async function announceAndSettle(
    batch: Pending[],
    settled: Array<{ ok: true; value: unknown; events: LiveEvent[] } | { ok: false; error: unknown }>,
  ): Promise<void> {
    for (const s of settled) if (s.ok) for (const event of s.events) await live.publish(event);
    batch.forEach((p, i) => {
      const s = settled[i];
      if (s === undefined) p.reject(new Error("unit of work was not run"));
      else if (s.ok) p.resolve(s.value);
      else p.reject(s.error);
    });
  }

  /** Runs the next batch on the connection's writer queue (it waits for the batch before it). */
  function take(): void {
    writer.run(runBatch).catch((error: unknown) => {
      // runBatch delivers every failure to the batch's promises; reaching here is a bug, which must not pass silently.
      queueMicrotask(() => {
        throw error;
      });
    });
  }

  /**
   * The next batch: without group commit at once (one unit, its own transaction, in the order asked); with it after
   * this turn of the event loop (or `maxWaitMs`), so that the units asked for meanwhile join it.
   */
  function schedule(): void {
    if (!grouping.enabled) {
      take();
      return;
    }
    if (scheduled !== null) return;
    const due = () => {
      scheduled = null;
      take();
    };
    scheduled = grouping.maxWaitMs > 0 ? setTimeout(due, grouping.maxWaitMs) : setImmediate(due);
  }

  return {
    engine: "sqlite",
    live,
    async transaction<T>(fn: (tx: StoreTransaction<Queryable>) => Promise<T>): Promise<T> {
      assertNotInsideUnitOfWork();
      return new Promise<T>((resolve, reject) => {
        queue.push({ fn, resolve: resolve as (value: unknown) => void, reject });
        if (grouping.enabled && queue.length >= maxBatch && scheduled !== null) {
          // A full batch goes now rather than at the end of the turn.
          clearTimeout(scheduled as NodeJS.Timeout);
          clearImmediate(scheduled as NodeJS.Immediate);
          scheduled = null;
          take();
          return;
        }
        schedule();
      });
    },
    groupCommitStats: () => (walSync === null ? { ...stats } : { ...stats, syncs: walSync.syncs }),
    whenDurable: () => walSync?.pending() ?? null,
    async read(fn) {
      assertNotInsideUnitOfWork();
      // Not queued: a unit of work here never yields to other requests while open (rule 2 of ports.ts; the verbs
      // resolve synchronously), so between two turns of the event loop the connection holds only committed state.
      if (sqlite.inTransaction) {
        return writer.run(() => fn(repos));
      }
      return fn(repos);
    },
    async readSnapshot(fn) {
      assertNotInsideUnitOfWork();
      // In the writer queue, as a unit of work: none begins on this connection (and shows its uncommitted writes)
      // between two reads of `fn`, even when `fn` awaits between pages.
      return writer.run(() => fn(repos));
    },
    async verifyAuditChain() {
      return writer.run(async () => verifyAuditChain(db));
    },
    async dataVersion() {
      // Between units of work only: inside one, this connection would read its uncommitted head.
      return writer.run(async () => {
        const v = readDataVersion(sqlite);
        return `${v.auditSeq}.${v.auditHash}.${v.otherConnections}`;
      });
    },
    async checkAssignmentCounts() {
      const rows = await writer.run(async () =>
        db.all<{ department: string; plan_id: number; status: string; kept: number | null; actual: number }>(
          sql.raw(assignmentCountMismatchesSql),
        ),
      );
      return rows.map(
        (r): CountMismatch => ({ department: r.department, planId: r.plan_id, status: r.status, kept: r.kept, actual: r.actual }),
      );
    },
    async close() {
      while (queue.length > 0 || scheduled !== null) await new Promise((r) => setImmediate(r));
      await writer.drained();
      await settling;
      await walSync?.close();
      await live.close();
    },
  };
}
