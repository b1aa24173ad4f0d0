import { and, eq } from "drizzle-orm";
import type { Queryable } from "@countersign/db";
import { auditEventsTable } from "@countersign/db/schema";

/**
 * The departments that held an assignment before a reassignment (改派): each `assignment.reassigned` event names the
 * department it left in its payload (`fromDepartment`). The event itself belongs to the receiving department's
 * conversation (`conversationDepartmentOf`), so its `department` column is not the one left. A handful of rows.
 */
export function previousHoldersOf(db: Queryable, assignmentId: number): string[] {
  const e = auditEventsTable;
  const rows = db
    .select({ payload: e.payload })
    .from(e)
    .where(and(eq(e.assignmentId, assignmentId), eq(e.type, "assignment.reassigned")))
    .all();
  const holders = new Set<string>();
  for (const row of rows) {
    const payload: unknown = JSON.parse(row.payload);
    if (typeof payload === "object" && payload !== null && "fromDepartment" in payload && typeof payload.fromDepartment === "string") {
      holders.add(payload.fromDepartment);
    }
  }
  return [...holders];
}
