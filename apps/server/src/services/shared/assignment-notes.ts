import { auditField } from "@countersign/domain";
import { parsePayload } from "./audit-view.js";

/** An extension request awaiting the lead ministry's decision, as lists show it. */
export interface PendingExtension {
  until: string;
  reason: string;
  /** UTC ISO time the department asked; null only for a request without its record (none made through the API). */
  requestedAt: string | null;
}

/**
 * Each assignment's latest decline reason from its `assignment.declined` events' payloads (JSON text), given oldest
 * first: a later decline (after a reaffirmation) replaces an earlier one. The rule the inbox and
 * the tracking overview share.
 */
export function declineReasonsFrom(rows: ReadonlyArray<{ assignmentId: number | null; payload: string }>): Map<number, string> {
  const reasons = new Map<number, string>();
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

/** The assignment's pending extension (kept on its row) with the time it was asked. */
export function pendingExtensionWithTime(
  row: { id: number; pendingExtensionUntil: string | null; pendingExtensionReason: string | null },
  times: ReadonlyMap<number, string>,
): PendingExtension | null {
  if (row.pendingExtensionUntil === null) return null;
  return { until: row.pendingExtensionUntil, reason: row.pendingExtensionReason ?? "", requestedAt: times.get(row.id) ?? null };
}
