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
export function createSqliteStore(opened: Pick<OpenedDatabase, "db" | "sqlite">, live: LiveEventBus = new InProcessLiveEventBus()): Store<Queryable> {
  const { db, sqlite } = opened;
  const writer = writerQueueOf(sqlite);
  const repos = sqliteRepositories(db);

  async function runUnitOfWork<T>(fn: (tx: StoreTransaction<Queryable>) => Promise<T>): Promise<{ value: T; events: LiveEvent[] }> {
    if (sqlite.inTransaction) throw new Error("a transaction is already open on this connection (a synchronous writeTransaction?)");
    const events: LiveEvent[] = [];
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
    sqlite.exec("BEGIN IMMEDIATE");
    markUnitOfWorkOpen(sqlite, true);
    try {
      const value = await fn(tx);
      open = false;
      sqlite.exec("COMMIT");
      return { value, events };
    } catch (error) {
      open = false;
      if (sqlite.inTransaction) sqlite.exec("ROLLBACK");
      throw error;
    } finally {
      markUnitOfWorkOpen(sqlite, false);
    }
  }

  return {
    engine: "sqlite",
    live,
    async transaction(fn) {
      assertNotInsideUnitOfWork();
      const { value, events } = await writer.run(() => insideUnitOfWork(() => runUnitOfWork(fn)));
      // Announced after the commit and outside the writer queue: a slow listener does not hold the write lock.
      for (const event of events) await live.publish(event);
      return value;
    },
    async read(fn) {
      assertNotInsideUnitOfWork();
      // Not queued: a unit of work here never yields to other requests while open (rule 2 of ports.ts; the verbs
      // resolve synchronously), so between two turns of the event loop the connection holds only committed state.
      if (sqlite.inTransaction) {
        return writer.run(() => fn(repos));
      }
      return fn(repos);
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
      await writer.drained();
      await live.close();
    },
  };
}
