import { and, asc, desc, eq, ne } from "drizzle-orm";
import {
  actionAvailability,
  allowedActions,
  assignmentAccess,
  canSeeWordsOf,
  deriveMeasureStatus,
  latenessOf,
  planCalendarDate,
  readsEveryDepartment,
  textLanguageOf,
} from "@countersign/domain";
import type {
  ActionAvailability,
  Person,
  AssignmentActionType,
  AssignmentStatus,
  DepartmentCode,
  Language,
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
import { actorOf } from "../shared/acting-user.js";
import type { ActingUser } from "../shared/acting-user.js";
import { assignmentStateOf, summarizeAssignment } from "../shared/assignment-view.js";
import type { AssignmentSummary } from "../shared/assignment-view.js";
import { auditEntriesOf } from "../shared/audit-view.js";
import { peopleOf } from "../shared/people-view.js";
import { previousHoldersOf } from "../shared/previous-holders.js";
import { translationsOf } from "../plan/add-translation.js";
import { hasHandlers } from "../users/department-parts.js";
import type { MeasureTranslation } from "../plan/add-translation.js";
import type { AuditEntry } from "../shared/audit-view.js";
import { listAttachments } from "../attachments/read-attachment.js";
import type { AttachmentSummary } from "../attachments/read-attachment.js";
import { attachmentIdsIn } from "../attachments/store-attachments.js";

export interface AssignmentDetail {
  /**
   * `holder`: the caller's department holds the assignment (or the caller reads every department); `past_holder`:
   * it held the assignment before a reassignment and reads its own words there only (no actions, no other departments).
   */
  access: "holder" | "past_holder";
  assignment: AssignmentSummary;
  plan: { id: number; key: string; titleEn: string; titleZh: string; status: "draft" | "issued" | "withdrawn" };
  measure: {
    number: number;
    sectionNumber: number;
    title: string;
    text: string;
    textCut: boolean;
    /** The language `text` is written in, and the text in the other language when the coordinator added it. */
    textLanguage: Language;
    translation: MeasureTranslation | null;
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
  /** Every action with whether it is open to the caller now and, if not, the domain's refusal saying why (none for a past holder). */
  actionAvailability: ActionAvailability[];
  /**
   * The assignment's audit events the caller may read (policy.ts: its own department's words), oldest first (the
   * latest 200), each with the files its act carried (`files`, in the event's order; a superseded one says by which).
   */
  history: Array<AuditEntry & { files: AttachmentSummary[] }>;
  /** `author` is the user name; views name the `authorPerson` (display names and department). */
  comments: Array<{ id: number; body: string; at: string; author: string; authorDepartment: string | null; authorPerson: Person | null }>;
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

/**
 * A liaison reads the assignments their department holds, and those it held before a reassignment (its own words
 * only: the domain's policy.ts); the coordinator, observers and administrators read all. Throws `not_found`, or
 * `not_your_department` for an assignment the caller's department never held.
 */
export function getAssignment(db: Queryable, user: ActingUser, id: number, now: Date): AssignmentDetail {
  const row = db.select().from(assignmentsTable).where(eq(assignmentsTable.id, id)).get();
  if (row === undefined) throw new ServiceError("not_found", `There is no assignment ${id}.`, { field: "id" });
  const viewer = actorOf(user);
  const heldBefore = readsEveryDepartment(viewer) ? [] : previousHoldersOf(db, row.id);
  const access = assignmentAccess(viewer, row.department, heldBefore, { division: row.divisionId, handler: row.handlerUserId });
  if (access === null) {
    if (viewer.department === row.department) {
      // A handler of the department: the work was given neither to them nor to their division.
      throw new ServiceError("not_your_assignment", `Assignment ${id} was given neither to you nor to your division.`);
    }
    throw new ServiceError("not_your_department", `Assignment ${id} belongs to ${row.department}, not to your department.`);
  }
  const sees = (department: string | null): boolean => canSeeWordsOf(viewer, department);
  const e = auditEventsTable;
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
  const context = {
    measureClosed: measure.closed,
    others,
    today: planCalendarDate(now),
    planWithdrawn: plan.status === "withdrawn",
    // 分办 is offered only when the department has someone to hand the work to (asked only of its own people).
    handlersAvailable: user.department === row.department ? hasHandlers(db, row.department) : undefined,
  };

  // Narrowed in SQL to the caller's department, then the policy decides: one rule, however the rows were read.
  const historyRows = db
    .select()
    .from(e)
    .where(readsEveryDepartment(viewer) ? eq(e.assignmentId, row.id) : and(eq(e.assignmentId, row.id), eq(e.department, user.department ?? "")))
    .orderBy(desc(e.id))
    .limit(200)
    .all()
    .filter((event) => sees(event.department))
    // Oldest first by seq, the order the hash chain vouches for.
    .sort((x, y) => x.seq - y.seq);
  // The files an event names, as far as the caller may see them (the same rule as the words: read-attachment.ts).
  const visibleFiles = new Map(listAttachments(db, user, row.id).map((a) => [a.id, a]));
  const history = auditEntriesOf(db, historyRows).map((entry) => ({
    ...entry,
    files: attachmentIdsIn(entry.payload).flatMap((fileId) => visibleFiles.get(fileId) ?? []),
  }));

  const commentRows = db
    .select({
      authorUserId: commentsTable.authorUserId,
      id: commentsTable.id,
      body: commentsTable.body,
      at: commentsTable.createdAt,
      author: usersTable.username,
      authorDepartment: commentsTable.authorDepartment,
      department: commentsTable.department,
    })
    .from(commentsTable)
    .innerJoin(usersTable, eq(usersTable.id, commentsTable.authorUserId))
    .where(eq(commentsTable.assignmentId, row.id))
    .orderBy(asc(commentsTable.id))
    .all()
    .filter((c) => sees(c.department))
    .map(({ department: _department, ...c }) => c);
  const authors = peopleOf(db, commentRows.map((c) => ({ userId: c.authorUserId, department: c.authorDepartment })));
  const comments = commentRows.map(({ authorUserId: _, ...c }, i) => ({ ...c, authorPerson: authors[i] ?? null }));

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
      department: extensionRequestsTable.department,
    })
    .from(extensionRequestsTable)
    .where(eq(extensionRequestsTable.assignmentId, row.id))
    .orderBy(asc(extensionRequestsTable.id))
    .all()
    .filter((x) => sees(x.department))
    .map(({ department: _department, ...x }) => x);

  const summary = summarizeAssignment(row, measure.title, now);
  const past = access === "past_holder";
  return {
    access,
    // A past holder sees where the assignment stands, not the words of the department holding it now.
    assignment: past ? { ...summary, pendingExtension: null } : summary,
    plan,
    measure: {
      number: measure.number,
      sectionNumber: measure.sectionNumber,
      title: measure.title,
      text: measure.text,
      textCut: measure.textCut,
      textLanguage: textLanguageOf(measure.text),
      translation: translationsOf(db, [measure.id]).get(measure.id) ?? null,
      closed: measure.closed,
      status: deriveMeasureStatus([row, ...others], measure.closed),
    },
    others: (past ? [] : others).map((o) => ({
      id: o.id,
      department: o.department,
      role: o.role,
      status: o.status,
      dueDate: o.dueDate,
      lateness: latenessOf(o.dueDate, o.status, now),
    })),
    allowedActions: past ? [] : allowedActions(assignmentStateOf(row), viewer, context),
    actionAvailability: past ? [] : actionAvailability(assignmentStateOf(row), viewer, context),
    history,
    comments,
    extensionRequests,
  };
}

