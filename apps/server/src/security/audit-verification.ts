import { applyEvent, assignmentDivergence, commentsDivergence, unreplayedAssignment } from "@countersign/domain";
import type { ReplayedAssignment, StoredComment } from "@countersign/domain";
import { AuditChainWalker, auditEventHash } from "@countersign/db";
import type { AnyStore, AuditChainBreakReason, AuditChainWalk, AuditEventRow, AuditReplayRepo, AuditTailBreakReason } from "@countersign/db";

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

/** How many events, assignments or comments one read takes: one page in memory at a time (plus the replay). */
const pageSize = 5000;

// The last point each store's trail verified at, in this process only: an attacker with the file cannot move it.
const verifiedPoints = new WeakMap<object, { seq: number; hash: string }>();

/**
 * Checks the audit trail of `store` (either engine) in one snapshot of it (`store.readSnapshot`): see
 * `verifyAuditTrail`. The incremental check resumes from the point this process last verified on this store.
 */
export async function verifyStoredAuditTrail(store: AnyStore, now: Date, options: VerifyOptions = {}): Promise<AuditVerification> {
  return store.readSnapshot((repos) => verifyAuditTrail(repos.auditReplay, now, options, store));
}

/**
 * Checks the audit trail, read through `trail` (one snapshot: `store.readSnapshot`). With `full`, it walks the hash
 * chain from the first event (each hash covers the event's seq and content and the previous hash; ids must increase
 * with seq: `AuditChainWalker`, the store's rules), compares the end with the chain head kept apart, and replays
 * every assignment's events (replay.ts) to compare with the stored assignments and comments. Without it (the
 * tracking page on load), it walks only the events after the point this process last verified on `key` (the store),
 * after checking that event is unchanged; with no such point yet, the whole chain (no state replay). Reports the
 * first divergence of each kind. Reads in pages of 5,000 (events, assignments, comments); holds in memory the
 * replayed state of every assignment and the stored comments.
 */
export async function verifyAuditTrail(trail: AuditReplayRepo, now: Date, options: VerifyOptions = {}, key?: object): Promise<AuditVerification> {
  const checkedAt = now.toISOString();
  const point = options.full === true || key === undefined ? undefined : verifiedPoints.get(key);
  const full = point === undefined;

  let pointBroken: AuditDivergence | null = null;
  let pointId = 0;
  if (point !== undefined) {
    const row = await trail.eventAt(point.seq);
    const stored = row === undefined ? null : { id: row.id, hash: row.hash };
    pointId = row?.id ?? 0;
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
  const from = pointBroken === null ? point : undefined;
  const walker = new AuditChainWalker(from, from === undefined ? 0 : pointId);
  // Every event is read, even after a break, so that the replay sees all of them.
  for (;;) {
    const batch = await trail.eventsAfter(walker.lastSeq, pageSize);
    if (batch.length === 0) break;
    if (replay !== null) {
      for (const row of batch) {
        if (row.assignmentId === null) continue;
        const state = replay.get(row.assignmentId) ?? unreplayedAssignment(row.assignmentId);
        replay.set(row.assignmentId, applyEvent(state, trailEventOf(row)));
        lastSeqOf.set(row.assignmentId, { id: row.id, seq: row.seq });
      }
    }
    walker.next(batch);
  }
  let last: AuditChainWalk["last"] = walker.last;
  if (last === null && from !== undefined) last = (await trail.lastEvent()) ?? null;
  const walk = { events: walker.events, chain: walker.broken, tail: await trail.tail(last), last, verifiedHead: walker.verifiedHead };

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
    const noted = (await trail.eventAt(options.anchor.seq)) ?? null;
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

  const state = replay === null ? null : await stateDivergence(trail, replay, lastSeqOf);
  const firstBroken = chain ?? tail ?? anchor ?? state;
  const ok = firstBroken === null;
  const head = walk.verifiedHead;
  if (key !== undefined) {
    if (ok && head !== null) verifiedPoints.set(key, head);
    if (!ok) verifiedPoints.delete(key);
  }
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
async function stateDivergence(
  trail: AuditReplayRepo,
  replay: ReadonlyMap<number, ReplayedAssignment>,
  lastSeqOf: ReadonlyMap<number, { id: number; seq: number }>,
): Promise<AuditDivergence | null> {
  const candidates: AuditDivergence[] = [];
  const at = (assignmentId: number) => lastSeqOf.get(assignmentId) ?? { id: 0, seq: 0 };
  const seen = new Set<number>();
  let lastId = 0;
  for (;;) {
    const batch = await trail.assignmentStatesAfter(lastId, pageSize);
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
  // Before migration 0004 (an old SQLite file) comments had no holder department: compare the rest.
  const holderKept = await trail.commentsKeepHolder();
  let lastCommentId = 0;
  const stored = new Map<number, StoredComment[]>();
  for (;;) {
    const batch = await trail.commentsAfter(lastCommentId, pageSize);
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
