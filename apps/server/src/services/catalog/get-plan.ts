import { textLanguageOf } from "@countersign/domain";
import type { DepartmentCode, Justification, Language, Measure, Role, Section, StatedDeadline } from "@countersign/domain";
import type { MeasureRecord, Repositories } from "@countersign/db";
import { translationMapOf } from "../plan/add-translation.js";
import type { MeasureTranslation } from "../plan/add-translation.js";
import { planFound } from "../shared/plan-lookup.js";
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

/** A plan's detail from its rows: the one shape `readPlanDetail` answers (the API, the matrix, the exports). */
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
  // One after another, not in parallel: inside a snapshot or a unit of work (the exports read in one) PostgreSQL runs
  // them on one connection, where node-postgres queues concurrent queries and deprecates doing so (pg 9 refuses it).
  const departments = await repos.catalog.planMemberDepartments(planId);
  const sections = await repos.catalog.sections(planId);
  const measures = await repos.catalog.measures(planId);
  const responsibilities = await repos.catalog.responsibilities(planId);
  const translations = translationMapOf(await repos.catalog.measureTranslations(measures.map((m) => m.id)));
  return planDetailOf({ plan, departments, sections, measures, translations, responsibilities });
}
