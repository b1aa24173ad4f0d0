// The lateness levels as ranges of due dates (the domain's thresholds, in plan calendar days), so that a filter runs
// on the due-date indexes. Plain SQL both engines accept; each adapter passes its own table's columns.
import { and, eq, gte, inArray, lt, ne, notInArray, or, sql } from "drizzle-orm";
import type { AnyColumn, Placeholder, SQL } from "drizzle-orm";
import { latenessThresholds, owingStatuses, planCalendarDate } from "@countersign/domain";
import type { Lateness } from "@countersign/domain";
import type { LatenessBounds } from "./repos/inbox.js";

/** An assignment table's columns the lateness conditions read. */
export interface LatenessColumns {
  status: AnyColumn;
  dueDate: AnyColumn;
}

/** The bounds, as values or as a prepared statement's placeholders. */
export type LatenessBoundsOf<T> = { [K in keyof LatenessBounds]: T };

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** The plan calendar days that bound the lateness levels at `now` (the domain's `latenessThresholds`). */
export function latenessBounds(now: Date): LatenessBounds {
  const today = planCalendarDate(now);
  return {
    today,
    dueSoonEnd: addDays(today, latenessThresholds.dueSoonDays),
    longOverdueBefore: addDays(today, -latenessThresholds.longOverdueDays),
  };
}

/**
 * The condition of one lateness level on `columns` (the domain's `latenessOf` as a due-date range; a test checks it
 * row by row). `ongoing` sorts after every date.
 */
export function latenessConditionOn(columns: LatenessColumns, lateness: Lateness, bounds: LatenessBoundsOf<string | Placeholder>): SQL {
  const owing = inArray(columns.status, [...owingStatuses]);
  const dated = ne(columns.dueDate, "ongoing");
  switch (lateness) {
    case "due_soon":
      return and(owing, dated, gte(columns.dueDate, bounds.today), lt(columns.dueDate, bounds.dueSoonEnd)) ?? sql`1 = 1`;
    case "overdue":
      return and(owing, lt(columns.dueDate, bounds.today), gte(columns.dueDate, bounds.longOverdueBefore)) ?? sql`1 = 1`;
    case "long_overdue":
      return and(owing, lt(columns.dueDate, bounds.longOverdueBefore)) ?? sql`1 = 1`;
    case "none":
      return or(eq(columns.dueDate, "ongoing"), notInArray(columns.status, [...owingStatuses]), gte(columns.dueDate, bounds.dueSoonEnd)) ?? sql`1 = 1`;
  }
}

/**
 * Work due soon or late: owed and due before the end of the "due soon" window. Every assignment is either this or
 * `none`, so `none` can be counted as the total less this.
 */
export function dueSoonOrLateConditionOn(columns: LatenessColumns, dueSoonEnd: string | Placeholder): SQL {
  return and(inArray(columns.status, [...owingStatuses]), lt(columns.dueDate, dueSoonEnd)) ?? sql`1 = 1`;
}
