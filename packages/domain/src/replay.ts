/**
 * State from the audit trail: the one replay of assignment events. The as-of view (state at the end of a day) and
 * the audit verification (the stored state equals the replayed one) both fold events through `applyEvent`, so that
 * what the trail vouches for is decided in one place.
 *
 * What each event does is the workflow's (`transition` in workflow.ts): an issue starts an assignment at version 1,
 * every later event on it is one committed change (version + 1) that moves it to the event's `to` status; a
 * reassignment moves it to `toDepartment` with its `dueDate` and drops a pending extension request, as a withdrawal
 * and a decision do; an approved extension moves the due date to `until`, a change of deadline after issue to
 * `dueDate`; a comment adds a comment. Payloads are read through their
 * types' schemas (audit-events.ts), so only keys that writers write are read.
 */
import type { AssignmentStatus, DepartmentCode } from "./types.js";
import { assignmentStatuses } from "./types.js";
import { auditField } from "./audit-events.js";

/** One audit event, as stored (the columns the replay reads). */
export interface TrailEvent {
  seq: number;
  /** UTC ISO timestamp. */
  at: string;
  type: string;
  assignmentId: number | null;
  measureNumber: number | null;
  fromStatus: string | null;
  toStatus: string | null;
  payload: Readonly<Record<string, unknown>>;
  /** The department the event names: for an assignment, the one holding it at the time. Absent: not read. */
  department?: string | null;
  /** The acting account. Absent: not read. */
  actorUserId?: number | null;
}

/** A comment as the trail records it (`assignment.commented`). */
export interface ReplayedComment {
  seq: number;
  /** UTC ISO timestamp. */
  at: string;
  body: string;
  authorUserId: number | null;
  /** The department holding the assignment when the comment was written (whose conversation it is part of). */
  department: DepartmentCode | null;
}

/** An assignment as its events leave it. `null` fields: no event said (e.g. the trail has no issue event). */
export interface ReplayedAssignment {
  id: number;
  /** UTC ISO time of the `assignment.issued` event; null without one. */
  issuedAt: string | null;
  department: DepartmentCode | null;
  role: string | null;
  status: AssignmentStatus | null;
  dueDate: string | null;
  pendingExtension: { until: string; reason: string } | null;
  /** 1 at issue, + 1 per later event on the assignment (each is one committed change of its row). */
  version: number;
  comments: ReplayedComment[];
}

const knownStatuses: ReadonlySet<string> = new Set(assignmentStatuses);
/** A status the domain knows, or null. */
export const asAssignmentStatus = (s: string | null): AssignmentStatus | null =>
  s !== null && knownStatuses.has(s) ? (s as AssignmentStatus) : null;

/** The state before any event of assignment `id`. */
export function unreplayedAssignment(id: number): ReplayedAssignment {
  return { id, issuedAt: null, department: null, role: null, status: null, dueDate: null, pendingExtension: null, version: 0, comments: [] };
}

/**
 * One event applied to one assignment's state: a new state, the old one untouched. Events that are not about
 * assignments (`assignmentId` null, or a type outside `assignment.*`) leave it as it is.
 */
export function applyEvent(state: ReplayedAssignment, e: TrailEvent): ReplayedAssignment {
  if (e.assignmentId !== state.id || !e.type.startsWith("assignment.")) return state;
  const next: ReplayedAssignment = { ...state, version: state.version + 1 };
  const to = asAssignmentStatus(e.toStatus);
  if (to !== null) next.status = to;
  switch (e.type) {
    case "assignment.issued":
      next.version = 1;
      next.issuedAt = e.at;
      next.department = e.department ?? state.department;
      next.role = auditField("assignment.issued", e.payload, "role");
      next.dueDate = auditField("assignment.issued", e.payload, "dueDate");
      next.pendingExtension = null;
      break;
    case "assignment.reassigned":
      next.department = auditField("assignment.reassigned", e.payload, "toDepartment") ?? state.department;
      // The deadline the reassignment set (the one kept when none was given).
      next.dueDate = auditField("assignment.reassigned", e.payload, "dueDate") ?? state.dueDate;
      next.pendingExtension = null;
      break;
    case "assignment.deadline_changed":
      next.dueDate = auditField("assignment.deadline_changed", e.payload, "dueDate") ?? state.dueDate;
      break;
    case "assignment.extension_requested": {
      const until = auditField("assignment.extension_requested", e.payload, "until");
      next.pendingExtension = until === null ? null : { until, reason: auditField("assignment.extension_requested", e.payload, "reason") ?? "" };
      break;
    }
    case "assignment.extension_approved":
      next.dueDate = auditField("assignment.extension_approved", e.payload, "until") ?? state.dueDate;
      next.pendingExtension = null;
      break;
    case "assignment.extension_refused":
    case "assignment.withdrawn":
      next.pendingExtension = null;
      break;
    case "assignment.commented":
      next.comments = [
        ...state.comments,
        {
          seq: e.seq,
          at: e.at,
          body: auditField("assignment.commented", e.payload, "body") ?? "",
          authorUserId: e.actorUserId ?? null,
          department: e.department ?? null,
        },
      ];
      break;
    default:
      break;
  }
  return next;
}

/**
 * Every assignment the events name, replayed in `seq` order (the events may come in any order). With `before`
 * (epoch milliseconds), only the events strictly before that instant count.
 */
export function replayAssignments(events: readonly TrailEvent[], before?: number): Map<number, ReplayedAssignment> {
  const sorted = [...events].sort((a, b) => a.seq - b.seq);
  const states = new Map<number, ReplayedAssignment>();
  for (const e of sorted) {
    if (e.assignmentId === null) continue;
    if (before !== undefined && !(Date.parse(e.at) < before)) continue;
    states.set(e.assignmentId, applyEvent(states.get(e.assignmentId) ?? unreplayedAssignment(e.assignmentId), e));
  }
  return states;
}

/** The measures (by number, within one plan's events) closed (办结) at the end of the events before `before`. */
export function replayClosedMeasures(events: readonly TrailEvent[], before?: number): number[] {
  const closed = new Map<number, boolean>();
  for (const e of [...events].sort((a, b) => a.seq - b.seq)) {
    if (e.measureNumber === null) continue;
    if (before !== undefined && !(Date.parse(e.at) < before)) continue;
    if (e.type === "measure.closed") closed.set(e.measureNumber, true);
    if (e.type === "measure.reopened") closed.set(e.measureNumber, false);
  }
  return [...closed].filter(([, isClosed]) => isClosed).map(([m]) => m).sort((x, y) => x - y);
}

/** The stored fields of an assignment that the trail vouches for. */
export interface StoredAssignmentState {
  id: number;
  department: DepartmentCode;
  status: string;
  dueDate: string;
  pendingExtensionUntil: string | null;
  pendingExtensionReason: string | null;
  version: number;
}

/** Where a stored assignment differs from its replay: the first field (in this order), stored and replayed values. */
export interface StateDivergence {
  field: "issued" | "status" | "department" | "dueDate" | "pendingExtension" | "version";
  stored: string;
  replayed: string;
}

/** The first difference between a stored assignment and its replay (`undefined`: the trail never issued it), or null. */
export function assignmentDivergence(stored: StoredAssignmentState, replayed: ReplayedAssignment | undefined): StateDivergence | null {
  if (replayed === undefined || replayed.issuedAt === null) return { field: "issued", stored: "present", replayed: "never issued" };
  if (stored.status !== replayed.status) return { field: "status", stored: stored.status, replayed: String(replayed.status) };
  if (stored.department !== replayed.department) {
    return { field: "department", stored: stored.department, replayed: String(replayed.department) };
  }
  if (stored.dueDate !== replayed.dueDate) return { field: "dueDate", stored: stored.dueDate, replayed: String(replayed.dueDate) };
  const storedPending = stored.pendingExtensionUntil === null ? "none" : `${stored.pendingExtensionUntil} ${stored.pendingExtensionReason ?? ""}`;
  const replayedPending = replayed.pendingExtension === null ? "none" : `${replayed.pendingExtension.until} ${replayed.pendingExtension.reason}`;
  if (storedPending !== replayedPending) return { field: "pendingExtension", stored: storedPending, replayed: replayedPending };
  if (stored.version !== replayed.version) return { field: "version", stored: String(stored.version), replayed: String(replayed.version) };
  return null;
}

/** A stored comment, as the verification compares it. */
export interface StoredComment {
  id: number;
  body: string;
  createdAt: string;
  authorUserId: number;
  department: string | null;
}

/**
 * The first difference between an assignment's stored comments (in id order) and the replayed ones (in seq order),
 * or null: the index in the lists, the field, and both values.
 */
export function commentsDivergence(
  stored: readonly StoredComment[],
  replayed: readonly ReplayedComment[],
): { index: number; field: "missing" | "extra" | "body" | "at" | "author" | "department"; stored: string; replayed: string } | null {
  const n = Math.max(stored.length, replayed.length);
  for (let i = 0; i < n; i += 1) {
    const s = stored[i];
    const r = replayed[i];
    if (s === undefined) return { index: i, field: "missing", stored: "none", replayed: r?.body ?? "" };
    if (r === undefined) return { index: i, field: "extra", stored: s.body, replayed: "none" };
    if (s.body !== r.body) return { index: i, field: "body", stored: s.body, replayed: r.body };
    if (s.createdAt !== r.at) return { index: i, field: "at", stored: s.createdAt, replayed: r.at };
    if (s.authorUserId !== r.authorUserId) return { index: i, field: "author", stored: String(s.authorUserId), replayed: String(r.authorUserId) };
    if (s.department !== r.department) return { index: i, field: "department", stored: String(s.department), replayed: String(r.department) };
  }
  return null;
}
