/**
 * Round reports down the levels (issue 16, point 3) on a round's page: the office's report to the level above
 * (compiled from its departments' reports and the level below's, written, submitted for sign-off, signed off, or sent
 * back; its state) and the level above's view of its children's reports (each organisation's standing, its signed-off
 * text and compilation, return with a reason). Every control is a labelled native element; each act's outcome is
 * announced to screen readers (useAnnounce).
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import type { FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Dialog } from "../../components/Dialog.js";
import { ErrorNotice } from "../../components/ErrorNotice.js";
import { QueryError } from "../../components/QueryError.js";
import { useAnnounce } from "../../lib/announcer.js";
import { describeError } from "../../lib/errors.js";
import { useFormat } from "../../lib/format.js";
import { trpc } from "../../trpc.js";
import type { RouterOutputs } from "../../trpc.js";
import type { SessionUser } from "../auth/session.js";
import { replaceLevelReportFile, uploadLevelReport } from "./upload.js";

type Own = NonNullable<RouterOutputs["round"]["levelReport"]>;
type Child = RouterOutputs["round"]["childReports"][number];
type Compilation = Own["preview"];
type Named = { nameZh: string; nameEn: string };

function useName(): (o: Named) => string {
  const { i18n } = useTranslation();
  return (o) => (i18n.language.startsWith("zh") ? o.nameZh : o.nameEn);
}

/** Who may read the reports between levels: those who read every department, and a department leader (the host's signs off). */
export function readsLevelReports(user: SessionUser): boolean {
  return user.role !== "liaison" || user.departmentRole === "leader";
}

/** Both sections of a round's page, for those who read them. */
export function LevelReportSections({ roundId, user }: { roundId: number; user: SessionUser }) {
  if (!readsLevelReports(user)) return null;
  return (
    <>
      <OwnLevelReport roundId={roundId} leader={user.role === "liaison"} />
      {user.role === "liaison" ? null : <ChildLevelReports roundId={roundId} />}
    </>
  );
}

/** The compilation's counts: the departments' reports and, one line per organisation below, its standing. */
function CompilationSummary({ compilation }: { compilation: Compilation }) {
  const { t } = useTranslation();
  const format = useFormat();
  const name = useName();
  const s = compilation.statistics;
  return (
    <>
      <p data-testid="level-departments">{t("rounds.levelDepartments", { reported: format.number(s.reported + s.reportedLate), total: format.number(s.total) })}</p>
      <h4>{t("rounds.levelChildren")}</h4>
      {compilation.children.length === 0 ? (
        <p className="muted">{t("rounds.levelNoChildren")}</p>
      ) : (
        <ul data-testid="level-children">
          {compilation.children.map((c) => (
            <li key={c.organisation.id} data-organisation={c.organisation.id} data-standing={c.standing}>
              {name(c.organisation)}: {t(`rounds.levelStanding_${c.standing}`)}
              {c.progress !== null ? (
                <details>
                  <summary>{t("rounds.levelContent")}</summary>
                  <ReportText progress={c.progress} problems={c.problems ?? ""} nextSteps={c.nextSteps ?? ""} />
                  {c.files.length > 0 ? <p>{t("rounds.levelChildFiles", { names: c.files.join(t("rounds.listSeparator")) })}</p> : null}
                </details>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

/** A level report's own evidence files, each a download link (`GET /attachments/level-report-files/:id`). */
function LevelFiles({ files }: { files: Own["report"]["files"] }) {
  const { t } = useTranslation();
  if (files.length === 0) return null;
  return (
    <>
      <h4>{t("rounds.files")}</h4>
      <ul className="file-list" data-testid="level-files">
        {files.map((f) => (
          <li key={f.id}>
            <a href={`/attachments/level-report-files/${f.id}`} download>
              {f.name}
            </a>{" "}
            ({Math.ceil(f.sizeBytes / 1024)} KB)
          </li>
        ))}
      </ul>
    </>
  );
}

function ReportText({ progress, problems, nextSteps }: { progress: string; problems: string; nextSteps: string }) {
  const { t } = useTranslation();
  return (
    <dl>
      <dt>{t("rounds.progress")}</dt>
      <dd>{progress}</dd>
      <dt>{t("rounds.problems")}</dt>
      <dd>{problems}</dd>
      <dt>{t("rounds.nextSteps")}</dt>
      <dd>{nextSteps}</dd>
    </dl>
  );
}

/** A reason asked for in a dialog (send back inside the office, return to the level below). */
function ReasonDialog({
  open,
  title,
  onClose,
  onSend,
  pending,
  error,
}: {
  open: boolean;
  title: string;
  onClose: () => void;
  onSend: (reason: string) => void;
  pending: boolean;
  error: string | null;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [reason, setReason] = useState("");
  return (
    <Dialog open={open} title={title} onClose={onClose}>
      {() => (
        <form
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            onSend(reason);
          }}
        >
          <div className="field">
            <label htmlFor={`${id}-reason`}>{t("rounds.levelReason")}</label>
            <textarea id={`${id}-reason`} value={reason} onChange={(e) => setReason(e.target.value)} required rows={3} />
          </div>
          <ErrorNotice error={error} />
          <button type="submit" className="button button-primary" disabled={pending}>
            {title}
          </button>
        </form>
      )}
    </Dialog>
  );
}

type OwnFile = Own["report"]["files"][number];

/**
 * The office's own files with, while its report may change (`editable`), a Remove and a Replace button each; both ask
 * for confirmation in a modal dialog (Escape cancels, focus returns to the button). A removed or replaced file is kept
 * (the audit trail) and listed apart. The server decides (round.levelRemoveFile, the replace route); a refusal is shown.
 */
function OwnLevelFiles({ report, editable }: { report: Own["report"]; editable: boolean }) {
  const { t } = useTranslation();
  const format = useFormat();
  const id = useId();
  const announce = useAnnounce();
  const queryClient = useQueryClient();
  const [removing, setRemoving] = useState<OwnFile | null>(null);
  const [replacing, setReplacing] = useState<OwnFile | null>(null);
  const [newVersion, setNewVersion] = useState<File | null>(null);
  const [error, setError] = useState<string | null>(null);
  const close = () => {
    setRemoving(null);
    setReplacing(null);
    setNewVersion(null);
    setError(null);
  };
  const done = (message: string) => {
    announce(message, "success");
    close();
    void queryClient.invalidateQueries({ queryKey: trpc.round.pathKey() });
  };
  const remove = useMutation(
    trpc.round.levelRemoveFile.mutationOptions({
      onSuccess: () => done(t("rounds.levelFileRemoved", { name: removing?.name ?? "" })),
      onError: (e) => setError(describeError(e)),
    }),
  );
  const replace = useMutation({
    mutationFn: (input: { fileId: number; file: File }) => replaceLevelReportFile({ ...input, expectedVersion: report.version }, () => {}),
    onSuccess: () => done(t("rounds.levelFileReplaced", { name: replacing?.name ?? "" })),
    onError: (e) => setError(describeError(e)),
  });
  const withdrawn = report.withdrawnFiles;
  if (report.files.length === 0 && withdrawn.length === 0) return null;
  return (
    <>
      <h4>{t("rounds.files")}</h4>
      {!editable && report.files.length > 0 ? <p className="muted">{t("rounds.levelFilesFrozen")}</p> : null}
      {report.files.length > 0 ? (
        <ul className="file-list" data-testid="level-files">
          {report.files.map((f) => (
            <li key={f.id}>
              <a href={`/attachments/level-report-files/${f.id}`} download>
                {f.name}
              </a>{" "}
              ({Math.ceil(f.sizeBytes / 1024)} KB)
              {editable ? (
                <>
                  {" "}
                  <button type="button" className="button button-small" aria-label={t("rounds.levelFileRemoveLabel", { name: f.name })} onClick={() => setRemoving(f)}>
                    {t("rounds.levelFileRemove")}
                  </button>{" "}
                  <button type="button" className="button button-small" aria-label={t("rounds.levelFileReplaceLabel", { name: f.name })} onClick={() => setReplacing(f)}>
                    {t("rounds.levelFileReplace")}
                  </button>
                </>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {withdrawn.length > 0 ? (
        <details data-testid="level-withdrawn-files">
          <summary>{t("rounds.levelWithdrawnFiles")}</summary>
          <ul className="file-list">
            {withdrawn.map((f) => (
              <li key={f.id}>
                <a href={`/attachments/level-report-files/${f.id}`} download>
                  {f.name}
                </a>{" "}
                ({f.supersededById === null ? t("rounds.levelFileWasRemoved", { at: format.dateTime(f.withdrawnAt ?? f.createdAt) }) : t("rounds.levelFileWasReplaced", { at: format.dateTime(f.withdrawnAt ?? f.createdAt) })})
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      <Dialog open={removing !== null} title={t("rounds.levelFileRemoveTitle", { name: removing?.name ?? "" })} onClose={close}>
        {() => (
          <>
            <p>{t("rounds.levelFileRemoveIntro")}</p>
            <ErrorNotice error={error} />
            <button
              type="button"
              className="button button-primary"
              disabled={remove.isPending}
              onClick={() => {
                if (removing !== null) remove.mutate({ fileId: removing.id, expectedVersion: report.version });
              }}
            >
              {t("rounds.levelFileRemove")}
            </button>{" "}
            <button type="button" className="button" onClick={close}>
              {t("dialog.cancel")}
            </button>
          </>
        )}
      </Dialog>
      <Dialog open={replacing !== null} title={t("rounds.levelFileReplaceTitle", { name: replacing?.name ?? "" })} onClose={close}>
        {() => (
          <form
            onSubmit={(e: FormEvent) => {
              e.preventDefault();
              if (replacing !== null && newVersion !== null) replace.mutate({ fileId: replacing.id, file: newVersion });
            }}
          >
            <p id={`${id}-replace-intro`}>{t("rounds.levelFileReplaceIntro")}</p>
            <div className="field">
              <label htmlFor={`${id}-replace-file`}>{t("rounds.levelFileNewVersion")}</label>
              <input
                id={`${id}-replace-file`}
                type="file"
                required
                aria-describedby={`${id}-replace-intro`}
                onChange={(e) => setNewVersion(e.target.files?.[0] ?? null)}
              />
            </div>
            <ErrorNotice error={error} />
            <button type="submit" className="button button-primary" disabled={replace.isPending || newVersion === null}>
              {t("rounds.levelFileReplace")}
            </button>{" "}
            <button type="button" className="button" onClick={close}>
              {t("dialog.cancel")}
            </button>
          </form>
        )}
      </Dialog>
    </>
  );
}

/** The office's report upward: state, what it carries now, the three headings, and the acts the caller may take. */
function OwnLevelReport({ roundId, leader }: { roundId: number; leader: boolean }) {
  const own = useQuery(trpc.round.levelReport.queryOptions({ roundId }));
  // A department leader not of the office's host department reads nothing here: the section is simply not theirs.
  if (own.isError) return leader ? null : <QueryError error={own.error} onRetry={() => void own.refetch()} />;
  // Nothing shown while loading: most rounds answer no round above, and the page has its own loading state.
  if (own.data === undefined || own.data === null) return null;
  return <OwnLevelReportForm key={`${own.data.report.id}-${own.data.report.version}`} own={own.data} />;
}

function OwnLevelReportForm({ own }: { own: Own }) {
  const { t } = useTranslation();
  const format = useFormat();
  const name = useName();
  const id = useId();
  const announce = useAnnounce();
  const queryClient = useQueryClient();
  const r = own.report;
  const [progress, setProgress] = useState(r.draft?.progress ?? "");
  const [problems, setProblems] = useState(r.draft?.problems ?? "");
  const [nextSteps, setNextSteps] = useState(r.draft?.nextSteps ?? "");
  const [error, setError] = useState<string | null>(null);
  const [rejecting, setRejecting] = useState(false);
  const [files, setFiles] = useState<File[]>([]);
  const [percent, setPercent] = useState<number | null>(null);
  const done = (message: string) => () => {
    announce(message, "success");
    setError(null);
    setRejecting(false);
    void queryClient.invalidateQueries({ queryKey: trpc.round.pathKey() });
  };
  const fail = (e: unknown) => setError(describeError(e));
  const ref = { levelReportId: r.id, expectedVersion: r.version };
  const text = { progress, problems, nextSteps };
  const saveDraft = useMutation(trpc.round.levelSaveDraft.mutationOptions({ onSuccess: done(t("rounds.levelSaved")), onError: fail }));
  const submit = useMutation(trpc.round.levelSubmit.mutationOptions({ onSuccess: done(t("rounds.levelSentForSignOff")), onError: fail }));
  const signOff = useMutation(trpc.round.levelSignOff.mutationOptions({ onSuccess: done(t("rounds.levelSignedOff")), onError: fail }));
  const reject = useMutation(trpc.round.levelReject.mutationOptions({ onSuccess: done(t("rounds.levelRejected")), onError: fail }));
  // With files, the draft or submission goes as one multipart upload (the act and its files in one unit of work).
  const upload = useMutation({
    mutationFn: (action: "saveDraft" | "submit") =>
      uploadLevelReport({ ...ref, ...text, action, files }, (f) => setPercent(Math.round(f * 100))),
    onSuccess: (_, action) => {
      setPercent(null);
      done(action === "submit" ? t("rounds.levelSentForSignOff") : t("rounds.levelSaved"))();
    },
    onError: (e) => {
      setPercent(null);
      fail(e);
    },
  });
  const act = (action: "saveDraft" | "submit") => {
    if (files.length > 0) upload.mutate(action);
    else if (action === "submit") submit.mutate({ ...ref, ...text });
    else saveDraft.mutate({ ...ref, ...text });
  };
  const writable = r.allowedActions.includes("submit") || r.allowedActions.includes("saveDraft");
  const pending = saveDraft.isPending || submit.isPending || signOff.isPending || reject.isPending || upload.isPending;
  return (
    <section className="page" aria-labelledby={`${id}-h`} data-testid="level-report" data-status={r.status}>
      <h2 id={`${id}-h`}>{t("rounds.levelTitle")}</h2>
      <p className="muted">{t("rounds.levelIntro")}</p>
      <p>
        {t("rounds.levelTo", { organisation: name(r.parentOrganisation) })} ·{" "}
        <span role="status" data-testid="level-state">
          {t("rounds.levelState", { state: t(`rounds.level_${r.status}`) })}
        </span>
      </p>
      {r.returnedReason !== null && r.status === "returned" ? <p className="notice notice-warning">{t("rounds.levelReturnedBecause", { reason: r.returnedReason })}</p> : null}
      {r.returnedReason !== null && r.status === "returned_in_office" ? (
        <p className="notice notice-warning">{t("rounds.levelRejectedBecause", { reason: r.returnedReason })}</p>
      ) : null}
      <h3>{t("rounds.levelCompilation")}</h3>
      <CompilationSummary compilation={own.preview} />
      <OwnLevelFiles report={r} editable={r.allowedActions.includes("saveDraft")} />
      {writable ? (
        <form
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            act("submit");
          }}
        >
          <div className="field">
            <label htmlFor={`${id}-progress`}>{t("rounds.progress")}</label>
            <textarea id={`${id}-progress`} value={progress} onChange={(e) => setProgress(e.target.value)} rows={4} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-problems`}>{t("rounds.problems")}</label>
            <textarea id={`${id}-problems`} value={problems} onChange={(e) => setProblems(e.target.value)} rows={3} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-next`}>{t("rounds.nextSteps")}</label>
            <textarea id={`${id}-next`} value={nextSteps} onChange={(e) => setNextSteps(e.target.value)} rows={3} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-files`}>{t("rounds.files")}</label>
            <p id={`${id}-files-help`} className="muted">
              {t("rounds.filesHelp")}
            </p>
            <input
              id={`${id}-files`}
              type="file"
              multiple
              accept="application/pdf,image/png,image/jpeg,image/webp,image/gif,.docx,.xlsx,.pptx,.doc,.xls,.ppt"
              aria-describedby={`${id}-files-help`}
              data-testid="level-file-input"
              onChange={(e) => {
                const chosen = e.target.files;
                if (chosen !== null) setFiles([...files, ...Array.from(chosen)]);
                e.target.value = "";
              }}
            />
            {files.length > 0 ? (
              <ul className="file-list" data-testid="level-chosen-files">
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
          {percent !== null ? (
            <p role="status">
              <progress max={100} value={percent} aria-label={t("rounds.uploading", { percent })} /> {t("rounds.uploading", { percent })}
            </p>
          ) : null}
          <ErrorNotice error={error} />
          <div className="toolbar">
            <button type="button" className="button" disabled={pending} onClick={() => act("saveDraft")}>
              {t("rounds.levelSaveDraft")}
            </button>
            <button type="submit" className="button button-primary" disabled={pending} data-testid="level-submit">
              {t("rounds.levelSubmit")}
            </button>
          </div>
        </form>
      ) : (
        <>
          {r.draft !== null && r.status === "awaiting_sign_off" ? <ReportText {...r.draft} /> : null}
          <ErrorNotice error={error} />
        </>
      )}
      {r.allowedActions.includes("signOff") || r.allowedActions.includes("reject") ? (
        <div className="toolbar">
          {r.allowedActions.includes("signOff") ? (
            <button type="button" className="button button-primary" disabled={pending} onClick={() => signOff.mutate(ref)} data-testid="level-sign-off">
              {t("rounds.levelSignOff")}
            </button>
          ) : null}
          {r.allowedActions.includes("reject") ? (
            <button type="button" className="button" disabled={pending} onClick={() => setRejecting(true)}>
              {t("rounds.levelReject")}
            </button>
          ) : null}
        </div>
      ) : null}
      {r.submitted !== null ? (
        <details>
          <summary>{t("rounds.levelLastSubmitted", { at: format.dateTime(r.submitted.submittedAt) })}</summary>
          <ReportText progress={r.submitted.progress} problems={r.submitted.problems} nextSteps={r.submitted.nextSteps} />
        </details>
      ) : null}
      <ReasonDialog
        open={rejecting}
        title={t("rounds.levelReject")}
        onClose={() => setRejecting(false)}
        onSend={(reason) => reject.mutate({ ...ref, reason })}
        pending={reject.isPending}
        error={error}
      />
    </section>
  );
}

/** The level above: its children's reports to this round, their standing, signed-off text and compilation; return. */
function ChildLevelReports({ roundId }: { roundId: number }) {
  const { t } = useTranslation();
  const format = useFormat();
  const name = useName();
  const id = useId();
  const announce = useAnnounce();
  const queryClient = useQueryClient();
  const children = useQuery(trpc.round.childReports.queryOptions({ roundId }));
  const [returning, setReturning] = useState<Child | null>(null);
  const [error, setError] = useState<string | null>(null);
  const send = useMutation(
    trpc.round.levelReturn.mutationOptions({
      onSuccess: () => {
        announce(t("rounds.levelReturnedDone", { organisation: returning === null ? "" : name(returning.organisation) }), "success");
        setReturning(null);
        setError(null);
        void queryClient.invalidateQueries({ queryKey: trpc.round.pathKey() });
      },
      onError: (e) => setError(describeError(e)),
    }),
  );
  if (children.isError) return <QueryError error={children.error} onRetry={() => void children.refetch()} />;
  if (children.data === undefined || children.data.length === 0) return null;
  return (
    <section className="page" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{t("rounds.levelBelowTitle")}</h2>
      <p className="muted">{t("rounds.levelBelowIntro")}</p>
      <div className="table-wrap">
        <table className="data" data-testid="level-below">
          <thead>
            <tr>
              <th scope="col">{t("rounds.levelOrganisation")}</th>
              <th scope="col">{t("rounds.levelStandingHeader")}</th>
              <th scope="col">{t("rounds.levelSubmittedAt")}</th>
              <th scope="col">{t("rounds.levelContent")}</th>
              <th scope="col">{t("rounds.actions")}</th>
            </tr>
          </thead>
          <tbody>
            {children.data.map((c) => {
              const compilation = c.submitted?.compilation ?? null;
              const s = compilation?.statistics;
              return (
                <tr key={c.id} data-organisation={c.organisation.id} data-standing={c.standing}>
                  <th scope="row">{name(c.organisation)}</th>
                  <td>
                    {t(`rounds.levelStanding_${c.standing}`)}
                    {c.standing === "returned" && c.returnedReason !== null ? <p className="muted">{t("rounds.levelReturnedBecause", { reason: c.returnedReason })}</p> : null}
                  </td>
                  <td>{c.submitted === null ? "—" : format.dateTime(c.submitted.submittedAt)}</td>
                  <td>
                    {c.submitted === null ? null : (
                      <details>
                        <summary>{t("rounds.levelContent")}</summary>
                        <ReportText progress={c.submitted.progress} problems={c.submitted.problems} nextSteps={c.submitted.nextSteps} />
                        <LevelFiles files={c.files} />
                        {compilation !== null && s !== undefined ? (
                          <p>
                            {t("rounds.levelChildSummary", {
                              reported: format.number(s.reported + s.reportedLate),
                              total: format.number(s.total),
                              childrenReported: format.number(compilation.children.filter((x) => x.standing === "reported").length),
                              children: format.number(compilation.children.length),
                            })}
                          </p>
                        ) : null}
                        {compilation !== null ? <CompilationSummary compilation={compilation} /> : null}
                      </details>
                    )}
                  </td>
                  <td>
                    {c.allowedActions.includes("return") ? (
                      <button
                        type="button"
                        className="button button-small"
                        onClick={() => setReturning(c)}
                        aria-label={`${t("rounds.levelReturn")}: ${name(c.organisation)}`}
                      >
                        {t("rounds.levelReturn")}
                      </button>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <ReasonDialog
        open={returning !== null}
        title={returning === null ? t("rounds.levelReturn") : t("rounds.levelReturnFor", { organisation: name(returning.organisation) })}
        onClose={() => setReturning(null)}
        onSend={(reason) => {
          if (returning !== null) send.mutate({ levelReportId: returning.id, expectedVersion: returning.version, reason });
        }}
        pending={send.isPending}
        error={error}
      />
    </section>
  );
}
