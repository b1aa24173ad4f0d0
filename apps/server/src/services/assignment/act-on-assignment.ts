import { actionTakesFiles, conversationDepartmentOf, planCalendarDate, transition } from "@countersign/domain";
import type { AssignmentAction, AssignmentEvent, AssignmentRequest, RefusalCode } from "@countersign/domain";
import type { AnyStoreTransaction, AssignmentColumns, AssignmentRecord, AuditPayload, Repositories } from "@countersign/db";
import { refusalError, ServiceError, staleVersion } from "../../errors.js";
import type { IncomingFile } from "../attachments/attachment-rules.js";
import { storeAttachmentsOnSeam } from "../attachments/store-attachments.js";
import { actorDepartmentOf, noticeAssignmentEventOnSeam } from "../notifications/notify.js";
import type { OutboundChannels } from "../notifications/notify.js";
import { actorOf, auditActorOf } from "../shared/acting-user.js";
import type { ActingUser } from "../shared/acting-user.js";
import { assignmentStateOf, summarizeAssignment } from "../shared/assignment-view.js";
import type { AssignmentSummary } from "../shared/assignment-view.js";
import { envelope } from "../shared/live-change.js";
import type { Outcome } from "../shared/live-change.js";
import { rowEffectWrite, writeRowEffect } from "./row-effects.js";

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
   * stored in this act's unit of work (`storeAttachmentsOnSeam`), each file's SHA-256, size, type, name and id in
   * the act's audit event.
   */
  files?: readonly IncomingFile[];
}

export interface ActOnAssignmentOptions {
  /** The outbound channels (webhook, email) the act's notices are queued on (`outboundChannelsFor`); none by default. */
  outbound?: OutboundChannels;
}

/** Refusals about who acts, answered before the version check so that a stale version never reveals another department's state. */
const actorRefusals: ReadonlySet<RefusalCode> = new Set(["read_only", "wrong_role", "not_your_department", "not_your_assignment"]);

const noOutbound: OutboundChannels = { webhook: false, email: false, emailTo: [] };

/** 分办's division and handler as the domain checks them; an unknown id reads as a record that fits nothing. */
async function resolveAction(repos: Repositories, request: AssignmentRequest): Promise<AssignmentAction> {
  if (request.type !== "assignHandler") return request;
  const division = await repos.assignments.division(request.divisionId);
  const handler = await repos.assignments.handlerCandidate(request.handlerId);
  return {
    type: "assignHandler",
    note: request.note,
    division: division ?? { id: request.divisionId, department: "" },
    handler: handler ?? { id: request.handlerId, role: "observer", department: null, departmentRole: null, division: null, disabled: true },
  };
}

/** The columns the transition changed, and only those: setting an indexed column, even to its own value, rewrites every index on it. */
function changedColumns(row: AssignmentRecord, next: ReturnType<typeof assignmentStateOf>, reminded: boolean, at: string): AssignmentColumns {
  const changes: AssignmentColumns = { updatedAt: at };
  if (next.status !== row.status) changes.status = next.status;
  if (next.department !== row.department) changes.department = next.department;
  if (next.dueDate !== row.dueDate) changes.dueDate = next.dueDate;
  const until = next.pendingExtension?.until ?? null;
  const reason = next.pendingExtension?.reason ?? null;
  if (until !== row.pendingExtensionUntil) changes.pendingExtensionUntil = until;
  if (reason !== row.pendingExtensionReason) changes.pendingExtensionReason = reason;
  if (reminded) changes.lastRemindedAt = at;
  const division = next.division ?? null;
  const handler = next.handler ?? null;
  const approval = next.pendingApproval ?? null;
  if (division !== row.divisionId) changes.divisionId = division;
  if (handler !== row.handlerUserId) changes.handlerUserId = handler;
  if (JSON.stringify(approval) !== JSON.stringify(row.pendingApproval ?? null)) changes.pendingApproval = approval;
  return changes;
}

/** The CONFLICT of a lost race, with the assignment as it now is (re-read: the winner's commit is visible now). */
async function lostRace(repos: Repositories, row: AssignmentRecord): Promise<ServiceError> {
  const current = (await repos.assignments.find(row.id)) ?? row;
  return staleVersion("assignment", { version: current.version, status: current.status });
}

/**
 * Every liaison and coordinator action on an assignment, on the store seam (either engine): reads through
 * `tx.repos`, the domain's `transition` decides, then its answer is written in the caller's unit of work `tx`: the
 * conditional update (`WHERE id = ? AND version = ?`), the side records (comment, extension request, moved
 * responsibility, reopened lead), the files, the audit events (`tx.appendAuditEvent`) and the notices and outbox rows
 * (`assignmentEventNotices` decides who is told). Nothing outside `tx` is touched (the unit of work may run twice on
 * PostgreSQL); the change to announce is returned for the caller to queue.
 * Errors: `not_found`, the workflow's refusals, `stale_version` (a stale `expectedVersion`, or a race lost to a
 * concurrent act), `invalid_input` (files on an action that takes none) and the attachment refusals (`checkActFiles`).
 */
export async function actOnAssignment(
  tx: AnyStoreTransaction,
  user: ActingUser,
  input: ActOnAssignmentInput,
  now: Date,
  options: ActOnAssignmentOptions = {},
): Promise<Outcome<AssignmentSummary> & { attachmentIds: number[]; commentId: number | null }> {
  const at = now.toISOString();
  const { repos } = tx;
  const outbound = options.outbound ?? noOutbound;
  const files = input.files ?? [];

  // First: what follows reads the measure's other assignments to decide (PostgreSQL runs several acts at once).
  await repos.assignments.holdMeasureOf(input.id);
  // The assignment with its measure, plan status and department's leader approval: one read in every write.
  const found = await repos.assignments.forAct(input.id);
  if (found === undefined) throw new ServiceError("not_found", `There is no assignment ${input.id}.`, { field: "id" });
  const { row, measure, planStatus, leaderApproval } = found;
  if (measure === undefined) throw new ServiceError("internal", `Assignment ${row.id} has no measure.`);
  const others = await repos.assignments.othersOnMeasure(row.measureId, row.id);
  const action = await resolveAction(repos, input.action);
  const handlersAvailable = input.action.type === "assignHandler" ? await repos.departmentRegister.hasHandlers(row.department) : undefined;

  const result = transition(assignmentStateOf(row), action, actorOf(user), {
    measureClosed: measure.closed,
    others,
    today: planCalendarDate(now),
    planWithdrawn: planStatus === "withdrawn",
    leaderApproval,
    handlersAvailable,
  });
  if (!result.ok && actorRefusals.has(result.refusal.code)) throw refusalError(result.refusal);
  if (row.version !== input.expectedVersion) throw staleVersion("assignment", { version: row.version, status: row.status });
  if (!result.ok) throw refusalError(result.refusal);
  if (files.length > 0 && !actionTakesFiles(input.action.type)) {
    throw new ServiceError("invalid_input", `Files cannot be attached to ${input.action.type}.`, { field: "file" });
  }

  const { next } = result;
  const reminded = result.effects.some((e) => e.kind === "reminded");
  const updated = await repos.assignments.updateIfVersion(row.id, input.expectedVersion, changedColumns(row, next, reminded, at));
  // SQLite: unreachable (one writer). PostgreSQL: a concurrent act committed first; nothing of this one is written.
  if (updated === undefined) throw await lostRace(repos, row);

  let commentId: number | null = null;
  for (const effect of result.effects) {
    const write = rowEffectWrite(user, row, effect, at);
    const id = write === null ? null : await writeRowEffect(repos, write);
    if (id !== null) commentId = id;
  }

  // The files belong to the act's own (first) event and to the department whose conversation it is in (policy.ts);
  // a comment's files hang on the comment (also when it comes by `POST /attachments/comment`).
  const actEvent = result.events[0];
  const stored =
    files.length === 0 || actEvent === undefined
      ? null
      : await storeAttachmentsOnSeam(
          repos,
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

  const actorDepartment = actorDepartmentOf(user);
  const record = async (target: AssignmentRecord, department: string, heldAfter: string, e: AssignmentEvent, extra: AuditPayload = {}): Promise<void> => {
    await tx.appendAuditEvent({
      at,
      type: e.type,
      ...auditActorOf(user),
      planId: target.planId,
      measureNumber: target.measureNumber,
      assignmentId: target.id,
      department,
      fromStatus: e.from,
      toStatus: e.to,
      payload: { ...e.payload, ...extra },
    });
    // The notification centre and the outbox, in this unit of work: a rolled-back act tells no one.
    await noticeAssignmentEventOnSeam(
      repos,
      {
        type: e.type,
        assignmentId: target.id,
        planId: target.planId,
        measureNumber: target.measureNumber,
        heldBy: target.department,
        heldAfter,
        actorDepartment,
        payload: e.payload,
      },
      outbound,
      now,
    );
  };
  for (const e of result.events) {
    const extra = e === actEvent && stored !== null ? stored.auditPayload : {};
    await record(row, conversationDepartmentOf(e.type, row.department, next.department), next.department, e, extra);
  }

  const touchedIds = [row.id];
  const touchedDepartments = new Set([row.department, next.department]);
  for (const effect of result.effects) {
    if (effect.kind !== "leadReopened") continue;
    // The lead named by the domain, as it was read: its sign-off goes back to work, the event recorded on it.
    const lead = others.find((o) => o.role === "lead" && o.department === effect.department && o.status === "signed_off");
    if (lead === undefined) continue;
    const leadRow = await repos.assignments.find(lead.id);
    if (leadRow === undefined) continue;
    const reopened = await repos.assignments.updateIfVersion(leadRow.id, leadRow.version, { status: effect.event.to, updatedAt: at });
    // The lead changed under this act (PostgreSQL, a concurrent act): the whole act gives way, to be retried.
    if (reopened === undefined) throw await lostRace(repos, row);
    await record(leadRow, leadRow.department, leadRow.department, effect.event);
    touchedIds.push(leadRow.id);
    touchedDepartments.add(leadRow.department);
  }

  const change = envelope(
    { planId: row.planId, assignmentIds: touchedIds, measureNumbers: [row.measureNumber], departments: [...touchedDepartments], at },
    others.map((o) => o.department),
  );
  return { value: summarizeAssignment(updated, measure.title, now), change, attachmentIds: stored?.ids ?? [], commentId };
}
