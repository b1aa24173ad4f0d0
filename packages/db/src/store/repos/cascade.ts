import type { AssignmentStatus, DivisionKind, OrganisationLevel, Role } from "@countersign/domain";

/**
 * Down the levels (issue 16): the organisation tree, one document's cascade of plans (the national plan and every
 * implementation plan below it), forwardings (转发) and the writes of forwarding, deriving an implementation plan and
 * adding a local measure. Plain rows; the services shape them for the domain's pure functions
 * (apps/server services/cascade). Organisation ids are the tree's codes ("CN", "450000" …).
 */
export interface CascadeRepo {
  /** Every organisation, in the tree's stored order (`position`). */
  organisations(): Promise<CascadeOrganisationRow[]>;
  /** The departments of these organisations, by listing order (`signature_order`). */
  memberDepartments(organisationIds: readonly string[]): Promise<CascadeMemberRow[]>;
  /**
   * The plans of `planId`'s document: up its `implements` chain to the plan of an organisation's own, then every
   * implementation plan below that at any depth (standard recursive SQL). Ids, the root first; [] for no such plan.
   */
  planFamily(planId: number): Promise<number[]>;
  /** One plan; undefined when there is none. */
  plan(planId: number): Promise<CascadePlanRow | undefined>;
  /** The plans among `planIds` (every plan when null) that are not withdrawn, by id. */
  livePlans(planIds: readonly number[] | null): Promise<CascadePlanRow[]>;
  /** The measures of these plans, by plan then number. */
  measuresOf(planIds: readonly number[]): Promise<CascadeMeasureRow[]>;
  /** The assignments of these plans (every plan's when null): what each measure's progress is derived from. */
  assignmentsOf(planIds: readonly number[] | null): Promise<CascadeAssignmentRow[]>;
  /** The responsibilities (division) of these plans (every plan's when null), by measure then position. */
  divisionOf(planIds: readonly number[] | null): Promise<CascadeResponsibilityRow[]>;
  /** The forwardings of these plans (every plan's when null), by id. */
  forwardingsOf(planIds: readonly number[] | null): Promise<ForwardingRow[]>;
  /** One forwarding; undefined when there is none. */
  forwarding(id: number): Promise<ForwardingRow | undefined>;
  /** The forwardings addressed to `organisation` still pending (not taken into a plan), by id. */
  pendingForwardingsTo(organisation: string): Promise<ForwardingRow[]>;
  /** The measures of these forwardings with their number and title, by forwarding then position. */
  forwardedMeasures(forwardingIds: readonly number[]): Promise<ForwardedMeasureRow[]>;
  /** The origins (the measures implemented) of the measures of `organisation`'s plans not withdrawn. */
  originsOfOwnPlans(organisation: string): Promise<Array<{ planId: number; origin: number }>>;
  /** How many plans of `organisation` implement `planId` (withdrawn ones included: their keys stay taken). */
  countImplementationPlans(organisation: string, planId: number): Promise<number>;
  /** The sections of a plan with these numbers. */
  sectionsOf(planId: number, numbers: readonly number[]): Promise<Array<{ number: number; numeral: string; title: string }>>;
  /** Writes a forwarding and its measures (in this order); returns its id. */
  addForwarding(row: NewForwarding, measureIds: readonly number[]): Promise<number>;
  /** Writes a draft implementation plan, its member departments (in order) and the parent's sections; returns its id. */
  addImplementationPlan(row: NewImplementationPlan, departments: readonly string[], sections: ReadonlyArray<{ number: number; numeral: string; title: string }>): Promise<number>;
  /** Writes a measure of a plan; returns its id. */
  addMeasure(row: NewCascadeMeasure): Promise<number>;
  /** Writes one responsibility of a measure (the division). */
  addResponsibility(row: { planId: number; measureId: number; measureNumber: number; department: string; role: Role; position: number }): Promise<void>;
  /**
   * The enabled coordinator accounts of these organisations (their leading-group offices): an account's organisation
   * is its department's, else its own. In id order.
   */
  coordinatorsOf(organisations: readonly string[]): Promise<Array<{ userId: number; organisation: string }>>;
  /** Marks these forwardings taken into `planId`. */
  markDerived(forwardingIds: readonly number[], planId: number): Promise<void>;
}

export interface CascadeOrganisationRow {
  id: string;
  parentId: string | null;
  level: OrganisationLevel;
  /** null only for the national level. */
  kind: DivisionKind | null;
  nameZh: string;
  nameEn: string;
  officeNameZh: string;
  officeNameEn: string;
  /** The code of the member department hosting its leading-group office. */
  officeHost: string;
}

export interface CascadeMemberRow {
  code: string;
  /** A local department's central line ("MOF"); null for a central department. */
  line: string | null;
  nameZh: string;
  nameEn: string;
  organisationId: string;
}

export interface CascadePlanRow {
  id: number;
  key: string;
  titleZh: string;
  titleEn: string;
  organisationId: string;
  status: "draft" | "issued" | "withdrawn";
  /** The plan it implements; null for a plan of an organisation's own. */
  implementsPlanId: number | null;
  /** "ongoing" or YYYY-MM-DD once issued; null before. */
  defaultDueDate: string | null;
}

export interface CascadeMeasureRow {
  id: number;
  planId: number;
  number: number;
  sectionNumber: number;
  title: string;
  text: string;
  statedDueDate: string | null;
  /** The measure of the parent's plan it implements; null for a local measure or a plan of its own. */
  originMeasureId: number | null;
  closed: boolean;
}

export interface CascadeAssignmentRow {
  measureId: number;
  role: Role;
  status: AssignmentStatus;
  /** "ongoing" or YYYY-MM-DD. */
  dueDate: string;
}

export interface CascadeResponsibilityRow {
  measureId: number;
  department: string;
  role: Role;
}

export interface ForwardingRow {
  id: number;
  planId: number;
  fromOrganisation: string;
  toOrganisation: string;
  /** YYYY-MM-DD (Beijing). */
  planDeadline: string;
  /** YYYY-MM-DD (Beijing). */
  forwardedOn: string;
  status: "pending" | "derived";
  derivedPlanId: number | null;
}

export interface ForwardedMeasureRow {
  forwardingId: number;
  measureId: number;
  number: number;
  title: string;
}

export interface NewForwarding {
  planId: number;
  fromOrganisation: string;
  toOrganisation: string;
  planDeadline: string;
  forwardedOn: string;
  /** UTC ISO. */
  forwardedAt: string;
  forwardedByUserId: number;
}

export interface NewImplementationPlan {
  key: string;
  titleZh: string;
  titleEn: string;
  /** YYYY-MM-DD (Beijing). */
  issuedOn: string;
  publishedOn: string;
  leadDepartment: string;
  /** UTC ISO. */
  createdAt: string;
  organisationId: string;
  implementsPlanId: number;
}

export interface NewCascadeMeasure {
  planId: number;
  number: number;
  sectionNumber: number;
  title: string;
  text: string;
  /** "ongoing" or YYYY-MM-DD: the parent's due date, or the one stated for a local measure. */
  statedDueDate: string;
  originMeasureId: number | null;
}
