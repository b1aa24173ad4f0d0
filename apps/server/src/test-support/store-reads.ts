import type { AssignmentRecord, AuditEventRow, SessionRow } from "@countersign/db";
import type { Harness } from "./harness.js";

// What a test reads back after its callers ran, through the callers' store (issue 13): on PostgreSQL `h.database` is
// only the seed the database was copied from, so a test that reads there sees none of what its callers changed.

/** Every audit event of the callers' store, in chain order (seq ascending); `type` keeps only events of that type. */
export async function auditEventsOf(h: Harness, type?: string): Promise<AuditEventRow[]> {
  const events: AuditEventRow[] = [];
  for (;;) {
    const after = events.at(-1)?.seq ?? 0;
    const page = await h.store.read((repos) => repos.auditReplay.eventsAfter(after, 1000));
    events.push(...page);
    if (page.length < 1000) break;
  }
  return type === undefined ? events : events.filter((e) => e.type === type);
}

/** The newest audit event of the callers' store (undefined for an empty trail). */
export async function lastAuditEventOf(h: Harness): Promise<AuditEventRow | undefined> {
  const last = await h.store.read((repos) => repos.auditReplay.lastEvent());
  if (last === undefined) return undefined;
  return h.store.read((repos) => repos.auditReplay.eventAt(last.seq));
}

/** Every stored session of every account, oldest first per account. */
export async function allSessionsOf(h: Harness): Promise<SessionRow[]> {
  return h.store.read(async (repos) => {
    const sessions: SessionRow[] = [];
    for (const account of await repos.accounts.list()) sessions.push(...(await repos.sessions.listOf(account.id)));
    return sessions;
  });
}

/** Every assignment of the plan as stored, in id order (the order a SQLite table scan reads them in). */
export async function assignmentsOn(h: Harness, planId: number = h.planId): Promise<AssignmentRecord[]> {
  return h.store.read(async (repos) => {
    const ids = (await repos.progress.assignmentsOfPlan(planId)).map((a) => a.id).sort((a, b) => a - b);
    const rows: AssignmentRecord[] = [];
    for (const id of ids) {
      const row = await repos.assignments.find(id);
      if (row !== undefined) rows.push(row);
    }
    return rows;
  });
}
