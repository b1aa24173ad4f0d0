import { eq, isNull } from "drizzle-orm";
import { defaultPlan, departments, proposedDivision2020, registerEntry } from "@countersign/domain";
import type { Department, Justification, PlanDocument, ProposedResponsibility, Responsibility } from "@countersign/domain";
import { appendAuditEvent } from "./audit.js";
import type { CountersignDb, Queryable } from "./client.js";
import { writeTransaction } from "./client.js";
import { loadOrganisations } from "./load-organisations.js";
import { departmentsTable } from "./schema/departments.js";
import { measuresTable } from "./schema/measures.js";
import { planDepartmentsTable, plansTable } from "./schema/plans.js";
import { responsibilitiesTable } from "./schema/responsibilities.js";
import { sectionsTable } from "./schema/sections.js";
import { draftPlanRows } from "./store/draft-plan-rows.js";

/**
 * Inserts or refreshes the departments (names may be corrected in a later release; codes never change). A department
 * an administrator renamed (`edited_at` set) keeps the administrator's names.
 */
export function loadDepartments(tx: Queryable, list: readonly Department[]): void {
  for (const d of list) {
    const row = {
      code: d.code,
      nameEn: d.nameEn,
      nameZh: d.nameZh,
      shortEn: d.shortEn,
      shortZh: d.shortZh,
      signatureOrder: d.order,
      successor: d.successor,
      kind: registerEntry(d.code)?.kind ?? "ministry",
    };
    // The code is the key and never changes: leaving it out of the update keeps SQLite from checking every row that
    // references the department (a full scan of the responsibilities at every start, seconds on a large database).
    const { code: _code, ...names } = row;
    tx.insert(departmentsTable)
      .values(row)
      .onConflictDoUpdate({ target: departmentsTable.code, set: names, setWhere: isNull(departmentsTable.editedAt) })
      .run();
  }
}

export interface LoadedPlan {
  planId: number;
  /** False when a plan with the same key was already there (loading is idempotent by key). */
  created: boolean;
}

/** A responsibility to store: proposed ones carry their justification; one set by hand has none. */
export type PlanResponsibilityInput = Responsibility & { justification?: Justification | null };

/**
 * Writes a plan document as a draft with its division of work, inside the caller's transaction: the plan, its
 * member departments, sections, measures and responsibilities (`draftPlanRows`: lead first, then supporting
 * departments in the order given). No audit event and no check of the key: the caller does both. Returns the new
 * plan's id. `organisationId` defaults to the national office's ("CN").
 */
export function insertPlanDocument(
  tx: Queryable,
  plan: PlanDocument,
  responsibilities: readonly PlanResponsibilityInput[],
  createdAt: string,
  organisationId?: string,
): number {
  const rows = draftPlanRows(plan, responsibilities);
  const inserted = tx
    .insert(plansTable)
    .values({
      key: plan.key,
      titleEn: plan.titleEn,
      titleZh: plan.titleZh,
      documentNumber: plan.documentNumber,
      issuedOn: plan.issuedOn,
      publishedOn: plan.publishedOn,
      leadDepartment: plan.leadDepartment,
      status: "draft",
      createdAt,
      ...(organisationId === undefined ? {} : { organisationId }),
    })
    .returning({ id: plansTable.id })
    .get();
  const planId = inserted.id;
  for (const m of rows.members) tx.insert(planDepartmentsTable).values({ planId, ...m }).run();
  for (const s of rows.sections) tx.insert(sectionsTable).values({ planId, ...s }).run();
  const measureIds = new Map<number, number>();
  for (const m of rows.measures) {
    measureIds.set(m.number, tx.insert(measuresTable).values({ planId, ...m }).returning({ id: measuresTable.id }).get().id);
  }
  for (const r of rows.responsibilities) {
    const measureId = measureIds.get(r.measureNumber);
    if (measureId === undefined) throw new Error(`responsibility for unknown measure ${r.measureNumber}`);
    tx.insert(responsibilitiesTable).values({ planId, measureId, ...r }).run();
  }
  return planId;
}

/**
 * Loads a plan document as a draft with its proposed division of work, unless a plan with the same key exists.
 * One transaction, with a `plan.loaded` audit event.
 */
export function loadPlan(
  db: CountersignDb,
  plan: PlanDocument,
  proposed: readonly ProposedResponsibility[],
  at: string = new Date().toISOString(),
): LoadedPlan {
  return writeTransaction(db, (tx) => {
    const existing = tx.select({ id: plansTable.id }).from(plansTable).where(eq(plansTable.key, plan.key)).get();
    if (existing !== undefined) return { planId: existing.id, created: false };
    const planId = insertPlanDocument(tx, plan, proposed, at);
    appendAuditEvent(tx, {
      at,
      type: "plan.loaded",
      actorUserId: null,
      actorUsername: null,
      actorRole: "system",
      actorDepartment: null,
      planId,
      payload: { key: plan.key, measures: plan.measures.length, responsibilities: proposed.length },
    });
    return { planId, created: true };
  });
}

/** The departments, the organisation tree (issue 16) and the default plan (the 2020 opinions) with its proposed division; safe to call at every start. */
export function loadDefaultPlan(db: CountersignDb, at?: string): LoadedPlan {
  writeTransaction(db, (tx) => {
    loadDepartments(tx, departments);
    loadOrganisations(tx);
  });
  return loadPlan(db, defaultPlan, proposedDivision2020, at);
}
