import { actorRoles, mayDoAccountAct } from "@countersign/domain";
import type { ActorRole } from "@countersign/domain";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import type { FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { usePageTitle } from "../../app/usePageTitle.js";
import { Dialog } from "../../components/Dialog.js";
import { ErrorNotice } from "../../components/ErrorNotice.js";
import { QueryError } from "../../components/QueryError.js";
import { useAnnounce } from "../../lib/announcer.js";
import { describeError } from "../../lib/errors.js";
import { useFormat } from "../../lib/format.js";
import { trpc } from "../../trpc.js";
import type { RouterOutputs } from "../../trpc.js";
import type { SessionUser } from "../auth/session.js";
import { useDepartments } from "../catalog/departments.js";
import { DepartmentsSection } from "./DepartmentsSection.js";
import { DepartmentPanel } from "./DepartmentPanel.js";
import { PersonName } from "./PersonName.js";
import { SessionsTable } from "./SessionsTable.js";

type Account = RouterOutputs["admin"]["accounts"][number];
type Reset = RouterOutputs["admin"]["resetPassword"];

/** The administrator's page: every account, with create/edit, disable/enable, password reset and sessions. */
export function AdministrationPage({ user }: { user: SessionUser }) {
  const { t } = useTranslation();
  usePageTitle(t("people.adminTitle"));
  const allowed = mayDoAccountAct(user.role, "list_accounts").ok;
  const accounts = useQuery(trpc.admin.accounts.queryOptions(undefined, { enabled: allowed }));
  const [editing, setEditing] = useState<Account | "new" | null>(null);
  const [reset, setReset] = useState<{ user: string; reset: Reset; created: boolean } | null>(null);
  const [sessionsOf, setSessionsOf] = useState<Account | null>(null);
  const [confirm, setConfirm] = useState<{ account: Account; act: "disable" | "reset" } | null>(null);

  if (!allowed) return <p className="notice notice-error">{t("refusal.admin_only")}</p>;
  return (
    <section aria-labelledby="admin-title">
      <h1 id="admin-title">{t("people.adminTitle")}</h1>
      <p className="muted">{t("people.adminIntro")}</p>
      <div className="toolbar">
        <button type="button" className="button button-primary" onClick={() => setEditing("new")}>
          {t("people.newAccount")}
        </button>
      </div>
      {accounts.isError ? <QueryError error={accounts.error} /> : null}
      {accounts.data ? (
        <AccountsTable
          accounts={accounts.data}
          onEdit={setEditing}
          onSessions={setSessionsOf}
          onDisable={(a) => setConfirm({ account: a, act: "disable" })}
          onReset={(a) => setConfirm({ account: a, act: "reset" })}
        />
      ) : null}
      {editing !== null ? (
        <AccountDialog
          account={editing === "new" ? null : editing}
          onClose={() => setEditing(null)}
          onCreated={(username, r) => {
            setEditing(null);
            setReset({ user: username, reset: r, created: true });
          }}
        />
      ) : null}
      {confirm !== null ? (
        <ConfirmDialog
          account={confirm.account}
          act={confirm.act}
          onClose={() => setConfirm(null)}
          onReset={(r) => {
            setConfirm(null);
            setReset({ user: confirm.account.username, reset: r, created: false });
          }}
        />
      ) : null}
      {reset !== null ? <ResetCodeDialog {...reset} onClose={() => setReset(null)} /> : null}
      <DepartmentPanel />
      {sessionsOf !== null ? <AccountSessionsDialog account={sessionsOf} onClose={() => setSessionsOf(null)} /> : null}
      <DepartmentsSection />
    </section>
  );
}

function AccountsTable({
  accounts,
  onEdit,
  onSessions,
  onDisable,
  onReset,
}: {
  accounts: readonly Account[];
  onEdit: (a: Account) => void;
  onSessions: (a: Account) => void;
  onDisable: (a: Account) => void;
  onReset: (a: Account) => void;
}) {
  const { t, i18n } = useTranslation();
  const departments = useDepartments();
  // An account of a local department (another organisation's register) carries its names: the catalogue lists only
  // the administrator's own organisation's departments.
  const departmentShort = (named: { shortZh: string; shortEn: string } | null, code: string): string =>
    named === null ? departments.short(code) : i18n.language === "en" ? named.shortEn : named.shortZh;
  const announce = useAnnounce();
  const queryClient = useQueryClient();
  const enable = useMutation(
    trpc.admin.enable.mutationOptions({
      onSuccess: (r) => {
        announce(t("people.enabledDone", { user: r.account.username }), "success");
        void queryClient.invalidateQueries({ queryKey: trpc.admin.accounts.queryKey() });
      },
      onError: (e) => announce(describeError(e), "error"),
    }),
  );
  return (
    <div className="table-wrap">
      <table className="data" data-testid="accounts">
        <caption>{t("people.accountsCaption", { n: accounts.length })}</caption>
        <thead>
          <tr>
            <th scope="col">{t("people.colUser")}</th>
            <th scope="col">{t("people.colName")}</th>
            <th scope="col">{t("people.colRole")}</th>
            <th scope="col">{t("people.colDepartment")}</th>
            <th scope="col">{t("people.colState")}</th>
            <th scope="col">{t("people.colSessions")}</th>
            <th scope="col">{t("people.colActions")}</th>
          </tr>
        </thead>
        <tbody>
          {accounts.map((a) => (
            <tr key={a.id} data-username={a.username}>
              <th scope="row">{a.username}</th>
              <td>
                <PersonName person={a.person} bare />
              </td>
              <td>{t(`actorRole.${a.role}`)}</td>
              <td>{a.department === null ? t("common.none") : departmentShort(a.person.department, a.department)}</td>
              <td>
                {a.disabled ? t("people.disabled") : t("people.enabled")}
                {a.resetPending ? <span className="muted"> · {t("people.resetPending")}</span> : null}
              </td>
              <td>{a.openSessions}</td>
              <td>
                <div className="row-actions">
                  <button type="button" className="button button-small" onClick={() => onEdit(a)} aria-label={`${t("people.edit")} ${a.username}`}>
                    {t("people.edit")}
                  </button>
                  <button type="button" className="button button-small" onClick={() => onReset(a)} aria-label={`${t("people.resetPassword")} ${a.username}`}>
                    {t("people.resetPassword")}
                  </button>
                  <button type="button" className="button button-small" onClick={() => onSessions(a)} aria-label={`${t("people.sessions")} ${a.username}`}>
                    {t("people.sessions")}
                  </button>
                  {a.disabled ? (
                    <button
                      type="button"
                      className="button button-small"
                      onClick={() => enable.mutate({ id: a.id, reason: "" })}
                      disabled={enable.isPending}
                      aria-label={`${t("people.enable")} ${a.username}`}
                    >
                      {t("people.enable")}
                    </button>
                  ) : (
                    <button type="button" className="button button-small button-danger" onClick={() => onDisable(a)} aria-label={`${t("people.disable")} ${a.username}`}>
                      {t("people.disable")}
                    </button>
                  )}
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function AccountDialog({ account, onClose, onCreated }: { account: Account | null; onClose: () => void; onCreated: (username: string, reset: Reset) => void }) {
  const { t } = useTranslation();
  const departments = useDepartments();
  const announce = useAnnounce();
  const queryClient = useQueryClient();
  const id = useId();
  const [username, setUsername] = useState(account?.username ?? "");
  const [displayNameZh, setZh] = useState(account?.displayNameZh ?? "");
  const [displayNameEn, setEn] = useState(account?.displayNameEn ?? "");
  const [role, setRole] = useState<ActorRole>(account?.role ?? "liaison");
  const [department, setDepartment] = useState<string>(account?.department ?? "");
  const [ssoIdentity, setSso] = useState(account?.ssoIdentity ?? "");
  const [error, setError] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.admin.accounts.queryKey() });
  const create = useMutation(
    trpc.admin.create.mutationOptions({
      onSuccess: (r) => {
        void refresh();
        onCreated(r.account.username, r.reset);
      },
      onError: (e) => setError(describeError(e)),
    }),
  );
  const update = useMutation(
    trpc.admin.update.mutationOptions({
      onSuccess: (r) => {
        void refresh();
        announce(t("people.saved", { user: r.account.username }), "success");
        onClose();
      },
      onError: (e) => setError(describeError(e)),
    }),
  );
  const pending = create.isPending || update.isPending;
  function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    const fields = { displayNameZh, displayNameEn, role, department: department === "" ? null : department, ssoIdentity };
    if (account === null) create.mutate({ username, ...fields });
    else update.mutate({ id: account.id, ...fields });
  }
  return (
    <Dialog open title={account === null ? t("people.createTitle") : t("people.editTitle", { user: account.username })} onClose={onClose}>
      {() => (
        <form onSubmit={submit} noValidate data-testid="account-form">
          <div className="field">
            <label htmlFor={`${id}-username`}>{t("people.username")}</label>
            <input
              id={`${id}-username`}
              name="username"
              autoCapitalize="none"
              spellCheck={false}
              value={username}
              readOnly={account !== null}
              onChange={(e) => setUsername(e.target.value)}
              aria-describedby={`${id}-username-help`}
            />
            <p id={`${id}-username-help`} className="muted">
              {t("people.usernameHelp")}
            </p>
          </div>
          <div className="field">
            <label htmlFor={`${id}-zh`}>{t("people.displayNameZh")}</label>
            <input id={`${id}-zh`} name="displayNameZh" lang="zh-CN" value={displayNameZh} onChange={(e) => setZh(e.target.value)} aria-describedby={`${id}-names-help`} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-en`}>{t("people.displayNameEn")}</label>
            <input id={`${id}-en`} name="displayNameEn" lang="en" value={displayNameEn} onChange={(e) => setEn(e.target.value)} aria-describedby={`${id}-names-help`} />
            <p id={`${id}-names-help`} className="muted">
              {t("people.displayNameHelp")}
            </p>
          </div>
          <div className="field">
            <label htmlFor={`${id}-role`}>{t("people.role")}</label>
            <select id={`${id}-role`} name="role" value={role} onChange={(e) => setRole(e.target.value as ActorRole)}>
              {actorRoles.map((r) => (
                <option key={r} value={r}>
                  {t(`actorRole.${r}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-department`}>{t("people.department")}</label>
            <select id={`${id}-department`} name="department" value={department} onChange={(e) => setDepartment(e.target.value)}>
              <option value="">{t("people.noDepartment")}</option>
              {departments.list.map((d) => (
                <option key={d.code} value={d.code}>
                  {departments.short(d.code)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-sso`}>{t("people.ssoIdentity")}</label>
            <input id={`${id}-sso`} name="ssoIdentity" autoCapitalize="none" spellCheck={false} value={ssoIdentity} onChange={(e) => setSso(e.target.value)} aria-describedby={`${id}-sso-help`} />
            <p id={`${id}-sso-help`} className="muted">
              {t("people.ssoIdentityHelp")}
            </p>
          </div>
          <ErrorNotice error={error} testId="account-error" />
          <div className="row-actions">
            <button type="submit" className="button button-primary" disabled={pending}>
              {pending ? t("people.saving") : account === null ? t("people.create") : t("people.save")}
            </button>
            <button type="button" className="button" onClick={onClose}>
              {t("people.cancel")}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}

function ConfirmDialog({ account, act, onClose, onReset }: { account: Account; act: "disable" | "reset"; onClose: () => void; onReset: (r: Reset) => void }) {
  const { t } = useTranslation();
  const announce = useAnnounce();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.admin.accounts.queryKey() });
  const disable = useMutation(
    trpc.admin.disable.mutationOptions({
      onSuccess: (r) => {
        void refresh();
        announce(t("people.disabledDone", { user: r.account.username, n: r.sessionsEnded }), "success");
        onClose();
      },
      onError: (e) => setError(describeError(e)),
    }),
  );
  const reset = useMutation(
    trpc.admin.resetPassword.mutationOptions({
      onSuccess: (r) => {
        void refresh();
        onReset(r);
      },
      onError: (e) => setError(describeError(e)),
    }),
  );
  const title = act === "disable" ? t("people.disable") : t("people.resetPassword");
  return (
    <Dialog open title={`${title}: ${account.username}`} onClose={onClose}>
      {() => (
        <>
          <p>{act === "disable" ? t("people.disableConfirm", { user: account.username }) : t("people.resetConfirm", { user: account.username })}</p>
          <ErrorNotice error={error} testId="confirm-error" />
          <div className="row-actions">
            <button
              type="button"
              className={act === "disable" ? "button button-danger" : "button button-primary"}
              disabled={disable.isPending || reset.isPending}
              onClick={() => (act === "disable" ? disable.mutate({ id: account.id, reason: "" }) : reset.mutate({ id: account.id }))}
            >
              {title}
            </button>
            <button type="button" className="button" onClick={onClose}>
              {t("people.cancel")}
            </button>
          </div>
        </>
      )}
    </Dialog>
  );
}

/** The one-time code, shown this once (it is not stored in the page's cache: the mutation's answer only). */
function ResetCodeDialog({ user, reset, created, onClose }: { user: string; reset: Reset; created: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const link = `${window.location.origin}${reset.link}`;
  return (
    <Dialog open title={t("people.resetTitle", { user })} onClose={onClose}>
      {() => (
        <div data-testid="reset-code">
          {created ? <p className="notice notice-ok">{t("people.createdWithReset", { user })}</p> : null}
          <p className="notice notice-warning">{t("people.resetShownOnce", { until: format.dateTime(reset.expiresAt) })}</p>
          <dl className="facts">
            <dt>{t("people.resetLink")}</dt>
            <dd>
              <code data-testid="reset-link">{link}</code>
            </dd>
            <dt>{t("people.resetCode")}</dt>
            <dd>
              <code data-testid="reset-code-value">{reset.code}</code>
            </dd>
          </dl>
          <button type="button" className="button" onClick={onClose}>
            {t("people.close")}
          </button>
        </div>
      )}
    </Dialog>
  );
}

function AccountSessionsDialog({ account, onClose }: { account: Account; onClose: () => void }) {
  const { t } = useTranslation();
  const announce = useAnnounce();
  const queryClient = useQueryClient();
  const sessions = useQuery(trpc.admin.sessions.queryOptions({ id: account.id }));
  const end = useMutation(
    trpc.admin.endSession.mutationOptions({
      onSuccess: () => {
        announce(t("people.sessionEnded"), "success");
        void queryClient.invalidateQueries({ queryKey: trpc.admin.sessions.queryKey({ id: account.id }) });
        void queryClient.invalidateQueries({ queryKey: trpc.admin.accounts.queryKey() });
      },
      onError: (e) => announce(describeError(e), "error"),
    }),
  );
  return (
    <Dialog open title={t("people.sessionsTitle", { user: account.username })} onClose={onClose}>
      {() => (
        <>
          {sessions.isError ? <QueryError error={sessions.error} /> : null}
          {sessions.data ? <SessionsTable sessions={sessions.data} pending={end.isPending} onEnd={(ref) => end.mutate({ id: account.id, session: ref })} /> : null}
          <button type="button" className="button" onClick={onClose}>
            {t("people.close")}
          </button>
        </>
      )}
    </Dialog>
  );
}
