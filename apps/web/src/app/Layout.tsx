import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import type { ReactNode } from "react";
import { mayDoAccountAct } from "@countersign/domain";
import { useTranslation } from "react-i18next";
import { Link, useLocation } from "wouter";
import { useDepartments } from "../features/catalog/departments.js";
import { canReadAnyDepartment, switchAccount } from "../features/auth/session.js";
import type { SessionUser } from "../features/auth/session.js";
import { LiveIndicator } from "../features/live/LiveIndicator.js";
import { PersonName } from "../features/people/PersonName.js";
import { useUnreadCount } from "../features/notifications/unread.js";
import { clearAllDrafts } from "../lib/drafts.js";
import { trpc } from "../trpc.js";
import { LanguageSwitch } from "./LanguageSwitch.js";

function NavLink({ href, children }: { href: string; children: ReactNode }) {
  const [location] = useLocation();
  const current = location === href || location.startsWith(`${href}/`);
  return (
    <Link href={href} className="nav-link" aria-current={current ? "page" : undefined}>
      {children}
    </Link>
  );
}

/**
 * The notification centre's link, with the one unread count of the navigation (polled; see NotificationsPage): the
 * inbox's unread marks are the same notices, read together (docs/api.md, "One unread count").
 */
function NoticesLink() {
  const { t } = useTranslation();
  const unread = useUnreadCount();
  return (
    <NavLink href="/notifications">
      <span aria-hidden={unread > 0 ? true : undefined}>
        {t("notifications.nav")}
        {unread > 0 ? <span className="badge badge-count" data-testid="notices-unread-count">{unread}</span> : null}
      </span>
      {unread > 0 ? <span className="visually-hidden">{t("notifications.navUnread", { unread })}</span> : null}
    </NavLink>
  );
}

/**
 * "Down the levels" in the main navigation; for a coordinator, with the count of plans forwarded to their organisation
 * and not yet taken in (issue 16: the receiving office's inbox item), kept current by the live stream like every
 * query on screen. A failed count shows no badge: the page itself says what went wrong.
 */
function CascadeLink({ coordinator }: { coordinator: boolean }) {
  const { t } = useTranslation();
  const pending = useQuery({ ...trpc.cascade.pending.queryOptions(), enabled: coordinator });
  const waiting = coordinator ? (pending.data?.length ?? 0) : 0;
  return (
    <NavLink href="/cascade">
      <span aria-hidden={waiting > 0 ? true : undefined}>
        {t("cascade.nav")}
        {waiting > 0 ? (
          <span className="badge badge-count" data-testid="cascade-waiting-count">
            {waiting}
          </span>
        ) : null}
      </span>
      {waiting > 0 ? <span className="visually-hidden">{t("cascade.navWaiting", { n: waiting })}</span> : null}
    </NavLink>
  );
}

export function Layout({ user, children }: { user: SessionUser; children: ReactNode }) {
  const { t } = useTranslation();
  const departments = useDepartments();
  const [location, navigate] = useLocation();
  const queryClient = useQueryClient();
  const mainRef = useRef<HTMLElement>(null);
  const firstLocation = useRef(location);

  // After client-side navigation, move focus to the new page so keyboard and screen-reader users start there.
  useEffect(() => {
    if (location === firstLocation.current) return;
    firstLocation.current = "";
    mainRef.current?.focus({ preventScroll: false });
  }, [location]);

  const logout = useMutation(
    trpc.auth.logout.mutationOptions({
      onSettled: () => {
        clearAllDrafts();
        switchAccount(queryClient, null);
        navigate("/sign-in?signedOut=1", { replace: true });
      },
    }),
  );

  const readsAll = canReadAnyDepartment(user);
  return (
    <div className="layout">
      <a className="skip-link" href="#main">
        {t("app.skipToContent")}
      </a>
      <header className="app-header">
        <div className="app-header-inner">
          <Link href="/" className="brand">
            {t("app.name")}
          </Link>
          <nav aria-label={t("app.mainNav")} className="main-nav">
            {user.department || readsAll ? (
              <NavLink href="/inbox">{t("nav.inbox")}</NavLink>
            ) : null}
            {readsAll ? <NavLink href="/tracking">{t("nav.tracking")}</NavLink> : null}
            <NavLink href="/matrix">{t("nav.matrix")}</NavLink>
            {readsAll ? <NavLink href="/division">{t("nav.division")}</NavLink> : null}
            {user.role === "coordinator" ? <NavLink href="/plans/import">{t("planImport.nav")}</NavLink> : null}
            {readsAll ? <CascadeLink coordinator={user.role === "coordinator"} /> : null}
            {mayDoAccountAct(user.role, "list_accounts").ok ? <NavLink href="/admin">{t("people.navAdmin")}</NavLink> : null}
            <NavLink href="/account">{t("people.navAccount")}</NavLink>
            {user.department || readsAll ? <NavLink href="/rounds">{t("rounds.nav")}</NavLink> : null}
            <NoticesLink />
            {user.role === "admin" ? <NavLink href="/deliveries">{t("notifications.deliveriesNav")}</NavLink> : null}
          </nav>
          <div className="user-block">
            <LiveIndicator />
            <p className="user-identity">
              <span className="user-name">
                {t("header.signedInAs", { name: "" })}
                <PersonName person={user.person} bare />
              </span>
              <span className="user-meta">
                {user.department ? <span title={departments.full(user.department)}>{departments.short(user.department)}</span> : null}
                <span>{t(`actorRole.${user.role}`)}</span>
              </span>
            </p>
            <LanguageSwitch />
            <button type="button" className="button button-quiet" onClick={() => logout.mutate()} disabled={logout.isPending}>
              {t("header.signOut")}
            </button>
          </div>
        </div>
      </header>
      <main id="main" ref={mainRef} tabIndex={-1} className="app-main">
        {children}
      </main>
    </div>
  );
}
