/*
 * Reads for the cascade (issue 16): the organisation tree and one snapshot of plans, forwardings and progress, in the
 * shapes of the domain's pure functions (`packages/domain/src/cascade`). Plan and measure ids become strings there
 * (String(row id)); nothing here decides anything.
 */
import { eq } from "drizzle-orm";
import {
  buildOrganisationTree,
  deriveMeasureStatus,
  localDepartmentsFor,
  nationalId,
  nationalOrganisation,
  ownProgressOf,
  planCalendarDate,
} from "@countersign/domain";
import type {
  AssignmentStatus,
  CascadeActor,
  CascadeMeasure,
  CascadePlan,
  CascadeSnapshot,
  DivisionKind,
  DueDate,
  Forwarding,
  LocalDepartment,
  Organisation,
  OrganisationLevel,
  OrganisationTree,
  OwnProgress,
  Role,
} from "@countersign/domain";
import type { Queryable, Repositories } from "@countersign/db";
import { departmentsTable, usersTable } from "@countersign/db/schema";
import { organisationOfActor } from "./boundary.js";
import type { ActingUser } from "../shared/acting-user.js";


function hostOf(org: { officeHost: string }): LocalDepartment {
  return { code: org.officeHost, line: "MIIT", nameZh: "", nameEn: "" };
}

/**
 * An organisation's member departments: those it has registered, else the domain's default register of its level
 * (an organisation that has registered none yet), else only the office's host (the national level, or no kind).
 */
export function membersOfOrganisation(
  org: { id: string; level: OrganisationLevel; kind: DivisionKind | null; nameZh: string; nameEn: string; officeHost: string },
  registered: readonly LocalDepartment[] | undefined,
): LocalDepartment[] {
  if (registered !== undefined) return [...registered];
  if (org.level === "national" || org.kind === null) return [hostOf(org)];
  return localDepartmentsFor(org.id, org.level, { code: org.id, kind: org.kind, nameZh: org.nameZh, nameEn: org.nameEn });
}

/**
 * The organisation tree as stored: the organisations rows in their order. Member departments are read only for the
 * organisations in `withMembers` (their registered departments, or the domain's default register of its level,
 * `localDepartmentsFor`, for one that has registered none yet: they are registered when it derives its first plan; nationally the central departments
 * stored); every other organisation carries its office's host alone, which is all the tree's structure, access and
 * roll-up need (reading 3,000 organisations' 60,000 departments for each request would not be). Throws when the
 * rows are no tree. Either engine.
 */
export async function organisationTreeOf(repos: Repositories, withMembers: readonly string[] = []): Promise<OrganisationTree> {
  const rows = await repos.cascade.organisations();
  const wanted = [...new Set(withMembers)];
  const departmentRows = await repos.cascade.memberDepartments(wanted);
  const central: string[] = [];
  const local = new Map<string, LocalDepartment[]>();
  for (const d of departmentRows) {
    if (d.organisationId === nationalId) {
      central.push(d.code);
      continue;
    }
    const list = local.get(d.organisationId) ?? [];
    list.push({ code: d.code, line: d.line ?? d.code, nameZh: d.nameZh, nameEn: d.nameEn });
    local.set(d.organisationId, list);
  }
  const national = nationalOrganisation(wanted.includes(nationalId) ? central : ["MIIT"]);
  const organisations: Organisation[] = rows.map((r) => {
    if (r.id === nationalId) return national;
    const members = wanted.includes(r.id) ? membersOfOrganisation(r, local.get(r.id)) : [hostOf(r)];
    return {
      id: r.id,
      parent: r.parentId,
      level: r.level,
      kind: r.kind,
      nameZh: r.nameZh,
      nameEn: r.nameEn,
      office: { nameZh: r.officeNameZh, nameEn: r.officeNameEn, host: r.officeHost },
      members,
    };
  });
  return buildOrganisationTree(organisations);
}

/**
 * The caller's organisation on the synchronous SQLite handle: the one its session resolved, else read as
 * organisationOfUser does. Kept for the services not on the store seam yet (plan.create, plan import); on the seam
 * the same rule is `organisationOfActor` (boundary.ts).
 */
export function organisationOf(db: Queryable, user: ActingUser): string {
  return user.organisation ?? organisationOfUser(db, user.id);
}

/** The organisation a user acts for: their department's, else the account's own (an observer of a province). */
export function organisationOfUser(db: Queryable, userId: number): string {
  const row = db
    .select({ account: usersTable.organisationId, department: departmentsTable.organisationId })
    .from(usersTable)
    .leftJoin(departmentsTable, eq(departmentsTable.code, usersTable.department))
    .where(eq(usersTable.id, userId))
    .get();
  return row?.department ?? row?.account ?? nationalId;
}

/** The user as the cascade's actor: their organisation and their role there. Either engine. */
export async function cascadeActorOf(repos: Repositories, user: ActingUser): Promise<CascadeActor> {
  const role = user.role === "coordinator" ? "coordinator" : user.role === "liaison" ? "liaison" : "observer";
  return { organisation: await organisationOfActor(repos, user), role };
}

/** A stored measure with its plan's numbering, for mapping the domain's ids back to rows. */
export interface MeasureRef {
  id: number;
  planId: number;
  number: number;
  title: string;
  sectionNumber: number;
}

export interface CascadeData {
  snapshot: CascadeSnapshot;
  /** Stored measures by the domain's id (String(measures.id)). */
  measures: ReadonlyMap<string, MeasureRef>;
  /** Forwardings rows' status by id. */
  forwardingStatus: ReadonlyMap<string, "pending" | "derived">;
}

/**
 * One snapshot of the cascade of the document `planId` belongs to (`repos.cascade.planFamily`; the whole database only when no
 * plan is given): every plan with its measures (due date: the issued assignments', else the stated one), division,
 * the forwardings, and each measure's own progress from its assignments (`deriveMeasureStatus` → `ownProgressOf`).
 * `today` is the Beijing calendar day of `now`. Its cost is that of the one document's cascade, not of the database.
 * `tree`: the organisation tree when the caller needs members read (`organisationTreeOf`), else read here. Either engine.
 */
export async function loadCascade(repos: Repositories, now: Date, planId?: number, tree?: OrganisationTree): Promise<CascadeData> {
  const family = planId === undefined ? null : await repos.cascade.planFamily(planId);
  const planRows = await repos.cascade.livePlans(family);
  const planIds = planRows.map((p) => p.id);
  const measureRows = await repos.cascade.measuresOf(planIds);
  const assignmentRows = await repos.cascade.assignmentsOf(family);
  const responsibilityRows = await repos.cascade.divisionOf(family);
  const forwardingRows = await repos.cascade.forwardingsOf(family);
  const forwardedMeasures = await repos.cascade.forwardedMeasures(forwardingRows.map((f) => f.id));
  const organisations = tree ?? (await organisationTreeOf(repos));

  const byMeasure = new Map<number, Array<{ role: Role; status: AssignmentStatus; dueDate: DueDate }>>();
  for (const a of assignmentRows) {
    const list = byMeasure.get(a.measureId) ?? [];
    list.push({ role: a.role, status: a.status, dueDate: a.dueDate as DueDate });
    byMeasure.set(a.measureId, list);
  }
  const planById = new Map(planRows.map((p) => [p.id, p]));
  const planOfMeasure = new Map(measureRows.map((m) => [m.id, m.planId]));
  const measuresOf = new Map<number, CascadeMeasure[]>();
  const measures = new Map<string, MeasureRef>();
  const progress = new Map<string, OwnProgress>();
  for (const m of measureRows) {
    const plan = planById.get(m.planId);
    const assignments = (byMeasure.get(m.id) ?? []).filter((a) => a.status !== "withdrawn");
    const issuedDue = assignments.find((a) => a.role === "lead")?.dueDate ?? assignments[0]?.dueDate;
    const dueDate: DueDate = issuedDue ?? (m.statedDueDate as DueDate | null) ?? (plan?.defaultDueDate as DueDate | null | undefined) ?? "ongoing";
    const originRow = m.originMeasureId;
    const originPlan = originRow === null ? undefined : planOfMeasure.get(originRow);
    const measure: CascadeMeasure = {
      id: String(m.id),
      number: m.number,
      title: m.title,
      text: m.text,
      dueDate,
      origin: originRow === null || originPlan === undefined ? null : { plan: String(originPlan), measure: String(originRow) },
    };
    const list = measuresOf.get(m.planId) ?? [];
    list.push(measure);
    measuresOf.set(m.planId, list);
    measures.set(measure.id, { id: m.id, planId: m.planId, number: m.number, title: m.title, sectionNumber: m.sectionNumber });
    progress.set(measure.id, ownProgressOf(deriveMeasureStatus(byMeasure.get(m.id) ?? [], m.closed)));
  }
  const divisionOf = new Map<number, Array<{ measure: string; department: string; role: Role }>>();
  for (const r of responsibilityRows) {
    const planId = planOfMeasure.get(r.measureId);
    if (planId === undefined) continue;
    const list = divisionOf.get(planId) ?? [];
    list.push({ measure: String(r.measureId), department: r.department, role: r.role });
    divisionOf.set(planId, list);
  }
  const plans: CascadePlan[] = planRows.map((p) => ({
    id: String(p.id),
    organisation: p.organisationId,
    status: p.status,
    implements: p.implementsPlanId === null ? null : String(p.implementsPlanId),
    measures: measuresOf.get(p.id) ?? [],
    division: divisionOf.get(p.id) ?? [],
  }));
  const measuresOfForwarding = new Map<number, string[]>();
  for (const fm of forwardedMeasures) {
    const list = measuresOfForwarding.get(fm.forwardingId) ?? [];
    list.push(String(fm.measureId));
    measuresOfForwarding.set(fm.forwardingId, list);
  }
  const forwardings: Forwarding[] = forwardingRows.map((f) => ({
    id: String(f.id),
    plan: String(f.planId),
    from: f.fromOrganisation,
    to: f.toOrganisation,
    measures: measuresOfForwarding.get(f.id) ?? [],
    planDeadline: f.planDeadline,
    forwardedOn: f.forwardedOn,
  }));
  return {
    snapshot: { tree: organisations, plans, forwardings, progress, today: planCalendarDate(now) },
    measures,
    forwardingStatus: new Map(forwardingRows.map((f) => [String(f.id), f.status])),
  };
}

