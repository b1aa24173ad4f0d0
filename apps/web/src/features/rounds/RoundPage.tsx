import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { roundReportStandings, roundReportStatuses } from "@countersign/domain";
import type { RoundReportStanding, RoundReportStatus } from "@countersign/domain";
import { useId, useRef, useState } from "react";
import type { DragEvent, FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "wouter";
import { usePageTitle } from "../../app/usePageTitle.js";
import { Dialog } from "../../components/Dialog.js";
import { ErrorNotice } from "../../components/ErrorNotice.js";
import { QueryError } from "../../components/QueryError.js";
import { useAnnounce } from "../../lib/announcer.js";
import { describeError } from "../../lib/errors.js";
import { useFormat } from "../../lib/format.js";
import { trpc, trpcClient } from "../../trpc.js";
import type { RouterOutputs } from "../../trpc.js";
import type { SessionUser } from "../auth/session.js";
import { useDepartments } from "../catalog/departments.js";
import { LevelReportSections } from "./LevelReports.js";
import { uploadReport } from "./upload.js";

type Round = RouterOutputs["round"]["header"];
type Report = RouterOutputs["round"]["reports"]["reports"][number];

/** Reports fetched per page: a screenful; a round of thousands of departments is read a page at a time. */
const pageSize = 50;

interface Filters {
  measureNumber: number | null;
  department: string | null;
  standing: RoundReportStanding | null;
  status: RoundReportStatus | null;
}
const noFilters: Filters = { measureNumber: null, department: null, standing: null, status: null };

/** One round: the coordinator's grid (remind, return, close, compiled report); a liaison's reports to write. */
export function RoundPage({ user, id: idParam }: { user: SessionUser; id: string }) {
  const roundId = Number(idParam);
  const { t } = useTranslation();
  const format = useFormat();
  const round = useQuery(trpc.round.header.queryOptions({ roundId }));
  const [filters, setFilters] = useState<Filters>(noFilters);
  usePageTitle(round.data?.title ?? t("rounds.title"));
  if (round.isError) {
    // A department leader whose department the round asks nothing of may still sign off the office's report upward
    // (the leader of the department hosting the office, issue 16 point 3): that section stands alone.
    return (
      <>
        <section className="page">
          <h1>{t("rounds.title")}</h1>
          {user.role === "liaison" && user.departmentRole === "leader" ? null : <QueryError error={round.error} onRetry={() => void round.refetch()} />}
        </section>
        {user.role === "liaison" && user.departmentRole === "leader" ? <LevelReportSections roundId={roundId} user={user} /> : null}
      </>
    );
  }
  if (round.data === undefined) return <p className="loading">{t("app.loading")}</p>;
  const r = round.data;
  const s = r.statistics;
  return (
    <>
      <section className="page" aria-labelledby="round-title">
        <p>
          <Link href="/rounds">{t("rounds.back")}</Link>
        </p>
        <h1 id="round-title">{r.title}</h1>
        <p>
          {t("rounds.period", { start: format.dueDate(r.periodStart), end: format.dueDate(r.periodEnd) })} · {t("rounds.due", { date: format.dueDate(r.dueDate) })} ·{" "}
          {r.status === "open" ? t("rounds.statusOpen") : t("rounds.statusClosed")}
        </p>
        <p data-testid="round-stats">
          {t("rounds.stats", {
            total: format.number(s.total),
            reported: format.number(s.reported + s.reportedLate),
            late: format.number(s.late),
            notReported: format.number(s.notReported + s.returned),
          })}
        </p>
        {user.role === "liaison" ? null : <CompiledLinks roundId={r.id} />}
        {user.role === "coordinator" && r.status === "open" ? <CloseRound round={r} /> : null}
      </section>
      <LevelReportSections roundId={r.id} user={user} />
      <RoundReports round={r} filters={filters} onFilters={setFilters} user={user} />
    </>
  );
}

/** The round's reports under the filters, a page at a time ("show more"), as the grid or as the liaison's forms. */
function RoundReports({ round, filters, onFilters, user }: { round: Round; filters: Filters; onFilters: (f: Filters) => void; user: SessionUser }) {
  const { t } = useTranslation();
  const format = useFormat();
  const liaison = user.role === "liaison";
  const pages = useInfiniteQuery(
    trpc.round.reports.infiniteQueryOptions(
      {
        roundId: round.id,
        limit: pageSize,
        measureNumber: filters.measureNumber ?? undefined,
        department: filters.department ?? undefined,
        standings: filters.standing === null ? undefined : [filters.standing],
        statuses: filters.status === null ? undefined : [filters.status],
      },
      { getNextPageParam: (last) => last.nextCursor ?? undefined, placeholderData: keepPreviousData },
    ),
  );
  const reports = pages.data?.pages.flatMap((p) => p.reports) ?? [];
  const matching = pages.data?.pages[0]?.matching ?? null;
  // After "show more", focus moves to the first report of the new page, so keyboard and screen-reader users go on from there.
  const focusFrom = useRef<number | null>(null);
  const focusTarget = (index: number) => (el: HTMLElement | null) => {
    if (el !== null && focusFrom.current === index) {
      focusFrom.current = null;
      el.focus();
    }
  };
  const showMore = () => {
    focusFrom.current = reports.length;
    void pages.fetchNextPage();
  };
  const headingId = liaison ? "your-reports" : "round-grid";
  return (
    <section className="page" aria-labelledby={headingId}>
      <h2 id={headingId}>{liaison ? t("rounds.yourReports") : t("rounds.grid")}</h2>
      <ReportFilters round={round} filters={filters} onFilters={onFilters} showDepartment={!liaison} />
      {pages.isError ? <QueryError error={pages.error} onRetry={() => void pages.refetch()} /> : null}
      {pages.data === undefined && !pages.isError ? <p className="loading">{t("app.loading")}</p> : null}
      <p className="muted" role="status" aria-live="polite" data-testid="round-shown">
        {matching === null ? "" : t("rounds.shown", { shown: format.number(reports.length), total: format.number(matching) })}
      </p>
      {liaison ? (
        reports.map((report, i) => <ReportForm key={`${report.id}-${report.version}`} report={report} focusRef={focusTarget(i)} />)
      ) : (
        <ReportGrid reports={reports} canAct={user.role === "coordinator"} focusRef={focusTarget} />
      )}
      {pages.hasNextPage ? (
        <button type="button" className="button" disabled={pages.isFetchingNextPage} onClick={showMore} data-testid="round-show-more">
          {pages.isFetchingNextPage
            ? t("app.loading")
            : t("rounds.showMore", { n: format.number(Math.min(pageSize, Math.max(0, (matching ?? 0) - reports.length))) })}
        </button>
      ) : null}
    </section>
  );
}

/** The filters of the round's reports: measure, department, standing (with the round's counts) and status; each applies at once. */
function ReportFilters({ round, filters, onFilters, showDepartment }: { round: Round; filters: Filters; onFilters: (f: Filters) => void; showDepartment: boolean }) {
  const { t } = useTranslation();
  const format = useFormat();
  const departments = useDepartments();
  const id = useId();
  const s = round.statistics;
  const standingCount: Record<RoundReportStanding, number> = {
    reported: s.reported,
    reported_late: s.reportedLate,
    returned: s.returned,
    late: s.late,
    not_reported: s.notReported,
  };
  const filtered = filters.measureNumber !== null || filters.department !== null || filters.standing !== null || filters.status !== null;
  return (
    <fieldset className="toolbar round-filters" data-testid="round-filters">
      <legend>{t("rounds.filters")}</legend>
      <div className="field">
        <label htmlFor={`${id}-measure`}>{t("rounds.measure")}</label>
        <select
          id={`${id}-measure`}
          value={filters.measureNumber === null ? "" : String(filters.measureNumber)}
          onChange={(e) => onFilters({ ...filters, measureNumber: e.target.value === "" ? null : Number(e.target.value) })}
        >
          <option value="">{t("rounds.allMeasures")}</option>
          {round.reportMeasures.map((m) => (
            <option key={m.number} value={m.number}>
              ({m.number}) {m.title}
            </option>
          ))}
        </select>
      </div>
      {showDepartment ? (
        <div className="field">
          <label htmlFor={`${id}-department`}>{t("rounds.department")}</label>
          <select id={`${id}-department`} value={filters.department ?? ""} onChange={(e) => onFilters({ ...filters, department: e.target.value === "" ? null : e.target.value })}>
            <option value="">{t("rounds.allDepartments")}</option>
            {round.reportDepartments.map((code) => (
              <option key={code} value={code}>
                {departments.short(code)}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <div className="field">
        <label htmlFor={`${id}-standing`}>{t("rounds.standing")}</label>
        <select
          id={`${id}-standing`}
          value={filters.standing ?? ""}
          onChange={(e) => onFilters({ ...filters, standing: roundReportStandings.find((x) => x === e.target.value) ?? null })}
        >
          <option value="">{t("rounds.allStandings", { n: format.number(s.total) })}</option>
          {roundReportStandings.map((standing) => (
            <option key={standing} value={standing}>
              {t(`rounds.standing_${standing}`)} ({format.number(standingCount[standing])})
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-status`}>{t("rounds.status")}</label>
        <select
          id={`${id}-status`}
          value={filters.status ?? ""}
          onChange={(e) => onFilters({ ...filters, status: roundReportStatuses.find((x) => x === e.target.value) ?? null })}
        >
          <option value="">{t("rounds.allStatuses")}</option>
          {roundReportStatuses.map((status) => (
            <option key={status} value={status}>
              {t(`rounds.status_${status}`)}
              {status === "draft" ? ` (${format.number(s.drafts)})` : ""}
            </option>
          ))}
        </select>
      </div>
      {filtered ? (
        <button type="button" className="button button-small" onClick={() => onFilters(noFilters)}>
          {t("rounds.clearFilters")}
        </button>
      ) : null}
    </fieldset>
  );
}

function CompiledLinks({ roundId }: { roundId: number }) {
  const { t } = useTranslation();
  return (
    <nav aria-label={t("rounds.compiled")}>
      <h2>{t("rounds.compiled")}</h2>
      <ul className="inline-list">
        {(["zh", "en"] as const).map((lang) => {
          const language = lang === "zh" ? t("rounds.languageZh") : t("rounds.languageEn");
          return [
            <li key={`${lang}-docx`}>
              <a href={`/export/round/${roundId}.docx?lang=${lang}`} download data-testid={`compiled-docx-${lang}`}>
                {t("rounds.downloadDocx", { language })}
              </a>
            </li>,
            <li key={`${lang}-pdf`}>
              <a href={`/export/round/${roundId}.pdf?lang=${lang}`} download data-testid={`compiled-pdf-${lang}`}>
                {t("rounds.downloadPdf", { language })}
              </a>
            </li>,
          ];
        })}
      </ul>
    </nav>
  );
}

function CloseRound({ round }: { round: Round }) {
  const { t } = useTranslation();
  const announce = useAnnounce();
  const queryClient = useQueryClient();
  const close = useMutation(
    trpc.round.close.mutationOptions({
      onSuccess: (closed) => {
        announce(closed.nextRoundId === null ? t("rounds.closed") : t("rounds.closedNext"), "success");
        void queryClient.invalidateQueries({ queryKey: trpc.round.pathKey() });
      },
      onError: (e) => announce(describeError(e), "error"),
    }),
  );
  return (
    <button type="button" className="button" disabled={close.isPending} onClick={() => close.mutate({ roundId: round.id, expectedVersion: round.version })}>
      {t("rounds.close")}
    </button>
  );
}

function standingText(t: (key: `rounds.standing_${Report["standing"]}`) => string, report: Report): string {
  return t(`rounds.standing_${report.standing}`);
}

function ReportGrid({ reports, canAct, focusRef }: { reports: Report[]; canAct: boolean; focusRef: (index: number) => (el: HTMLElement | null) => void }) {
  const { t } = useTranslation();
  const departments = useDepartments();
  const announce = useAnnounce();
  const queryClient = useQueryClient();
  const [returning, setReturning] = useState<Report | null>(null);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.round.pathKey() });
  const remind = useMutation(
    trpc.round.remind.mutationOptions({
      onSuccess: (_data, input) => {
        const report = reports.find((x) => x.id === input.reportId);
        announce(t("rounds.reminded", { department: departments.short(report?.department ?? "") }), "success");
        refresh();
      },
      onError: (e) => announce(describeError(e), "error"),
    }),
  );
  // The reports shown (loaded and filtered): reminding is an act per report, on what the coordinator sees.
  const remindable = reports.filter((x) => x.allowedActions.includes("remind"));
  const [remindingAll, setRemindingAll] = useState(false);
  // One reminder per report, in turn, so that each is its own act in the trail; the count says how far it got.
  const remindAll = async () => {
    setRemindingAll(true);
    let done = 0;
    try {
      for (const x of remindable) {
        await trpcClient.round.remind.mutate({ reportId: x.id, expectedVersion: x.version, message: "" });
        done += 1;
      }
      announce(t("rounds.remindedAll", { done, total: remindable.length }), "success");
    } catch (e) {
      announce(`${t("rounds.remindedAll", { done, total: remindable.length })} ${describeError(e)}`, "error");
    } finally {
      setRemindingAll(false);
      refresh();
    }
  };
  return (
    <>
      {canAct && remindable.length > 0 ? (
        <button type="button" className="button button-small" disabled={remindingAll} onClick={() => void remindAll()}>
          {t("rounds.remindAll", { n: remindable.length })}
        </button>
      ) : null}
      <div className="table-wrap">
        <table className="data" data-testid="round-grid">
          <thead>
            <tr>
              <th scope="col">{t("rounds.measure")}</th>
              <th scope="col">{t("rounds.department")}</th>
              <th scope="col">{t("rounds.role")}</th>
              <th scope="col">{t("rounds.standing")}</th>
              <th scope="col">{t("rounds.reminders")}</th>
              <th scope="col">{t("rounds.files")}</th>
              {canAct ? <th scope="col">{t("rounds.actions")}</th> : null}
            </tr>
          </thead>
          <tbody>
            {reports.map((report, i) => (
              <tr key={report.id} data-department={report.department} data-standing={report.standing} data-report-id={report.id}>
                <td>
                  ({report.measureNumber}) {report.measureTitle}
                </td>
                <th scope="row" tabIndex={-1} ref={focusRef(i)}>
                  {departments.short(report.department)}
                </th>
                <td>{t(`rounds.role_${report.role}`)}</td>
                <td className={report.standing === "late" || report.standing === "reported_late" ? "late" : undefined}>
                  {standingText(t, report)}
                  {report.progress !== null && report.status !== "not_reported" ? (
                    <details>
                      <summary>{t("rounds.progress")}</summary>
                      <dl>
                        <dt>{t("rounds.progress")}</dt>
                        <dd>{report.progress}</dd>
                        <dt>{t("rounds.problems")}</dt>
                        <dd>{report.problems}</dd>
                        <dt>{t("rounds.nextSteps")}</dt>
                        <dd>{report.nextSteps}</dd>
                      </dl>
                    </details>
                  ) : null}
                </td>
                <td>{report.reminders}</td>
                <td>
                  <FileList files={report.attachments} />
                </td>
                {canAct ? (
                  <td>
                    {report.allowedActions.includes("remind") ? (
                      <button
                        type="button"
                        className="button button-small"
                        disabled={remind.isPending}
                        onClick={() => remind.mutate({ reportId: report.id, expectedVersion: report.version, message: "" })}
                        aria-label={`${t("rounds.remind")} ${departments.short(report.department)} (${report.measureNumber})`}
                      >
                        {t("rounds.remind")}
                      </button>
                    ) : null}
                    {report.allowedActions.includes("return") ? (
                      <button
                        type="button"
                        className="button button-small"
                        onClick={() => setReturning(report)}
                        aria-label={`${t("rounds.return")} ${departments.short(report.department)} (${report.measureNumber})`}
                      >
                        {t("rounds.return")}
                      </button>
                    ) : null}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ReturnDialog report={returning} onClose={() => setReturning(null)} onDone={refresh} />
    </>
  );
}

function ReturnDialog({ report, onClose, onDone }: { report: Report | null; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const id = useId();
  const departments = useDepartments();
  const announce = useAnnounce();
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  const send = useMutation(
    trpc.round.return.mutationOptions({
      onSuccess: () => {
        announce(t("rounds.returned", { department: departments.short(report?.department ?? "") }), "success");
        setReason("");
        onClose();
        onDone();
      },
      onError: (e) => setError(describeError(e)),
    }),
  );
  return (
    <Dialog open={report !== null} title={t("rounds.return")} onClose={onClose}>
      {() => (
        <form
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            if (report !== null) send.mutate({ reportId: report.id, expectedVersion: report.version, reason });
          }}
        >
          <div className="field">
            <label htmlFor={`${id}-reason`}>{t("rounds.returnReason")}</label>
            <textarea id={`${id}-reason`} value={reason} onChange={(e) => setReason(e.target.value)} required rows={3} />
          </div>
          <ErrorNotice error={error} />
          <button type="submit" className="button button-primary" disabled={send.isPending}>
            {t("rounds.return")}
          </button>
        </form>
      )}
    </Dialog>
  );
}

function FileList({ files }: { files: Report["attachments"] }) {
  const { t } = useTranslation();
  if (files.length === 0) return null;
  return (
    <ul className="file-list">
      {files.map((f) => (
        <li key={f.id}>
          <a href={`/attachments/${f.id}`} download>
            {f.name}
          </a>{" "}
          ({Math.ceil(f.sizeBytes / 1024)} KB){" "}
          {f.contentType === "application/pdf" || f.contentType.startsWith("image/") ? (
            <a href={`/attachments/${f.id}/preview`} target="_blank" rel="noopener noreferrer" aria-label={`${t("rounds.preview")} ${f.name}`}>
              {t("rounds.preview")}
            </a>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

/** One report of the liaison's department: the three headings, files (drag and drop, several, progress), draft or submit. */
function ReportForm({ report, focusRef }: { report: Report; focusRef: (el: HTMLElement | null) => void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const id = useId();
  const announce = useAnnounce();
  const queryClient = useQueryClient();
  const [progress, setProgress] = useState(report.progress ?? "");
  const [problems, setProblems] = useState(report.problems ?? "");
  const [nextSteps, setNextSteps] = useState(report.nextSteps ?? "");
  const [files, setFiles] = useState<File[]>([]);
  const [dragging, setDragging] = useState(false);
  const [percent, setPercent] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const writable = report.allowedActions.includes("submit") || report.allowedActions.includes("saveDraft");

  const send = async (action: "saveDraft" | "submit") => {
    setError(null);
    setPercent(0);
    try {
      const result = await uploadReport({ reportId: report.id, expectedVersion: report.version, action, progress, problems, nextSteps, files }, (f) =>
        setPercent(Math.round(f * 100)),
      );
      // Where the department requires its leader's approval, a submission waits for the leader.
      announce(
        action === "saveDraft" ? t("rounds.savedDraft") : result.status === "awaiting_approval" ? t("rounds.sentToLeader") : t("rounds.submitted"),
        "success",
      );
      setFiles([]);
      void queryClient.invalidateQueries({ queryKey: trpc.round.pathKey() });
    } catch (e) {
      setError(describeError(e));
    } finally {
      setPercent(null);
    }
  };
  const addFiles = (list: FileList | null) => {
    if (list === null) return;
    // Copied now: the input's FileList empties when its value is reset, before React runs the update.
    const added = Array.from(list);
    setFiles((current) => [...current, ...added]);
  };
  const onDrop = (e: DragEvent<HTMLFieldSetElement>) => {
    if (!writable) return;
    e.preventDefault();
    setDragging(false);
    addFiles(e.dataTransfer.files);
  };

  return (
    <article className="round-report" aria-labelledby={`${id}-h`} data-report-id={report.id}>
      <h3 id={`${id}-h`} tabIndex={-1} ref={focusRef}>
        ({report.measureNumber}) {report.measureTitle} · {t(`rounds.role_${report.role}`)} · <span data-testid="report-standing">{t(`rounds.standing_${report.standing}`)}</span>
      </h3>
      {report.returnedReason !== null && report.status === "returned" ? <p className="notice notice-warning">{t("rounds.returnedBecause", { reason: report.returnedReason })}</p> : null}
      {report.returnedReason !== null && report.status === "returned_by_leader" ? (
        <p className="notice notice-warning" data-testid="returned-by-leader">
          {t("rounds.returnedByLeader", { reason: report.returnedReason })}
        </p>
      ) : null}
      {report.status === "awaiting_approval" ? (
        <p className="notice" role="status" data-testid="awaiting-leader">
          {t("rounds.awaitingLeader")}
        </p>
      ) : null}
      {report.submittedAt !== null ? <p>{t("rounds.submittedAt", { at: format.dateTime(report.submittedAt) })}</p> : null}
      <form
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          void send("submit");
        }}
      >
        <div className="field">
          <label htmlFor={`${id}-progress`}>{t("rounds.progress")}</label>
          <textarea id={`${id}-progress`} value={progress} onChange={(e) => setProgress(e.target.value)} rows={4} readOnly={!writable} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-problems`}>{t("rounds.problems")}</label>
          <textarea id={`${id}-problems`} value={problems} onChange={(e) => setProblems(e.target.value)} rows={3} readOnly={!writable} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-next`}>{t("rounds.nextSteps")}</label>
          <textarea id={`${id}-next`} value={nextSteps} onChange={(e) => setNextSteps(e.target.value)} rows={3} readOnly={!writable} />
        </div>
        <fieldset
          className="field"
          onDragOver={(e) => {
            if (!writable) return;
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
        >
          <legend>{t("rounds.files")}</legend>
          <FileList files={report.attachments} />
          {writable ? (
            <div className={dragging ? "drop-zone drop-zone-active" : "drop-zone"}>
              <p id={`${id}-files-help`}>{t("rounds.filesHelp")}</p>
              <label htmlFor={`${id}-files`}>{t("rounds.chooseFiles")}</label>{" "}
              <input
                id={`${id}-files`}
                type="file"
                multiple
                accept="application/pdf,image/png,image/jpeg,image/webp,image/gif,.docx,.xlsx,.pptx,.doc,.xls,.ppt"
                aria-describedby={`${id}-files-help`}
                onChange={(e) => {
                  addFiles(e.target.files);
                  e.target.value = "";
                }}
              />
              {files.length > 0 ? (
                <ul className="file-list" data-testid="chosen-files">
                  {files.map((f, i) => (
                    <li key={`${f.name}-${i}`}>
                      {f.name} ({Math.ceil(f.size / 1024)} KB){" "}
                      <button type="button" className="button button-small" onClick={() => setFiles(files.filter((_, j) => j !== i))} aria-label={t("rounds.removeFile", { name: f.name })}>
                        ×
                      </button>
                    </li>
                  ))}
                </ul>
              ) : null}
            </div>
          ) : null}
        </fieldset>
        {percent !== null ? (
          <p role="status">
            <progress max={100} value={percent} aria-label={t("rounds.uploading", { percent })} /> {t("rounds.uploading", { percent })}
          </p>
        ) : null}
        <ErrorNotice error={error} />
        {writable ? (
          <div className="button-row">
            {report.allowedActions.includes("saveDraft") ? (
              <button type="button" className="button" disabled={percent !== null} onClick={() => void send("saveDraft")}>
                {t("rounds.saveDraft")}
              </button>
            ) : null}
            <button type="submit" className="button button-primary" disabled={percent !== null || !report.allowedActions.includes("submit")}>
              {report.status === "submitted" ? t("rounds.resubmit") : t("rounds.submit")}
            </button>
          </div>
        ) : report.status === "awaiting_approval" ? null : (
          <p>{t("rounds.readOnly")}</p>
        )}
      </form>
      {report.allowedActions.includes("approve") || report.allowedActions.includes("reject") ? <LeaderDecision report={report} /> : null}
    </article>
  );
}

/** The department leader's approval of a report awaiting it (审核): approve (it is submitted then) or return it with a reason. */
function LeaderDecision({ report }: { report: Report }) {
  const { t } = useTranslation();
  const id = useId();
  const announce = useAnnounce();
  const queryClient = useQueryClient();
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  const done = (message: string) => {
    announce(message, "success");
    void queryClient.invalidateQueries({ queryKey: trpc.round.pathKey() });
  };
  const approve = useMutation(
    trpc.round.approve.mutationOptions({ onSuccess: () => done(t("rounds.approved")), onError: (e) => setError(describeError(e)) }),
  );
  const reject = useMutation(
    trpc.round.reject.mutationOptions({ onSuccess: () => done(t("rounds.rejected")), onError: (e) => setError(describeError(e)) }),
  );
  const busy = approve.isPending || reject.isPending;
  return (
    <fieldset className="field" data-testid="leader-decision">
      <legend>{t("rounds.leaderDecision")}</legend>
      <div className="field">
        <label htmlFor={`${id}-reason`}>{t("rounds.rejectReason")}</label>
        <textarea id={`${id}-reason`} value={reason} onChange={(e) => setReason(e.target.value)} rows={2} />
      </div>
      <ErrorNotice error={error} />
      <div className="button-row">
        {report.allowedActions.includes("approve") ? (
          <button
            type="button"
            className="button button-primary"
            disabled={busy}
            onClick={() => {
              setError(null);
              approve.mutate({ reportId: report.id, expectedVersion: report.version });
            }}
          >
            {t("rounds.approve")}
          </button>
        ) : null}
        {report.allowedActions.includes("reject") ? (
          <button
            type="button"
            className="button"
            disabled={busy}
            onClick={() => {
              setError(null);
              reject.mutate({ reportId: report.id, expectedVersion: report.version, reason });
            }}
          >
            {t("rounds.reject")}
          </button>
        ) : null}
      </div>
    </fieldset>
  );
}
