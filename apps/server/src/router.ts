import { accountRouter } from "./routers/account.js";
import { adminRouter } from "./routers/admin.js";
import { ssoRouter } from "./routers/sso.js";
import { assignmentRouter } from "./routers/assignment.js";
import { attachmentRouter } from "./routers/attachment.js";
import { auditRouter } from "./routers/audit.js";
import { authRouter } from "./routers/auth.js";
import { cascadeRouter } from "./routers/cascade.js";
import { catalogRouter } from "./routers/catalog.js";
import { departmentRouter } from "./routers/department.js";
import { inboxRouter } from "./routers/inbox.js";
import { liveRouter } from "./routers/live.js";
import { matrixRouter } from "./routers/matrix.js";
import { measureRouter } from "./routers/measure.js";
import { notificationRouter } from "./routers/notification.js";
import { planRouter } from "./routers/plan.js";
import { roundRouter } from "./routers/round.js";
import { trackingRouter } from "./routers/tracking.js";
import { createCallerFactory, router } from "./trpc.js";

/** The public API at /trpc; docs/api.md describes every procedure. */
export const appRouter = router({
  auth: authRouter,
  catalog: catalogRouter,
  plan: planRouter,
  inbox: inboxRouter,
  assignment: assignmentRouter,
  measure: measureRouter,
  tracking: trackingRouter,
  matrix: matrixRouter,
  audit: auditRouter,
  live: liveRouter,
  admin: adminRouter,
  account: accountRouter,
  sso: ssoRouter,
  round: roundRouter,
  attachment: attachmentRouter,
  notification: notificationRouter,
  department: departmentRouter,
  cascade: cascadeRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
