import type { FastifyInstance } from "fastify";
import type { ServerDeps } from "../context.js";
import { sessionCookieName } from "../services/auth/session-policy.js";
import { newSessionToken, sessionIdOf } from "../services/auth/session-token.js";
import { signInWithClaim } from "../services/auth/sso-login.js";
import { defaultSignInSettings } from "./config.js";
import { OidcFailure, OidcFlow, pendingCookieName, pendingLifetimeMs } from "./oidc-flow.js";

/** A path on this site to return to after signing in; anything else goes home. */
function safeNext(next: unknown): string {
  if (typeof next !== "string" || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\") || next.startsWith("/sign-in")) return "/";
  return next.slice(0, 500);
}

/**
 * Single sign-on by OpenID Connect (issue 15, point 3): GET /auth/oidc/start?next=/path sends the browser to the
 * identity provider; GET /auth/oidc/callback comes back with the code, signs the matching account in (the same session
 * cookie as a password sign-in) and returns to `next`. A refusal returns to /sign-in?sso=<reason>
 * (unknown_account, disabled, failed, not_configured), each recorded in the audit trail.
 */
export function registerSsoRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const settings = (deps.signIn ?? defaultSignInSettings).oidc;
  const flow = settings === null ? null : new OidcFlow(settings);
  const pendingCookie = { path: "/auth/oidc", httpOnly: true, sameSite: "lax" as const, secure: deps.secureCookies };

  app.get("/auth/oidc/start", async (req, reply) => {
    if (flow === null) return reply.redirect("/sign-in?sso=not_configured", 303);
    try {
      const { url, cookie } = await flow.begin(safeNext((req.query as Record<string, unknown>)["next"]), deps.now());
      reply.setCookie(pendingCookieName, cookie, { ...pendingCookie, maxAge: pendingLifetimeMs / 1000 });
      return reply.redirect(url.href, 303);
    } catch (error) {
      if (!(error instanceof OidcFailure)) throw error;
      req.log.warn({ err: error.cause ?? error }, "single sign-on could not start");
      return reply.redirect("/sign-in?sso=failed", 303);
    }
  });

  app.get("/auth/oidc/callback", async (req, reply) => {
    if (flow === null || settings === null) return reply.redirect("/sign-in?sso=not_configured", 303);
    reply.clearCookie(pendingCookieName, pendingCookie);
    const now = deps.now();
    let claims: Record<string, unknown>;
    let next: string;
    try {
      ({ claims, next } = await flow.finish(req.url, req.cookies[pendingCookieName], now));
    } catch (error) {
      if (!(error instanceof OidcFailure)) throw error;
      req.log.warn({ err: error.cause ?? error }, "single sign-on failed");
      await deps.store.transaction((tx) =>
        tx.appendAuditEvent({
          at: now.toISOString(),
          type: "auth.sso_refused",
          actorUserId: null,
          actorUsername: null,
          actorRole: null,
          actorDepartment: null,
          payload: { reason: "failed", detail: error.message, ip: req.ip },
        }),
      );
      return reply.redirect("/sign-in?sso=failed", 303);
    }
    const token = req.cookies[sessionCookieName];
    // Made outside the unit of work, which may run more than once on PostgreSQL.
    const sessionToken = newSessionToken();
    const outcome = await deps.store.transaction((tx) =>
      signInWithClaim(
        tx,
        { name: settings.usernameClaim, value: claims[settings.usernameClaim], issuer: settings.issuer.href, subject: String(claims["sub"] ?? "") },
        { ip: req.ip, userAgent: req.headers["user-agent"] ?? null, previousSessionId: token === undefined || token === "" ? null : sessionIdOf(token) },
        deps.sessionPolicy,
        now,
        sessionToken,
      ),
    );
    if (!outcome.ok) return reply.redirect(`/sign-in?sso=${outcome.reason === "disabled" ? "disabled" : "unknown_account"}`, 303);
    reply.setCookie(sessionCookieName, outcome.token, { path: "/", httpOnly: true, sameSite: "lax", secure: deps.secureCookies, expires: outcome.expiresAt });
    return reply.redirect(next, 303);
  });
}
