import { useMutation } from "@tanstack/react-query";
import { useId, useState } from "react";
import type { FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "wouter";
import { LanguageSwitch } from "../../app/LanguageSwitch.js";
import { usePageTitle } from "../../app/usePageTitle.js";
import { ErrorNotice } from "../../components/ErrorNotice.js";
import { describeError } from "../../lib/errors.js";
import { trpc } from "../../trpc.js";
import { NewPasswordFields } from "./PasswordFields.js";

/** The code rides in the link's fragment (`#code=…`), which browsers never send to a server or a log. */
function codeFromFragment(): string {
  return new URLSearchParams(window.location.hash.replace(/^#/, "")).get("code") ?? "";
}

/** Public: the owner of an account sets a new password with the administrator's one-time code. */
export function ResetPasswordPage() {
  const { t } = useTranslation();
  usePageTitle(t("people.resetPageTitle"));
  const id = useId();
  const [code, setCode] = useState(codeFromFragment);
  const [next, setNext] = useState("");
  const [confirm, setConfirm] = useState("");
  const [error, setError] = useState<string | null>(null);
  const redeem = useMutation(
    trpc.account.redeemReset.mutationOptions({
      onSuccess: () => {
        // The code is spent: take it out of the address bar and history.
        window.history.replaceState(null, "", window.location.pathname);
      },
      onError: (e) => setError(describeError(e)),
    }),
  );
  function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    if (next !== confirm) {
      setError(t("people.passwordMismatch"));
      return;
    }
    redeem.mutate({ code, newPassword: next });
  }
  return (
    <div className="signin-page">
      <header className="signin-header">
        <p className="brand">{t("app.name")}</p>
        <LanguageSwitch />
      </header>
      <main id="main" className="signin-main" tabIndex={-1}>
        <h1>{t("people.resetPageTitle")}</h1>
        {redeem.isSuccess ? (
          <>
            <p className="notice notice-ok" role="status">
              {t("people.passwordSet")}
            </p>
            <Link href={`/sign-in?user=${encodeURIComponent(redeem.data.username)}`} className="button button-primary">
              {t("people.toSignIn")}
            </Link>
          </>
        ) : (
          <form className="signin-form" onSubmit={submit} noValidate>
            <p>{t("people.resetPageIntro")}</p>
            <div className="field">
              <label htmlFor={`${id}-code`}>{t("people.code")}</label>
              <input id={`${id}-code`} name="code" autoComplete="one-time-code" autoCapitalize="none" spellCheck={false} required value={code} onChange={(e) => setCode(e.target.value)} />
            </div>
            <NewPasswordFields value={next} confirm={confirm} onChange={setNext} onConfirm={setConfirm} error={error} />
            <ErrorNotice error={error} testId="reset-error" />
            <button type="submit" className="button button-primary" disabled={redeem.isPending}>
              {t("people.setPassword")}
            </button>
          </form>
        )}
      </main>
    </div>
  );
}
