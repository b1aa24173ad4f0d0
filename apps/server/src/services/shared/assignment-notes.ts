import { and, asc, eq, inArray } from "drizzle-orm";
import { auditField } from "@countersign/domain";
import type { Queryable } from "@countersign/db";
import { auditEventsTable, extensionRequestsTable } from "@countersign/db/schema";
import { parsePayload } from "./audit-view.js";

/** An extension request awaiting the lead ministry's decision, as lists show it. */
export interface PendingExtension {
  until: string;
  reason: string;
  /** UTC ISO time the department asked; null only for a request without its record (none made through the API). */
  requestedAt: string | null;
}

/** SQLite limits the variables of one statement; lists of ids are read in slices. */
const slice = 500;

function inSlices<T>(ids: readonly number[], read: (part: number[]) => T[]): T[] {
  const unique = [...new Set(ids)];
  const out: T[] = [];
  for (let i = 0; i < unique.length; i += slice) out.push(...read(unique.slice(i, i + slice)));
  return out;
}

/**
 * The reason given with each assignment's latest decline (申请调整理由), from its `assignment.declined` events: lists show
 * it beside a declined assignment without the browser fetching each assignment's history.
 */
export function latestDeclineReasons(db: Queryable, assignmentIds: readonly number[]): Map<number, string> {
  const e = auditEventsTable;
  const rows = inSlices(assignmentIds, (part) =>
    db
      .select({ assignmentId: e.assignmentId, payload: e.payload })
      .from(e)
      .where(and(inArray(e.assignmentId, part), eq(e.type, "assignment.declined")))
      .orderBy(asc(e.id))
      .all(),
  );
  return latestDeclineReasonsOf(rows);
}

/**
 * Each assignment's latest decline reason from its `assignment.declined` events given oldest first (either engine's
 * rows): the rule `latestDeclineReasons` and the store's readers share.
 */
export function latestDeclineReasonsOf(rows: ReadonlyArray<{ assignmentId: number | null; payload: string }>): Map<number, string> {
  const reasons = new Map<number, string>();
  // Oldest first: a later decline (after a reaffirmation) replaces an earlier one.
  for (const row of rows) {
    if (row.assignmentId === null) continue;
    const reason = reasonOf(row.payload);
    if (reason !== null) reasons.set(row.assignmentId, reason);
  }
  return reasons;
}

/** The reason a decline gave (read through the event type's schema), or null. */
function reasonOf(payload: string): string | null {
  return auditField("assignment.declined", parsePayload(payload), "reason");
}

/** When each assignment's pending extension request was made (at most one awaits a decision). */
export function pendingExtensionTimes(db: Queryable, assignmentIds: readonly number[]): Map<number, string> {
  const x = extensionRequestsTable;
  const rows = inSlices(assignmentIds, (part) =>
    db
      .select({ assignmentId: x.assignmentId, requestedAt: x.createdAt })
      .from(x)
      .where(and(inArray(x.assignmentId, part), eq(x.status, "pending")))
      .orderBy(asc(x.id))
      .all(),
  );
  return new Map(rows.map((r) => [r.assignmentId, r.requestedAt]));
}

/** The assignment's pending extension (kept on its row) with the time it was asked. */
export function pendingExtensionWithTime(
  row: { id: number; pendingExtensionUntil: string | null; pendingExtensionReason: string | null },
  times: ReadonlyMap<number, string>,
): PendingExtension | null {
  if (row.pendingExtensionUntil === null) return null;
  return { until: row.pendingExtensionUntil, reason: row.pendingExtensionReason ?? "", requestedAt: times.get(row.id) ?? null };
}
