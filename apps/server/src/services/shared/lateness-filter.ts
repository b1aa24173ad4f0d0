import { and, eq, gte, inArray, lt, ne, notInArray, or, sql } from "drizzle-orm";
import type { Placeholder, SQL } from "drizzle-orm";
import { latenessThresholds, owingStatuses, planCalendarDate } from "@countersign/domain";
import type { Lateness } from "@countersign/domain";
import { assignmentsTable } from "@countersign/db/schema";

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** The plan calendar days that bound the lateness levels at `now` (the domain's thresholds). */
export interface LatenessBounds<T = string> {
  today: T;
  /** Due before this day (and owed): due soon or late. */
  dueSoonEnd: T;
  /** Due before this day (and owed): long overdue. */
  longOverdueBefore: T;
}

export function latenessBounds(now: Date): LatenessBounds {
  const today = planCalendarDate(now);
  return {
    today,
    dueSoonEnd: addDays(today, latenessThresholds.dueSoonDays),
    longOverdueBefore: addDays(today, -latenessThresholds.longOverdueDays),
  };
}

/** The bounds as placeholders, for statements prepared once and run with `latenessBounds(now)`. */
export const latenessPlaceholders: LatenessBounds<Placeholder> = {
  today: sql.placeholder("today"),
  dueSoonEnd: sql.placeholder("dueSoonEnd"),
  longOverdueBefore: sql.placeholder("longOverdueBefore"),
};

/**
 * The lateness filter as a range of due dates, so that it runs on the index (the domain's thresholds, in plan
 * calendar days). A test checks it against `latenessOf` row by row.
 */
export function latenessCondition(lateness: Lateness, now: Date): SQL {
  return latenessConditionWithin(lateness, latenessBounds(now));
}

export function latenessConditionWithin(lateness: Lateness, bounds: LatenessBounds<string | Placeholder>): SQL {
  const a = assignmentsTable;
  const owing = inArray(a.status, [...owingStatuses]);
  const dated = ne(a.dueDate, "ongoing");
  switch (lateness) {
    case "due_soon":
      return and(owing, dated, gte(a.dueDate, bounds.today), lt(a.dueDate, bounds.dueSoonEnd)) ?? sql`1`;
    case "overdue":
      return and(owing, lt(a.dueDate, bounds.today), gte(a.dueDate, bounds.longOverdueBefore)) ?? sql`1`;
    case "long_overdue":
      return and(owing, lt(a.dueDate, bounds.longOverdueBefore)) ?? sql`1`;
    case "none":
      return (
        or(eq(a.dueDate, "ongoing"), notInArray(a.status, [...owingStatuses]), gte(a.dueDate, bounds.dueSoonEnd)) ?? sql`1`
      );
  }
}

/**
 * Work that is due soon or late: owed and due before the end of the "due soon" window ("ongoing" sorts after every
 * date). Every assignment is either this or `none`, so `none` is counted as the total less this.
 */
export function dueSoonOrLateCondition(dueSoonEnd: string | Placeholder): SQL {
  return and(inArray(assignmentsTable.status, [...owingStatuses]), lt(assignmentsTable.dueDate, dueSoonEnd)) ?? sql`1`;
}
