import { createHash } from "node:crypto";
import { asc, desc, eq, gt, sql } from "drizzle-orm";
import type { AssignmentEventType, AuditEventSchemaType } from "@countersign/domain";
import type { Queryable } from "./client.js";
import { databaseOf } from "./client.js";
import { auditChainHeadTable } from "./schema/audit-chain-head.js";
import { auditEventsTable } from "./schema/audit-events.js";

/** Closed list of audit event types. Names are stable: they are stored, hashed and exported. */
export const auditEventTypes = [
  // An assignment's workflow, as the domain's transition function names its events.
  "assignment.issued",
  "assignment.accepted",
  "assignment.declined",
  "assignment.progress_reported",
  "assignment.signed_off",
  "assignment.extension_requested",
  "assignment.commented",
  "assignment.reassigned",
  "assignment.reaffirmed",
  "assignment.returned",
  "assignment.withdrawn",
  "assignment.reminded",
  "assignment.extension_approved",
  "assignment.extension_refused",
  "assignment.lead_reopened",
  // Inside a department (issue 15, point 2): 分办 to a division and handler; a sign-off or extension request drafted
  // for the department leader's approval, and sent back by the leader with a reason.
  "assignment.handler_assigned",
  "assignment.approval_requested",
  "assignment.approval_rejected",
  // Changes of an issued plan (packages/domain/src/plan-change.ts): a measure's deadline, a department's role.
  "assignment.deadline_changed",
  "assignment.role_changed",
  // The lead ministry closes (办结) or reopens a countersigned measure.
  "measure.closed",
  "measure.reopened",
  // A plan is loaded from a document (or created by the coordinator from an imported text), its division of work
  // edited, then issued (立项交办).
  "plan.loaded",
  "plan.created",
  "plan.responsibilities_set",
  "plan.issued",
  // The coordinator adds the plan's text in its other language (aligned by measure number).
  "plan.translation_added",
  // The coordinator withdrew (撤销) a whole issued plan.
  "plan.withdrawn",
  // Accounts and access.
  "auth.login",
  "auth.login_failed",
  "auth.logout",
  "access.refused",
  "user.created",
  // An account disabled (every session ended) or enabled again, from the command line.
  "user.disabled",
  "user.enabled",
  // Administration (issue 15): an account's names, role, department or sign-in identity changed; a one-time
  // password-reset code issued, then redeemed by the owner; a session ended by an administrator or its owner; the
  // owner's own password change.
  "user.updated",
  "user.password_reset_issued",
  "user.password_reset_redeemed",
  "user.password_changed",
  "user.session_ended",
  // Single sign-on (OpenID Connect): signed in through the identity provider, or refused (no such account, disabled,
  // or the provider's answer failed its checks).
  "auth.sso_login",
  "auth.sso_refused",
  // The installation's departments: enabled from the register of departments, added by hand, renamed, retired.
  "department.added",
  "department.renamed",
  "department.retired",
  // Reporting rounds (定期调度, issue 14): a round opened (by the coordinator or by the scheduler repeating one) and
  // closed; a department's report on one assignment saved as a draft, submitted, returned, the department reminded.
  "round.opened",
  "round.closed",
  "round_report.draft_saved",
  "round_report.submitted",
  "round_report.returned",
  "round_report.reminded",
  // Where the department requires its leader's approval (issue 15, point 2): a report submitted to the leader, and
  // the leader's approval (it is submitted then) or return inside the department.
  "round_report.approval_requested",
  "round_report.approved",
  "round_report.rejected",
  // A file attached by mistake, superseded by a later one (files are never changed or deleted).
  "attachment.superseded",
  // Inside a department (issue 15, point 2): a division made or renamed, an account's part in its department changed,
  // the department's rule on its leader's approval changed.
  "division.created",
  "division.renamed",
  "user.department_role_changed",
  "department.leader_approval_set",
  // Down the levels (issue 16): a plan forwarded (转发) to an organisation below, an implementation plan derived from
  // forwarded measures, a local measure added to it.
  "cascade.forwarded",
  "cascade.plan_derived",
  "cascade.local_measure_added",
  // Round reports down the levels (issue 16, point 3): an organisation's report to the round one level up saved,
  // submitted for sign-off, signed off (it goes up then), sent back inside the office, returned by the level above.
  "level_report.draft_saved",
  "level_report.sign_off_requested",
  "level_report.submitted",
  "level_report.rejected",
  "level_report.returned",
  // A file of a level report removed or replaced by a new version while the report is a draft or sent back.
  "level_report.file_removed",
  "level_report.file_replaced",
] as const;
export type AuditEventType = (typeof auditEventTypes)[number];

// Every workflow event of the domain must be listed above (a compile-time check).
type MissingWorkflowEvents = Exclude<AssignmentEventType, AuditEventType>;
const workflowEventsListed: [MissingWorkflowEvents] extends [never] ? true : MissingWorkflowEvents = true;
void workflowEventsListed;
// Every type listed has its payload schema in the domain (audit-events.ts), and every schema is of a listed type.
type UntypedEvents = Exclude<AuditEventType, AuditEventSchemaType> | Exclude<AuditEventSchemaType, AuditEventType>;
const everyEventTyped: [UntypedEvents] extends [never] ? true : UntypedEvents = true;
void everyEventTyped;

export type AuditPayload = Record<string, string | number | boolean | null>;

export interface AuditEventInput {
  /** UTC ISO timestamp. */
  at: string;
  type: AuditEventType;
  actorUserId: number | null;
  actorUsername: string | null;
  actorRole: string | null;
  actorDepartment: string | null;
  planId?: number | null;
  measureNumber?: number | null;
  assignmentId?: number | null;
  department?: string | null;
  fromStatus?: string | null;
  toStatus?: string | null;
  payload?: AuditPayload;
}

export type AuditEventRow = typeof auditEventsTable.$inferSelect;

/** The hash of the event before the first one. */
export const genesisHash = "0".repeat(64);

/** JSON with object keys sorted at every level: one text for one value. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

/** The hashed content of an event, in a fixed order. Changing this breaks every stored chain: don't. */
export function auditEventHash(event: Omit<AuditEventRow, "id" | "hash">): string {
  const content = [
    event.seq,
    event.at,
    event.type,
    event.actorUserId,
    event.actorUsername,
    event.actorRole,
    event.actorDepartment,
    event.planId,
    event.measureNumber,
    event.assignmentId,
    event.department,
    event.fromStatus,
    event.toStatus,
    event.payload,
    event.prevHash,
  ];
  return createHash("sha256").update(JSON.stringify(content)).digest("hex");
}

/** The chain's newest event (its seq and hash), or null when the chain is empty. */
export interface AuditChainHead {
  seq: number;
  hash: string;
}

/**
 * The row to store for `input` after `head` (null: the first event): the next `seq`, `prevHash`, canonical payload
 * and `hash`. Engine-neutral: both stores append exactly this row, so a chain copied between engines verifies.
 */
export function nextAuditEventRow(input: AuditEventInput, head: AuditChainHead | null): Omit<AuditEventRow, "id"> {
  const unhashed = {
    seq: (head?.seq ?? 0) + 1,
    at: input.at,
    type: input.type,
    actorUserId: input.actorUserId,
    actorUsername: input.actorUsername,
    actorRole: input.actorRole,
    actorDepartment: input.actorDepartment,
    planId: input.planId ?? null,
    measureNumber: input.measureNumber ?? null,
    assignmentId: input.assignmentId ?? null,
    department: input.department ?? null,
    fromStatus: input.fromStatus ?? null,
    toStatus: input.toStatus ?? null,
    payload: canonicalJson(input.payload ?? {}),
    prevHash: head?.hash ?? genesisHash,
  };
  return { ...unhashed, hash: auditEventHash(unhashed) };
}

/**
 * Appends one event to the chain. Call it inside the write transaction of the change it records, so that both
 * commit or neither does (the transaction's write lock also serialises `seq`).
 */
export function appendAuditEvent(tx: Queryable, input: AuditEventInput): AuditEventRow {
  const statements = auditStatements(tx);
  const row = statements.insert.get(nextAuditEventRow(input, statements.head.get() ?? null));
  if (row === undefined) throw new Error("the audit event was not written");
  statements.moveHead.run({ seq: row.seq, hash: row.hash, updatedAt: row.at });
  return row;
}

const P = sql.placeholder;

function prepareAuditStatements(db: Queryable) {
  const e = auditEventsTable;
  return {
    head: db.select({ seq: e.seq, hash: e.hash }).from(e).orderBy(desc(e.seq)).limit(1).prepare(),
    insert: db
      .insert(e)
      .values({
        seq: P("seq"),
        at: P("at"),
        type: P("type"),
        actorUserId: P("actorUserId"),
        actorUsername: P("actorUsername"),
        actorRole: P("actorRole"),
        actorDepartment: P("actorDepartment"),
        planId: P("planId"),
        measureNumber: P("measureNumber"),
        assignmentId: P("assignmentId"),
        department: P("department"),
        fromStatus: P("fromStatus"),
        toStatus: P("toStatus"),
        payload: P("payload"),
        prevHash: P("prevHash"),
        hash: P("hash"),
      })
      .returning()
      .prepare(),
    moveHead: db
      .insert(auditChainHeadTable)
      .values({ id: 1, seq: P("seq"), hash: P("hash"), updatedAt: P("updatedAt") })
      .onConflictDoUpdate({
        target: auditChainHeadTable.id,
        set: { seq: sql`excluded.seq`, hash: sql`excluded.hash`, updatedAt: sql`excluded.updated_at` },
      })
      .prepare(),
  };
}

// Every change appends an event: its two statements are built and prepared once per database (building them cost
// more than running them), and run inside the caller's transaction on the same connection.
const preparedAudit = new WeakMap<Queryable, ReturnType<typeof prepareAuditStatements>>();
function auditStatements(tx: Queryable): ReturnType<typeof prepareAuditStatements> {
  const db = databaseOf(tx);
  let statements = preparedAudit.get(db);
  if (statements === undefined) {
    statements = prepareAuditStatements(db);
    preparedAudit.set(db, statements);
  }
  return statements;
}

/** Why the chain itself does not verify at an event. */
export type AuditChainBreakReason =
  /** The event's content no longer matches its hash: edited. */
  | "hash_mismatch"
  /** The event does not name the previous event's hash: reordered, replaced or inserted. */
  | "prev_hash_mismatch"
  /** A sequence number is missing: an event was deleted. */
  | "seq_gap"
  /** Ids do not increase with `seq` (every reader orders by id): ids were swapped or rewritten. */
  | "id_order";

/** Why the end of the trail does not match its head. */
export type AuditTailBreakReason =
  /** The head (or the id counter) is past the last stored event: the newest events were deleted. */
  | "tail_missing"
  /** The head names the last event's seq with another hash: the last event was replaced. */
  | "head_mismatch"
  /** Events are stored past the head: appended outside the server (which moves the head with each append). */
  | "head_behind"
  /** Events are stored but the head row is gone. */
  | "head_missing";

export interface AuditChainWalk {
  /** Events that verified in one unbroken run from the start (or from `from`), counting those before `from`. */
  events: number;
  /** The last of those events; `from` (or null) when none was walked. */
  verifiedHead: { seq: number; hash: string } | null;
  /** The first event, in `seq` order, where the chain breaks. */
  chain: { id: number; seq: number; reason: AuditChainBreakReason } | null;
  /** Whether the stored end of the trail matches the chain head. `seq`: the first event that is missing or extra. */
  tail: { id: number | null; seq: number; reason: AuditTailBreakReason } | null;
  /** The last stored event. */
  last: { id: number; seq: number; hash: string } | null;
}

export interface AuditChainWalkOptions {
  /** Walk only the events after this one, already verified (its hash is taken as the chain so far). */
  from?: { seq: number; hash: string } | undefined;
  /** Called with every stored event after `from`, in `seq` order, broken or not (for the state replay). */
  onEvent?: ((row: AuditEventRow) => void) | undefined;
  batchSize?: number | undefined;
}

/**
 * Checks a chain fed in `seq` order, row by row or batch by batch, with the same rules on every engine: `seq` without
 * gaps from 1 (or from `from`), ids increasing with `seq` (readers order by id, so swapped ids would reorder history),
 * each `prevHash` the hash before it, each `hash` recomputed with `auditEventHash`. Keeps the first break and goes on
 * counting nothing after it, so a caller can still feed every row to a state replay.
 */
export class AuditChainWalker {
  private prevHash: string;
  private prevId: number;
  private expectedSeq: number;
  private beforePrevious: { seq: number; hash: string } | null;
  /** Events that verified in one unbroken run, counting those before `from`. */
  events: number;
  /** The last of those events; `from` (or null) when none was walked. */
  verifiedHead: { seq: number; hash: string } | null;
  /** The first event where the chain breaks, or null. */
  broken: { id: number; seq: number; reason: AuditChainBreakReason } | null = null;
  /** The last event fed. */
  last: { id: number; seq: number; hash: string } | null = null;
  /** The seq of the last event fed (0 before the first): read the next batch after it. */
  lastSeq: number;

  /** `from`: an event already verified, with its id (`fromId`), to walk only the events after it. */
  constructor(from?: { seq: number; hash: string }, fromId = 0) {
    this.prevHash = from?.hash ?? genesisHash;
    this.prevId = fromId;
    this.expectedSeq = (from?.seq ?? 0) + 1;
    this.events = from?.seq ?? 0;
    this.verifiedHead = from ?? null;
    this.beforePrevious = this.verifiedHead;
    this.lastSeq = from?.seq ?? 0;
  }

  /** Feeds rows in `seq` order; answers the first break of the chain so far, or null. */
  next(rows: readonly AuditEventRow[]): { id: number; seq: number; reason: AuditChainBreakReason } | null {
    for (const row of rows) this.feed(row);
    return this.broken;
  }

  private feed(row: AuditEventRow): void {
    this.last = { id: row.id, seq: row.seq, hash: row.hash };
    this.lastSeq = row.seq;
    if (this.broken !== null) return;
    const at = { id: row.id, seq: row.seq };
    if (row.seq !== this.expectedSeq) this.broken = { ...at, reason: "seq_gap" };
    else if (row.id <= this.prevId) {
      // Ids out of order: the earlier of the two events is named, and it no longer counts as verified.
      this.broken = { id: this.prevId, seq: row.seq - 1, reason: "id_order" };
      this.events -= 1;
      this.verifiedHead = this.beforePrevious;
    } else if (row.prevHash !== this.prevHash) this.broken = { ...at, reason: "prev_hash_mismatch" };
    else {
      const { id: _id, hash, ...content } = row;
      if (auditEventHash(content) !== hash) this.broken = { ...at, reason: "hash_mismatch" };
    }
    if (this.broken !== null) return;
    this.beforePrevious = this.verifiedHead;
    this.prevHash = row.hash;
    this.prevId = row.id;
    this.expectedSeq += 1;
    this.events += 1;
    this.verifiedHead = { seq: row.seq, hash: row.hash };
  }

  /**
   * The verdict once every stored event was fed: the chain's first break, else `tail` (the end of the trail
   * against the store's chain head and id counter, which each engine checks itself).
   */
  verdict(tail: AuditChainWalk["tail"]): AuditChainVerdict {
    const broken = this.broken ?? tail;
    if (broken !== null) {
      return { ok: false, events: this.events, firstBroken: { id: broken.id ?? 0, seq: broken.seq }, reason: broken.reason };
    }
    return { ok: true, events: this.events, headHash: this.verifiedHead?.hash ?? genesisHash };
  }
}

/**
 * Walks the chain in `seq` order from the start (or from `from`), naming the first event that does not verify,
 * and compares the end of the trail with the chain head (kept apart) and the table's AUTOINCREMENT counter. Keeps
 * reading after a break so that `onEvent` sees every event.
 */
export function walkAuditChain(db: Queryable, options: AuditChainWalkOptions = {}): AuditChainWalk {
  const batchSize = options.batchSize ?? 5000;
  const from = options.from;
  const fromId =
    from === undefined
      ? 0
      : (db.select({ id: auditEventsTable.id }).from(auditEventsTable).where(eq(auditEventsTable.seq, from.seq)).get()?.id ?? 0);
  const walker = new AuditChainWalker(from, fromId);
  for (;;) {
    const batch = db
      .select()
      .from(auditEventsTable)
      .where(gt(auditEventsTable.seq, walker.lastSeq))
      .orderBy(asc(auditEventsTable.seq))
      .limit(batchSize)
      .all();
    if (batch.length === 0) break;
    if (options.onEvent !== undefined) for (const row of batch) options.onEvent(row);
    walker.next(batch);
  }
  let last = walker.last;
  if (last === null && from !== undefined) {
    const stored = db
      .select({ id: auditEventsTable.id, seq: auditEventsTable.seq, hash: auditEventsTable.hash })
      .from(auditEventsTable)
      .orderBy(desc(auditEventsTable.seq))
      .limit(1)
      .get();
    last = stored ?? null;
  }
  return { events: walker.events, verifiedHead: walker.verifiedHead, chain: walker.broken, tail: checkTail(db, last), last };
}

/**
 * 2 when the database has the chain head and each comment's holder department (migration 0004), 1 before: a file
 * opened read-only without migrating (an old backup) is checked without them.
 */
export function auditFormatOf(db: Queryable): 1 | 2 {
  const row = db.get<{ n: number }>(sql`select count(*) as n from sqlite_master where type = 'table' and name = 'audit_chain_head'`);
  return row.n > 0 ? 2 : 1;
}

/**
 * The end of the trail against the `audit_chain_head` row, the same rule on every engine: `head` is the row (undefined:
 * none), `last` the last stored event in `seq` order (null: none). A head past the last event: the newest events were
 * deleted; behind it: events appended outside the server; the same `seq` with another hash: the last event replaced;
 * no head while events are stored: the head deleted. Null when they agree.
 */
export function auditTailAgainstHead(head: AuditChainHead | undefined, last: AuditChainWalk["last"]): AuditChainWalk["tail"] {
  const lastSeq = last?.seq ?? 0;
  if (head === undefined) return last !== null ? { id: null, seq: 1, reason: "head_missing" } : null;
  if (head.seq > lastSeq) return { id: null, seq: lastSeq + 1, reason: "tail_missing" };
  if (head.seq < lastSeq) return { id: null, seq: head.seq + 1, reason: "head_behind" };
  if (last !== null && head.hash !== last.hash) return { id: last.id, seq: last.seq, reason: "head_mismatch" };
  return null;
}

/** The end of the trail against the chain head row (format 2) and the id counter (SQLite's tail rule). */
export function checkTail(db: Queryable, last: AuditChainWalk["last"]): AuditChainWalk["tail"] {
  const lastSeq = last?.seq ?? 0;
  if (auditFormatOf(db) === 2) {
    const head = db.select().from(auditChainHeadTable).where(eq(auditChainHeadTable.id, 1)).get();
    const tail = auditTailAgainstHead(head, last);
    if (tail !== null) return tail;
  }
  // SQLite's counter is transactional (a rolled-back insert does not advance it): only deleted rows leave it ahead.
  const counter = db.get<{ seq: number } | undefined>(sql`select seq from sqlite_sequence where name = 'audit_events'`);
  const lastId = db.get<{ id: number | null }>(sql`select max(id) as id from audit_events`).id ?? 0;
  if (counter !== undefined && counter.seq > lastId) return { id: lastId + 1, seq: lastSeq + 1, reason: "tail_missing" };
  return null;
}

export type AuditChainVerdict =
  | { ok: true; events: number; headHash: string }
  | {
      ok: false;
      events: number;
      /** The first event that does not verify (its id and seq as stored; the tail's first missing seq). */
      firstBroken: { id: number; seq: number };
      reason: AuditChainBreakReason | AuditTailBreakReason;
    };

/** The whole chain and its tail in one verdict: the first break of the chain, else of the tail. */
export function verifyAuditChain(db: Queryable, batchSize = 5000): AuditChainVerdict {
  const walk = walkAuditChain(db, { batchSize });
  const broken = walk.chain ?? walk.tail;
  if (broken !== null) {
    return { ok: false, events: walk.events, firstBroken: { id: broken.id ?? 0, seq: broken.seq }, reason: broken.reason };
  }
  return { ok: true, events: walk.events, headHash: walk.verifiedHead?.hash ?? genesisHash };
}
