/**
 * The tracking page's charts from the audit trail (issue 14 point 4): open against done work week by week, and each
 * department's on-time rate. Pure: the caller reads the plan's events, this folds them through the one replay
 * (`applyEvent`, replay.ts), so the charts say what the trail vouches for.
 *
 * Weeks run Monday to Sunday in the plan's zone (Beijing time, dates.ts), like every deadline.
 */
import { daysBetween, endOfPlanDay, planCalendarDate } from "./dates.js";
import { owingStatuses } from "./lateness.js";
import { applyEvent, unreplayedAssignment } from "./replay.js";
import type { ReplayedAssignment, TrailEvent } from "./replay.js";
import type { AssignmentStatus, DepartmentCode } from "./types.js";

/** One week of the trend: the counts at its end (or now, for the week under way). */
export interface TrendWeek {
  /** Monday, YYYY-MM-DD (Beijing time). */
  weekStart: string;
  /** Sunday, YYYY-MM-DD (Beijing time). */
  weekEnd: string;
  /** Assignments with work owed (assigned, accepted, declined, in progress). */
  open: number;
  /** Assignments signed off (报结). Withdrawn ones are in neither count. */
  done: number;
}

/** How one department keeps its deadlines. */
export interface DepartmentOnTime {
  department: DepartmentCode;
  /** Signed off on or before the due date in force at the sign-off (an "ongoing" one is always on time). */
  onTime: number;
  /** Signed off after that date, or still owed with the date passed. */
  late: number;
  /** onTime / (onTime + late), from 0 to 1; null when nothing has come due yet. */
  rate: number | null;
}

export interface TrackingTrend {
  /** Oldest first, from the week of the first assignment event to the week of `now` (the latest `maxWeeks`). */
  weeks: TrendWeek[];
  /** In `departmentOrder`, then any other department holding work, by code. */
  departments: DepartmentOnTime[];
}

export interface TrendInput {
  /** The plan's audit events, any order; events not about an assignment are ignored. */
  events: readonly TrailEvent[];
  now: Date;
  /** Keep only the latest this many weeks (default 26, at least 1). */
  maxWeeks?: number;
  /** The order departments are listed in (the plan's order of signature). */
  departmentOrder?: readonly DepartmentCode[];
}

export const defaultTrendWeeks = 26;
const dayMs = 86_400_000;
const owing: ReadonlySet<AssignmentStatus> = new Set(owingStatuses);

/** The Monday (YYYY-MM-DD) of the week holding the plan calendar day `date`. */
export function weekStartOf(date: string): string {
  const ms = Date.parse(`${date}T00:00:00Z`);
  const weekday = (new Date(ms).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  return new Date(ms - weekday * dayMs).toISOString().slice(0, 10);
}

const addDays = (date: string, days: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + days * dayMs).toISOString().slice(0, 10);

type Tally = "open" | "done" | null;
const tallyOf = (status: AssignmentStatus | null): Tally => (status === null ? null : status === "signed_off" ? "done" : owing.has(status) ? "open" : null);

/**
 * Replays the events week by week (each counted at the week's last instant) and, at the end, judges each
 * assignment's latest sign-off against the due date it had then. O(events + weeks + assignments).
 */
export function trackingTrend(input: TrendInput): TrackingTrend {
  const maxWeeks = Math.max(1, Math.floor(input.maxWeeks ?? defaultTrendWeeks));
  const events = input.events
    .filter((e) => e.assignmentId !== null && e.type.startsWith("assignment."))
    .sort((a, b) => a.seq - b.seq);
  const states = new Map<number, ReplayedAssignment>();
  /** The plan day of each assignment's standing sign-off, with the due date in force then. */
  const signOffs = new Map<number, { date: string; dueDate: string | null }>();
  const counts = { open: 0, done: 0 };

  const apply = (e: TrailEvent): void => {
    const id = e.assignmentId ?? 0;
    const before = states.get(id) ?? unreplayedAssignment(id);
    const after = applyEvent(before, e);
    states.set(id, after);
    const was = tallyOf(before.status);
    const is = tallyOf(after.status);
    if (was !== null) counts[was] -= 1;
    if (is !== null) counts[is] += 1;
    if (after.status === "signed_off" && before.status !== "signed_off") {
      signOffs.set(id, { date: planCalendarDate(new Date(e.at)), dueDate: after.dueDate });
    } else if (after.status !== "signed_off") {
      signOffs.delete(id);
    }
  };

  const weeks: TrendWeek[] = [];
  const first = events[0];
  if (first !== undefined) {
    let week = weekStartOf(planCalendarDate(new Date(first.at)));
    let next = 0;
    // A trail stamped after `now` (a clock set back) still ends at the week of its last event.
    const lastEvent = events.reduce((latest, e) => Math.max(latest, Date.parse(e.at)), Date.parse(first.at));
    const end = weekStartOf(planCalendarDate(new Date(Math.max(lastEvent, input.now.getTime()))));
    const skipped = Math.max(0, daysBetween(week, end) / 7 + 1 - maxWeeks);
    for (let i = 0; daysBetween(week, end) >= 0; i += 1) {
      const weekEnd = addDays(week, 6);
      const cutoff = endOfPlanDay(weekEnd).getTime();
      for (; next < events.length; next += 1) {
        const e = events[next];
        if (e === undefined || !(Date.parse(e.at) < cutoff)) break;
        apply(e);
      }
      if (i >= skipped) weeks.push({ weekStart: week, weekEnd, open: counts.open, done: counts.done });
      week = addDays(week, 7);
    }
    for (; next < events.length; next += 1) {
      const e = events[next];
      if (e !== undefined) apply(e);
    }
  }

  const today = planCalendarDate(input.now);
  const byDepartment = new Map<DepartmentCode, { onTime: number; late: number }>();
  const tally = (department: DepartmentCode) => {
    const t = byDepartment.get(department) ?? { onTime: 0, late: 0 };
    byDepartment.set(department, t);
    return t;
  };
  for (const department of input.departmentOrder ?? []) tally(department);
  for (const a of states.values()) {
    if (a.department === null || a.status === null) continue;
    const t = tally(a.department);
    const signOff = signOffs.get(a.id);
    if (a.status === "signed_off" && signOff !== undefined) {
      const due = signOff.dueDate;
      if (due === null || due === "ongoing" || signOff.date <= due) t.onTime += 1;
      else t.late += 1;
    } else if (owing.has(a.status) && a.dueDate !== null && a.dueDate !== "ongoing" && a.dueDate < today) {
      t.late += 1;
    }
  }
  const order = new Map((input.departmentOrder ?? []).map((d, i) => [d, i]));
  const departments = [...byDepartment]
    .sort(([a], [b]) => (order.get(a) ?? Number.MAX_SAFE_INTEGER) - (order.get(b) ?? Number.MAX_SAFE_INTEGER) || a.localeCompare(b))
    .map(([department, { onTime, late }]) => ({ department, onTime, late, rate: onTime + late === 0 ? null : onTime / (onTime + late) }));
  return { weeks, departments };
}
