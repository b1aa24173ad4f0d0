import type { Person } from "@countersign/domain";
import type { AuditEventRow, Repositories } from "@countersign/db";
import { peopleThrough } from "./people-view.js";

/** One audit event as the API returns it. */
export interface AuditEntry {
  id: number;
  seq: number;
  /** UTC ISO time. */
  at: string;
  type: string;
  actor: {
    userId: number | null;
    /** The user name recorded with the event (kept for the record; views name the `person`). */
    username: string | null;
    role: string | null;
    department: string | null;
    /** Who did it, for `personLabel`: display names and the department they acted for; null for the command line. */
    person: Person | null;
  };
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
      person: null,
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

/** A page of audit events as entries, the people behind them read through the store's repositories (either engine). */
export async function auditEntriesThrough(repos: Repositories, rows: readonly AuditEventRow[]): Promise<AuditEntry[]> {
  return auditEntriesWith(rows, await peopleThrough(repos, rows.map((r) => ({ userId: r.actorUserId, department: r.actorDepartment }))));
}

function auditEntriesWith(rows: readonly AuditEventRow[], people: ReadonlyArray<Person | null>): AuditEntry[] {
  return rows.map((row, i) => {
    const entry = auditEntryOf(row);
    return { ...entry, actor: { ...entry.actor, person: people[i] ?? null } };
  });
}

/**
 * A stored audit payload as an object, for reading its keys through the domain's `auditField`: {} when the text is
 * not a JSON object (an edited row; the audit verification names it).
 */
export function parsePayload(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
