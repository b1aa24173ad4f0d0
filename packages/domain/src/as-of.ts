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
import { asAssignmentStatus, replayAssignments, replayClosedMeasures } from "./replay.js";
import { auditField } from "./audit-events.js";
import type { TrailEvent } from "./replay.js";
import type { AssignmentStatus, DepartmentCode, DueDate, Lateness, Responsibility, Role } from "./types.js";

export type { TrailEvent } from "./replay.js";

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

/** The deadline before the event moved it, for the events that move one and record it (`previousDueDate`), else null. */
function previousDueDateOf(e: TrailEvent): string | null {
  switch (e.type) {
    case "assignment.extension_approved":
    case "assignment.deadline_changed":
    case "assignment.reassigned":
      return auditField(e.type, e.payload, "previousDueDate");
    default:
      return null;
  }
}

export interface AsOfState {
  /** The instant the day ends (the next day's 00:00 in Beijing). */
  cutoff: Date;
  assignments: AssignmentAsOf[];
  responsibilities: Responsibility[];
  closedMeasures: number[];
}

/**
 * The replay (replay.ts) of the events before the day's end gives each assignment's status, department and due
 * date then. Where the trail says nothing before the cutoff (an assignment issued before the trail began), the first
 * later event says what it was (`from`, `fromDepartment`, `previousDueDate`), else the assignment as it is now.
 */
export function replayAsOf(input: AsOfInput): AsOfState {
  if (!isIsoDate(input.date)) throw new RangeError(`Not a calendar date (YYYY-MM-DD): ${input.date}`);
  const cutoff = endOfPlanDay(input.date);
  const limit = cutoff.getTime();
  // Lateness is judged on the day itself: its last millisecond, not the next day's first.
  const lastInstant = new Date(limit - 1);
  const before = (e: { at: string }): boolean => Date.parse(e.at) < limit;
  const events = [...input.events].sort((a, b) => a.seq - b.seq);
  const replayed = replayAssignments(events, limit);

  const future = new Map<number, TrailEvent[]>();
  for (const e of events) {
    if (e.assignmentId === null || before(e)) continue;
    const list = future.get(e.assignmentId) ?? [];
    list.push(e);
    future.set(e.assignmentId, list);
  }

  const moved = new Map<string, DepartmentCode>();
  const assignments: AssignmentAsOf[] = [];
  for (const a of input.assignments) {
    const past = replayed.get(a.id);
    const later = future.get(a.id) ?? [];
    const reassignedLater = later.find((e) => e.type === "assignment.reassigned");
    const department =
      past?.department ?? (reassignedLater ? auditField("assignment.reassigned", reassignedLater.payload, "fromDepartment") : null) ?? a.department;
    // Moved even when the assignment did not exist yet: the division of work named that department then.
    if (department !== a.department) moved.set(`${a.measureNumber}\u0000${a.department}`, department);
    if (Date.parse(a.issuedAt) >= limit) continue;

    const firstLater = later.find((e) => asAssignmentStatus(e.fromStatus) !== null);
    const status: AssignmentStatus = past?.status ?? asAssignmentStatus(firstLater?.fromStatus ?? null) ?? a.status;

    // The first later change of the deadline says what it was before (`previousDueDate`, as its writer records it).
    const previousDueDates = later.map(previousDueDateOf).filter((d): d is string => d !== null);
    const dueDate = past?.dueDate ?? previousDueDates[0] ?? a.dueDate;

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

  return { cutoff, assignments, responsibilities, closedMeasures: replayClosedMeasures(events, limit) };
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
