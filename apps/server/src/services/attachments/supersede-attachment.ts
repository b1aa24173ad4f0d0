import { decideSupersede } from "@countersign/domain";
import type { AnyStoreTransaction } from "@countersign/db";
import { ServiceError } from "../../errors.js";
import { actorOf, auditActorOf, readsAllDepartments } from "../shared/acting-user.js";
import { handlerReachesIn } from "../shared/handler-reach.js";
import type { ActingUser } from "../shared/acting-user.js";

/**
 * Marks a file attached by mistake as superseded by a later one (the domain's `decideSupersede`); nothing is deleted,
 * and the `attachment.superseded` event names both files' hashes and the reason. Runs in the caller's unit of work
 * `tx` (either engine). Errors: `not_your_department` (a liaison: another department's file or none; the same answer
 * for both), `not_found` (others: no such file), `not_your_assignment` (a handler: work they do not reach),
 * `wrong_role`, `invalid_state` (already superseded, or the domain's refusal), `reason_required`.
 */
export async function supersedeAttachment(
  tx: AnyStoreTransaction,
  user: ActingUser,
  input: { id: number; byId: number; reason: string },
  now: Date,
): Promise<{ id: number; supersededById: number }> {
  const { repos } = tx;
  const find = async (id: number) => {
    const row = await repos.attachments.find(id);
    const field = id === input.id ? "id" : "byId";
    // A liaison gets the same answer for another department's file and for none at all: no probing by id.
    if (!readsAllDepartments(user) && (row === undefined || row.department !== user.department)) {
      throw new ServiceError("not_your_department", `Attachment ${id} is not one of your department's files.`, { field });
    }
    if (row === undefined) throw new ServiceError("not_found", `There is no attachment ${id}.`, { field });
    // A handler: only the files of work handed to them or their division (policy.ts).
    if (!(await handlerReachesIn(repos, user, row.assignmentId))) {
      throw new ServiceError("not_your_assignment", `Attachment ${id} is of work given neither to you nor to your division.`, { field });
    }
    return row;
  };
  const file = await find(input.id);
  const replacement = await find(input.byId);
  const decision = decideSupersede(actorOf(user), file, replacement);
  if (!decision.ok) throw new ServiceError(decision.refusal.code, decision.refusal.message);
  const reason = input.reason.trim();
  if (reason === "") throw new ServiceError("reason_required", "Say why the file is superseded.", { field: "reason" });
  if (!(await repos.attachments.markSuperseded(file.id, replacement.id))) throw new ServiceError("invalid_state", "This file is already superseded.");
  await tx.appendAuditEvent({
    at: now.toISOString(),
    type: "attachment.superseded",
    ...auditActorOf(user),
    planId: file.planId,
    department: file.department,
    payload: {
      attachmentId: file.id,
      assignmentId: file.assignmentId,
      name: file.name,
      sha256: file.sha256,
      byAttachmentId: replacement.id,
      byName: replacement.name,
      bySha256: replacement.sha256,
      reason,
    },
  });
  return { id: file.id, supersededById: replacement.id };
}
