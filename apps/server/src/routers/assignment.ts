import { z } from "zod";
import {
  acceptInputSchema,
  approveInputSchema,
  assignHandlerInputSchema,
  rejectInputSchema,
  commentInputSchema,
  decideExtensionInputSchema,
  declineInputSchema,
  reaffirmInputSchema,
  reassignInputSchema,
  remindInputSchema,
  reportProgressInputSchema,
  requestExtensionInputSchema,
  returnInputSchema,
  signOffInputSchema,
  withdrawInputSchema,
} from "@countersign/domain";
import type { Context } from "../context.js";
import { runMutation } from "../security/idempotency.js";
import { actOnAssignment } from "../services/assignment/act-on-assignment.js";
import type { AssignmentRequest } from "../services/assignment/act-on-assignment.js";
import { getAssignment } from "../services/assignment/get-assignment.js";
import type { ActingUser } from "../services/shared/acting-user.js";
import type { AssignmentSummary } from "../services/shared/assignment-view.js";
import { authedProcedure, router } from "../trpc.js";

/** Every action goes through the domain's transition; the answer is the assignment as it now is. */
function act(
  ctx: Context & { user: ActingUser },
  input: { id: number; expectedVersion: number },
  action: AssignmentRequest,
): AssignmentSummary {
  return runMutation(ctx, `assignment.${action.type}`, input, () =>
    actOnAssignment(ctx.db, ctx.user, { id: input.id, expectedVersion: input.expectedVersion, action }, ctx.now()),
  );
}

export const assignmentRouter = router({
  get: authedProcedure
    .input(z.object({ id: z.number().int().positive() }))
    .query(({ ctx, input }) => getAssignment(ctx.db, ctx.user, input.id, ctx.now())),

  // The liaison's actions (签收, 申请调整, 进展反馈, 报结, 延期申请) and comments.
  accept: authedProcedure.input(acceptInputSchema).mutation(({ ctx, input }) => act(ctx, input, { type: "accept" })),
  decline: authedProcedure
    .input(declineInputSchema)
    .mutation(({ ctx, input }) => act(ctx, input, { type: "decline", reason: input.reason })),
  reportProgress: authedProcedure
    .input(reportProgressInputSchema)
    .mutation(({ ctx, input }) => act(ctx, input, { type: "reportProgress", note: input.note })),
  signOff: authedProcedure
    .input(signOffInputSchema)
    .mutation(({ ctx, input }) => act(ctx, input, { type: "signOff", summary: input.summary })),
  requestExtension: authedProcedure
    .input(requestExtensionInputSchema)
    .mutation(({ ctx, input }) => act(ctx, input, { type: "requestExtension", until: input.until, reason: input.reason })),
  comment: authedProcedure
    .input(commentInputSchema)
    .mutation(({ ctx, input }) => act(ctx, input, { type: "comment", body: input.body })),

  // Inside the department (issue 15, point 2): the liaison's 分办, the leader's 审核/签发 or return to the handler.
  assignHandler: authedProcedure
    .input(assignHandlerInputSchema)
    .mutation(({ ctx, input }) =>
      act(ctx, input, { type: "assignHandler", divisionId: input.divisionId, handlerId: input.handlerId, note: input.note }),
    ),
  approve: authedProcedure.input(approveInputSchema).mutation(({ ctx, input }) => act(ctx, input, { type: "approve", note: input.note })),
  reject: authedProcedure.input(rejectInputSchema).mutation(({ ctx, input }) => act(ctx, input, { type: "reject", reason: input.reason })),

  // The lead ministry's actions (改派, 维持交办, 退回重办, 撤销, 催办, 延期审批).
  reassign: authedProcedure
    .input(reassignInputSchema)
    .mutation(({ ctx, input }) => act(ctx, input, { type: "reassign", toDepartment: input.toDepartment, note: input.note, dueDate: input.dueDate })),
  reaffirm: authedProcedure
    .input(reaffirmInputSchema)
    .mutation(({ ctx, input }) => act(ctx, input, { type: "reaffirm", note: input.note })),
  return: authedProcedure
    .input(returnInputSchema)
    .mutation(({ ctx, input }) => act(ctx, input, { type: "return", reason: input.reason })),
  withdraw: authedProcedure
    .input(withdrawInputSchema)
    .mutation(({ ctx, input }) => act(ctx, input, { type: "withdraw", reason: input.reason })),
  remind: authedProcedure
    .input(remindInputSchema)
    .mutation(({ ctx, input }) => act(ctx, input, { type: "remind", message: input.message })),
  decideExtension: authedProcedure
    .input(decideExtensionInputSchema)
    .mutation(({ ctx, input }) => act(ctx, input, { type: "decideExtension", approve: input.approve, note: input.note, until: input.until })),
});
