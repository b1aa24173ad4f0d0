import { eq } from "drizzle-orm";
import { appendAuditEvent, ensureOrganisationDepartments } from "@countersign/db";
import type { Queryable } from "@countersign/db";
import { organisationsTable } from "@countersign/db/schema";
import type { LocalDepartment } from "@countersign/domain";
import { organisationTreeOf } from "./cascade-read.js";

/**
 * A local department's code (`<organisation>-<line>`, "440000-MOF") of a known organisation registers that
 * organisation's member departments (the domain's default register of its level), as a register unit joins the
 * installation with its first account: so an administrator can make a province's first accounts, its office's
 * coordinator among them. Each department added gets a `department.added` event with `actor`. Returns whether `code`
 * is now a department. Runs in the caller's transaction.
 */
export function ensureLocalDepartment(tx: Queryable, code: string, at: string, actor: { userId: number | null; username: string | null; role: string }): boolean {
  const organisation = /^(\d{6})-[A-Z][A-Z0-9_]{1,15}$/.exec(code)?.[1];
  if (organisation === undefined) return false;
  if (tx.select({ id: organisationsTable.id }).from(organisationsTable).where(eq(organisationsTable.id, organisation)).get() === undefined) return false;
  const members = organisationTreeOf(tx, [organisation]).byId.get(organisation)?.members ?? [];
  const added = ensureOrganisationDepartments(tx, organisation, members);
  recordLocalDepartmentsAdded(tx, { actorUserId: actor.userId, actorUsername: actor.username, actorRole: actor.role, actorDepartment: null }, organisation, members, added, "account", at);
  return members.some((m) => m.code === code);
}

/**
 * One `department.added` event per local department just registered (`added`, codes among `members`), shaped as the
 * register's and the administrator's (audit-events.ts): code, names, kind "local", and the organisation and the act
 * that registered it (`source`: an organisation's first plan derived, or its first account made).
 */
export function recordLocalDepartmentsAdded(
  tx: Queryable,
  actor: { actorUserId: number | null; actorUsername: string | null; actorRole: string | null; actorDepartment: string | null },
  organisation: string,
  members: readonly LocalDepartment[],
  added: readonly string[],
  source: "cascade" | "account",
  at: string,
): void {
  for (const code of added) {
    const member = members.find((m) => m.code === code);
    if (member === undefined) continue;
    appendAuditEvent(tx, {
      at,
      type: "department.added",
      ...actor,
      department: code,
      payload: { code, source, nameZh: member.nameZh, nameEn: member.nameEn, kind: "local", organisation },
    });
  }
}
