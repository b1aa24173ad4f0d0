import type { AuditEventRow } from "@countersign/db";

/** One audit event as the API returns it. */
export interface AuditEntry {
  id: number;
  seq: number;
  /** UTC ISO time. */
  at: string;
  type: string;
  actor: { userId: number | null; username: string | null; role: string | null; department: string | null };
  planId: number | null;
  measureNumber: number | null;
  assignmentId: number | null;
  department: string | null;
  from: string | null;
  to: string | null;
  payload: Record<string, unknown>;
  hash: string;
}

export function auditEntryOf(row: AuditEventRow): AuditEntry {
  return {
    id: row.id,
    seq: row.seq,
    at: row.at,
    type: row.type,
    actor: {
      userId: row.actorUserId,
      username: row.actorUsername,
      role: row.actorRole,
      department: row.actorDepartment,
    },
    planId: row.planId,
    measureNumber: row.measureNumber,
    assignmentId: row.assignmentId,
    department: row.department,
    from: row.fromStatus,
    to: row.toStatus,
    payload: parsePayload(row.payload),
    hash: row.hash,
  };
}

function parsePayload(text: string): Record<string, unknown> {
  const value: unknown = JSON.parse(text);
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
