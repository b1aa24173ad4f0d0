import { z } from "zod";
import { assignmentActions, assignmentActionTypes, requestOf } from "@countersign/domain";
import type { AssignmentActionInput, AssignmentActionType, AssignmentRequest } from "@countersign/domain";
import type { Context } from "../context.js";
import { runSeamMutation } from "../security/idempotency.js";
import { actOnAssignment } from "../services/assignment/act-on-assignment.js";
import { getAssignment } from "../services/assignment/get-assignment.js";
import { outboundChannelsFor } from "../services/notifications/notify.js";
import type { ActingUser } from "../services/shared/acting-user.js";
import type { AssignmentSummary } from "../services/shared/assignment-view.js";
import { authedProcedure, router } from "../trpc.js";

/**
 * Every action goes through the domain's transition, in one unit of work of the store seam (either engine); the
 * answer is the assignment as it now is.
 */
function act(
  ctx: Context & { user: ActingUser },
  input: { id: number; expectedVersion: number },
  action: AssignmentRequest,
): Promise<AssignmentSummary> {
  const now = ctx.now();
  const outbound = outboundChannelsFor(ctx);
  return runSeamMutation(ctx, `assignment.${action.type}`, input, (tx) =>
    actOnAssignment(tx, ctx.user, { id: input.id, expectedVersion: input.expectedVersion, action }, now, { outbound }),
  );
}

/** The procedure `assignment.<type>`: the registry's input schema, the action built from it by the registry. */
function actionProcedure<K extends AssignmentActionType>(type: K) {
  return authedProcedure
    .input(assignmentActions[type].input)
    // tRPC resolves the input to the union over every K; it is K's own, since K's schema parsed it.
    .mutation(({ ctx, input }) => act(ctx, input, requestOf(type, input as AssignmentActionInput<K>)));
}

type ActionProcedures = { [K in AssignmentActionType]: ReturnType<typeof actionProcedure<K>> };

/**
 * One procedure per entry of the domain's action registry (签收, 申请调整, 进展反馈, 报结, 延期申请, comments; 分办,
 * 审核/签发; 改派, 维持交办, 退回重办, 撤销, 催办, 延期审批), named by its key: adding an action adds its procedure.
 */
const actionProcedures = Object.fromEntries(assignmentActionTypes.map((type) => [type, actionProcedure(type)])) as ActionProcedures;

export const assignmentRouter = router({
  get: authedProcedure
    .input(z.object({ id: z.number().int().positive() }))
    .query(({ ctx, input }) => ctx.store.read((repos) => getAssignment(repos, ctx.user, input.id, ctx.now()))),
  ...actionProcedures,
});
