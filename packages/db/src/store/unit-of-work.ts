import { AsyncLocalStorage } from "node:async_hooks";
import type { Database as SqliteDatabase } from "better-sqlite3";
import { NestedUnitOfWorkError } from "./ports.js";

// Which unit of work (of any store) the current async context runs inside: a second one opened there is a bug.
const openUnitOfWork = new AsyncLocalStorage<true>();

/**
 * Runs `fn` marked as inside a unit of work; throws `NestedUnitOfWorkError` (before running anything) when the caller
 * already is inside one. Shared by every adapter so that nesting is refused the same way on each engine.
 */
export function insideUnitOfWork<T>(fn: () => Promise<T>): Promise<T> {
  if (openUnitOfWork.getStore() === true) return Promise.reject(new NestedUnitOfWorkError());
  return openUnitOfWork.run(true, fn);
}

// The SQLite connections with a unit of work open right now (between its BEGIN IMMEDIATE and COMMIT/ROLLBACK).
const openOnConnection = new WeakSet<SqliteDatabase>();

/** Marks (or clears) `sqlite` as holding an open unit of work: the SQLite store calls it around each one. */
export function markUnitOfWorkOpen(sqlite: SqliteDatabase, open: boolean): void {
  if (open) openOnConnection.add(sqlite);
  else openOnConnection.delete(sqlite);
}

/**
 * Whether a unit of work of the store is open on `sqlite` and the caller is not inside it: a unit of work awaits between
 * its statements, and another request's continuation may run in that gap. A synchronous transaction begun then would
 * become a savepoint of the open one (committed or rolled back with it, not on its own), so `writeTransaction`
 * refuses as busy instead, and the busy policy runs it again once the unit of work has ended.
 */
export function unitOfWorkOpenElsewhere(sqlite: SqliteDatabase): boolean {
  return openOnConnection.has(sqlite) && openUnitOfWork.getStore() !== true;
}

/** Throws `NestedUnitOfWorkError` when called inside a unit of work (adapters call it before queueing or connecting). */
export function assertNotInsideUnitOfWork(): void {
  if (openUnitOfWork.getStore() === true) throw new NestedUnitOfWorkError();
}

/**
 * Runs jobs one at a time in the order they were queued; a job starts once the previous one has settled, whether it
 * resolved or threw. The SQLite store's writer: one unit of work at a time per connection.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(job: () => Promise<T>): Promise<T> {
    const result = this.tail.then(job, job);
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  /** Resolves once every job queued so far has settled. */
  async drained(): Promise<void> {
    await this.tail;
  }
}

// One writer queue per connection, shared by every store made on it and by its group commit: "one unit of work at a
// time" holds per connection, not per store object.
const writerQueues = new WeakMap<SqliteDatabase, SerialQueue>();

/** The writer queue of a SQLite connection: units of work (`createSqliteStore`) and group-commit batches take turns on it. */
export function writerQueueOf(sqlite: SqliteDatabase): SerialQueue {
  let queue = writerQueues.get(sqlite);
  if (queue === undefined) {
    queue = new SerialQueue();
    writerQueues.set(sqlite, queue);
  }
  return queue;
}
