import { localDepartmentRow } from "@countersign/db";
import type { AnyStoreTransaction, AuditEventInput } from "@countersign/db";
import type { LocalDepartment } from "@countersign/domain";
import { membersOfOrganisation } from "./cascade-read.js";

/** The organisation a local department's code names ("440000-MOF" → "440000"); undefined for any other code. */
function organisationOfLocalCode(code: string): string | undefined {
  return /^(\d{6})-[A-Z][A-Z0-9_]{1,15}$/.exec(code)?.[1];
}

/**
 * The `department.added` event of one local department registered, shaped as the register's and the administrator's
 * (audit-events.ts): code, names, kind "local", and the organisation and the act that registered it (`source`: an
 * organisation's first plan derived, or its first account made).
 */
export function localDepartmentAddedEvent(
  actor: { actorUserId: number | null; actorUsername: string | null; actorRole: string | null; actorDepartment: string | null },
  organisation: string,
  member: LocalDepartment,
  source: "cascade" | "account",
  at: string,
): AuditEventInput {
  return {
    at,
    type: "department.added",
    ...actor,
    department: member.code,
    payload: { code: member.code, source, nameZh: member.nameZh, nameEn: member.nameEn, kind: "local", organisation },
  };
}

/**
 * A local department's code (`<organisation>-<line>`, "440000-MOF") of a known organisation registers that
 * organisation's member departments (its registered ones, else the domain's default register of its level:
 * `membersOfOrganisation`), as a register unit joins the installation with its first account: so an administrator
 * can make a province's first accounts, its office's coordinator among them. Each department added gets a
 * `department.added` event with `actor` (source "account"). Returns whether `code` is now a department. Runs in the
 * caller's unit of work, on either engine (issue 13).
 */
export async function ensureLocalDepartmentIn(
  tx: AnyStoreTransaction,
  code: string,
  at: string,
  actor: { userId: number | null; username: string | null; role: string },
): Promise<boolean> {
  const organisation = organisationOfLocalCode(code);
  if (organisation === undefined) return false;
  const register = tx.repos.departmentRegister;
  const org = await register.organisation(organisation);
  if (org === undefined) return false;
  const registered = await register.localDepartmentsOf(organisation);
  const members = membersOfOrganisation(org, registered.length === 0 ? undefined : registered);
  const auditActor = { actorUserId: actor.userId, actorUsername: actor.username, actorRole: actor.role, actorDepartment: null };
  for (const [i, member] of members.entries()) {
    if ((await register.find(member.code)) !== undefined) continue;
    await register.add(localDepartmentRow(organisation, member, i));
    await tx.appendAuditEvent(localDepartmentAddedEvent(auditActor, organisation, member, "account", at));
  }
  return members.some((m) => m.code === code);
}
