import type { AssignmentStatus, DepartmentSuccessor, Justification, Role } from "@countersign/domain";
import type { PlanStatus } from "../../schema/plans.js";

/** A department as stored (`departments`): the columns the screens show. */
export interface CatalogDepartment {
  code: string;
  nameEn: string;
  nameZh: string;
  shortEn: string;
  shortZh: string;
  /** Order of signature on the Chinese original. */
  signatureOrder: number;
  /** Parsed JSON on either engine. */
  successor: DepartmentSuccessor | null;
}

/** A plan (分工方案) as stored (`plans`): times UTC ISO, dates YYYY-MM-DD. */
export interface PlanRecord {
  id: number;
  key: string;
  titleEn: string;
  titleZh: string;
  documentNumber: string;
  issuedOn: string;
  publishedOn: string;
  leadDepartment: string;
  status: PlanStatus;
  assignedAt: string | null;
  assignedByUserId: number | null;
  defaultDueDate: string | null;
  createdAt: string;
  organisationId: string;
  implementsPlanId: number | null;
}

export interface SectionRecord {
  number: number;
  numeral: string;
  title: string;
}

/** A measure as stored (`measures`), with its closing (办结) and reopening. */
export interface MeasureRecord {
  id: number;
  planId: number;
  number: number;
  sectionNumber: number;
  title: string;
  text: string;
  textCut: boolean;
  statedDueDate: string | null;
  statedDeadline: string | null;
  closed: boolean;
  closedAt: string | null;
  closedByUserId: number | null;
  closeNote: string | null;
  reopenedAt: string | null;
  reopenedByUserId: number | null;
  reopenNote: string | null;
  version: number;
  originMeasureId: number | null;
}

/** A measure's text in the plan's other language (`measure_translations`). */
export interface MeasureTranslationRecord {
  measureId: number;
  language: "zh" | "en";
  title: string;
  text: string;
  textCut: boolean;
}

/** One department's role in one measure (`responsibilities`). */
export interface ResponsibilityRecord {
  measureNumber: number;
  department: string;
  role: Role;
  justification: Justification | null;
}

/** An assignment with its time of issue (立项交办), as the exports overlay and replay it (the domain's AssignmentRecord). */
export interface IssuedAssignmentRecord {
  id: number;
  measureNumber: number;
  department: string;
  role: Role;
  status: AssignmentStatus;
  /** "ongoing" or YYYY-MM-DD. */
  dueDate: string;
  /** UTC ISO. */
  issuedAt: string;
  /** Where the holding department handed it (分办): a division, a handler, or neither. */
  divisionId: number | null;
  handlerUserId: number | null;
}

/** One event of a plan's audit trail, as the exports replay it "as of" a day (the domain's TrailEvent). */
export interface PlanTrailEventRecord {
  seq: number;
  /** UTC ISO. */
  at: string;
  type: string;
  assignmentId: number | null;
  measureNumber: number | null;
  fromStatus: string | null;
  toStatus: string | null;
  /** Canonical JSON text, as chained (on both engines). */
  payload: string;
  /** The department the event is about (an assignment's, or the measure event's), or null. */
  department: string | null;
}

/** What closing (办结) or reopening a measure sets, beside its version. */
export type MeasureClosureSet =
  | { closed: true; closedAt: string; closedByUserId: number; closeNote: string }
  | { closed: false; reopenedAt: string; reopenedByUserId: number; reopenNote: string };

/** One plan's count of rows (measures or assignments). */
export interface PlanCount {
  planId: number;
  n: number;
}

/** A page of the catalogue, as asked of the store (the service clamps the limit and decodes the cursor). */
export interface PlanPageRead {
  /** Only this organisation's plans; absent: every plan. */
  organisation?: string | undefined;
  /** Only the plans strictly before this (issued date, id) in the newest-first order. */
  after?: { issuedOn: string; id: number } | null | undefined;
  /** A substring (already folded by the domain's parseSearchQuery) of either title, the document number or the key. */
  search?: string | undefined;
  /** At most this many rows. */
  limit: number;
}

/**
 * The plans and their division of work as the read-only screens load them (catalog.*, matrix.get, tracking).
 * Orders are part of each verb's contract, the same on both engines (text compared bytewise).
 */
export interface CatalogRepo {
  /** The departments, every one or `organisation`'s only, by order of signature then code. */
  departments(organisation?: string): Promise<CatalogDepartment[]>;
  /** A plan, or undefined. */
  plan(planId: number): Promise<PlanRecord | undefined>;
  /** The plan with this key, or undefined. */
  planIdByKey(key: string): Promise<number | undefined>;
  /** A plan's member departments' codes, in order of signature (their position). */
  planMemberDepartments(planId: number): Promise<string[]>;
  /** A plan's sections by number. */
  sections(planId: number): Promise<SectionRecord[]>;
  /** A plan's measures by number. */
  measures(planId: number): Promise<MeasureRecord[]>;
  /** One measure of a plan by its number, or undefined. */
  measure(planId: number, measureNumber: number): Promise<MeasureRecord | undefined>;
  /** The translations of these measures (any order). */
  measureTranslations(measureIds: readonly number[]): Promise<MeasureTranslationRecord[]>;
  /** A plan's division of work: by measure number, then position (the lead first). */
  responsibilities(planId: number): Promise<ResponsibilityRecord[]>;
  /** The id of the first plan stored (the lowest), or undefined when there is none: the exports' last default. */
  firstPlanId(): Promise<number | undefined>;
  /** A plan's assignments with their time of issue, by id (what the exports overlay and replay). */
  issuedAssignments(planId: number): Promise<IssuedAssignmentRecord[]>;
  /** A plan's whole audit trail (events on measures as well as assignments), by seq: the exports' "as of" replay and the tracking trend. */
  planTrail(planId: number): Promise<PlanTrailEventRecord[]>;
  /** A page of plans, newest first (issued date, then id, descending). */
  planPage(read: PlanPageRead): Promise<PlanRecord[]>;
  /** These plans (of `organisation` only, when given), by id. */
  plansById(planIds: readonly number[], organisation?: string): Promise<PlanRecord[]>;
  /** The number of measures and of assignments of each of these plans that has any (any order). */
  measureCounts(planIds: readonly number[]): Promise<PlanCount[]>;
  assignmentCounts(planIds: readonly number[]): Promise<PlanCount[]>;
  /**
   * Closes or reopens a measure if it is still at `expectedVersion`, bumping the version by one (the optimistic check
   * of measure.close / measure.reopen). Resolves with the row after, or undefined when another change won the race.
   */
  recordMeasureClosure(measureId: number, expectedVersion: number, set: MeasureClosureSet): Promise<MeasureRecord | undefined>;
}
