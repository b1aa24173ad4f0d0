import { roundReportTransition } from "@countersign/domain";
import type { RoundReportAction, RoundReportStatus } from "@countersign/domain";
import type { AnyStoreTransaction, AuditPayload, RoundReportChange } from "@countersign/db";
import { ServiceError } from "../../errors.js";
import type { ErrorCode } from "../../errors.js";
import { actorOf, auditActorOf, readsAllDepartments } from "../shared/acting-user.js";
import type { ActingUser } from "../shared/acting-user.js";
import { notifyOnSeam } from "../notifications/notify.js";
import type { OutboundChannels } from "../notifications/notify.js";
import { storeAttachmentsOnSeam } from "../attachments/store-attachments.js";
import type { IncomingFile } from "../attachments/store-attachments.js";

export interface ActOnRoundReportInput {
  reportId: number;
  /** The version the caller last saw; a stale one gets CONFLICT. */
  expectedVersion: number;
  action: RoundReportAction;
  /**
   * Files attached to a draft or a submission (checked by `checkUpload`; an object store's staged before the unit of
   * work by `stageFiles`, recorded by `storeAttachmentsOnSeam`).
   */
  files?: readonly IncomingFile[];
}

export interface RoundReportActResult {
  id: number;
  version: number;
  status: RoundReportStatus;
  late: boolean;
  attachmentIds: number[];
}

/**
 * One act on one round report: the domain's `roundReportTransition` decides, this records the change, its files
 * (in the same unit of work: the rows, and the database store's bytes), the audit event (naming each file's SHA-256,
 * size, type and name) and the notice (with the outbox rows of `channels`).
 * Where the report's department requires its leader's approval (its `leaderApproval` setting), a liaison's or
 * handler's submission waits for the leader, who approves it (it is submitted then) or returns it with a reason (the
 * domain's rule, rounds.ts). Runs inside the caller's unit of work `tx`, on either engine (nothing outside it: on
 * PostgreSQL it may run twice). Errors: `not_found`, `not_your_department` (a liaison, another department's
 * report), the domain's refusals, `stale_version`, the attachment refusals.
 */
export async function actOnRoundReport(
  tx: AnyStoreTransaction,
  user: ActingUser,
  input: ActOnRoundReportInput,
  now: Date,
  channels: OutboundChannels,
): Promise<RoundReportActResult> {
  const at = now.toISOString();
  const { repos } = tx;
  const report = await repos.rounds.findReport(input.reportId);
  if (report === undefined) throw new ServiceError("not_found", `There is no report ${input.reportId}.`, { field: "reportId" });
  // Refused before anything else is looked at, as for an assignment (the refusal is in the trail).
  if (!readsAllDepartments(user) && user.department !== report.department) {
    throw new ServiceError("not_your_department", `Report ${input.reportId} belongs to another department.`, { field: "reportId" });
  }
  // Kept from closing until this act commits: a close waits for it (and counts it), an act after a close is refused.
  const round = await repos.rounds.findRoundForAct(report.roundId);
  if (round === undefined) throw new ServiceError("internal", `Report ${report.id} has no round.`);
  const leaderApproval = await repos.rounds.leaderApprovalOf(report.department);

  const result = roundReportTransition(
    { status: report.status, department: report.department, submittedAt: report.submittedAt, progress: report.progress, problems: report.problems, nextSteps: report.nextSteps },
    input.action,
    actorOf(user),
    { status: round.status, dueDate: round.dueDate, leaderApproval },
    now,
  );
  if (!result.ok) {
    const code: ErrorCode = result.refusal.code;
    throw new ServiceError(code, result.refusal.message, result.refusal.field === undefined ? {} : { field: result.refusal.field });
  }
  if (report.version !== input.expectedVersion) {
    throw new ServiceError("stale_version", `This report has changed since you loaded it (now version ${report.version}); reload it and try again.`);
  }
  const files = input.files ?? [];
  if (files.length > 0 && input.action.type !== "saveDraft" && input.action.type !== "submit") {
    throw new ServiceError("invalid_input", "Files are attached to a report's draft or submission.", { field: "files" });
  }

  const next = result.next;
  const changes: RoundReportChange = {
    status: next.status,
    progress: next.progress,
    problems: next.problems,
    nextSteps: next.nextSteps,
    submittedAt: next.submittedAt,
    updatedAt: at,
  };
  if (input.action.type === "return" || input.action.type === "reject") {
    // The latest return's reason, the coordinator's or the leader's (the status tells which; the trail keeps each).
    changes.returnedReason = input.action.reason;
    changes.returnedAt = at;
  }
  // Approved, the report goes out: the leader's reason for an earlier return inside the department is no longer current.
  if (input.action.type === "approve") changes.returnedReason = null;
  if (input.action.type === "remind") {
    changes.lastRemindedAt = at;
    changes.reminders = report.reminders + 1;
  }
  const version = await repos.rounds.updateReportIfVersion(report.id, report.version, changes);
  // SQLite: unreachable (one writer). PostgreSQL: a concurrent act committed first; nothing of this one is written.
  if (version === undefined) throw new ServiceError("stale_version", "This report has just changed; reload it and try again.");

  const stored = await storeAttachmentsOnSeam(
    repos,
    user,
    { planId: report.planId, assignmentId: report.assignmentId, department: report.department, ownerKind: "round_report", ownerId: report.id },
    files,
    now,
  );
  const payload: AuditPayload = { roundId: round.id, reportId: report.id, assignmentId: report.assignmentId, version: report.version + 1 };
  if (input.action.type === "submit" || input.action.type === "saveDraft") {
    // The text is the department's words; the chain vouches for it as for a comment's body.
    payload["progress"] = input.action.progress;
    payload["problems"] = input.action.problems;
    payload["nextSteps"] = input.action.nextSteps;
    if (input.action.type === "submit" && next.status === "submitted") payload["late"] = result.late;
  }
  if (input.action.type === "approve") payload["late"] = result.late;
  if (input.action.type === "return" || input.action.type === "reject") payload["reason"] = input.action.reason;
  if (input.action.type === "remind") payload["message"] = input.action.message;
  Object.assign(payload, stored.auditPayload);
  await tx.appendAuditEvent({
    at,
    type: result.event,
    ...auditActorOf(user),
    planId: report.planId,
    measureNumber: report.measureNumber,
    department: report.department,
    fromStatus: report.status,
    toStatus: next.status,
    payload,
  });
  if (input.action.type === "return" || input.action.type === "remind") {
    await notifyOnSeam(
      repos,
      {
        kind: input.action.type === "return" ? "round_report.returned" : "round_report.reminded",
        params: {
          roundId: round.id,
          title: round.title,
          measureNumber: report.measureNumber,
          dueDate: round.dueDate,
          text: input.action.type === "return" ? input.action.reason : input.action.message,
        },
        link: `/rounds/${round.id}`,
        departments: [report.department],
      },
      channels,
      now,
    );
  }
  if (result.event === "round_report.approval_requested" || result.event === "round_report.rejected") {
    const waits = result.event === "round_report.approval_requested";
    // Waiting: its leaders are told (they approve); returned by the leader: the department is told, with the reason.
    const leaders = waits ? await repos.rounds.leadersOf(report.department) : [];
    await notifyOnSeam(
      repos,
      {
        kind: result.event,
        params: {
          roundId: round.id,
          title: round.title,
          measureNumber: report.measureNumber,
          dueDate: round.dueDate,
          text: input.action.type === "reject" ? input.action.reason : null,
        },
        link: `/rounds/${round.id}`,
        ...(waits ? { userIds: leaders } : { departments: [report.department] }),
      },
      channels,
      now,
    );
  }
  return { id: report.id, version, status: next.status, late: result.late, attachmentIds: stored.ids };
}
