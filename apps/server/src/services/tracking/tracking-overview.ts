import {
  assignmentStatuses,
  canSeeWordsOf,
  daysLate,
  inboxScope,
  inScope,
  deriveMeasureStatus,
  latenessLevels,
  latenessOf,
  measureDueDates,
  measureStatuses,
} from "@countersign/domain";
import type {
  AssignmentStatus,
  DepartmentCode,
  DueDate,
  Lateness,
  MeasureStatus,
  Role,
} from "@countersign/domain";
import type { PlanRecord, Repositories } from "@countersign/db";
import { actorOf, readsAllDepartments } from "../shared/acting-user.js";
import type { ActingUser } from "../shared/acting-user.js";
import { declineReasonsFrom, pendingExtensionWithTime } from "../shared/assignment-notes.js";
import type { PendingExtension } from "../shared/assignment-notes.js";
import { readPlanOrNotFound } from "../shared/plan-lookup.js";

export interface TrackingAssignment {
  id: number;
  version: number;
  department: DepartmentCode;
  role: Role;
  status: AssignmentStatus;
  dueDate: string;
  lateness: Lateness;
  daysLate: number;
  extensionPending: boolean;
  /** The request awaiting a decision (for the extension queue); a liaison sees it on their own department's only. */
  pendingExtension: PendingExtension | null;
  /** On a declined assignment, the reason given with the latest decline; a liaison sees their own department's only. */
  declineReason: string | null;
  lastRemindedAt: string | null;
}

export interface TrackingMeasure {
  number: number;
  sectionNumber: number;
  title: string;
  status: MeasureStatus;
  closed: boolean;
  /** The measure's deadline: its lead's due date, else the earliest; null before the plan is issued. */
  dueDate: DueDate | null;
  assignments: TrackingAssignment[];
}

export interface DepartmentTally {
  department: DepartmentCode;
  total: number;
  lead: number;
  supporting: number;
  byStatus: Record<AssignmentStatus, number>;
  byLateness: Record<Lateness, number>;
}

export interface TrackingOverview {
  plan: { id: number; key: string; titleEn: string; titleZh: string; status: PlanRecord["status"]; assignedAt: string | null };
  measures: TrackingMeasure[];
  departments: DepartmentTally[];
  totals: {
    assignments: number;
    byStatus: Record<AssignmentStatus, number>;
    byLateness: Record<Lateness, number>;
    measuresByStatus: Record<MeasureStatus, number>;
  };
}

const zeroes = <K extends string>(keys: readonly K[]): Record<K, number> =>
  Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;

/**
 * The lead ministry's grid: per measure its status and each department's state and lateness; per department its
 * counts. A liaison sees only the measures their department shares, and only their own department's counts; a
 * handler only the assignments in their scope (handed to them or to their division) and the measures these are on.
 * Through the store (either engine). @throws ServiceError `not_found` for no such plan
 */
export async function trackingOverview(repos: Repositories, user: ActingUser, planId: number, now: Date): Promise<TrackingOverview> {
  const plan = await readPlanOrNotFound(repos, planId);
  const [measureRows, rows, responsibilities, memberDepartments] = await Promise.all([
    repos.catalog.measures(planId),
    repos.progress.assignmentsOfPlan(planId),
    repos.catalog.responsibilities(planId),
    repos.catalog.planMemberDepartments(planId),
  ]);

  const own = readsAllDepartments(user) ? null : user.department;
  // The one visibility rule (policy.ts `inScope`): a handler sees only the assignments handed to them or to their
  // division, and so only the measures these are on; a liaison or leader also the states of the departments they
  // share a measure with.
  const scope = inboxScope(actorOf(user));
  const mine = rows.filter((r) => inScope(scope, { department: r.department, division: r.divisionId, handler: r.handlerUserId }));
  const sharedMeasures = new Set((scope.kind === "handler" ? mine : rows.filter((r) => r.department === own)).map((r) => r.measureNumber));
  const visibleRows = own === null ? rows : scope.kind === "handler" ? mine : rows.filter((r) => sharedMeasures.has(r.measureNumber));
  // A department's words (its decline reason, its extension request) go to those who read every department, and to
  // the department itself; a liaison sees the others' states on shared measures, not their words.
  const readsWords = (department: DepartmentCode): boolean => canSeeWordsOf(actorOf(user), department);
  const [declines, extensionRequests] = await Promise.all([
    repos.progress.declineEvents(visibleRows.filter((r) => r.status === "declined" && readsWords(r.department)).map((r) => r.id)),
    repos.progress.pendingExtensionRequests(visibleRows.filter((r) => r.pendingExtensionUntil !== null && readsWords(r.department)).map((r) => r.id)),
  ]);
  const declineReasons = declineReasonsFrom(declines);
  const extensionTimes = new Map(extensionRequests.map((r) => [r.assignmentId, r.requestedAt]));
  const byMeasure = new Map<number, TrackingAssignment[]>();
  for (const r of visibleRows) {
    const list = byMeasure.get(r.measureNumber) ?? [];
    list.push({
      id: r.id,
      version: r.version,
      department: r.department,
      role: r.role,
      status: r.status,
      dueDate: r.dueDate,
      lateness: latenessOf(r.dueDate, r.status, now),
      daysLate: daysLate(r.dueDate, now),
      extensionPending: r.pendingExtensionUntil !== null,
      pendingExtension: readsWords(r.department) ? pendingExtensionWithTime(r, extensionTimes) : null,
      declineReason: r.status === "declined" ? (declineReasons.get(r.id) ?? null) : null,
      lastRemindedAt: r.lastRemindedAt,
    });
    byMeasure.set(r.measureNumber, list);
  }
  const dueDates = measureDueDates(
    rows.map((r) => ({ ...r, lateness: "none" as const })),
    responsibilities,
  );
  const measures: TrackingMeasure[] = measureRows
    .filter((m) => own === null || sharedMeasures.has(m.number))
    .map((m) => {
      const assignments = byMeasure.get(m.number) ?? [];
      return {
        number: m.number,
        sectionNumber: m.sectionNumber,
        title: m.title,
        status: deriveMeasureStatus(assignments, m.closed),
        closed: m.closed,
        dueDate: dueDates.get(m.number) ?? null,
        assignments,
      };
    });

  // Department tallies, in the plan's order of signature, then any other department holding work.
  const order = [...memberDepartments];
  for (const r of rows) if (!order.includes(r.department)) order.push(r.department);
  const tallies = new Map<DepartmentCode, DepartmentTally>(
    order.map((department) => [
      department,
      { department, total: 0, lead: 0, supporting: 0, byStatus: zeroes(assignmentStatuses), byLateness: zeroes(latenessLevels) },
    ]),
  );
  const totals = {
    assignments: 0,
    byStatus: zeroes(assignmentStatuses),
    byLateness: zeroes(latenessLevels),
    measuresByStatus: zeroes(measureStatuses),
  };
  for (const list of byMeasure.values()) {
    for (const a of list) {
      const t = tallies.get(a.department);
      if (t !== undefined && (own === null || a.department === own)) {
        t.total += 1;
        t[a.role] += 1;
        t.byStatus[a.status] += 1;
        t.byLateness[a.lateness] += 1;
      }
      totals.assignments += 1;
      totals.byStatus[a.status] += 1;
      totals.byLateness[a.lateness] += 1;
    }
  }
  for (const m of measures) totals.measuresByStatus[m.status] += 1;

  return {
    plan: {
      id: plan.id,
      key: plan.key,
      titleEn: plan.titleEn,
      titleZh: plan.titleZh,
      status: plan.status,
      assignedAt: plan.assignedAt,
    },
    measures,
    departments: [...tallies.values()].filter((t) => own === null || t.department === own),
    totals,
  };
}
