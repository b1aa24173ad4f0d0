import { asc, eq } from "drizzle-orm";
import { textLanguageOf } from "@countersign/domain";
import type { DepartmentCode, Justification, Language, Measure, Role, Section, StatedDeadline } from "@countersign/domain";
import type { Queryable } from "@countersign/db";
import { measuresTable, planDepartmentsTable, responsibilitiesTable, sectionsTable } from "@countersign/db/schema";
import { translationsOf } from "../plan/add-translation.js";
import type { MeasureTranslation } from "../plan/add-translation.js";
import { planOrNotFound } from "../shared/plan-lookup.js";
import type { PlanRow } from "../shared/plan-lookup.js";

export interface PlanMeasure extends Measure {
  /** The deadline the imported document states for the measure, or null; issuing uses it unless given another. */
  statedDeadline: StatedDeadline | null;
  closed: boolean;
  closedAt: string | null;
  /** The language `text` is written in (the domain's textLanguageOf). */
  textLanguage: Language;
  /** The text in the other language, when the coordinator added it (plan.addTranslation). */
  translation: MeasureTranslation | null;
}

export interface PlanResponsibility {
  measureNumber: number;
  department: DepartmentCode;
  role: Role;
  /** Why it was proposed; null when the coordinator set it. */
  justification: Justification | null;
}

export interface PlanDetail {
  plan: Omit<PlanRow, "assignedByUserId" | "createdAt">;
  /** Member departments, in order of signature. */
  departments: DepartmentCode[];
  sections: Section[];
  measures: PlanMeasure[];
  /** Per measure: the lead first, then supporting departments in order. */
  responsibilities: PlanResponsibility[];
}

/** A plan with its sections, measures and division of work: the same shape as the domain's PlanDocument. */
export function getPlan(db: Queryable, planId: number): PlanDetail {
  const { assignedByUserId: _by, createdAt: _created, ...plan } = planOrNotFound(db, planId);
  const departments = db
    .select({ department: planDepartmentsTable.department })
    .from(planDepartmentsTable)
    .where(eq(planDepartmentsTable.planId, planId))
    .orderBy(asc(planDepartmentsTable.position))
    .all()
    .map((d) => d.department);
  const sections = db
    .select({ number: sectionsTable.number, numeral: sectionsTable.numeral, title: sectionsTable.title })
    .from(sectionsTable)
    .where(eq(sectionsTable.planId, planId))
    .orderBy(asc(sectionsTable.number))
    .all();
  const measureRows = db.select().from(measuresTable).where(eq(measuresTable.planId, planId)).orderBy(asc(measuresTable.number)).all();
  const translations = translationsOf(
    db,
    measureRows.map((m) => m.id),
  );
  const measures = measureRows.map((m) => ({
      number: m.number,
      section: m.sectionNumber,
      title: m.title,
      text: m.text,
      textCut: m.textCut,
      statedDeadline: m.statedDueDate === null ? null : { dueDate: m.statedDueDate, stated: m.statedDeadline ?? m.statedDueDate },
      closed: m.closed,
      closedAt: m.closedAt,
      textLanguage: textLanguageOf(m.text),
      translation: translations.get(m.id) ?? null,
    }));
  const responsibilities = db
    .select({
      measureNumber: responsibilitiesTable.measureNumber,
      department: responsibilitiesTable.department,
      role: responsibilitiesTable.role,
      justification: responsibilitiesTable.justification,
    })
    .from(responsibilitiesTable)
    .where(eq(responsibilitiesTable.planId, planId))
    .orderBy(asc(responsibilitiesTable.measureNumber), asc(responsibilitiesTable.position))
    .all()
    .map((r) => ({ ...r, justification: r.justification ?? null }));
  return { plan, departments, sections, measures, responsibilities };
}
