/**
 * The plan as it stood at the end of a day (Beijing time), rebuilt from the audit trail: which assignments existed,
 * their status, department and due date, which measures were closed. Pure: the caller reads the rows, this replays.
 *
 * Every workflow event records `from → to` for its assignment, so the status at an instant is the `to` of the last
 * event before it (or, with none before, the `from` of the first one after it). A reassignment records
 * `fromDepartment`/`toDepartment`; an approved extension records `until`.
 */
import { endOfPlanDay, isIsoDate } from "./dates.js";
import { daysLate, latenessOf } from "./lateness.js";
import type { MatrixInput } from "./matrix.js";
import type { AssignmentStatus, DepartmentCode, DueDate, Lateness, Responsibility, Role } from "./types.js";
import { assignmentStatuses } from "./types.js";

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
}

/** An assignment as it is now. */
export interface AssignmentRecord {
  id: number;
  measureNumber: number;
  department: DepartmentCode;
  role: Role;
  status: AssignmentStatus;
  dueDate: DueDate;
  /** UTC ISO timestamp of issue (立项交办). */
  issuedAt: string;
}

export interface AssignmentAsOf extends AssignmentRecord {
  lateness: Lateness;
  daysLate: number;
}

export interface AsOfInput {
  /** Every assignment of the plan as it is now. */
  assignments: readonly AssignmentRecord[];
  /** The plan's division of work as it is now. */
  responsibilities: readonly Responsibility[];
  /** The plan's audit events, any order. */
  events: readonly TrailEvent[];
  /** The day, YYYY-MM-DD (Beijing time): the state at its end. */
  date: string;
}

export interface AsOfState {
  /** The instant the day ends (the next day's 00:00 in Beijing). */
  cutoff: Date;
  assignments: AssignmentAsOf[];
  responsibilities: Responsibility[];
  closedMeasures: number[];
}

const knownStatuses: ReadonlySet<string> = new Set(assignmentStatuses);
const asStatus = (s: string | null): AssignmentStatus | null =>
  s !== null && knownStatuses.has(s) ? (s as AssignmentStatus) : null;
const payloadString = (e: TrailEvent, key: string): string | null => {
  const v = e.payload[key];
  return typeof v === "string" ? v : null;
};

export function replayAsOf(input: AsOfInput): AsOfState {
  if (!isIsoDate(input.date)) throw new RangeError(`Not a calendar date (YYYY-MM-DD): ${input.date}`);
  const cutoff = endOfPlanDay(input.date);
  const limit = cutoff.getTime();
  // Lateness is judged on the day itself: its last millisecond, not the next day's first.
  const lastInstant = new Date(limit - 1);
  const before = (e: { at: string }): boolean => Date.parse(e.at) < limit;
  const events = [...input.events].sort((a, b) => a.seq - b.seq);

  const byAssignment = new Map<number, TrailEvent[]>();
  for (const e of events) {
    if (e.assignmentId === null) continue;
    const list = byAssignment.get(e.assignmentId) ?? [];
    list.push(e);
    byAssignment.set(e.assignmentId, list);
  }

  const moved = new Map<string, DepartmentCode>();
  const assignments: AssignmentAsOf[] = [];
  for (const a of input.assignments) {
    const trail = byAssignment.get(a.id) ?? [];
    const past = trail.filter(before);
    const future = trail.filter((e) => !before(e));

    const reassignedPast = past.filter((e) => e.type === "assignment.reassigned").at(-1);
    const reassignedFuture = future.find((e) => e.type === "assignment.reassigned");
    const department =
      (reassignedPast ? payloadString(reassignedPast, "toDepartment") : null) ??
      (reassignedFuture ? payloadString(reassignedFuture, "fromDepartment") : null) ??
      a.department;
    // Moved even when the assignment did not exist yet: the division of work named that department then.
    if (department !== a.department) moved.set(`${a.measureNumber}\u0000${a.department}`, department);
    if (Date.parse(a.issuedAt) >= limit) continue;

    const lastPast = past.filter((e) => asStatus(e.toStatus) !== null).at(-1);
    const firstFuture = future.find((e) => asStatus(e.fromStatus) !== null);
    const status = asStatus(lastPast?.toStatus ?? null) ?? asStatus(firstFuture?.fromStatus ?? null) ?? a.status;

    const approvedPast = past.filter((e) => e.type === "assignment.extension_approved").at(-1);
    const approvedFuture = future.find((e) => e.type === "assignment.extension_approved");
    const issued = trail.find((e) => e.type === "assignment.issued");
    const dueDate =
      (approvedPast ? payloadString(approvedPast, "until") : null) ??
      (approvedFuture
        ? (payloadString(approvedFuture, "fromDueDate") ?? (issued ? payloadString(issued, "dueDate") : null))
        : null) ??
      a.dueDate;

    assignments.push({
      ...a,
      status,
      department,
      dueDate,
      lateness: latenessOf(dueDate, status, lastInstant),
      daysLate: status === "signed_off" || status === "withdrawn" ? 0 : daysLate(dueDate, lastInstant),
    });
  }

  // A reassignment after the day moved a responsibility too: put it back where it was.
  const responsibilities = input.responsibilities.map((r) => {
    const department = moved.get(`${r.measureNumber}\u0000${r.department}`);
    return department === undefined ? { ...r } : { ...r, department };
  });

  const closed = new Map<number, boolean>();
  for (const e of events) {
    if (e.measureNumber === null || !before(e)) continue;
    if (e.type === "measure.closed") closed.set(e.measureNumber, true);
    if (e.type === "measure.reopened") closed.set(e.measureNumber, false);
  }
  const closedMeasures = [...closed].filter(([, isClosed]) => isClosed).map(([m]) => m).sort((x, y) => x - y);

  return { cutoff, assignments, responsibilities, closedMeasures };
}

/**
 * One department's view of the matrix: only the measures it is responsible for, with every department that shares
 * them. The domain builds the matrix from this narrower input, so its totals count those measures only.
 */
export function departmentView(input: MatrixInput, department: DepartmentCode): MatrixInput {
  const mine = new Set(input.responsibilities.filter((r) => r.department === department).map((r) => r.measureNumber));
  const measures = input.plan.measures.filter((m) => mine.has(m.number));
  const sections = new Set(measures.map((m) => m.section));
  return {
    ...input,
    plan: { ...input.plan, measures, sections: input.plan.sections.filter((s) => sections.has(s.number)) },
    responsibilities: input.responsibilities.filter((r) => mine.has(r.measureNumber)),
    ...(input.assignments === undefined ? {} : { assignments: input.assignments.filter((a) => mine.has(a.measureNumber)) }),
  };
}
