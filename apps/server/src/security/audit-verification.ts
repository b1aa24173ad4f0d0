import { asc, eq, gt, sql } from "drizzle-orm";
import { applyEvent, assignmentDivergence, commentsDivergence, unreplayedAssignment } from "@countersign/domain";
import type { ReplayedAssignment, StoredComment } from "@countersign/domain";
import { auditEventHash, auditFormatOf, databaseOf, walkAuditChain } from "@countersign/db";
import type { AuditChainBreakReason, AuditEventRow, AuditTailBreakReason, Queryable } from "@countersign/db";
import { assignmentsTable, auditEventsTable, commentsTable } from "@countersign/db/schema";

export type AuditBreak =
  | AuditChainBreakReason
  | AuditTailBreakReason
  /** The event named by an anchor or checkpoint noted earlier is gone or has another hash: the chain was rewritten. */
  | "anchor_mismatch"
  /** The event the server verified last time is gone or has another hash (incremental check). */
  | "verified_checkpoint_mismatch"
  /** An assignment as stored differs from the state its events replay to. */
  | "state_mismatch"
  /** A comment as stored differs from its `assignment.commented` event (or has none). */
  | "comment_mismatch";

/** One divergence, in words naming it. */
export interface AuditDivergence {
  /** The event concerned (for a state divergence: the assignment's last event, 0 when it has none). */
  id: number | null;
  seq: number;
  reason: AuditBreak;
  message: string;
  /** For a state divergence: the assignment (and comment) concerned. */
  assignmentId?: number;
  commentId?: number;
}

export interface AuditVerification {
  ok: boolean;
  /**
   * `full`: every event from the first, and the chain head; `incremental`: only the events after the last point the
   * server verified (kept in its memory), and the chain head. The first check after a start is a full walk.
   */
  mode: "full" | "incremental";
  /** The seq verified before this check started (0 for a full walk). */
  from: number;
  /** Events that verified, from the first; all of them when `ok`. */
  events: number;
  /** The last event that verified: note it elsewhere (e.g. `cli audit checkpoint`) to check later. */
  head: { seq: number; hash: string } | null;
  /** The first divergence: of the chain, else its tail, else a noted anchor, else the state. Null when `ok`. */
  firstBroken: AuditDivergence | null;
  /** The first divergence of each kind; `state` is null when `stateChecked` is false (not looked at). */
  divergences: { chain: AuditDivergence | null; tail: AuditDivergence | null; anchor: AuditDivergence | null; state: AuditDivergence | null };
  /** Whether every assignment and comment was compared with its replayed events: only when `full: true` was asked. */
  stateChecked: boolean;
  checkedAt: string;
}

export interface VerifyOptions {
  /**
   * Walk everything and replay the state (the command line, or `audit.verify` with `full: true`); otherwise resume
   * from the last verified point.
   */
  full?: boolean;
  /** An event noted earlier (`--anchor`, or a checkpoint file whose signature was checked). */
  anchor?: { seq: number; hash: string } | undefined;
}

// The last point each database's trail verified at, in this process only: an attacker with the file cannot move it.
const verifiedPoints = new WeakMap<object, { seq: number; hash: string }>();

/**
 * Checks the audit trail. With `full`, it walks the hash chain from the first event (each hash covers the event's seq
 * and content and the previous hash; ids must increase with seq), compares the end with the chain head kept apart,
 * and replays every assignment's events (replay.ts) to compare with the stored assignments and comments. Without it
 * (the tracking page on load), it walks only the events after the point this process last verified, after checking
 * that event is unchanged; with no such point yet, the whole chain (no state replay). Reports the first divergence of
 * each kind.
 */
export function verifyAuditTrail(db: Queryable, now: Date, options: VerifyOptions = {}): AuditVerification {
  const checkedAt = now.toISOString();
  const key = databaseOf(db);
  const point = options.full === true ? undefined : verifiedPoints.get(key);
  const full = point === undefined;

  let pointBroken: AuditDivergence | null = null;
  if (point !== undefined) {
    const row = db.select().from(auditEventsTable).where(eq(auditEventsTable.seq, point.seq)).get();
    const stored = row === undefined ? null : { id: row.id, hash: row.hash };
    // The point's event must still be what was verified: the same hash, and content that still hashes to it.
    const intact = row !== undefined && row.hash === point.hash && auditEventHash(withoutIdAndHash(row)) === row.hash;
    if (!intact) {
      pointBroken = {
        id: stored?.id ?? null,
        seq: point.seq,
        reason: "verified_checkpoint_mismatch",
        message:
          stored === null
            ? `Event ${point.seq}, verified earlier, is no longer in the trail.`
            : `Event ${point.seq} (id ${stored.id}) is no longer the event verified earlier: the trail was altered.`,
      };
    }
  }

  // The state replay is asked for (the command line, `full: true`), never the page-load default: it holds every
  // assignment's state in memory and runs seconds on a national-scale trail.
  const replay = options.full === true ? new Map<number, ReplayedAssignment>() : null;
  const lastSeqOf = new Map<number, { id: number; seq: number }>();
  const onEvent =
    replay === null
      ? undefined
      : (row: AuditEventRow): void => {
          if (row.assignmentId === null) return;
          const state = replay.get(row.assignmentId) ?? unreplayedAssignment(row.assignmentId);
          replay.set(row.assignmentId, applyEvent(state, trailEventOf(row)));
          lastSeqOf.set(row.assignmentId, { id: row.id, seq: row.seq });
        };
  const walk = walkAuditChain(db, { from: pointBroken === null ? point : undefined, onEvent });

  const chain: AuditDivergence | null =
    pointBroken ??
    (walk.chain === null
      ? null
      : {
          id: walk.chain.id,
          // A gap is named by the missing event, not by the next one stored.
          seq: walk.chain.reason === "seq_gap" ? walk.events + 1 : walk.chain.seq,
          reason: walk.chain.reason,
          message: chainMessage(walk.chain, walk.events),
        });
  const tail: AuditDivergence | null =
    walk.tail === null ? null : { id: walk.tail.id, seq: walk.tail.seq, reason: walk.tail.reason, message: tailMessage(walk.tail, walk.last?.seq ?? 0) };

  let anchor: AuditDivergence | null = null;
  if (options.anchor !== undefined) {
    const noted = eventAt(db, options.anchor.seq);
    if (noted === null || noted.hash !== options.anchor.hash) {
      anchor = {
        id: noted?.id ?? null,
        seq: options.anchor.seq,
        reason: "anchor_mismatch",
        message:
          noted === null
            ? `Event ${options.anchor.seq}, noted earlier, is no longer in the trail.`
            : `Event ${options.anchor.seq} has another hash than the one noted earlier: the chain was rewritten.`,
      };
    }
  }

  const state = replay === null ? null : stateDivergence(db, replay, lastSeqOf);
  const firstBroken = chain ?? tail ?? anchor ?? state;
  const ok = firstBroken === null;
  const head = walk.verifiedHead;
  if (ok && head !== null) verifiedPoints.set(key, head);
  if (!ok) verifiedPoints.delete(key);
  return {
    ok,
    mode: full ? "full" : "incremental",
    from: full ? 0 : (point?.seq ?? 0),
    events: walk.events,
    head,
    firstBroken,
    divergences: { chain, tail, anchor, state },
    stateChecked: replay !== null,
    checkedAt,
  };
}

function withoutIdAndHash(row: AuditEventRow): Omit<AuditEventRow, "id" | "hash"> {
  const { id: _id, hash: _hash, ...content } = row;
  return content;
}

function eventAt(db: Queryable, seq: number): { id: number; hash: string } | null {
  const e = auditEventsTable;
  return db.select({ id: e.id, hash: e.hash }).from(e).where(eq(e.seq, seq)).get() ?? null;
}

function trailEventOf(row: AuditEventRow) {
  let payload: Record<string, unknown> = {};
  try {
    const value: unknown = JSON.parse(row.payload);
    if (value !== null && typeof value === "object" && !Array.isArray(value)) payload = value as Record<string, unknown>;
  } catch {
    // An unreadable payload replays as empty; the chain check names the edited event.
  }
  return {
    seq: row.seq,
    at: row.at,
    type: row.type,
    assignmentId: row.assignmentId,
    measureNumber: row.measureNumber,
    fromStatus: row.fromStatus,
    toStatus: row.toStatus,
    payload,
    department: row.department,
    actorUserId: row.actorUserId,
  };
}

function chainMessage(broken: { id: number; seq: number; reason: AuditChainBreakReason }, verified: number): string {
  const { id, seq } = broken;
  switch (broken.reason) {
    case "hash_mismatch":
      return `Event ${seq} (id ${id}) was altered: its content does not match its hash.`;
    case "prev_hash_mismatch":
      return `Event ${seq} (id ${id}) does not follow event ${seq - 1}: events were reordered, replaced or inserted.`;
    case "id_order":
      return `Event ${seq} has id ${id}, not before the id of event ${seq + 1}: event ids were swapped or rewritten.`;
    case "seq_gap":
      return `Event ${verified + 1} is missing: the next stored event is ${seq} (id ${id}).`;
  }
}

function tailMessage(broken: { id: number | null; seq: number; reason: AuditTailBreakReason }, lastSeq: number): string {
  switch (broken.reason) {
    case "tail_missing":
      return `Events after event ${lastSeq} are missing: the chain head (or the id counter) is past the last stored event.`;
    case "head_mismatch":
      return `Event ${broken.seq}, the last stored, has another hash than the chain head: it was replaced.`;
    case "head_behind":
      return `Events ${broken.seq} to ${lastSeq} are past the chain head: they were added outside the server.`;
    case "head_missing":
      return "The chain head is gone while events are stored.";
  }
}

/** The first assignment (by id) whose stored state or comments differ from its replayed events. */
function stateDivergence(
  db: Queryable,
  replay: ReadonlyMap<number, ReplayedAssignment>,
  lastSeqOf: ReadonlyMap<number, { id: number; seq: number }>,
): AuditDivergence | null {
  const candidates: AuditDivergence[] = [];
  const at = (assignmentId: number) => lastSeqOf.get(assignmentId) ?? { id: 0, seq: 0 };
  const a = assignmentsTable;
  const seen = new Set<number>();
  let lastId = 0;
  for (;;) {
    const batch = db
      .select({
        id: a.id,
        measureNumber: a.measureNumber,
        department: a.department,
        status: a.status,
        dueDate: a.dueDate,
        pendingExtensionUntil: a.pendingExtensionUntil,
        pendingExtensionReason: a.pendingExtensionReason,
        version: a.version,
      })
      .from(a)
      .where(gt(a.id, lastId))
      .orderBy(asc(a.id))
      .limit(5000)
      .all();
    if (batch.length === 0) break;
    for (const row of batch) {
      lastId = row.id;
      seen.add(row.id);
      const d = assignmentDivergence(row, replay.get(row.id));
      if (d !== null) {
        candidates.push({
          ...at(row.id),
          reason: "state_mismatch",
          assignmentId: row.id,
          message:
            d.field === "issued"
              ? `Assignment ${row.id} (${row.department}, measure ${row.measureNumber}) has no issue event in the trail.`
              : `Assignment ${row.id} (${row.department}, measure ${row.measureNumber}) is stored with ${d.field} ${d.stored}; its events say ${d.replayed}.`,
        });
        break;
      }
    }
    if (candidates.length > 0) break;
  }
  if (candidates.length === 0) {
    for (const [id, r] of replay) {
      if (!seen.has(id) && r.issuedAt !== null) {
        candidates.push({ ...at(id), reason: "state_mismatch", assignmentId: id, message: `Assignment ${id} was issued in the trail but is no longer stored.` });
        break;
      }
    }
  }

  // Comments, assignment by assignment.
  const c = commentsTable;
  // Before migration 0004 comments had no holder department: compare the rest.
  const holderKept = auditFormatOf(db) === 2;
  let lastCommentId = 0;
  const stored = new Map<number, StoredComment[]>();
  for (;;) {
    const batch = db
      .select({ id: c.id, assignmentId: c.assignmentId, body: c.body, createdAt: c.createdAt, authorUserId: c.authorUserId, department: holderKept ? c.department : sql<string | null>`null` })
      .from(c)
      .where(gt(c.id, lastCommentId))
      .orderBy(asc(c.id))
      .limit(5000)
      .all();
    if (batch.length === 0) break;
    for (const row of batch) {
      lastCommentId = row.id;
      const list = stored.get(row.assignmentId) ?? [];
      list.push(row);
      stored.set(row.assignmentId, list);
    }
  }
  const assignmentIds = new Set([...stored.keys(), ...[...replay].filter(([, r]) => r.comments.length > 0).map(([id]) => id)]);
  for (const id of [...assignmentIds].sort((x, y) => x - y)) {
    const mine = stored.get(id) ?? [];
    const replayed = replay.get(id)?.comments ?? [];
    const d = commentsDivergence(mine, holderKept ? replayed : replayed.map((r) => ({ ...r, department: null })));
    if (d === null) continue;
    const comment = mine[d.index];
    candidates.push({
      ...at(id),
      reason: "comment_mismatch",
      assignmentId: id,
      ...(comment === undefined ? {} : { commentId: comment.id }),
      message:
        d.field === "missing"
          ? `Assignment ${id}: comment ${d.index + 1} of its events is no longer stored.`
          : d.field === "extra"
            ? `Assignment ${id}: comment ${comment?.id ?? "?"} has no event in the trail.`
            : `Assignment ${id}: comment ${comment?.id ?? "?"} is stored with another ${d.field} than its event.`,
    });
    break;
  }
  // The lowest assignment first.
  return candidates.sort((x, y) => (x.assignmentId ?? 0) - (y.assignmentId ?? 0))[0] ?? null;
}
