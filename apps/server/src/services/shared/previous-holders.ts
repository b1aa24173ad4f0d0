import { and, eq } from "drizzle-orm";
import { auditField } from "@countersign/domain";
import type { Queryable } from "@countersign/db";
import { auditEventsTable } from "@countersign/db/schema";
import { parsePayload } from "./audit-view.js";

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
  return previousHoldersFrom(rows.map((r) => r.payload));
}

/** The departments named left by these `assignment.reassigned` payloads (text, either engine's), each once. */
export function previousHoldersFrom(payloads: readonly string[]): string[] {
  const holders = new Set<string>();
  for (const payload of payloads) {
    const from = auditField("assignment.reassigned", parsePayload(payload), "fromDepartment");
    if (from !== null) holders.add(from);
  }
  return [...holders];
}
