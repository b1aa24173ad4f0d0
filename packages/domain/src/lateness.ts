import { daysBetween, planCalendarDate } from "./dates.js";
import type { AssignmentStatus, DueDate, Lateness } from "./types.js";

/** The one place the lateness thresholds live (临近提醒 / 到期催办 / 严重逾期). */
export const latenessThresholds = {
  /** Due within this many days (today included) counts as due soon. */
  dueSoonDays: 7,
  /** More than this many days past the due date counts as long overdue. */
  longOverdueDays: 30,
} as const;

/** Statuses with work still owed; a signed-off or withdrawn assignment is never late. */
export const owingStatuses = ["assigned", "accepted", "declined", "in_progress"] as const satisfies readonly AssignmentStatus[];
const owing: ReadonlySet<AssignmentStatus> = new Set(owingStatuses);

/** Days past the due date in Beijing time; 0 when not late or ongoing. */
export function daysLate(dueDate: DueDate, now: Date): number {
  if (dueDate === "ongoing") return 0;
  return Math.max(0, daysBetween(dueDate, planCalendarDate(now)));
}

export function latenessOf(dueDate: DueDate, status: AssignmentStatus, now: Date): Lateness {
  if (dueDate === "ongoing" || !owing.has(status)) return "none";
  const daysLeft = daysBetween(planCalendarDate(now), dueDate);
  if (daysLeft >= 0) return daysLeft < latenessThresholds.dueSoonDays ? "due_soon" : "none";
  return -daysLeft > latenessThresholds.longOverdueDays ? "long_overdue" : "overdue";
}
