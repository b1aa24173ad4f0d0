import { changeOwnPasswordInputSchema, endOwnSessionInputSchema, redeemPasswordResetInputSchema } from "@countersign/domain";
import { ServiceError } from "../errors.js";
import { assertAcceptablePassword } from "../services/auth/common-passwords.js";
import { hashPassword, verifyPassword } from "../services/auth/password.js";
import { requireAccountAct } from "../services/users/account-policy.js";
import { accountViewOf } from "../services/users/account-view.js";
import { endAccountSession, listAccountSessions } from "../services/users/account-sessions.js";
import { changeOwnPassword } from "../services/users/change-own-password.js";
import { accountOfResetCode, redeemPasswordReset } from "../services/users/password-reset.js";
import { authedProcedure, publicProcedure, router } from "../trpc.js";

/** One's own account (issue 15): everyone signed in; and redeeming a reset code, before signing in. */
export const accountRouter = router({
  /** The signed-in user's account: names in both languages, role, department. */
  profile: authedProcedure.query(async ({ ctx }) => {
    requireAccountAct(ctx.user, "view_own_account");
    const userId = ctx.user.id;
    const now = ctx.now();
    const view = await ctx.store.read((repos) => accountViewOf(repos, userId, now));
    if (view === null) throw new ServiceError("unauthenticated", "Sign in first.");
    return view;
  }),

  /**
   * Changes one's own password: the current one is required (`wrong_password`), the new one must pass the rules
   * (`weak_password`); every other session of the account ends, this one stays.
   */
  changePassword: authedProcedure.input(changeOwnPasswordInputSchema).mutation(async ({ ctx, input }) => {
    requireAccountAct(ctx.user, "change_own_password");
    const userId = ctx.user.id;
    const row = await ctx.store.read((repos) => repos.sessions.accountById(userId));
    if (row === undefined || !(await verifyPassword(input.currentPassword, row.passwordHash))) {
      throw new ServiceError("wrong_password", "The current password is not right.", { field: "currentPassword" });
    }
    await assertAcceptablePassword(input.newPassword, ctx.user.username, "newPassword");
    if (await verifyPassword(input.newPassword, row.passwordHash)) {
      throw new ServiceError("weak_password", "The new password is the current one; choose another.", { field: "newPassword" });
    }
    const hash = await hashPassword(input.newPassword);
    const now = ctx.now();
    const sessionId = ctx.sessionId;
    return ctx.store.transaction((tx) => changeOwnPassword(tx, ctx.user, hash, sessionId, now));
  }),

  /** The signed-in user's open sessions, this one marked `current`. */
  sessions: authedProcedure.query(async ({ ctx }) => {
    requireAccountAct(ctx.user, "list_own_sessions");
    const { user, sessionId } = ctx;
    const now = ctx.now();
    return ctx.store.read((repos) => listAccountSessions(repos, user.id, sessionId, now));
  }),

  /** Ends one of one's own sessions (another computer, a forgotten tab). */
  endSession: authedProcedure.input(endOwnSessionInputSchema).mutation(async ({ ctx, input }) => {
    requireAccountAct(ctx.user, "end_own_session");
    const now = ctx.now();
    await ctx.store.transaction((tx) => endAccountSession(tx, ctx.user.id, input.session, ctx.user, now));
    return { ok: true as const };
  }),

  /**
   * Sets a new password with a one-time reset code from an administrator (no session needed); every session of the
   * account ends, and the owner then signs in with the new password. Errors: reset_code_invalid, weak_password.
   */
  redeemReset: publicProcedure.input(redeemPasswordResetInputSchema).mutation(async ({ ctx, input }) => {
    const target = await ctx.store.read((repos) => accountOfResetCode(repos, input.code, ctx.now()));
    await assertAcceptablePassword(input.newPassword, target.username, "newPassword");
    const hash = await hashPassword(input.newPassword);
    const now = ctx.now();
    return ctx.store.transaction((tx) => redeemPasswordReset(tx, input.code, hash, now));
  }),
});
