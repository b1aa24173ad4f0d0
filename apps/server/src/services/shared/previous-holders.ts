import { auditField } from "@countersign/domain";
import { parsePayload } from "./audit-view.js";

/** The departments an assignment's `assignment.reassigned` events (their payloads, JSON text) say it left. */
export function previousHoldersFrom(payloads: readonly string[]): string[] {
  const holders = new Set<string>();
  for (const payload of payloads) {
    const from = auditField("assignment.reassigned", parsePayload(payload), "fromDepartment");
    if (from !== null) holders.add(from);
  }
  return [...holders];
}
