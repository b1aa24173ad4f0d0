import { and, asc, desc, eq, ne } from "drizzle-orm";
import { actionAvailability, allowedActions, deriveMeasureStatus, latenessOf, planCalendarDate } from "@countersign/domain";
import type {
  ActionAvailability,
  AssignmentActionType,
  AssignmentStatus,
  DepartmentCode,
  Lateness,
  MeasureStatus,
  Role,
} from "@countersign/domain";
import type { Queryable } from "@countersign/db";
import {
  assignmentsTable,
  auditEventsTable,
  commentsTable,
  extensionRequestsTable,
  measuresTable,
  plansTable,
  usersTable,
} from "@countersign/db/schema";
import { ServiceError } from "../../errors.js";
import { actorOf, readsAllDepartments } from "../shared/acting-user.js";
import type { ActingUser } from "../shared/acting-user.js";
import { assignmentStateOf, summarizeAssignment } from "../shared/assignment-view.js";
import type { AssignmentSummary } from "../shared/assignment-view.js";
import { auditEntryOf } from "../shared/audit-view.js";
import type { AuditEntry } from "../shared/audit-view.js";

export interface AssignmentDetail {
  assignment: AssignmentSummary;
  plan: { id: number; key: string; titleEn: string; titleZh: string; status: "draft" | "issued" | "withdrawn" };
  measure: {
    number: number;
    sectionNumber: number;
    title: string;
    text: string;
    textCut: boolean;
    closed: boolean;
    status: MeasureStatus;
  };
  /** The other departments on the same measure and their states (a liaison may see those of a shared measure). */
  others: Array<{
    id: number;
    department: DepartmentCode;
    role: Role;
    status: AssignmentStatus;
    dueDate: string;
    lateness: Lateness;
  }>;
  /** What the caller may do now; the UI offers only these. */
  allowedActions: AssignmentActionType[];
  /** Every action with whether it is open to the caller now and, if not, the domain's refusal saying why. */
  actionAvailability: ActionAvailability[];
  /** The assignment's audit events, oldest first (the latest 200). */
  history: AuditEntry[];
  comments: Array<{ id: number; body: string; at: string; author: string; authorDepartment: string | null }>;
  extensionRequests: Array<{
    id: number;
    until: string;
    previousDueDate: string;
    reason: string;
    status: string;
    requestedAt: string;
    decidedAt: string | null;
    decisionNote: string | null;
  }>;
}

/** A liaison reads their own department's assignments; the coordinator, observers and administrators read all. */
export function getAssignment(db: Queryable, user: ActingUser, id: number, now: Date): AssignmentDetail {
  const row = db.select().from(assignmentsTable).where(eq(assignmentsTable.id, id)).get();
  if (row === undefined) throw new ServiceError("not_found", `There is no assignment ${id}.`, { field: "id" });
  if (!readsAllDepartments(user) && row.department !== user.department) {
    throw new ServiceError("not_your_department", `Assignment ${id} belongs to ${row.department}, not to your department.`);
  }
  const measure = db.select().from(measuresTable).where(eq(measuresTable.id, row.measureId)).get();
  const plan = db
    .select({ id: plansTable.id, key: plansTable.key, titleEn: plansTable.titleEn, titleZh: plansTable.titleZh, status: plansTable.status })
    .from(plansTable)
    .where(eq(plansTable.id, row.planId))
    .get();
  if (measure === undefined || plan === undefined) throw new ServiceError("internal", `Assignment ${id} is incomplete.`);

  const others = db
    .select()
    .from(assignmentsTable)
    .where(and(eq(assignmentsTable.measureId, row.measureId), ne(assignmentsTable.id, row.id)))
    .orderBy(asc(assignmentsTable.id))
    .all();
  const context = { measureClosed: measure.closed, others, today: planCalendarDate(now), planWithdrawn: plan.status === "withdrawn" };

  const history = db
    .select()
    .from(auditEventsTable)
    .where(eq(auditEventsTable.assignmentId, row.id))
    .orderBy(desc(auditEventsTable.id))
    .limit(200)
    .all()
    .reverse()
    .map(auditEntryOf);

  const comments = db
    .select({
      id: commentsTable.id,
      body: commentsTable.body,
      at: commentsTable.createdAt,
      author: usersTable.username,
      authorDepartment: commentsTable.authorDepartment,
    })
    .from(commentsTable)
    .innerJoin(usersTable, eq(usersTable.id, commentsTable.authorUserId))
    .where(eq(commentsTable.assignmentId, row.id))
    .orderBy(asc(commentsTable.id))
    .all();

  const extensionRequests = db
    .select({
      id: extensionRequestsTable.id,
      until: extensionRequestsTable.until,
      previousDueDate: extensionRequestsTable.previousDueDate,
      reason: extensionRequestsTable.reason,
      status: extensionRequestsTable.status,
      requestedAt: extensionRequestsTable.createdAt,
      decidedAt: extensionRequestsTable.decidedAt,
      decisionNote: extensionRequestsTable.decisionNote,
    })
    .from(extensionRequestsTable)
    .where(eq(extensionRequestsTable.assignmentId, row.id))
    .orderBy(asc(extensionRequestsTable.id))
    .all();

  return {
    assignment: summarizeAssignment(row, measure.title, now),
    plan,
    measure: {
      number: measure.number,
      sectionNumber: measure.sectionNumber,
      title: measure.title,
      text: measure.text,
      textCut: measure.textCut,
      closed: measure.closed,
      status: deriveMeasureStatus([row, ...others], measure.closed),
    },
    others: others.map((o) => ({
      id: o.id,
      department: o.department,
      role: o.role,
      status: o.status,
      dueDate: o.dueDate,
      lateness: latenessOf(o.dueDate, o.status, now),
    })),
    allowedActions: allowedActions(assignmentStateOf(row), actorOf(user), context),
    actionAvailability: actionAvailability(assignmentStateOf(row), actorOf(user), context),
    history,
    comments,
    extensionRequests,
  };
}
