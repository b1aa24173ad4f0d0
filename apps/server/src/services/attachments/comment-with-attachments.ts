import { transition } from "@countersign/domain";
import type { AnyStoreTransaction } from "@countersign/db";
import { refusalError, ServiceError, staleVersion } from "../../errors.js";
import { actorOf, auditActorOf } from "../shared/acting-user.js";
import type { ActingUser } from "../shared/acting-user.js";
import { assignmentStateOf } from "../shared/assignment-view.js";
import type { IncomingFile } from "./attachment-rules.js";
import { storeAttachmentsOnSeam } from "./store-attachments.js";
import { rowEffectWrite, writeRowEffect } from "../assignment/row-effects.js";

export interface CommentWithAttachmentsInput {
  assignmentId: number;
  expectedVersion: number;
  body: string;
  files: readonly IncomingFile[];
}

export interface CommentWithAttachmentsResult {
  commentId: number;
  /** The assignment's version after the comment. */
  version: number;
  attachmentIds: number[];
}

/**
 * A comment (留言) with files (佐证材料), on the store seam (either engine): the workflow's own `comment` action (who
 * may comment is the domain's `transition`), the comment row (its effect written as every act's, `rowEffectWrite`),
 * the files (`storeAttachmentsOnSeam`, the rows by `attachmentRowOf` as for any act) and one `assignment.commented`
 * event naming each file's SHA-256, size, type, name and id, all in the caller's unit of work `tx` (nothing outside
 * it: on PostgreSQL it may run twice). The assignment's version moves on as for any comment.
 * Errors: `not_found`, the workflow's refusals, `stale_version` (a stale `expectedVersion`, or a race lost to a
 * concurrent act), the attachment refusals (`checkActFiles`).
 */
export async function commentWithAttachments(
  tx: AnyStoreTransaction,
  user: ActingUser,
  input: CommentWithAttachmentsInput,
  now: Date,
): Promise<CommentWithAttachmentsResult> {
  const at = now.toISOString();
  const { repos } = tx;
  const row = await repos.assignments.find(input.assignmentId);
  if (row === undefined) throw new ServiceError("not_found", `There is no assignment ${input.assignmentId}.`, { field: "assignmentId" });
  const measure = await repos.assignments.measureOf(row.measureId);
  const others = await repos.assignments.othersOnMeasure(row.measureId, row.id);
  const result = transition(assignmentStateOf(row), { type: "comment", body: input.body }, actorOf(user), { measureClosed: measure?.closed ?? false, others });
  if (!result.ok) {
    const code = result.refusal.code;
    // Who acts is answered before the version, so a stale version never reveals another department's assignment.
    if (code === "read_only" || code === "wrong_role" || code === "not_your_department") throw refusalError(result.refusal);
  }
  if (row.version !== input.expectedVersion) throw staleVersion("assignment", { version: row.version, status: row.status });
  if (!result.ok) throw refusalError(result.refusal);

  const updated = await repos.assignments.updateIfVersion(row.id, row.version, { updatedAt: at });
  // SQLite: unreachable (one writer). PostgreSQL: a concurrent act committed first; nothing of this one is written.
  if (updated === undefined) {
    const current = (await repos.assignments.find(row.id)) ?? row;
    throw staleVersion("assignment", { version: current.version, status: current.status });
  }
  // The comment's record is the transition's effect (`commentRecorded`), written as for every other act.
  let commentId: number | null = null;
  for (const effect of result.effects) {
    const write = rowEffectWrite(user, row, effect, at);
    const id = write === null ? null : await writeRowEffect(repos, write);
    if (id !== null) commentId = id;
  }
  if (commentId === null) throw new ServiceError("internal", "The comment was not recorded.");
  const stored = await storeAttachmentsOnSeam(
    repos,
    user,
    { planId: row.planId, assignmentId: row.id, department: row.department, ownerKind: "comment", ownerId: commentId },
    input.files,
    now,
  );
  for (const e of result.events) {
    await tx.appendAuditEvent({
      at,
      type: e.type,
      ...auditActorOf(user),
      planId: row.planId,
      measureNumber: row.measureNumber,
      assignmentId: row.id,
      department: row.department,
      fromStatus: e.from,
      toStatus: e.to,
      payload: { ...e.payload, ...stored.auditPayload },
    });
  }
  return { commentId, version: updated.version, attachmentIds: stored.ids };
}
