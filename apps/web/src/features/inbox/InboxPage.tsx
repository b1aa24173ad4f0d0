import { assignmentStatuses } from "@countersign/domain";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useDeferredValue, useId, useMemo } from "react";
import { useTranslation } from "react-i18next";
import { Link, Redirect, useLocation, useSearch } from "wouter";
import { usePageTitle } from "../../app/usePageTitle.js";
import { LatenessBadge, RoleBadge, StatusBadge } from "../../components/Badges.js";
import { QueryError } from "../../components/QueryError.js";
import { useFormat } from "../../lib/format.js";
import { trpc } from "../../trpc.js";
import { canReadAnyDepartment } from "../auth/session.js";
import type { SessionUser } from "../auth/session.js";
import { useDepartments } from "../catalog/departments.js";
import { InboxPlans, planLabel } from "./InboxPlans.js";
import { defaultFilter, dueKey, inboxFilters, isFilter, matchesFilter } from "./filters.js";
import type { InboxFilter } from "./filters.js";
import { searchHintOf } from "./search-hint.js";

export function InboxPage({ user, department }: { user: SessionUser; department: string | null }) {
  const { t, i18n } = useTranslation();
  const format = useFormat();
  const departments = useDepartments();
  const [location, navigate] = useLocation();
  const params = new URLSearchParams(useSearch());
  const filterParam = params.get("filter");
  const search = params.get("q") ?? "";
  const sort = params.get("sort") === "desc" ? "desc" : "asc";
  const deferredSearch = useDeferredValue(search.trim());
  const searchId = useId();
  const readsAll = canReadAnyDepartment(user);
  // One inbox across plans: every plan's work unless the plan filter (`?plan=`) narrows it, so that a newer plan
  // never hides older work.
  const planParam = Number(params.get("plan"));
  const planId = Number.isInteger(planParam) && planParam > 0 ? planParam : undefined;

  const ownDepartment = user.department;
  const target = department ?? (readsAll ? null : ownDepartment);
  const readOnly = target !== null && (readsAll || target !== ownDepartment);
  const forbidden = !readsAll && department !== null && department !== ownDepartment;
  // Inside the department (issue 15, point 2): the leader's approval queue (`?approval=1`); a handler's own inbox.
  const isLeader = user.departmentRole === "leader";
  const approvalQueue = isLeader && params.get("approval") === "1";

  const inbox = useQuery({
    ...trpc.inbox.list.queryOptions({
      ...(planId !== undefined ? { planId } : {}),
      ...(target ? { department: target } : {}),
      ...(deferredSearch ? { search: deferredSearch } : {}),
      ...(approvalQueue ? { awaitingApproval: true } : {}),
      limit: 200,
    }),
    enabled: target !== null && !forbidden,
    placeholderData: keepPreviousData,
  });

  // The plans with the department's work and their counts: its own query, so filtering and searching do not redo it.
  const plansQuery = useQuery({
    ...trpc.inbox.plans.queryOptions(target ? { department: target } : {}),
    enabled: target !== null && !forbidden,
  });

  const title = target ? t("inbox.titleFor", { department: departments.full(target) }) : t("inbox.title");
  usePageTitle(title);

  const rows = inbox.data?.rows;
  const plans = plansQuery.data ?? [];
  const planTitles = new Map(plans.map((p) => [p.planId, planLabel(p, format.language)]));
  // Search finds words in each plan's text as stored: say in which language (the 2020 plan is an English translation).
  const searchHint = searchHintOf(
    format.language,
    plans.filter((p) => planId === undefined || p.planId === planId).map((p) => p.searchLanguage),
  );
  // The server counts per status under the same search (all rows, not only the page shown).
  const serverCounts = inbox.data?.counts;
  const counts = useMemo(() => {
    const result: Record<InboxFilter, number> = { open: 0, to_acknowledge: 0, in_progress: 0, declined: 0, signed_off: 0, all: 0 };
    if (!serverCounts) return result;
    for (const status of assignmentStatuses) {
      for (const f of inboxFilters) if (matchesFilter(f, status)) result[f] += serverCounts[status];
    }
    return result;
  }, [serverCounts]);
  // Without a choice in the address, open on what the department owes first: to acknowledge, else in progress.
  const filter: InboxFilter = isFilter(filterParam) ? filterParam : defaultFilter(counts);
  const shown = useMemo(
    () =>
      (rows ?? [])
        .filter((row) => matchesFilter(filter, row.status))
        .sort((a, b) => {
          const byDue = dueKey(a.dueDate).localeCompare(dueKey(b.dueDate));
          return (sort === "asc" ? byDue : -byDue) || a.measureNumber - b.measureNumber;
        }),
    [rows, filter, sort],
  );

  function setParam(name: string, value: string | null) {
    const next = new URLSearchParams(params);
    if (value === null || value === "") next.delete(name);
    else next.set(name, value);
    const query = next.toString();
    navigate(query ? `${location}?${query}` : location, { replace: true });
  }

  if (forbidden) {
    return (
      <section className="page">
        <h1>{t("inbox.title")}</h1>
        <p className="notice notice-error">{t("inbox.notYours")}</p>
        <p>
          <Link href="/inbox">{t("app.backHome")}</Link>
        </p>
      </section>
    );
  }

  // A coordinator or observer with no department in the address chooses one; the lead ministry's own by default.
  if (target === null) {
    const first = ownDepartment ?? departments.list[0]?.code;
    return first ? <Redirect to={`/inbox/${first}`} replace /> : <p className="loading">{t("app.loading")}</p>;
  }

  return (
    <section className="page" aria-labelledby="inbox-title">
      <div className="page-header">
        <h1 id="inbox-title">{title}</h1>
        {readsAll ? (
          <div className="field field-inline">
            <label htmlFor="inbox-department">{t("inbox.chooseDepartment")}</label>
            <select id="inbox-department" value={target} onChange={(e) => navigate(`/inbox/${e.target.value}`)}>
              {departments.list.map((d) => (
                <option key={d.code} value={d.code}>
                  {format.language === "zh" ? d.nameZh : d.nameEn}
                </option>
              ))}
            </select>
          </div>
        ) : null}
      </div>
      {readOnly ? <p className="notice">{t("inbox.readOnly")}</p> : null}
      {user.departmentRole === "handler" ? (
        <p className="muted" data-testid="handler-scope">
          {t("inbox.handlerScope")}
        </p>
      ) : null}
      {isLeader ? (
        <div className="field-inline">
          <button
            type="button"
            className="segment"
            aria-pressed={approvalQueue}
            data-testid="approval-queue"
            onClick={() => setParam("approval", approvalQueue ? null : "1")}
          >
            {t("inbox.awaitingApproval")}
          </button>
          {approvalQueue ? <p className="muted">{t("inbox.approvalQueue")}</p> : null}
        </div>
      ) : null}
      <InboxPlans plans={plans} planId={planId} onChoose={(id) => setParam("plan", id === undefined ? null : String(id))} />

      <div className="toolbar">
        <fieldset className="plain-fieldset filter-tabs">
          <legend className="visually-hidden">{t("inbox.filters")}</legend>
          {inboxFilters.map((f) => (
            <button
              key={f}
              type="button"
              className="segment"
              aria-pressed={filter === f}
              data-filter={f}
              onClick={() => setParam("filter", f)}
            >
              {t(`inbox.filter.${f}`)}
              <span className="count">{format.number(counts[f])}</span>
            </button>
          ))}
        </fieldset>
        <div className="field">
          <label htmlFor={searchId}>{t("inbox.search")}</label>
          <input
            id={searchId}
            type="search"
            value={search}
            placeholder={t(`inbox.${searchHint}`)}
            onChange={(e) => setParam("q", e.target.value)}
          />
        </div>
      </div>

      {inbox.isError ? <QueryError error={inbox.error} onRetry={() => void inbox.refetch()} /> : null}
      {inbox.isPending ? <p className="loading">{t("app.loading")}</p> : null}
      {rows ? (
        <>
          <p className="muted" aria-live="polite">
            {t("inbox.shown", { shown: format.number(shown.length), total: format.number(rows.length) })}
          </p>
          <div className="table-wrap">
            <table className="data inbox-table">
              <thead>
                <tr>
                  <th scope="col">{t("inbox.columns.measure")}</th>
                  <th scope="col">{t("inbox.columns.role")}</th>
                  <th scope="col">{t("inbox.columns.status")}</th>
                  <th scope="col" aria-sort={sort === "asc" ? "ascending" : "descending"}>
                    <button type="button" className="sort-button" onClick={() => setParam("sort", sort === "asc" ? "desc" : null)}>
                      {t("inbox.columns.due")}{" "}
                      <span aria-hidden="true">{sort === "asc" ? "▲" : "▼"}</span>
                      <span className="visually-hidden">
                        {t("inbox.sortByDue")}: {sort === "asc" ? t("inbox.sortAscending") : t("inbox.sortDescending")}
                      </span>
                    </button>
                  </th>
                  <th scope="col">{t("inbox.columns.lateness")}</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((row) => (
                  <tr
                    key={row.id}
                    data-assignment-id={row.id}
                    data-measure={row.measureNumber}
                    data-plan-id={row.planId}
                    data-unread={row.unreadNotice !== null ? "true" : undefined}
                  >
                    <td className="measure-cell">
                      {row.unreadNotice !== null ? (
                        <span className="badge badge-unread">
                          {t("inbox.unread", {
                            what: i18n.exists(`event.${row.unreadNotice}`) ? t(`event.${row.unreadNotice}` as "event.assignment.reminded") : row.unreadNotice,
                          })}
                        </span>
                      ) : null}{" "}
                      <Link href={`/assignments/${row.id}`}>
                        {t("measure.number", { number: row.measureNumber })} <span lang="en">{row.measureTitle}</span>
                      </Link>
                      <span className="row-plan" data-testid="row-plan">
                        {t("inbox.inPlan", { plan: planTitles.get(row.planId) ?? String(row.planId) })}
                      </span>
                      {row.textCut ? (
                        <>
                          {" "}
                          <span className="flag-cut">
                            <span aria-hidden="true">⚠ </span>
                            {t("measure.textCutShort")}
                          </span>
                        </>
                      ) : null}
                      <span className="measure-excerpt" lang="en">
                        {row.measureExcerpt}
                      </span>
                    </td>
                    <td>
                      <RoleBadge role={row.role} />
                    </td>
                    <td>
                      <StatusBadge status={row.status} />
                    </td>
                    <td className="nowrap">{format.dueDate(row.dueDate)}</td>
                    <td>
                      <LatenessBadge lateness={row.lateness} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {shown.length === 0 ? <p className="muted">{t("inbox.empty")}</p> : null}
        </>
      ) : null}
    </section>
  );
}
