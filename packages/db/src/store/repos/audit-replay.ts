import type { AuditChainWalk, AuditEventRow } from "../../audit.js";

/** An assignment's stored state, as its events are replayed against it (replay.ts `StoredAssignmentState`). */
export interface AssignmentStateRecord {
  id: number;
  measureNumber: number;
  department: string;
  status: string;
  dueDate: string;
  pendingExtensionUntil: string | null;
  pendingExtensionReason: string | null;
  version: number;
}

/** A stored comment, as its `assignment.commented` event is replayed against it (replay.ts `StoredComment`). */
export interface CommentRecord {
  id: number;
  assignmentId: number;
  body: string;
  createdAt: string;
  authorUserId: number;
  /** The holder department when written; null on a SQLite file from before migration 0004 (no such column). */
  department: string | null;
}

/**
 * The reads of the full audit-trail verification (`verifyAuditTrail`): the trail in `seq` order, page by page, its
 * end against the chain head, and the stored assignments and comments in id order, page by page, to compare with
 * the state their events replay to. Read them in one snapshot (`store.readSnapshot`) so that concurrent writers
 * cannot look like a divergence.
 */
export interface AuditReplayRepo {
  /** Up to `limit` events with a seq after `afterSeq`, in seq order (0: from the first). */
  eventsAfter(afterSeq: number, limit: number): Promise<AuditEventRow[]>;
  /** The event with this seq; undefined when none is stored. */
  eventAt(seq: number): Promise<AuditEventRow | undefined>;
  /** The last stored event by seq; undefined for an empty trail. */
  lastEvent(): Promise<{ id: number; seq: number; hash: string } | undefined>;
  /**
   * The end of the trail (`last`, the last stored event) against the chain head row (`auditTailAgainstHead`; on
   * SQLite also the table's id counter, which only deleted rows leave ahead); null when they agree.
   */
  tail(last: AuditChainWalk["last"]): Promise<AuditChainWalk["tail"]>;
  /** Whether comments keep their holder department (false only on a SQLite file from before migration 0004). */
  commentsKeepHolder(): Promise<boolean>;
  /** Up to `limit` assignments with an id above `afterId`, in id order. */
  assignmentStatesAfter(afterId: number, limit: number): Promise<AssignmentStateRecord[]>;
  /** Up to `limit` comments with an id above `afterId`, in id order. */
  commentsAfter(afterId: number, limit: number): Promise<CommentRecord[]>;
}
