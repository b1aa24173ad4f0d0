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
import type { Repositories, StoredAssignment } from "@countersign/db";
import { ServiceError } from "../../errors.js";
import { actorOf } from "../shared/acting-user.js";
import type { ActingUser } from "../shared/acting-user.js";
import { assignmentStateOf, summarizeAssignment } from "../shared/assignment-view.js";
import type { AssignmentSummary } from "../shared/assignment-view.js";
import { auditEntriesThrough } from "../shared/audit-view.js";
import { handlerReachOf } from "../shared/handler-reach.js";
import { peopleThrough } from "../shared/people-view.js";
import { previousHoldersFrom } from "../shared/previous-holders.js";
import type { MeasureTranslation } from "../plan/add-translation.js";
import type { AuditEntry } from "../shared/audit-view.js";
import { attachmentVisible } from "../attachments/read-attachment.js";
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
 * `not_your_department` for an assignment the caller's department never held, `not_your_assignment` for a handler's
 * colleague's. On either engine (the store seam, issue 13): reads through `repos.assignmentViews`.
 */
export async function getAssignment(repos: Repositories, user: ActingUser, id: number, now: Date): Promise<AssignmentDetail> {
  const views = repos.assignmentViews;
  const row = await views.assignment(id);
  if (row === undefined) throw new ServiceError("not_found", `There is no assignment ${id}.`, { field: "id" });
  const viewer = actorOf(user);
  const heldBefore = readsEveryDepartment(viewer) ? [] : previousHoldersFrom(await views.reassignmentPayloads(row.id));
  const access = assignmentAccess(viewer, row.department, heldBefore, { division: row.divisionId, handler: row.handlerUserId });
  if (access === null) {
    if (viewer.department === row.department) {
      // A handler of the department: the work was given neither to them nor to their division.
      throw new ServiceError("not_your_assignment", `Assignment ${id} was given neither to you nor to your division.`);
    }
    throw new ServiceError("not_your_department", `Assignment ${id} belongs to ${row.department}, not to your department.`);
  }
  const sees = (department: string | null): boolean => canSeeWordsOf(viewer, department);
  const measure = await views.measure(row.measureId);
  const plan = await views.plan(row.planId);
  if (measure === undefined || plan === undefined) throw new ServiceError("internal", `Assignment ${id} is incomplete.`);

  const others = await views.othersOnMeasure(row.measureId, row.id);
  const context = {
    measureClosed: measure.closed,
    others,
    today: planCalendarDate(now),
    planWithdrawn: plan.status === "withdrawn",
    // 分办 is offered only when the department has someone to hand the work to (asked only of its own people).
    handlersAvailable: user.department === row.department ? await repos.departmentRegister.hasHandlers(row.department) : undefined,
  };

  // Narrowed in the query to the caller's department, then the policy decides: one rule, however the rows were read.
  const historyRows = (await views.history(row.id, readsEveryDepartment(viewer) ? null : (user.department ?? ""), 200))
    .filter((event) => sees(event.department))
    // Oldest first by seq, the order the hash chain vouches for.
    .sort((x, y) => x.seq - y.seq);
  // The files an event names, as far as the caller may see them (the same rule as the words: read-attachment.ts).
  const visibleFiles = new Map((await visibleAttachments(repos, user, row)).map((a) => [a.id, a]));
  const history = (await auditEntriesThrough(repos, historyRows)).map((entry) => ({
    ...entry,
    files: attachmentIdsIn(entry.payload).flatMap((fileId) => visibleFiles.get(fileId) ?? []),
  }));

  const commentRows = (await views.comments(row.id)).filter((c) => sees(c.department)).map(({ department: _department, ...c }) => c);
  const authors = await peopleThrough(repos, commentRows.map((c) => ({ userId: c.authorUserId, department: c.authorDepartment })));
  const comments = commentRows.map(({ authorUserId: _, ...c }, i) => ({ ...c, authorPerson: authors[i] ?? null }));

  const extensionRequests = (await views.extensionRequests(row.id)).filter((x) => sees(x.department)).map(({ department: _department, ...x }) => x);

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
      translation: (await views.translation(measure.id)) ?? null,
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

/**
 * The assignment's files the user may see, oldest first: read-attachment.ts's `listAttachments` for an assignment the
 * caller may open (its rule, `attachmentVisible`, on what the repositories read).
 */
async function visibleAttachments(repos: Repositories, user: ActingUser, row: StoredAssignment): Promise<AttachmentSummary[]> {
  const views = repos.assignmentViews;
  const rows = await views.attachments(row.id, user.role === "liaison" ? (user.department ?? "") : null);
  const reportIds = rows.filter((a) => a.ownerKind === "round_report").map((a) => a.ownerId);
  const reports = new Map((await views.roundReportStatuses(reportIds)).map((r) => [r.id, r.status]));
  const reach = handlerReachOf(user);
  const reaches = reach === null || row.handlerUserId === reach.userId || row.divisionId === reach.divisionId;
  return rows
    .filter((a) => attachmentVisible(user, a, { reaches: () => reaches, reportStatus: () => reports.get(a.ownerId) }))
    .map(({ department: _department, ...a }) => a);
}
