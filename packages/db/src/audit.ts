import { createHash } from "node:crypto";
import { asc, desc, gt, sql } from "drizzle-orm";
import type { AssignmentEventType } from "@countersign/domain";
import type { Queryable } from "./client.js";
import { databaseOf } from "./client.js";
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
  // The lead ministry closes (办结) or reopens a countersigned measure.
  "measure.closed",
  "measure.reopened",
  // A plan is loaded from a document (or created by the coordinator from an imported text), its division of work
  // edited, then issued (立项交办).
  "plan.loaded",
  "plan.created",
  "plan.responsibilities_set",
  "plan.issued",
  // Accounts and access.
  "auth.login",
  "auth.login_failed",
  "auth.logout",
  "access.refused",
  "user.created",
  // An account disabled (every session ended) or enabled again, from the command line.
  "user.disabled",
  "user.enabled",
  // The installation's departments: enabled from the register of departments, added by hand, renamed, retired.
  "department.added",
  "department.renamed",
  "department.retired",
] as const;
export type AuditEventType = (typeof auditEventTypes)[number];

// Every workflow event of the domain must be listed above (a compile-time check).
type MissingWorkflowEvents = Exclude<AssignmentEventType, AuditEventType>;
const workflowEventsListed: [MissingWorkflowEvents] extends [never] ? true : MissingWorkflowEvents = true;
void workflowEventsListed;

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

/**
 * Appends one event to the chain. Call it inside the write transaction of the change it records, so that both
 * commit or neither does (the transaction's write lock also serialises `seq`).
 */
export function appendAuditEvent(tx: Queryable, input: AuditEventInput): AuditEventRow {
  const statements = auditStatements(tx);
  const head = statements.head.get();
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
  const row = statements.insert.get({ ...unhashed, hash: auditEventHash(unhashed) });
  if (row === undefined) throw new Error("the audit event was not written");
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

export type AuditChainVerdict =
  | { ok: true; events: number; headHash: string }
  | {
      ok: false;
      events: number;
      /** The first event that does not verify (its id and seq as stored). */
      firstBroken: { id: number; seq: number };
      /** `tail_missing`: ids were given out past the last stored event, i.e. the newest events were deleted. */
      reason: "hash_mismatch" | "prev_hash_mismatch" | "seq_gap" | "tail_missing";
    };

/**
 * Walks the whole chain in `seq` order and names the first event that does not verify. A chain alone cannot show
 * its newest events deleted; the table's AUTOINCREMENT counter can (ids given out past the last one stored).
 */
export function verifyAuditChain(db: Queryable, batchSize = 5000): AuditChainVerdict {
  let prevHash = genesisHash;
  let expectedSeq = 1;
  let count = 0;
  let lastSeq = 0;
  for (;;) {
    const batch = db
      .select()
      .from(auditEventsTable)
      .where(gt(auditEventsTable.seq, lastSeq))
      .orderBy(asc(auditEventsTable.seq))
      .limit(batchSize)
      .all();
    if (batch.length === 0) break;
    for (const row of batch) {
      const broken = { id: row.id, seq: row.seq };
      if (row.seq !== expectedSeq) return { ok: false, events: count, firstBroken: broken, reason: "seq_gap" };
      if (row.prevHash !== prevHash)
        return { ok: false, events: count, firstBroken: broken, reason: "prev_hash_mismatch" };
      const { id: _id, hash, ...content } = row;
      if (auditEventHash(content) !== hash)
        return { ok: false, events: count, firstBroken: broken, reason: "hash_mismatch" };
      prevHash = hash;
      expectedSeq += 1;
      count += 1;
      lastSeq = row.seq;
    }
  }
  const counter = db.get<{ seq: number } | undefined>(sql`select seq from sqlite_sequence where name = 'audit_events'`);
  const lastId = db.get<{ id: number | null }>(sql`select max(id) as id from audit_events`).id ?? 0;
  if (counter !== undefined && counter.seq > lastId) {
    return { ok: false, events: count, firstBroken: { id: lastId + 1, seq: count + 1 }, reason: "tail_missing" };
  }
  return { ok: true, events: count, headHash: prevHash };
}
