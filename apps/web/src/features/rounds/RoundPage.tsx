import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
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
import i18next from "i18next";
import { trpc, trpcClient } from "../../trpc.js";
import type { RouterOutputs } from "../../trpc.js";
import type { SessionUser } from "../auth/session.js";
import { useDepartments } from "../catalog/departments.js";
import { isUploadFailure, uploadReport } from "./upload.js";

type Round = RouterOutputs["round"]["get"];
type Report = Round["reports"][number];

/** One round: the coordinator's grid (remind, return, close, compiled report); a liaison's reports to write. */
export function RoundPage({ user, id: idParam }: { user: SessionUser; id: string }) {
  const roundId = Number(idParam);
  const { t } = useTranslation();
  const format = useFormat();
  const round = useQuery(trpc.round.get.queryOptions({ roundId }));
  usePageTitle(round.data?.title ?? t("rounds.title"));
  if (round.isError) {
    return (
      <section className="page">
        <h1>{t("rounds.title")}</h1>
        <QueryError error={round.error} onRetry={() => void round.refetch()} />
      </section>
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
      {user.role === "liaison" ? (
        <section className="page" aria-labelledby="your-reports">
          <h2 id="your-reports">{t("rounds.yourReports")}</h2>
          {r.reports.map((report) => (
            <ReportForm key={`${report.id}-${report.version}`} report={report} />
          ))}
        </section>
      ) : (
        <ReportGrid round={r} canAct={user.role === "coordinator"} />
      )}
    </>
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

function ReportGrid({ round, canAct }: { round: Round; canAct: boolean }) {
  const { t } = useTranslation();
  const departments = useDepartments();
  const announce = useAnnounce();
  const queryClient = useQueryClient();
  const [returning, setReturning] = useState<Report | null>(null);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.round.pathKey() });
  const remind = useMutation(
    trpc.round.remind.mutationOptions({
      onSuccess: (_data, input) => {
        const report = round.reports.find((x) => x.id === input.reportId);
        announce(t("rounds.reminded", { department: departments.short(report?.department ?? "") }), "success");
        refresh();
      },
      onError: (e) => announce(describeError(e), "error"),
    }),
  );
  const remindable = round.reports.filter((x) => x.allowedActions.includes("remind"));
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
    <section className="page" aria-labelledby="round-grid">
      <h2 id="round-grid">{t("rounds.grid")}</h2>
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
            {round.reports.map((report) => (
              <tr key={report.id} data-department={report.department} data-standing={report.standing}>
                <td>
                  ({report.measureNumber}) {report.measureTitle}
                </td>
                <th scope="row">{departments.short(report.department)}</th>
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
    </section>
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
function ReportForm({ report }: { report: Report }) {
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
      if (isUploadFailure(e) && e.refusalCode !== null && i18next.exists(`refusal.${e.refusalCode}`) && i18next.language !== "en") {
        setError(i18next.t(`refusal.${e.refusalCode}` as "refusal.not_found"));
      } else setError(isUploadFailure(e) ? e.message : String(e));
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
      <h3 id={`${id}-h`}>
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
