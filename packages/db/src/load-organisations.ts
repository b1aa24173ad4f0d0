import { inArray } from "drizzle-orm";
import { defaultOrganisations } from "@countersign/domain";
import type { LocalDepartment, Organisation } from "@countersign/domain";
import type { Queryable } from "./client.js";
import { departmentsTable } from "./schema/departments.js";
import { organisationsTable } from "./schema/organisations.js";
import type { NewDepartment } from "./store/repos/department-register.js";

/*
 * The organisation tree of issue 16 comes from the domain's fixture (the national level, the 31 provincial units and
 * a sample of prefectures and counties). Rows are only added, never overwritten: an office may correct its names.
 */

/**
 * Adds every organisation of `list` the table lacks, in the list's order (`position`). Idempotent; safe at every start.
 * Returns how many were added. Runs in the caller's transaction.
 */
export function loadOrganisations(tx: Queryable, list: readonly Organisation[] = defaultOrganisations()): number {
  let added = 0;
  list.forEach((o, position) => {
    const result = tx
      .insert(organisationsTable)
      .values({
        id: o.id,
        parentId: o.parent,
        level: o.level,
        kind: o.kind,
        nameZh: o.nameZh,
        nameEn: o.nameEn,
        officeNameZh: o.office.nameZh,
        officeNameEn: o.office.nameEn,
        officeHost: o.office.host,
        position,
      })
      .onConflictDoNothing()
      .run();
    added += result.changes;
  });
  return added;
}

/** Where an organisation's member departments are listed, after the central departments and the register's units. */
const localOrderBase = 10_000;

/**
 * Registers an organisation's member departments (the domain's local register: 浙江省财政厅 …) as departments rows of
 * that organisation, those missing only, so that plans, division and accounts can name them. Returns the codes added.
 * Runs in the caller's transaction; the caller audits.
 */
export function ensureOrganisationDepartments(tx: Queryable, organisationId: string, members: readonly LocalDepartment[]): string[] {
  if (members.length === 0) return [];
  const present = new Set(
    tx
      .select({ code: departmentsTable.code })
      .from(departmentsTable)
      .where(
        inArray(
          departmentsTable.code,
          members.map((m) => m.code),
        ),
      )
      .all()
      .map((r) => r.code),
  );
  const added: string[] = [];
  members.forEach((m, i) => {
    if (present.has(m.code)) return;
    tx.insert(departmentsTable).values(localDepartmentRow(organisationId, m, i)).run();
    added.push(m.code);
  });
  return added;
}

/** The departments row of an organisation's member department, the `index`-th of its register (listing order). */
export function localDepartmentRow(organisationId: string, member: LocalDepartment, index: number): NewDepartment {
  return {
    code: member.code,
    nameZh: member.nameZh,
    nameEn: member.nameEn,
    // A local department is named in full everywhere: the short names of the centre (财政部) do not apply.
    shortZh: member.nameZh,
    shortEn: member.nameEn,
    signatureOrder: localOrderBase + index,
    successor: null,
    kind: "local",
    organisationId,
    line: member.line,
  };
}
