import { z } from "zod";
import { getMatrix } from "../services/matrix/get-matrix.js";
import { authedProcedure, router } from "../trpc.js";
import { planIdSchema } from "./catalog.js";

export const matrixRouter = router({
  get: authedProcedure
    .input(z.object({ planId: planIdSchema, withStatus: z.boolean().default(false) }))
    .query(({ ctx, input }) => ctx.store.read((repos) => getMatrix(repos, ctx.user, input.planId, input.withStatus, ctx.now()))),
});
