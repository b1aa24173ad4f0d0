import { z } from "zod";
import type { Repositories } from "@countersign/db";
import { ServiceError } from "../errors.js";
import { retryAfterText } from "../security/login-limiter.js";
import type { LoginAttempt } from "../security/login-limiter.js";
import { login } from "../services/auth/login.js";
import { logout } from "../services/auth/logout.js";
import type { ActingUser } from "../services/shared/acting-user.js";
import { publicProcedure, router } from "../trpc.js";

export const loginInputSchema = z.object({
  username: z.string().trim().min(1, "Enter your username.").max(64),
  password: z.string().min(1, "Enter your password.").max(1024),
});

export interface Me extends ActingUser {
  departmentName: { en: string; zh: string; shortEn: string; shortZh: string } | null;
  /** The display names per language (issue 15): the web shows the one of its language through `personLabel`. */
  displayNameZh: string | null;
  displayNameEn: string | null;
}

/** What a successful sign-in answers: who is signed in, and what the owner should be told. */
export interface SignedIn extends Me {
  /** Failed sign-in attempts on this account since its previous successful sign-in (0 when none). */
  failedSignInsSinceLast: number;
}

/** The signed-in user's answer: the session's user with the names shown beside it. */
async function meOf(repos: Repositories, user: ActingUser): Promise<Me> {
  const names = await repos.sessions.namesOf(user.id);
  const d = names?.department ?? null;
  return {
    ...user,
    displayNameZh: names?.displayNameZh ?? null,
    displayNameEn: names?.displayNameEn ?? null,
    departmentName: user.department === null || d === null ? null : { en: d.nameEn, zh: d.nameZh, shortEn: d.shortEn, shortZh: d.shortZh },
  };
}

export const authRouter = router({
  /** Opens a session (HttpOnly cookie) and answers who is signed in. */
  login: publicProcedure.input(loginInputSchema).mutation(async ({ ctx, input }): Promise<SignedIn> => {
    if (ctx.signIn?.password === false) {
      throw new ServiceError("password_sign_in_off", "This deployment signs in through single sign-on only; use the identity service.");
    }
    // Delayed names and addresses are refused before the password is checked, alike for existing and missing accounts.
    // Committed before the password is checked: every instance sees the attempt counted.
    const limiter = ctx.loginLimiter;
    const now = ctx.now();
    let attempt: LoginAttempt | null = null;
    if (limiter !== undefined) {
      await ctx.store.transaction((tx) => limiter.forgetOld(tx.repos, now));
      attempt = await ctx.store.transaction((tx) => limiter.begin(tx.repos, input.username, ctx.request.ip, ctx.cookies.device ?? null, now));
    }
    if (attempt !== null && !attempt.allowed) {
      throw new ServiceError(
        "too_many_attempts",
        `Too many failed sign-in attempts for this account or from this address; try again in ${retryAfterText(attempt.retryAfterMs)}.`,
        { retryAfterSeconds: Math.max(1, Math.ceil(attempt.retryAfterMs / 1000)) },
      );
    }
    const result = await login(
      ctx.store,
      input,
      { ...ctx.request, previousSessionId: ctx.sessionId, deviceToken: ctx.cookies.device ?? null },
      ctx.sessionPolicy,
      now,
      async (repos) => {
        if (attempt?.allowed === true) await attempt.succeeded(repos);
      },
    );
    // The session cookie first: simple clients read the first Set-Cookie.
    ctx.cookies.set(result.token, result.expiresAt);
    ctx.cookies.setDevice?.(result.deviceToken);
    const me = await ctx.store.read((repos) => meOf(repos, result.user));
    return { ...me, failedSignInsSinceLast: result.failedSignInsSinceLast };
  }),

  /** Ends every session of the account; harmless without one. */
  logout: publicProcedure.mutation(async ({ ctx }) => {
    const user = ctx.user;
    if (user !== null && ctx.sessionId !== null) {
      const now = ctx.now();
      await ctx.store.transaction((tx) => logout(tx, user, now));
    }
    ctx.cookies.clear();
    return { ok: true as const };
  }),

  /** The signed-in user, or null. */
  me: publicProcedure.query(async ({ ctx }) => {
    const user = ctx.user;
    return user === null ? null : ctx.store.read((repos) => meOf(repos, user));
  }),
});
