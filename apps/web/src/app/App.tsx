import { useQueryClient } from "@tanstack/react-query";
import { lazy, Suspense, useEffect } from "react";
import { useTranslation } from "react-i18next";
import { Redirect, Route, Switch, useLocation } from "wouter";
import { CascadePage } from "../features/cascade/CascadePage.js";
import { AssignmentPage } from "../features/assignment/AssignmentPage.js";
import { homePath, meQueryOptions, useSession } from "../features/auth/session.js";
import { SignInPage } from "../features/auth/SignInPage.js";
import { InboxPage } from "../features/inbox/InboxPage.js";
import { AnnouncerProvider } from "../lib/announcer.js";
import { onSessionExpired } from "../lib/session-events.js";
import { Layout } from "./Layout.js";
import { NotFound } from "./NotFound.js";

// The lead ministry's pages are loaded on demand: a liaison's sign-in and inbox stay small.
const TrackingPage = lazy(() => import("../features/tracking/TrackingPage.js").then((m) => ({ default: m.TrackingPage })));
const MeasurePage = lazy(() => import("../features/measure/MeasurePage.js").then((m) => ({ default: m.MeasurePage })));
const MatrixPage = lazy(() => import("../features/matrix/MatrixPage.js").then((m) => ({ default: m.MatrixPage })));
const DivisionPage = lazy(() => import("../features/division/DivisionPage.js").then((m) => ({ default: m.DivisionPage })));
const AdministrationPage = lazy(() => import("../features/people/AdministrationPage.js").then((m) => ({ default: m.AdministrationPage })));
const AccountPage = lazy(() => import("../features/people/AccountPage.js").then((m) => ({ default: m.AccountPage })));
const ResetPasswordPage = lazy(() => import("../features/people/ResetPasswordPage.js").then((m) => ({ default: m.ResetPasswordPage })));
const RoundsPage = lazy(() => import("../features/rounds/RoundsPage.js").then((m) => ({ default: m.RoundsPage })));
const RoundPage = lazy(() => import("../features/rounds/RoundPage.js").then((m) => ({ default: m.RoundPage })));
const NotificationsPage = lazy(() => import("../features/notifications/NotificationsPage.js").then((m) => ({ default: m.NotificationsPage })));
const DeliveriesPage = lazy(() => import("../features/notifications/DeliveriesPage.js").then((m) => ({ default: m.DeliveriesPage })));
const ImportPage = lazy(() => import("../features/import/ImportPage.js").then((m) => ({ default: m.ImportPage })));

function Loading() {
  const { t } = useTranslation();
  return (
    <p className="loading" role="status">
      {t("app.loading")}
    </p>
  );
}

/** An expired session sends the person to sign in, then back to where they were; drafts stay in sessionStorage. */
function useSessionExpiry(): void {
  const queryClient = useQueryClient();
  const [, navigate] = useLocation();
  useEffect(
    () =>
      onSessionExpired(() => {
        const key = meQueryOptions().queryKey;
        const previous = queryClient.getQueryData(key);
        queryClient.setQueryData(key, null);
        const here = window.location.pathname + window.location.search;
        if (window.location.pathname.startsWith("/sign-in")) return;
        const params = new URLSearchParams({ next: here });
        if (previous) {
          params.set("expired", "1");
          params.set("user", previous.username);
        }
        navigate(`/sign-in?${params.toString()}`, { replace: true });
      }),
    [queryClient, navigate],
  );
}

export function App() {
  const { t } = useTranslation();
  const { user } = useSession();
  useSessionExpiry();
  const [location] = useLocation();

  return (
    <AnnouncerProvider closeLabel={t("dialog.close")}>
      <Switch>
        <Route path="/sign-in">{user === undefined ? <Loading /> : <SignInPage user={user} />}</Route>
        <Route path="/reset-password">
          <Suspense fallback={<Loading />}>
            <ResetPasswordPage />
          </Suspense>
        </Route>
        <Route>
          {user === undefined ? (
            <Loading />
          ) : user === null ? (
            <Redirect to={`/sign-in?next=${encodeURIComponent(location)}`} replace />
          ) : (
            <Layout user={user}>
              <Suspense fallback={<Loading />}>
                <Switch>
                  <Route path="/">
                    <Redirect to={homePath(user)} replace />
                  </Route>
                  <Route path="/inbox">
                    <InboxPage user={user} department={null} />
                  </Route>
                  <Route path="/inbox/:department">
                    {(params) => <InboxPage user={user} department={params.department} />}
                  </Route>
                  <Route path="/assignments/:id">{(params) => <AssignmentPage user={user} id={params.id} />}</Route>
                  <Route path="/tracking">
                    <TrackingPage user={user} />
                  </Route>
                  <Route path="/measures/:number">{(params) => <MeasurePage user={user} number={params.number} />}</Route>
                  <Route path="/matrix">
                    <MatrixPage user={user} />
                  </Route>
                  <Route path="/division">
                    <DivisionPage user={user} />
                  </Route>
                  <Route path="/admin">
                    <AdministrationPage user={user} />
                  </Route>
                  <Route path="/account">
                    <AccountPage user={user} />
                  </Route>
                  <Route path="/rounds">
                    <RoundsPage user={user} />
                  </Route>
                  <Route path="/rounds/:id">{(params) => <RoundPage user={user} id={params.id} />}</Route>
                  <Route path="/deliveries">
                    <DeliveriesPage />
                  </Route>
                  <Route path="/notifications">
                    <NotificationsPage />
                  </Route>
                  <Route path="/cascade">
                    <CascadePage user={user} />
                  </Route>
                  <Route path="/plans/import">
                    <ImportPage user={user} />
                  </Route>
                  <Route>
                    <NotFound />
                  </Route>
                </Switch>
              </Suspense>
            </Layout>
          )}
        </Route>
      </Switch>
    </AnnouncerProvider>
  );
}
