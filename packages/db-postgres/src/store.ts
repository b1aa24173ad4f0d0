import { setTimeout as sleep } from "node:timers/promises";
import { and, desc, eq, sql } from "drizzle-orm";
import {
  assertNotInsideUnitOfWork,
  auditEventHash,
  genesisHash,
  assignmentCountMismatchesSql,
  insideUnitOfWork,
  nextAuditEventRow,
  StaleVersionError,
} from "@countersign/db";
import type {
  AuditChainHead,
  AuditEventInput,
  AuditEventRow,
  ChangeSet,
  CountMismatch,
  LiveEvent,
  Store,
  StoreTransaction,
  TransactionOptions,
} from "@countersign/db";
import type { PostgresConnection, PostgresDb } from "./connect.js";
import { walkAuditChain } from "./audit-snapshot.js";
import { PostgresLiveEventBus } from "./live-bus.js";
import { postgresRepositories } from "./repos/repositories.js";
import { assignmentsTable } from "./schema/assignments.js";
import { auditChainHeadTable } from "./schema/audit-chain-head.js";
import { auditEventsTable } from "./schema/audit-events.js";

/** The engine's transaction handed to `fn` as `tx.db`. */
export type PostgresTx = Parameters<Parameters<PostgresDb["transaction"]>[0]>[0];

/** SQLSTATEs after which the whole unit of work is run again: serialization_failure and deadlock_detected. */
export const retryableSqlStates: readonly string[] = ["40001", "40P01"];

/** The SQLSTATE of a node-postgres error, also when drizzle wrapped it (`cause`); undefined for other errors. */
export function sqlState(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e !== null && typeof e === "object" && depth < 5; depth += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

export interface PostgresStoreOptions {
  /** Attempts of one unit of work when it fails to serialise (default 5, at least 1). */
  maxAttempts?: number;
  /** The bus to announce on; by default one on the connection's URL and pool. */
  live?: PostgresLiveEventBus;
  /** Called before each retry, with the attempt that failed (1-based) and its SQLSTATE (logs, tests). */
  onRetry?: (attempt: number, state: string) => void;
}

/** A row of audit_events as `appendInOneStatement` reads it back (column names), with the head rows it moved. */
interface AppendedRow extends Record<string, unknown> {
  id: number;
  seq: number;
  at: string;
  type: AuditEventRow["type"];
  actor_user_id: number | null;
  actor_username: string | null;
  actor_role: string | null;
  actor_department: string | null;
  plan_id: number | null;
  measure_number: number | null;
  assignment_id: number | null;
  department: string | null;
  from_status: string | null;
  to_status: string | null;
  payload: string;
  prev_hash: string;
  hash: string;
  moved: number;
}

/**
 * The PostgreSQL adapter of the store port (rules in packages/db/src/store/ports.ts).
 *
 * A unit of work is one drizzle transaction on one pooled connection, at "read committed" unless asked otherwise.
 * When it fails with SQLSTATE 40001 or 40P01 it is rolled back and `fn` runs again from the start, up to
 * `maxAttempts` times with a growing random pause; the last failure is rethrown. Several units of work run at once
 * (one connection each): what must be ordered is ordered by the database, never by this process:
 * - the audit chain: `appendAuditEvent` locks the single `audit_chain_head` row `FOR UPDATE`, so appends take turns
 *   until commit and each reads the head the previous one committed;
 * - assignments: `commit` updates `WHERE id = ? AND version = ?`, so of two racing changes one wins and the other
 *   gets `StaleVersionError`;
 * - live events queued with `tx.afterCommit` are NOTIFYed inside the transaction, so they reach every instance
 *   when, and only if, it commits, each with an id taken at the end of the unit of work under a lock held to its
 *   commit (the same id on every instance, in commit order: live-bus.ts `notifyCommitted`); a unit of work that
 *   announces nothing but wrote NOTIFYs a bare commit, so every instance's data version (answer caches) moves.
 */
export function createPostgresStore(connection: PostgresConnection, options: PostgresStoreOptions = {}): Store<PostgresTx> {
  const { db } = connection;
  const live = options.live ?? new PostgresLiveEventBus(connection.url, connection.pool);
  const maxAttempts = Math.max(1, options.maxAttempts ?? 5);
  let open = 0;
  const poolRepos = postgresRepositories(db);
  let idle: (() => void) | null = null;

  /**
   * The head row, locked until commit. With no row (before the first event, or the row deleted) it is written first
   * from the last stored event, or as the genesis (seq 0), and this append moves it on: SQLite's append reads its
   * head from the last event and writes the row back the same way.
   */
  async function lockedHead(tx: PostgresTx): Promise<AuditChainHead> {
    const [head] = await tx.select().from(auditChainHeadTable).for("update");
    if (head !== undefined) return head;
    const [last] = await tx
      .select({ seq: auditEventsTable.seq, hash: auditEventsTable.hash, at: auditEventsTable.at })
      .from(auditEventsTable)
      .orderBy(desc(auditEventsTable.seq))
      .limit(1);
    // Two such appends at once: the second waits on the first one's row, then finds it (read committed) or is
    // refused with SQLSTATE 40001 (repeatable read, serializable) and run again.
    await tx
      .insert(auditChainHeadTable)
      .values({ id: 1, seq: last?.seq ?? 0, hash: last?.hash ?? genesisHash, updatedAt: last?.at ?? "" })
      .onConflictDoNothing({ target: auditChainHeadTable.id });
    const [created] = await tx.select().from(auditChainHeadTable).for("update");
    if (created === undefined) throw new Error("audit_chain_head has no row after it was written");
    return created;
  }

  /**
   * The usual append in ONE statement (issue 17, writes on PostgreSQL): the head row locked (FOR UPDATE), the event
   * inserted after it with its hash computed by PostgreSQL, and the head moved, so that no round trip between this
   * process and the database is made while this unit of work holds the head's lock and has not yet sent its insert.
   * The hash is the same as `auditEventHash`: sha256 (hex) of the JSON array of the event's fields, of which this
   * process writes every field's JSON but the first (seq) and the last (prev_hash), which PostgreSQL puts in from the
   * locked head; the row that comes back is checked against `auditEventHash` before the unit of work goes on.
   * Returns null (nothing written) when the head has no row: the caller then appends by `appendWithHeadRead`.
   */
  async function appendInOneStatement(tx: PostgresTx, input: AuditEventInput): Promise<AuditEventRow | null> {
    const e = nextAuditEventRow(input, null);
    const middle = JSON.stringify([
      e.at,
      e.type,
      e.actorUserId,
      e.actorUsername,
      e.actorRole,
      e.actorDepartment,
      e.planId,
      e.measureNumber,
      e.assignmentId,
      e.department,
      e.fromStatus,
      e.toStatus,
      e.payload,
    ]).slice(1, -1);
    const result = await tx.execute<AppendedRow>(sql`with "head" as (select "seq", "hash" from "audit_chain_head" where "id" = 1 for update),
      "appended" as (
        insert into "audit_events" ("seq", "at", "type", "actor_user_id", "actor_username", "actor_role", "actor_department",
          "plan_id", "measure_number", "assignment_id", "department", "from_status", "to_status", "payload", "prev_hash", "hash")
        select "head"."seq" + 1, ${e.at}::text, ${e.type}::text, ${e.actorUserId}::integer, ${e.actorUsername}::text, ${e.actorRole}::text,
          ${e.actorDepartment}::text, ${e.planId}::integer, ${e.measureNumber}::integer, ${e.assignmentId}::integer, ${e.department}::text,
          ${e.fromStatus}::text, ${e.toStatus}::text, ${e.payload}::text, "head"."hash",
          encode(sha256(convert_to('[' || ("head"."seq" + 1) || ',' || ${middle}::text || ',"' || "head"."hash" || '"]', 'UTF8')), 'hex')
        from "head"
        returning *),
      "moved" as (update "audit_chain_head" set "seq" = "appended"."seq", "hash" = "appended"."hash", "updated_at" = "appended"."at"
        from "appended" where "audit_chain_head"."id" = 1 returning "audit_chain_head"."id")
      select "appended".*, (select count(*) from "moved")::integer as "moved" from "appended"`);
    const row = result.rows[0];
    if (row === undefined) return null;
    const stored: AuditEventRow = {
      id: row.id,
      seq: row.seq,
      at: row.at,
      type: row.type,
      actorUserId: row.actor_user_id,
      actorUsername: row.actor_username,
      actorRole: row.actor_role,
      actorDepartment: row.actor_department,
      planId: row.plan_id,
      measureNumber: row.measure_number,
      assignmentId: row.assignment_id,
      department: row.department,
      fromStatus: row.from_status,
      toStatus: row.to_status,
      payload: row.payload,
      prevHash: row.prev_hash,
      hash: row.hash,
    };
    // Thrown inside the unit of work, so nothing of it commits.
    if (row.moved !== 1) throw new Error("the audit chain head did not move with its event");
    if (auditEventHash(stored) !== stored.hash) throw new Error("the audit event's hash computed by PostgreSQL differs from auditEventHash");
    return stored;
  }

  /** The append with the head read first (when the head has no row yet: see `lockedHead`). */
  async function appendWithHeadRead(tx: PostgresTx, input: AuditEventInput): Promise<AuditEventRow> {
    const head = await lockedHead(tx);
    const row = nextAuditEventRow(input, head);
    // The head moved in the same statement as the insert (a data-modifying WITH runs whether or not it is read).
    const moved = tx.$with("moved_head").as(
      tx
        .update(auditChainHeadTable)
        .set({ seq: row.seq, hash: row.hash, updatedAt: row.at })
        .where(eq(auditChainHeadTable.id, 1))
        .returning({ id: auditChainHeadTable.id }),
    );
    const [stored] = await tx.with(moved).insert(auditEventsTable).values(row).returning();
    if (stored === undefined) throw new Error("the audit event was not written");
    return stored;
  }

  async function appendAuditEvent(tx: PostgresTx, input: AuditEventInput): Promise<AuditEventRow> {
    return (await appendInOneStatement(tx, input)) ?? appendWithHeadRead(tx, input);
  }

  async function attempt<T>(fn: (tx: StoreTransaction<PostgresTx>) => Promise<T>, options: TransactionOptions): Promise<T> {
    return db.transaction(
      async (dbTx) => {
        const events: LiveEvent[] = [];
        let ended = false;
        const ensureOpen = () => {
          if (ended) throw new Error("this unit of work has ended: its transaction cannot be used any more");
        };
        const tx: StoreTransaction<PostgresTx> = {
          engine: "postgres",
          db: dbTx,
          repos: postgresRepositories(dbTx),
          appendAuditEvent: async (input) => {
            ensureOpen();
            return appendAuditEvent(dbTx, input);
          },
          commit: async (changes: ChangeSet) => {
            ensureOpen();
            for (const change of changes.assignments ?? []) {
              const updated = await dbTx
                .update(assignmentsTable)
                .set({ ...change.set, version: change.expectedVersion + 1 })
                .where(and(eq(assignmentsTable.id, change.id), eq(assignmentsTable.version, change.expectedVersion)))
                .returning({ id: assignmentsTable.id });
              if (updated.length === 0) throw new StaleVersionError(change.id, change.expectedVersion);
            }
            const rows: AuditEventRow[] = [];
            for (const input of changes.auditEvents ?? []) rows.push(await appendAuditEvent(dbTx, input));
            if (changes.live !== undefined) events.push(changes.live);
            return rows;
          },
          afterCommit: (event) => {
            ensureOpen();
            events.push(event);
          },
        };
        try {
          const value = await fn(tx);
          // Last, so that the ids' lock is held only from here to the commit; with no event, a commit notification
          // if the unit of work wrote (other instances' answer caches follow every commit).
          await live.notifyWithin(dbTx, events);
          return value;
        } finally {
          ended = true;
        }
      },
      { isolationLevel: options.isolation ?? "read committed" },
    );
  }

  return {
    engine: "postgres",
    live,
    async transaction(fn, transactionOptions = {}) {
      assertNotInsideUnitOfWork();
      open += 1;
      try {
        return await insideUnitOfWork(async () => {
          for (let n = 1; ; n += 1) {
            try {
              return await attempt(fn, transactionOptions);
            } catch (error) {
              const state = sqlState(error);
              if (state === undefined || !retryableSqlStates.includes(state) || n >= maxAttempts) throw error;
              options.onRetry?.(n, state);
              // A growing, random pause so that the same two units of work do not collide again at once.
              await sleep(Math.round(Math.random() * 10 * 2 ** n));
            }
          }
        });
      } finally {
        open -= 1;
        if (open === 0) idle?.();
      }
    },
    async read(fn) {
      assertNotInsideUnitOfWork();
      return fn(poolRepos);
    },
    async readSnapshot(fn) {
      assertNotInsideUnitOfWork();
      return db.transaction(async (tx) => fn(postgresRepositories(tx)), { isolationLevel: "repeatable read", accessMode: "read only" });
    },
    async verifyAuditChain() {
      return db.transaction(walkAuditChain, { isolationLevel: "repeatable read", accessMode: "read only" });
    },
    async dataVersion() {
      // From memory: the commit notifications this instance's bus heard (see PostgresLiveEventBus.dataVersion).
      return live.dataVersion();
    },
    async checkAssignmentCounts() {
      const result = await db.execute<{ department: string; plan_id: number; status: string; kept: number | null; actual: number }>(
        sql.raw(assignmentCountMismatchesSql),
      );
      return result.rows.map(
        (r): CountMismatch => ({ department: r.department, planId: r.plan_id, status: r.status, kept: r.kept, actual: r.actual }),
      );
    },
    async close() {
      if (open > 0) await new Promise<void>((resolve) => (idle = resolve));
      await live.close();
    },
  };
}
