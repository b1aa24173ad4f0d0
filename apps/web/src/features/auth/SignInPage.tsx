import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState } from "react";
import type { FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, useLocation, useSearch } from "wouter";
import { LanguageSwitch } from "../../app/LanguageSwitch.js";
import { usePageTitle } from "../../app/usePageTitle.js";
import { trpc } from "../../trpc.js";
import type { RouterOutputs } from "../../trpc.js";
import { safeNext } from "./next-path.js";
import { signInFailureText } from "./sign-in-failure.js";
import { homePath, switchAccount } from "./session.js";
import type { SessionUser } from "./session.js";

export function SignInPage({ user }: { user: SessionUser | null }) {
  const { t, i18n } = useTranslation();
  usePageTitle(t("auth.title"));
  const [, navigate] = useLocation();
  const params = new URLSearchParams(useSearch());
  const next = safeNext(params.get("next"));
  const expired = params.get("expired") === "1";
  const signedOut = params.get("signedOut") === "1";
  const queryClient = useQueryClient();
  // The username is kept across an expired session; a password never is.
  const [username, setUsername] = useState(() => params.get("user") ?? "");
  const [password, setPassword] = useState("");
  // The error itself, so that its explanation follows a switch of language.
  const [failure, setFailure] = useState<{ error: unknown } | null>(null);
  const failed = failure === null ? null : signInFailureText(failure.error, t, i18n.language === "en" ? "en" : "zh");
  const usernameId = useId();
  const passwordId = useId();
  const errorId = useId();
  const toldId = useId();
  const usernameRef = useRef<HTMLInputElement>(null);
  const options = useQuery(trpc.sso.options.queryOptions(undefined, { staleTime: Number.POSITIVE_INFINITY }));
  const passwordOn = options.data?.password ?? true;
  const ssoRefusal = params.get("sso");

  useEffect(() => {
    if (user) navigate(next ?? homePath(user), { replace: true });
  }, [user, next, navigate]);

  useEffect(() => {
    usernameRef.current?.focus();
  }, []);

  // A successful sign-in after failed attempts on the account: the owner is told before going on.
  const [told, setTold] = useState<{ me: RouterOutputs["auth"]["login"]; failures: number } | null>(null);
  const continueRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (told !== null) continueRef.current?.focus();
  }, [told]);

  const login = useMutation(
    trpc.auth.login.mutationOptions({
      // Nothing cached for a previous account may leak into this one.
      onSuccess: (me) => {
        if (me.failedSignInsSinceLast > 0) setTold({ me, failures: me.failedSignInsSinceLast });
        else switchAccount(queryClient, me);
      },
      onError: (error) => {
        setFailure({ error });
      },
    }),
  );

  function submit(event: FormEvent) {
    event.preventDefault();
    setFailure(null);
    login.mutate({ username: username.trim(), password });
  }

  return (
    <div className="signin-page">
      <header className="signin-header">
        <p className="brand">{t("app.name")}</p>
        <LanguageSwitch />
      </header>
      <main id="main" className="signin-main" tabIndex={-1}>
        <h1>{t("auth.title")}</h1>
        <p className="muted">{t("app.tagline")}</p>
        {expired ? <p className="notice notice-warning">{t("auth.expired")}</p> : null}
        {signedOut ? <p className="notice">{t("auth.signedOut")}</p> : null}
        {told !== null ? (
          <section className="notice notice-warning" role="alert" aria-labelledby={toldId}>
            <p id={toldId}>
              {told.failures === 1 ? t("auth.failedSinceOne") : t("auth.failedSinceMany", { n: told.failures })}
            </p>
            <p>{t("auth.failedSinceAdvice")}</p>
            <button ref={continueRef} type="button" className="button button-primary" onClick={() => switchAccount(queryClient, told.me)}>
              {t("auth.continue")}
            </button>
          </section>
        ) : null}
                {ssoRefusal !== null ? (
          <p className="notice notice-error" role="alert" data-testid="sso-refused">
            {t(`people.ssoRefused.${ssoRefusal === "unknown_account" || ssoRefusal === "disabled" || ssoRefusal === "not_configured" ? ssoRefusal : "failed"}`)}
          </p>
        ) : null}
        {options.data?.sso ? (
          <p>
            <a className="button button-primary" href={`${options.data.startPath}?next=${encodeURIComponent(next ?? "/")}`}>
              {t("people.sso")}
            </a>
          </p>
        ) : null}
        {!passwordOn ? <p className="muted">{t("people.passwordSignInOff")}</p> : null}
        {options.data?.sso && passwordOn ? <p className="muted">{t("people.ssoOr")}</p> : null}
        <form className="signin-form" onSubmit={submit} noValidate hidden={told !== null || !passwordOn}>
          <p>{t("auth.intro")}</p>
          <div className="field">
            <label htmlFor={usernameId}>{t("auth.username")}</label>
            <input
              ref={usernameRef}
              id={usernameId}
              name="username"
              autoComplete="username"
              autoCapitalize="none"
              spellCheck={false}
              required
              value={username}
              onChange={(e) => setUsername(e.target.value)}
              aria-describedby={failed ? errorId : undefined}
              aria-invalid={failed ? true : undefined}
            />
          </div>
          <div className="field">
            <label htmlFor={passwordId}>{t("auth.password")}</label>
            <input
              id={passwordId}
              name="password"
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              aria-describedby={failed ? errorId : undefined}
              aria-invalid={failed ? true : undefined}
            />
          </div>
          {failed ? (
            <p id={errorId} className="field-error" role="alert">
              {failed}
            </p>
          ) : null}
          <button type="submit" className="button button-primary" disabled={login.isPending}>
            {login.isPending ? t("auth.submitting") : t("auth.submit")}
          </button>
        </form>
        {passwordOn ? (
          <p>
            <Link href="/reset-password">{t("people.haveResetCode")}</Link>
          </p>
        ) : null}
      </main>
    </div>
  );
}
