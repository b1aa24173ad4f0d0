// The engine-neutral store ports (issue 13): what a service may ask of the database whatever the engine behind it.
// Each engine's adapter implements them: `createSqliteStore` here (better-sqlite3, the embedded default) and
// `createPostgresStore` in @countersign/db-postgres. The contract tests in packages/db-postgres run against both.
//
// The rules every adapter keeps and every caller relies on:
// 1. The caller (a router procedure, a CLI command) opens the unit of work with `store.transaction(fn)` and passes
//    `tx` down; a service never opens one itself. Opening one inside another is refused (`NestedUnitOfWorkError`),
//    not silently turned into a savepoint.
// 2. Every store call is awaitable; `fn` may await anything, but should await only the store: a unit of work holds
//    the write lock (SQLite) or a connection (PostgreSQL) until it settles.
// 3. All or nothing: `fn` resolving commits; `fn` throwing rolls back every write of the unit of work and rethrows.
// 4. `fn` may run more than once: PostgreSQL retries a unit of work that failed to serialise (SQLSTATE 40001,
//    40P01). So `fn` must not have effects outside the database; anything to announce goes through
//    `tx.afterCommit`, which delivers only what the final, committed attempt queued.
// 5. The audit chain is appended only through `tx.appendAuditEvent`, which serialises the chain's head against
//    every other writer (SQLite: the single write lock; PostgreSQL: the chain-head row locked `FOR UPDATE`).

import type { AssignmentStatus } from "@countersign/domain";
import type { AuditChainVerdict, AuditEventInput, AuditEventRow } from "../audit.js";
import type { Repositories } from "./repositories.js";

export type Engine = "sqlite" | "postgres";

/**
 * What the live-update channel carries about one committed change: ids to refetch, never content (a PostgreSQL
 * NOTIFY payload must stay under 8,000 bytes; see `encodeLiveEvent`).
 */
export interface LiveEvent {
  planId: number;
  assignmentIds: number[];
  measureNumbers: number[];
  /** Department codes whose assignments changed. */
  departments: string[];
  /** Department codes that may hear of the change (the departments responsible on the touched measures). */
  audience: string[];
  /** UTC ISO time of the change. */
  at: string;
  /**
   * PostgreSQL: the change's id, assigned at commit from the database (`live_event_seq`, taken under one lock held
   * to the commit), so that every instance knows it by the same id and ids grow in commit order (with gaps where a
   * commit failed). Absent on SQLite, where the process numbers its own changes.
   */
  id?: number;
}

/**
 * Where a bus's delivery stands (PostgreSQL: its LISTEN connection). `lost`: from now on events may be missed.
 * `whole`: every event committed with an id above `watermark` is delivered from now on (ids at or below it committed
 * before); `generation` grows at each such start, so that what was known before a loss is told from what is known after.
 */
export type LiveDeliveryState = { kind: "lost" } | { kind: "whole"; watermark: number; generation: number };

/** The most bytes a live event's JSON may take: PostgreSQL's NOTIFY limit (8,000 bytes) less a margin. */
export const maxLiveEventBytes = 7900;

/** The JSON of `event` for the wire; throws `RangeError` when it exceeds `maxLiveEventBytes` (too many ids). */
export function encodeLiveEvent(event: LiveEvent): string {
  const json = JSON.stringify(event);
  const bytes = Buffer.byteLength(json, "utf8");
  if (bytes > maxLiveEventBytes) {
    throw new RangeError(`a live event takes ${bytes} bytes, over ${maxLiveEventBytes}: announce fewer ids per event`);
  }
  return json;
}

/** Reads a live event from the wire; throws `TypeError` when the text is not one. */
export function decodeLiveEvent(text: string): LiveEvent {
  const value: unknown = JSON.parse(text);
  if (!isLiveEvent(value)) throw new TypeError("not a live event");
  return value;
}

function isLiveEvent(value: unknown): value is LiveEvent {
  if (value === null || typeof value !== "object") return false;
  const v = value as Record<string, unknown>;
  const numbers = (x: unknown) => Array.isArray(x) && x.every((n) => typeof n === "number");
  const strings = (x: unknown) => Array.isArray(x) && x.every((s) => typeof s === "string");
  return (
    typeof v["planId"] === "number" &&
    numbers(v["assignmentIds"]) &&
    numbers(v["measureNumbers"]) &&
    strings(v["departments"]) &&
    strings(v["audience"]) &&
    typeof v["at"] === "string" &&
    (v["id"] === undefined || (typeof v["id"] === "number" && Number.isSafeInteger(v["id"]) && v["id"] > 0))
  );
}

/**
 * Committed changes announced to every server instance on the same database (SQLite: this process only;
 * PostgreSQL: LISTEN/NOTIFY, so a change made on instance A reaches subscribers on instance B).
 */
export interface LiveEventBus {
  /** Announces a committed change now. Inside a unit of work use `tx.afterCommit` instead. */
  publish(event: LiveEvent): Promise<void>;
  /**
   * Calls `listener` with every event published from now on, in publication order per publisher. Resolves once
   * listening (an event published after that is delivered); the returned function stops listening.
   */
  subscribe(listener: (event: LiveEvent) => void): Promise<() => Promise<void>>;
  /**
   * PostgreSQL only (a bus that can lose events): calls `observer` with each change of delivery state, in order with
   * the events (a `whole` comes before the events delivered after it); the returned function stops. Register before
   * `subscribe` to hear the first `whole`.
   */
  watchDelivery?(observer: (state: LiveDeliveryState) => void): () => void;
  /** PostgreSQL only: the highest live-event id assigned so far (0 before the first), read from the database. */
  lastAssignedId?(): Promise<number>;
  close(): Promise<void>;
}

/** The optimistic version check of an assignment: the update applies only if the row still has `expectedVersion`. */
export interface AssignmentChange {
  id: number;
  expectedVersion: number;
  /** The columns the transition changed; `version` is bumped to `expectedVersion + 1` by the store. */
  set: {
    status?: AssignmentStatus;
    department?: string;
    dueDate?: string;
    pendingExtensionUntil?: string | null;
    pendingExtensionReason?: string | null;
    lastRemindedAt?: string | null;
    updatedAt: string;
  };
}

/**
 * One change set: everything a service decided from the domain's pure transition, written together. Order of
 * application: the assignment changes (each a conditional update), then the audit events in the order given.
 */
export interface ChangeSet {
  assignments?: AssignmentChange[];
  auditEvents?: AuditEventInput[];
  /** Announced once the unit of work has committed. */
  live?: LiveEvent;
}

/** Thrown by `tx.commit` when an assignment no longer has the expected version: another change won the race. */
export class StaleVersionError extends Error {
  constructor(
    readonly assignmentId: number,
    readonly expectedVersion: number,
  ) {
    super(`assignment ${assignmentId} is no longer at version ${expectedVersion}`);
    this.name = "StaleVersionError";
  }
}

/** Thrown when a unit of work is opened inside another one: the caller opens it once and passes `tx` down. */
export class NestedUnitOfWorkError extends Error {
  constructor() {
    super("a unit of work was opened inside another one: pass the open transaction down instead");
    this.name = "NestedUnitOfWorkError";
  }
}

/**
 * An open unit of work. `Db` is the engine's drizzle transaction, for the reads and writes the port has no verb for
 * yet (the services use it until they are converted); engine-neutral code uses only the verbs.
 */
export interface StoreTransaction<Db> {
  readonly engine: Engine;
  readonly db: Db;
  /** Every area's reads and writes, inside this unit of work (see repositories.ts). Engine-neutral code uses these. */
  readonly repos: Repositories;
  /** Appends one event at the chain's head (serialised against every writer); returns the stored row. */
  appendAuditEvent(input: AuditEventInput): Promise<AuditEventRow>;
  /**
   * Writes one change set (see `ChangeSet` for the order). Throws `StaleVersionError` on a lost race, which rolls
   * the unit of work back when left uncaught. Returns the audit rows stored, in order.
   */
  commit(changes: ChangeSet): Promise<AuditEventRow[]>;
  /** Queues `event` for the live bus, published only if and when this unit of work commits. */
  afterCommit(event: LiveEvent): void;
}

/** One kept count that differs from a count of the rows (see `Store.checkAssignmentCounts`). */
export interface CountMismatch {
  department: string;
  planId: number;
  status: string;
  kept: number | null;
  actual: number;
}

export interface TransactionOptions {
  /**
   * PostgreSQL only: the isolation level (default "read committed", where conditional updates and the locked chain
   * head keep every rule; "serializable" for read-decide-write units of work that guard no row by version).
   * SQLite is always serializable (one writer at a time).
   */
  isolation?: "read committed" | "repeatable read" | "serializable";
}

/** A store of either engine, as engine-neutral code (the server's services) holds it: `tx.db` is not theirs to use. */
export type AnyStore = Store<unknown>;
/** A unit of work of either engine, as engine-neutral code receives it. */
export type AnyStoreTransaction = StoreTransaction<unknown>;

/** The store behind the seam: units of work, the chain's verification, the kept counts' check and the live bus. */
export interface Store<Db> {
  readonly engine: Engine;
  /** Runs `fn` as one unit of work (rules 1–4 at the top of this file); resolves to what `fn` resolved to. */
  transaction<T>(fn: (tx: StoreTransaction<Db>) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /**
   * Runs `fn` on committed state, outside any unit of work: reads that decide nothing (lists, views, a session's
   * lookup). SQLite: on the connection, between units of work; PostgreSQL: on the pool, each statement on its own
   * (use a unit of work when several reads must agree). Throws `NestedUnitOfWorkError` inside a unit of work: there,
   * read through `tx.repos`.
   */
  read<T>(fn: (repos: Repositories) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` on one snapshot of committed state, for many reads that must agree and decide nothing (the audit
   * trail's verification: pages of events, the chain head, the rows replayed against them). SQLite: in the writer
   * queue (no unit of work runs meanwhile); PostgreSQL: one read-only repeatable-read transaction. Throws `NestedUnitOfWorkError` inside a unit of work.
   */
  readSnapshot<T>(fn: (repos: Repositories) => Promise<T>): Promise<T>;
  /** Walks the whole audit chain (the same rules on every engine: `AuditChainWalker`). */
  verifyAuditChain(): Promise<AuditChainVerdict>;
  /** The assignment counts kept by triggers against a COUNT(*) of the rows: empty when they agree. */
  checkAssignmentCounts(): Promise<CountMismatch[]>;
  /**
   * An opaque version of the committed data, for HTTP validators and answer caches (issue 17); equal strings from one
   * store: no change between. SQLite: the audit chain head (seq and hash) and `data_version` (other connections'
   * commits). PostgreSQL: this instance's count of commit notifications (every unit of work that wrote NOTIFYs in its
   * commit), with a random id of the bus and its LISTEN generation, read from memory; null while the LISTEN connection
   * is down or not yet re-synced (then nothing may be served from a cache). Not comparable between instances.
   */
  dataVersion(): Promise<string | null>;
  readonly live: LiveEventBus;
  /**
   * SQLite only (absent on PostgreSQL, where each unit of work has its own connection and COMMIT): how many batches
   * committed so far and how many units of work they held, for the benchmark's writes-per-COMMIT figure; with the
   * WAL synced off the event loop, how many syncs ran.
   */
  groupCommitStats?(): { batches: number; units: number; syncs?: number };
  /**
   * SQLite with its WAL synced off the event loop (`syncOffLoop`): null when everything committed so far is on disk,
   * otherwise a promise that resolves once it is (rejects if the sync failed). What reads committed state and shows
   * it outside the process (an HTTP answer, a message) waits for it first, so nothing a power cut could still take
   * away is ever shown. Absent (PostgreSQL) or null: a commit is durable once visible.
   */
  whenDurable?(): Promise<void> | null;
  /** Waits for the open units of work, then closes the connections the store opened. */
  close(): Promise<void>;
}
