import { asc, count, eq } from "drizzle-orm";
import type { Queryable } from "@countersign/db";
import { assignmentsTable, measuresTable, plansTable } from "@countersign/db/schema";
import type { PlanStatus } from "@countersign/db/schema";

export interface PlanListItem {
  id: number;
  key: string;
  titleEn: string;
  titleZh: string;
  documentNumber: string;
  issuedOn: string;
  publishedOn: string;
  leadDepartment: string;
  status: PlanStatus;
  /** When the lead ministry issued it to the departments (UTC ISO), if it has. */
  assignedAt: string | null;
  defaultDueDate: string | null;
  measures: number;
  assignments: number;
}

export function listPlans(db: Queryable): PlanListItem[] {
  const measureCounts = new Map(
    db
      .select({ planId: measuresTable.planId, n: count() })
      .from(measuresTable)
      .groupBy(measuresTable.planId)
      .all()
      .map((r) => [r.planId, r.n]),
  );
  const assignmentCounts = new Map(
    db
      .select({ planId: assignmentsTable.planId, n: count() })
      .from(assignmentsTable)
      .groupBy(assignmentsTable.planId)
      .all()
      .map((r) => [r.planId, r.n]),
  );
  return db
    .select()
    .from(plansTable)
    .orderBy(asc(plansTable.id))
    .all()
    .map((p) => ({
      id: p.id,
      key: p.key,
      titleEn: p.titleEn,
      titleZh: p.titleZh,
      documentNumber: p.documentNumber,
      issuedOn: p.issuedOn,
      publishedOn: p.publishedOn,
      leadDepartment: p.leadDepartment,
      status: p.status,
      assignedAt: p.assignedAt,
      defaultDueDate: p.defaultDueDate,
      measures: measureCounts.get(p.id) ?? 0,
      assignments: assignmentCounts.get(p.id) ?? 0,
    }));
}

/** The id of the plan with this key, if loaded. */
export function planIdByKey(db: Queryable, key: string): number | null {
  return db.select({ id: plansTable.id }).from(plansTable).where(eq(plansTable.key, key)).get()?.id ?? null;
}
