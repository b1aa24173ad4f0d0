import { and, eq, ne, sql } from "drizzle-orm";
import type { SQL } from "drizzle-orm";
import { actionTakesFiles, conversationDepartmentOf, planCalendarDate, transition } from "@countersign/domain";
import type { AssignmentAction, AssignmentEffect, AssignmentEvent, AssignmentRequest, RefusalCode } from "@countersign/domain";
import { appendAuditEvent, writeTransaction } from "@countersign/db";
import type { AuditPayload, CountersignDb, Queryable } from "@countersign/db";
import {
  assignmentsTable,
  commentsTable,
  departmentsTable,
  divisionsTable,
  usersTable,
  extensionRequestsTable,
  measuresTable,
  plansTable,
  responsibilitiesTable,
} from "@countersign/db/schema";
import { refusalError, ServiceError, staleVersion } from "../../errors.js";
import type { IncomingFile } from "../attachments/attachment-rules.js";
import { storeAttachments } from "../attachments/store-attachments.js";
import { hasHandlers } from "../users/department-parts.js";
import { actorDepartmentOf, noticeAssignmentEvent } from "../notifications/notify.js";
import { actorOf, auditActorOf } from "../shared/acting-user.js";
import type { ActingUser } from "../shared/acting-user.js";
import { assignmentStateOf, summarizeAssignment } from "../shared/assignment-view.js";
import type { AssignmentSummary } from "../shared/assignment-view.js";
import { envelope } from "../shared/live-change.js";
import type { Outcome } from "../shared/live-change.js";

/**
 * An action as a caller asks for it (the domain's registry): as the workflow's, except that 分办 names the division and
 * the handler by id (the service reads them, and the domain decides whether they fit).
 */
export type { AssignmentRequest };

export interface ActOnAssignmentInput {
  id: number;
  /** The version the caller last saw; a stale one gets CONFLICT with the current state. */
  expectedVersion: number;
  action: AssignmentRequest;
  /**
   * Files (佐证材料) checked by `checkUpload`, for the actions that take them (the domain's `actionTakesFiles`):
   * stored in this act's transaction, each file's SHA-256, size, type, name and id in the act's audit event.
   */
  files?: readonly IncomingFile[];
}

/** Refusals about who acts, answered before the version check so that a stale version never reveals another department's state. */
const actorRefusals: ReadonlySet<RefusalCode> = new Set(["read_only", "wrong_role", "not_your_department", "not_your_assignment"]);

/** 分办's division and handler as the domain checks them; an unknown id reads as a record that fits nothing. */
function resolveAction(tx: Queryable, request: AssignmentRequest): AssignmentAction {
  if (request.type !== "assignHandler") return request;
  const division = tx
    .select({ id: divisionsTable.id, department: divisionsTable.department })
    .from(divisionsTable)
    .where(eq(divisionsTable.id, request.divisionId))
    .get();
  const handler = tx
    .select({
      id: usersTable.id,
      role: usersTable.role,
      department: usersTable.department,
      departmentRole: usersTable.departmentRole,
      division: usersTable.divisionId,
      disabledAt: usersTable.disabledAt,
    })
    .from(usersTable)
    .where(eq(usersTable.id, request.handlerId))
    .get();
  return {
    type: "assignHandler",
    note: request.note,
    division: division ?? { id: request.divisionId, department: "" },
    handler:
      handler === undefined
        ? { id: request.handlerId, role: "observer", department: null, departmentRole: null, division: null, disabled: true }
        : {
            id: handler.id,
            role: handler.role,
            department: handler.department,
            departmentRole: handler.departmentRole,
            division: handler.division,
            disabled: handler.disabledAt !== null,
          },
  };
}

/**
 * Every liaison and coordinator action on an assignment: the domain's `transition` decides; this records its answer.
 * One synchronous transaction holds the conditional update (`WHERE id = ? AND version = ?`), the side records
 * (comment, extension request, moved responsibility, reopened lead), the files and the audit events.
 * Errors: `not_found`, the workflow's refusals, `stale_version`, `invalid_input` (files on an action that takes
 * none) and the attachment refusals (`checkActFiles`).
 */
export function actOnAssignment(
  db: CountersignDb,
  user: ActingUser,
  input: ActOnAssignmentInput,
  now: Date,
): Outcome<AssignmentSummary> & { attachmentIds: number[] } {
  const at = now.toISOString();
  return writeTransaction(db, (tx) => {
    const statements = actStatements(db);
    const row = statements.assignment.get({ id: input.id });
    if (row === undefined) throw new ServiceError("not_found", `There is no assignment ${input.id}.`, { field: "id" });
    const measure = statements.measure.get({ measureId: row.measureId });
    if (measure === undefined) throw new ServiceError("internal", `Assignment ${row.id} has no measure.`);
    const others = statements.others.all({ measureId: row.measureId, id: row.id });

    const state = assignmentStateOf(row);
    const planStatus = statements.planStatus.get({ planId: row.planId })?.status;
    const leaderApproval = statements.leaderApproval.get({ department: row.department })?.leaderApproval === true;
    const action = resolveAction(tx, input.action);
    const result = transition(state, action, actorOf(user), {
      measureClosed: measure.closed,
      others,
      today: planCalendarDate(now),
      planWithdrawn: planStatus === "withdrawn",
      leaderApproval,
      handlersAvailable: input.action.type === "assignHandler" ? hasHandlers(tx, row.department) : undefined,
    });
    if (!result.ok && actorRefusals.has(result.refusal.code)) throw refusalError(result.refusal);
    if (row.version !== input.expectedVersion) throw staleVersion("assignment", { version: row.version, status: row.status });
    if (!result.ok) throw refusalError(result.refusal);
    const files = input.files ?? [];
    if (files.length > 0 && !actionTakesFiles(input.action.type)) {
      throw new ServiceError("invalid_input", `Files cannot be attached to ${input.action.type}.`, { field: "file" });
    }

    const { next } = result;
    // Only the columns that change: setting an indexed column, even to its own value, rewrites every index on it.
    const changes: AssignmentChanges = { version: row.version + 1, updatedAt: at };
    if (next.status !== row.status) changes.status = next.status;
    if (next.department !== row.department) changes.department = next.department;
    if (next.dueDate !== row.dueDate) changes.dueDate = next.dueDate;
    const until = next.pendingExtension?.until ?? null;
    const reason = next.pendingExtension?.reason ?? null;
    if (until !== row.pendingExtensionUntil) changes.pendingExtensionUntil = until;
    if (reason !== row.pendingExtensionReason) changes.pendingExtensionReason = reason;
    if (result.effects.some((e) => e.kind === "reminded")) changes.lastRemindedAt = at;
    const division = next.division ?? null;
    const handler = next.handler ?? null;
    const approval = next.pendingApproval ?? null;
    if (division !== row.divisionId) changes.divisionId = division;
    if (handler !== row.handlerUserId) changes.handlerUserId = handler;
    const approvalParam: { pendingApproval?: string | null } = {};
    if (JSON.stringify(approval) !== JSON.stringify(row.pendingApproval ?? null)) {
      changes.pendingApproval = approval;
      // The update binds placeholders, past drizzle's JSON mapping: the column gets the JSON text itself.
      approvalParam.pendingApproval = approval === null ? null : JSON.stringify(approval);
    }
    const updated = updateStatement(db, changes).get({ ...changes, ...approvalParam, id: row.id, expectedVersion: input.expectedVersion });
    // Unreachable while the IMMEDIATE transaction holds the write lock; kept as the guarantee itself.
    if (updated === undefined) throw staleVersion("assignment", { version: row.version, status: row.status });

    let commentId: number | null = null;
    for (const effect of result.effects) {
      const id = applyRowEffect(tx, user, row, effect, at);
      if (id !== null) commentId = id;
    }

    // The files belong to the act's own (first) event and to the department whose conversation it is in (policy.ts);
    // a comment's files hang on the comment, as for comment-with-attachments.ts.
    const actEvent = result.events[0];
    const stored =
      files.length === 0 || actEvent === undefined
        ? null
        : storeAttachments(
            tx,
            user,
            {
              planId: row.planId,
              assignmentId: row.id,
              department: conversationDepartmentOf(actEvent.type, row.department, next.department),
              ownerKind: commentId === null ? `assignment.${input.action.type}` : "comment",
              ownerId: commentId ?? row.id,
            },
            files,
            now,
          );

    const audit = (assignmentId: number, department: string, e: AssignmentEvent, extra: AuditPayload = {}): void => {
      appendAuditEvent(tx, {
        at,
        type: e.type,
        ...auditActorOf(user),
        planId: row.planId,
        measureNumber: row.measureNumber,
        assignmentId,
        department,
        fromStatus: e.from,
        toStatus: e.to,
        payload: { ...e.payload, ...extra },
      });
    };
    for (const e of result.events) {
      audit(row.id, conversationDepartmentOf(e.type, row.department, next.department), e, e === actEvent && stored !== null ? stored.auditPayload : {});
      // The notification centre and the outbox, in this transaction: a rolled-back act tells no one.
      noticeAssignmentEvent(
        tx,
        { type: e.type, assignmentId: row.id, planId: row.planId, measureNumber: row.measureNumber, heldBy: row.department, heldAfter: next.department, actorDepartment: actorDepartmentOf(user), payload: e.payload },
        now,
      );
    }

    const touchedIds = [row.id];
    const touchedDepartments = new Set([row.department, next.department]);
    for (const effect of result.effects) {
      if (effect.kind !== "leadReopened") continue;
      // The lead named by the domain, as it was read: its sign-off goes back to work, the event recorded on it.
      const lead = others.find((o) => o.role === "lead" && o.department === effect.department && o.status === "signed_off");
      if (lead === undefined) continue;
      const leadRow = tx.select().from(assignmentsTable).where(eq(assignmentsTable.id, lead.id)).get();
      if (leadRow === undefined) continue;
      tx.update(assignmentsTable)
        .set({ status: effect.event.to, version: leadRow.version + 1, updatedAt: at })
        .where(and(eq(assignmentsTable.id, leadRow.id), eq(assignmentsTable.version, leadRow.version)))
        .run();
      audit(leadRow.id, leadRow.department, effect.event);
      noticeAssignmentEvent(
        tx,
        {
          type: effect.event.type,
          assignmentId: leadRow.id,
          planId: leadRow.planId,
          measureNumber: leadRow.measureNumber,
          heldBy: leadRow.department,
          heldAfter: leadRow.department,
          actorDepartment: actorDepartmentOf(user),
          payload: effect.event.payload,
        },
        now,
      );
      touchedIds.push(leadRow.id);
      touchedDepartments.add(leadRow.department);
    }

    const change = envelope(
      {
        planId: row.planId,
        assignmentIds: touchedIds,
        measureNumbers: [row.measureNumber],
        departments: [...touchedDepartments],
        at,
      },
      others.map((o) => o.department),
    );
    return { value: summarizeAssignment(updated, measure.title, now), change, attachmentIds: stored?.ids ?? [] };
  });
}

type AssignmentRow = typeof assignmentsTable.$inferSelect;

type AssignmentChanges = Partial<
  Pick<
    AssignmentRow,
    | "status"
    | "department"
    | "dueDate"
    | "pendingExtensionUntil"
    | "pendingExtensionReason"
    | "version"
    | "updatedAt"
    | "lastRemindedAt"
    | "divisionId"
    | "handlerUserId"
    | "pendingApproval"
  >
>;

const P = sql.placeholder;

function prepareActStatements(db: CountersignDb) {
  const a = assignmentsTable;
  return {
    assignment: db.select().from(a).where(eq(a.id, P("id"))).prepare(),
    measure: db
      .select({ title: measuresTable.title, closed: measuresTable.closed })
      .from(measuresTable)
      .where(eq(measuresTable.id, P("measureId")))
      .prepare(),
    planStatus: db.select({ status: plansTable.status }).from(plansTable).where(eq(plansTable.id, P("planId"))).prepare(),
    leaderApproval: db
      .select({ leaderApproval: departmentsTable.leaderApproval })
      .from(departmentsTable)
      .where(eq(departmentsTable.code, P("department")))
      .prepare(),
    others: db
      .select({ id: a.id, department: a.department, role: a.role, status: a.status })
      .from(a)
      .where(and(eq(a.measureId, P("measureId")), ne(a.id, P("id"))))
      .prepare(),
    updates: new Map<string, ReturnType<typeof prepareUpdate>>(),
  };
}

/** The conditional update (`WHERE id = ? AND version = ?`) of the given columns, values as placeholders. */
function prepareUpdate(db: CountersignDb, columns: readonly string[]) {
  const set: Record<string, SQL> = Object.fromEntries(columns.map((c) => [c, sql`${P(c)}`]));
  return db
    .update(assignmentsTable)
    .set(set)
    .where(and(eq(assignmentsTable.id, P("id")), eq(assignmentsTable.version, P("expectedVersion"))))
    .returning()
    .prepare();
}

// Every action runs these: built and prepared once per database (building them cost more than running them).
const preparedActs = new WeakMap<CountersignDb, ReturnType<typeof prepareActStatements>>();
function actStatements(db: CountersignDb): ReturnType<typeof prepareActStatements> {
  let statements = preparedActs.get(db);
  if (statements === undefined) {
    statements = prepareActStatements(db);
    preparedActs.set(db, statements);
  }
  return statements;
}

function updateStatement(db: CountersignDb, changes: AssignmentChanges): ReturnType<typeof prepareUpdate> {
  const columns = Object.keys(changes).sort();
  const { updates } = actStatements(db);
  const key = columns.join(",");
  let statement = updates.get(key);
  if (statement === undefined) {
    statement = prepareUpdate(db, columns);
    updates.set(key, statement);
  }
  return statement;
}

/**
 * Applies one effect the transition decided that changes records beside the assignment row (the domain's
 * `AssignmentEffect`; `reminded` is a column of the row and `leadReopened` another assignment, both applied by the
 * caller). Returns the new comment's id for `commentRecorded`, else null.
 */
export function applyRowEffect(tx: Queryable, user: ActingUser, row: AssignmentRow, effect: AssignmentEffect, at: string): number | null {
  switch (effect.kind) {
    case "commentRecorded":
      return tx
        .insert(commentsTable)
        .values({
          assignmentId: row.id,
          planId: row.planId,
          authorUserId: user.id,
          authorDepartment: user.department,
          // Whose conversation the comment belongs to (policy.ts): the department holding the assignment now.
          department: row.department,
          body: effect.body,
          createdAt: at,
        })
        .returning({ id: commentsTable.id })
        .get().id;
    case "extensionRequested":
      recordExtensionRequest(tx, row, effect.requestedBy ?? user.id, effect.until, effect.reason, at);
      return null;
    case "extensionSettled":
      settlePendingExtension(tx, user, row.id, effect.status, effect.note, at);
      return null;
    case "responsibilityMoved":
      moveResponsibility(tx, row, effect.toDepartment);
      return null;
    case "reminded":
    case "leadReopened":
      return null;
  }
}

/** 延期申请 as the lead ministry receives it: by the account that asked (the handler who drafted it, where approved). */
function recordExtensionRequest(tx: Queryable, row: AssignmentRow, requestedBy: number, until: string, reason: string, at: string): void {
  tx.insert(extensionRequestsTable)
    .values({
      assignmentId: row.id,
      planId: row.planId,
      department: row.department,
      requestedByUserId: requestedBy,
      previousDueDate: row.dueDate,
      until,
      reason,
      status: "pending",
      createdAt: at,
    })
    .run();
}

function settlePendingExtension(
  tx: Queryable,
  user: ActingUser,
  assignmentId: number,
  status: "approved" | "refused" | "cancelled",
  note: string,
  at: string,
): void {
  tx.update(extensionRequestsTable)
    .set({ status, decidedByUserId: user.id, decidedAt: at, decisionNote: note })
    .where(and(eq(extensionRequestsTable.assignmentId, assignmentId), eq(extensionRequestsTable.status, "pending")))
    .run();
}

/**
 * The division of work follows a reassignment, so that the matrix shows who is responsible now. A responsibility
 * left by an earlier, withdrawn assignment of the new department on this measure gives way.
 */
function moveResponsibility(tx: Queryable, row: AssignmentRow, toDepartment: string): void {
  tx.delete(responsibilitiesTable)
    .where(and(eq(responsibilitiesTable.measureId, row.measureId), eq(responsibilitiesTable.department, toDepartment)))
    .run();
  tx.update(responsibilitiesTable)
    .set({ department: toDepartment, justification: null })
    .where(and(eq(responsibilitiesTable.measureId, row.measureId), eq(responsibilitiesTable.department, row.department)))
    .run();
}
