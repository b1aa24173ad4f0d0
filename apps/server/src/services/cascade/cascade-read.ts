/*
 * Reads for the cascade (issue 16): the organisation tree and one snapshot of plans, forwardings and progress, in the
 * shapes of the domain's pure functions (`packages/domain/src/cascade`). Plan and measure ids become strings there
 * (String(row id)); nothing here decides anything.
 */
import { and, asc, eq, inArray, ne, sql } from "drizzle-orm";
import type { Column, SQL } from "drizzle-orm";
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
import type { Queryable } from "@countersign/db";
import {
  assignmentsTable,
  departmentsTable,
  forwardingMeasuresTable,
  forwardingsTable,
  measuresTable,
  organisationsTable,
  plansTable,
  responsibilitiesTable,
  usersTable,
} from "@countersign/db/schema";
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
 * rows are no tree.
 */
export function organisationTreeOf(db: Queryable, withMembers: readonly string[] = []): OrganisationTree {
  const rows = db.select().from(organisationsTable).orderBy(asc(organisationsTable.position)).all();
  const wanted = [...new Set(withMembers)];
  const departmentRows =
    wanted.length === 0
      ? []
      : db
          .select({ code: departmentsTable.code, line: departmentsTable.line, nameZh: departmentsTable.nameZh, nameEn: departmentsTable.nameEn, organisationId: departmentsTable.organisationId })
          .from(departmentsTable)
          .where(inArray(departmentsTable.organisationId, wanted))
          .orderBy(asc(departmentsTable.signatureOrder))
          .all();
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
      kind: r.kind ?? null,
      nameZh: r.nameZh,
      nameEn: r.nameEn,
      office: { nameZh: r.officeNameZh, nameEn: r.officeNameEn, host: r.officeHost },
      members,
    };
  });
  return buildOrganisationTree(organisations);
}

/** The caller's organisation: the one its session resolved, else read as organisationOfUser does. */
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

/** The user as the cascade's actor: their organisation and their role there. */
export function cascadeActorOf(db: Queryable, user: ActingUser): CascadeActor {
  const role = user.role === "coordinator" ? "coordinator" : user.role === "liaison" ? "liaison" : "observer";
  return { organisation: organisationOf(db, user), role };
}

/** The organisation a plan belongs to, or null when there is no such plan. */
export function organisationOfPlan(db: Queryable, planId: number): string | null {
  return db.select({ organisation: plansTable.organisationId }).from(plansTable).where(eq(plansTable.id, planId)).get()?.organisation ?? null;
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
 * The plans of one document's cascade: from `planId` up its `implements` chain to the plan of an organisation's own
 * (the national plan), then every implementation plan below that, at any depth. Standard recursive SQL (SQLite and
 * PostgreSQL), along `plans_implements_idx`. Shape: plan ids, the root first.
 */
export function planFamilyOf(db: Queryable, planId: number): number[] {
  const rows = db.all<{ id: number }>(sql`
    with recursive up(id, parent) as (
      select id, implements_plan_id from plans where id = ${planId}
      union all
      select p.id, p.implements_plan_id from plans p join up on p.id = up.parent
    ),
    down(id) as (
      select id from up where parent is null
      union all
      select p.id from plans p join down on p.implements_plan_id = down.id
    )
    select id from down`);
  return rows.map((r) => Number(r.id));
}

/**
 * One snapshot of the cascade of the document `planId` belongs to (`planFamilyOf`; the whole database only when no
 * plan is given): every plan with its measures (due date: the issued assignments', else the stated one), division,
 * the forwardings, and each measure's own progress from its assignments (`deriveMeasureStatus` → `ownProgressOf`).
 * `today` is the Beijing calendar day of `now`. Its cost is that of the one document's cascade, not of the database.
 */
export function loadCascade(db: Queryable, now: Date, planId?: number, tree: OrganisationTree = organisationTreeOf(db)): CascadeData {
  const family = planId === undefined ? null : planFamilyOf(db, planId);
  const inFamily = (column: Column): SQL | undefined => (family === null ? undefined : inArray(column, family));
  const planRows = db
    .select({ id: plansTable.id, organisation: plansTable.organisationId, status: plansTable.status, implementsPlanId: plansTable.implementsPlanId, defaultDueDate: plansTable.defaultDueDate })
    .from(plansTable)
    .where(and(ne(plansTable.status, "withdrawn"), inFamily(plansTable.id)))
    .orderBy(asc(plansTable.id))
    .all();
  const planIds = planRows.map((p) => p.id);
  const measureRows =
    planIds.length === 0
      ? []
      : db
          .select({
            id: measuresTable.id,
            planId: measuresTable.planId,
            number: measuresTable.number,
            sectionNumber: measuresTable.sectionNumber,
            title: measuresTable.title,
            text: measuresTable.text,
            statedDueDate: measuresTable.statedDueDate,
            origin: measuresTable.originMeasureId,
            closed: measuresTable.closed,
          })
          .from(measuresTable)
          .where(inArray(measuresTable.planId, planIds))
          .orderBy(asc(measuresTable.planId), asc(measuresTable.number))
          .all();
  const assignmentRows = db
    .select({ measureId: assignmentsTable.measureId, role: assignmentsTable.role, status: assignmentsTable.status, dueDate: assignmentsTable.dueDate })
    .from(assignmentsTable)
    .where(inFamily(assignmentsTable.planId))
    .all();
  const responsibilityRows = db
    .select({ measureId: responsibilitiesTable.measureId, department: responsibilitiesTable.department, role: responsibilitiesTable.role })
    .from(responsibilitiesTable)
    .where(inFamily(responsibilitiesTable.planId))
    .orderBy(asc(responsibilitiesTable.measureId), asc(responsibilitiesTable.position))
    .all();
  const forwardingRows = db.select().from(forwardingsTable).where(inFamily(forwardingsTable.planId)).orderBy(asc(forwardingsTable.id)).all();
  const forwardingIds = forwardingRows.map((f) => f.id);
  const forwardedMeasures =
    forwardingIds.length === 0
      ? []
      : db
          .select()
          .from(forwardingMeasuresTable)
          .where(family === null ? undefined : inArray(forwardingMeasuresTable.forwardingId, forwardingIds))
          .orderBy(asc(forwardingMeasuresTable.forwardingId), asc(forwardingMeasuresTable.position))
          .all();

  const byMeasure = new Map<number, Array<{ role: Role; status: AssignmentStatus; dueDate: DueDate }>>();
  for (const a of assignmentRows) {
    const list = byMeasure.get(a.measureId) ?? [];
    list.push({ role: a.role as Role, status: a.status as AssignmentStatus, dueDate: a.dueDate as DueDate });
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
    const originRow = m.origin;
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
    organisation: p.organisation,
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
    snapshot: { tree, plans, forwardings, progress, today: planCalendarDate(now) },
    measures,
    forwardingStatus: new Map(forwardingRows.map((f) => [String(f.id), f.status])),
  };
}

