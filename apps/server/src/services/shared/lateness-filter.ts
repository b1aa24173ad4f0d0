import { and, eq, gte, inArray, lt, ne, notInArray, or, sql } from "drizzle-orm";
import type { SQL } from "drizzle-orm";
import { latenessThresholds, owingStatuses, planCalendarDate } from "@countersign/domain";
import type { Lateness } from "@countersign/domain";
import { assignmentsTable } from "@countersign/db/schema";

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The lateness filter as a range of due dates, so that it runs on the index (the domain's thresholds, in plan
 * calendar days). A test checks it against `latenessOf` row by row.
 */
export function latenessCondition(lateness: Lateness, now: Date): SQL {
  const today = planCalendarDate(now);
  const a = assignmentsTable;
  const owing = inArray(a.status, [...owingStatuses]);
  const dated = ne(a.dueDate, "ongoing");
  const dueSoonEnd = addDays(today, latenessThresholds.dueSoonDays);
  const longOverdueBefore = addDays(today, -latenessThresholds.longOverdueDays);
  switch (lateness) {
    case "due_soon":
      return and(owing, dated, gte(a.dueDate, today), lt(a.dueDate, dueSoonEnd)) ?? sql`1`;
    case "overdue":
      return and(owing, lt(a.dueDate, today), gte(a.dueDate, longOverdueBefore)) ?? sql`1`;
    case "long_overdue":
      return and(owing, lt(a.dueDate, longOverdueBefore)) ?? sql`1`;
    case "none":
      return (
        or(eq(a.dueDate, "ongoing"), notInArray(a.status, [...owingStatuses]), gte(a.dueDate, dueSoonEnd)) ?? sql`1`
      );
  }
}

