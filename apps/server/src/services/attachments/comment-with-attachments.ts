import { and, eq, ne } from "drizzle-orm";
import { transition } from "@countersign/domain";
import { appendAuditEvent } from "@countersign/db";
import type { Queryable } from "@countersign/db";
import { assignmentsTable, measuresTable } from "@countersign/db/schema";
import { refusalError, ServiceError, staleVersion } from "../../errors.js";
import { actorOf, auditActorOf } from "../shared/acting-user.js";
import type { ActingUser } from "../shared/acting-user.js";
import { assignmentStateOf } from "../shared/assignment-view.js";
import type { IncomingFile } from "./attachment-rules.js";
import { storeAttachments } from "./store-attachments.js";
import { applyRowEffect } from "../assignment/row-effects.js";

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
 * A comment (留言) with files (佐证材料): the workflow's own `comment` action (who may comment is the domain's
 * `transition`), the comment row, the files and one `assignment.commented` event naming each file's SHA-256, size,
 * type and name, all in the caller's transaction. The assignment's version moves on as for any comment.
 * Errors: `not_found`, the workflow's refusals, `stale_version`, the attachment refusals.
 */
export function commentWithAttachments(tx: Queryable, user: ActingUser, input: CommentWithAttachmentsInput, now: Date): CommentWithAttachmentsResult {
  const at = now.toISOString();
  const row = tx.select().from(assignmentsTable).where(eq(assignmentsTable.id, input.assignmentId)).get();
  if (row === undefined) throw new ServiceError("not_found", `There is no assignment ${input.assignmentId}.`, { field: "assignmentId" });
  const measure = tx.select({ closed: measuresTable.closed }).from(measuresTable).where(eq(measuresTable.id, row.measureId)).get();
  const others = tx
    .select({ id: assignmentsTable.id, department: assignmentsTable.department, role: assignmentsTable.role, status: assignmentsTable.status })
    .from(assignmentsTable)
    .where(and(eq(assignmentsTable.measureId, row.measureId), ne(assignmentsTable.id, row.id)))
    .all();
  const result = transition(assignmentStateOf(row), { type: "comment", body: input.body }, actorOf(user), { measureClosed: measure?.closed ?? false, others });
  if (!result.ok) {
    const code = result.refusal.code;
    // Who acts is answered before the version, so a stale version never reveals another department's assignment.
    if (code === "read_only" || code === "wrong_role" || code === "not_your_department") throw refusalError(result.refusal);
  }
  if (row.version !== input.expectedVersion) throw staleVersion("assignment", { version: row.version, status: row.status });
  if (!result.ok) throw refusalError(result.refusal);

  const updated = tx
    .update(assignmentsTable)
    .set({ version: row.version + 1, updatedAt: at })
    .where(and(eq(assignmentsTable.id, row.id), eq(assignmentsTable.version, row.version)))
    .returning({ version: assignmentsTable.version })
    .get();
  if (updated === undefined) throw staleVersion("assignment", { version: row.version, status: row.status });
  // The comment's record is the transition's effect (`commentRecorded`), applied as for every other act.
  let commentId: number | null = null;
  for (const effect of result.effects) commentId = applyRowEffect(tx, user, row, effect, at) ?? commentId;
  if (commentId === null) throw new ServiceError("internal", "The comment was not recorded.");
  const comment = { id: commentId };
  const stored = storeAttachments(
    tx,
    user,
    { planId: row.planId, assignmentId: row.id, department: row.department, ownerKind: "comment", ownerId: comment.id },
    input.files,
    now,
  );
  for (const e of result.events) {
    appendAuditEvent(tx, {
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
  return { commentId: comment.id, version: updated.version, attachmentIds: stored.ids };
}
