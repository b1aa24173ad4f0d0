import { asc, eq } from "drizzle-orm";
import { textLanguageOf } from "@countersign/domain";
import type { DepartmentCode, Justification, Language, Measure, Role, Section, StatedDeadline } from "@countersign/domain";
import type { MeasureRecord, Queryable, Repositories } from "@countersign/db";
import { measuresTable, planDepartmentsTable, responsibilitiesTable, sectionsTable } from "@countersign/db/schema";
import { translationMapOf, translationsOf } from "../plan/add-translation.js";
import type { MeasureTranslation } from "../plan/add-translation.js";
import { planFound, planOrNotFound } from "../shared/plan-lookup.js";
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

/** What `planDetailOf` assembles a plan's detail from: the rows as stored, in the orders the store reads them. */
export interface PlanDetailRows {
  plan: PlanRow;
  departments: DepartmentCode[];
  sections: Section[];
  /** By number. */
  measures: MeasureRecord[];
  translations: ReadonlyMap<number, MeasureTranslation>;
  /** By measure number, then position. */
  responsibilities: PlanResponsibility[];
}

/** A plan's detail from its rows: the one shape both the API (`readPlanDetail`) and the exports (`getPlan`) answer. */
export function planDetailOf(rows: PlanDetailRows): PlanDetail {
  const { assignedByUserId: _by, createdAt: _created, ...plan } = rows.plan;
  const measures = rows.measures.map((m) => ({
    number: m.number,
    section: m.sectionNumber,
    title: m.title,
    text: m.text,
    textCut: m.textCut,
    statedDeadline: m.statedDueDate === null ? null : { dueDate: m.statedDueDate, stated: m.statedDeadline ?? m.statedDueDate },
    closed: m.closed,
    closedAt: m.closedAt,
    textLanguage: textLanguageOf(m.text),
    translation: rows.translations.get(m.id) ?? null,
  }));
  return { plan, departments: rows.departments, sections: rows.sections, measures, responsibilities: rows.responsibilities };
}

/**
 * A plan with its sections, measures and division of work (the same shape as the domain's PlanDocument), read through
 * the store on either engine.
 *
 * @throws ServiceError `not_found` for no such plan
 */
export async function readPlanDetail(repos: Repositories, planId: number): Promise<PlanDetail> {
  const plan = planFound(await repos.catalog.plan(planId), planId);
  const [departments, sections, measures, responsibilities] = await Promise.all([
    repos.catalog.planMemberDepartments(planId),
    repos.catalog.sections(planId),
    repos.catalog.measures(planId),
    repos.catalog.responsibilities(planId),
  ]);
  const translations = translationMapOf(await repos.catalog.measureTranslations(measures.map((m) => m.id)));
  return planDetailOf({ plan, departments, sections, measures, translations, responsibilities });
}

/**
 * The same, synchronously on SQLite: for the callers not yet on the store seam (the exports' build-export, the
 * matrix's loader until converted). The assembly is `planDetailOf`, shared with `readPlanDetail`.
 */
export function getPlan(db: Queryable, planId: number): PlanDetail {
  const plan = planOrNotFound(db, planId);
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
  const measures = db.select().from(measuresTable).where(eq(measuresTable.planId, planId)).orderBy(asc(measuresTable.number)).all();
  const translations = translationsOf(
    db,
    measures.map((m) => m.id),
  );
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
  return planDetailOf({ plan, departments, sections, measures, translations, responsibilities });
}
