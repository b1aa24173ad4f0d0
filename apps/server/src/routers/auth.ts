import { z } from "zod";
import { eq } from "drizzle-orm";
import { departmentsTable, usersTable } from "@countersign/db/schema";
import type { Queryable } from "@countersign/db";
import { ServiceError } from "../errors.js";
import { retryAfterText } from "../security/login-limiter.js";
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

function meOf(db: Queryable, user: ActingUser): Me {
  const d =
    user.department === null
      ? undefined
      : db.select().from(departmentsTable).where(eq(departmentsTable.code, user.department)).get();
  const names = db
    .select({ zh: usersTable.displayNameZh, en: usersTable.displayNameEn })
    .from(usersTable)
    .where(eq(usersTable.id, user.id))
    .get();
  return {
    ...user,
    displayNameZh: names?.zh ?? null,
    displayNameEn: names?.en ?? null,
    departmentName: d === undefined ? null : { en: d.nameEn, zh: d.nameZh, shortEn: d.shortEn, shortZh: d.shortZh },
  };
}

export const authRouter = router({
  /** Opens a session (HttpOnly cookie) and answers who is signed in. */
  login: publicProcedure.input(loginInputSchema).mutation(async ({ ctx, input }): Promise<SignedIn> => {
    if (ctx.signIn?.password === false) {
      throw new ServiceError("password_sign_in_off", "This deployment signs in through single sign-on only; use the identity service.");
    }
    // Delayed names and addresses are refused before the password is checked, alike for existing and missing accounts.
    const attempt = ctx.loginLimiter?.begin(ctx.db, input.username, ctx.request.ip, ctx.cookies.device ?? null, ctx.now()) ?? null;
    if (attempt !== null && !attempt.allowed) {
      throw new ServiceError(
        "too_many_attempts",
        `Too many failed sign-in attempts for this account or from this address; try again in ${retryAfterText(attempt.retryAfterMs)}.`,
        { retryAfterSeconds: Math.max(1, Math.ceil(attempt.retryAfterMs / 1000)) },
      );
    }
    const result = await login(
      ctx.db,
      input,
      { ...ctx.request, previousSessionId: ctx.sessionId, deviceToken: ctx.cookies.device ?? null },
      ctx.sessionPolicy,
      ctx.now(),
      (tx) => {
        if (attempt?.allowed === true) attempt.succeeded(tx);
      },
    );
    // The session cookie first: simple clients read the first Set-Cookie.
    ctx.cookies.set(result.token, result.expiresAt);
    ctx.cookies.setDevice?.(result.deviceToken);
    return { ...meOf(ctx.db, result.user), failedSignInsSinceLast: result.failedSignInsSinceLast };
  }),

  /** Ends every session of the account; harmless without one. */
  logout: publicProcedure.mutation(({ ctx }) => {
    if (ctx.user !== null && ctx.sessionId !== null) logout(ctx.db, ctx.user, ctx.now());
    ctx.cookies.clear();
    return { ok: true as const };
  }),

  /** The signed-in user, or null. */
  me: publicProcedure.query(({ ctx }) => (ctx.user === null ? null : meOf(ctx.db, ctx.user))),
});
