import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import type { FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { usePageTitle } from "../../app/usePageTitle.js";
import { ErrorNotice } from "../../components/ErrorNotice.js";
import { QueryError } from "../../components/QueryError.js";
import { useAnnounce } from "../../lib/announcer.js";
import { describeError } from "../../lib/errors.js";
import { trpc } from "../../trpc.js";
import type { SessionUser } from "../auth/session.js";
import { NewPasswordFields } from "./PasswordFields.js";
import { PersonName } from "./PersonName.js";
import { SessionsTable } from "./SessionsTable.js";

/** Everyone's own account: who they are, a password change (current password required), their open sessions. */
export function AccountPage({ user }: { user: SessionUser }) {
  const { t } = useTranslation();
  usePageTitle(t("people.accountTitle"));
  return (
    <section aria-labelledby="account-title">
      <h1 id="account-title">{t("people.accountTitle")}</h1>
      <h2>{t("people.profile")}</h2>
      <dl className="facts" data-testid="profile">
        <dt>{t("people.colName")}</dt>
        <dd>
          <PersonName person={user.person} />
        </dd>
        <dt>{t("people.username")}</dt>
        <dd>{user.username}</dd>
        <dt>{t("people.role")}</dt>
        <dd>{t(`actorRole.${user.role}`)}</dd>
      </dl>
      <ChangePasswordForm />
      <OwnSessions />
    </section>
  );
}

function ChangePasswordForm() {
  const { t } = useTranslation();
  const announce = useAnnounce();
  const queryClient = useQueryClient();
  const id = useId();
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [confirm, setConfirm] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const change = useMutation(
    trpc.account.changePassword.mutationOptions({
      onSuccess: (r) => {
        setCurrent("");
        setNext("");
        setConfirm("");
        const text = t("people.passwordChanged", { n: r.sessionsEnded });
        setDone(text);
        announce(text, "success");
        void queryClient.invalidateQueries({ queryKey: trpc.account.sessions.queryKey() });
      },
      onError: (e) => setError(describeError(e)),
    }),
  );
  function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    setDone(null);
    if (next !== confirm) {
      setError(t("people.passwordMismatch"));
      return;
    }
    change.mutate({ currentPassword: current, newPassword: next });
  }
  return (
    <form onSubmit={submit} noValidate aria-labelledby={`${id}-title`} data-testid="change-password">
      <h2 id={`${id}-title`}>{t("people.changePassword")}</h2>
      <div className="field">
        <label htmlFor={`${id}-current`}>{t("people.currentPassword")}</label>
        <input id={`${id}-current`} name="current-password" type="password" autoComplete="current-password" required value={current} onChange={(e) => setCurrent(e.target.value)} />
      </div>
      <NewPasswordFields value={next} confirm={confirm} onChange={setNext} onConfirm={setConfirm} error={error} />
      <ErrorNotice error={error} testId="change-password-error" />
      {done !== null ? <p className="notice notice-ok">{done}</p> : null}
      <button type="submit" className="button button-primary" disabled={change.isPending}>
        {change.isPending ? t("people.changing") : t("people.change")}
      </button>
    </form>
  );
}

function OwnSessions() {
  const { t } = useTranslation();
  const announce = useAnnounce();
  const queryClient = useQueryClient();
  const sessions = useQuery(trpc.account.sessions.queryOptions());
  const end = useMutation(
    trpc.account.endSession.mutationOptions({
      onSuccess: () => {
        announce(t("people.sessionEnded"), "success");
        void queryClient.invalidateQueries({ queryKey: trpc.account.sessions.queryKey() });
      },
      onError: (e) => announce(describeError(e), "error"),
    }),
  );
  return (
    <section aria-labelledby="own-sessions">
      <h2 id="own-sessions">{t("people.mySessions")}</h2>
      {sessions.isError ? <QueryError error={sessions.error} /> : null}
      {sessions.data ? <SessionsTable sessions={sessions.data} pending={end.isPending} onEnd={(ref) => end.mutate({ session: ref })} /> : null}
    </section>
  );
}
