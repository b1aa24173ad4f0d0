/**
 * Every audit event a test wrote, checked against its type's payload schema (the domain's `auditEventSchemas`): the
 * harness runs this when a test closes its database, so each run of the server suite checks every event type its
 * tests write (issue 13, point 2: typed audit events).
 */
import { auditPayloadIssues } from "@countersign/domain";
import type { OpenedDatabase } from "@countersign/db";

/** The problems of the stored events' payloads (type, seq, what does not fit); empty when every one fits. */
export function auditPayloadProblems(database: OpenedDatabase): string[] {
  const rows = database.sqlite.prepare("SELECT seq, type, payload FROM audit_events ORDER BY seq").all() as Array<{ seq: number; type: string; payload: string }>;
  const problems: string[] = [];
  for (const row of rows) {
    let payload: unknown;
    try {
      payload = JSON.parse(row.payload);
    } catch {
      problems.push(`#${row.seq} ${row.type}: the payload is not JSON`);
      continue;
    }
    for (const issue of auditPayloadIssues(row.type, payload)) problems.push(`#${row.seq} ${issue}`);
  }
  return problems;
}

/** Throws, naming the first problems, when an event's payload does not fit its schema. */
export function assertAuditPayloadsTyped(database: OpenedDatabase): void {
  const problems = auditPayloadProblems(database);
  if (problems.length > 0) throw new Error(`Audit payloads that do not fit their schema:\n${problems.slice(0, 10).join("\n")}`);
}
