import { assignmentStatuses, isBlankText } from "@countersign/domain";
import type { AssignmentActionType } from "@countersign/domain";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useId, useRef, useState } from "react";
import type { FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "wouter";
import { usePageTitle } from "../../app/usePageTitle.js";
import { LatenessBadge, MeasureStatusBadge, RoleBadge, StatusBadge } from "../../components/Badges.js";
import { ErrorNotice } from "../../components/ErrorNotice.js";
import { FileDrop, UploadProgress } from "../../components/FileDrop.js";
import { QueryError } from "../../components/QueryError.js";
import { useAnnounce } from "../../lib/announcer.js";
import { readDraft, useDraft, writeDraft } from "../../lib/drafts.js";
import { conflictStatus, describeError, isConflict, isExpiredSession } from "../../lib/errors.js";
import { useFormat } from "../../lib/format.js";
import { useIntentKeys } from "../../lib/idempotency.js";
import { trpc } from "../../trpc.js";
import { usePersonText } from "../people/person-text.js";
import type { RouterOutputs } from "../../trpc.js";
import { canReadAnyDepartment } from "../auth/session.js";
import type { SessionUser } from "../auth/session.js";
import { useDepartments } from "../catalog/departments.js";
import { measureHref, SectionName } from "../catalog/plan.js";
import { MeasureText } from "../measure/MeasureText.js";
import { isDialogAction, offeredActions, runAssignmentAction } from "./actions.js";
import type { ActionValues, DialogActionType } from "./actions.js";
import { ActionDialog } from "./ActionDialog.js";
import { CountersignStrip } from "./CountersignStrip.js";
import { History } from "./History.js";
import { Unavailable } from "./Unavailable.js";

type AssignmentView = RouterOutputs["assignment"]["get"];

const openDialogKey = (id: number) => `${id}.openDialog`;

export function AssignmentPage({ user, id: idParam }: { user: SessionUser; id: string }) {
  const id = Number(idParam);
  const valid = Number.isInteger(id) && id > 0;
  const { t } = useTranslation();
  const personText = usePersonText();
  const format = useFormat();
  const departments = useDepartments();
  const announce = useAnnounce();
  const queryClient = useQueryClient();
  const query = useQuery({ ...trpc.assignment.get.queryOptions({ id }), enabled: valid });
  // A dialog left open when the session expired is opened again after sign-in, with its drafts.
  const [dialog, setDialogState] = useState<DialogActionType | null>(() => {
    const stored = valid ? readDraft(openDialogKey(id)) : "";
    return isDialogAction(stored) ? stored : null;
  });
  // The version the person saw when they opened the dialog: if someone else acts meanwhile, the server
  // answers CONFLICT instead of applying a decision taken on a state that no longer holds.
  const [dialogVersion, setDialogVersion] = useState<number | null>(null);
  const [dialogError, setDialogError] = useState<string | null>(null);
  const [pageError, setPageError] = useState<string | null>(null);
  // One Idempotency-Key per intent: a double submission or a resend after a lost answer is answered once.
  const intents = useIntentKeys();
  // After an action, focus stays on what changed (the assignment's state), not the page top: the button pressed may
  // be gone once the state changes.
  const statusRef = useRef<HTMLElement>(null);
  // After an action the focus moves to the assignment's status, once the dialog has closed: a closing dialog gives the
  // focus back to its opener in the next animation frame (components/Dialog.tsx), so this asks for the frame after.
  const [focusStatus, setFocusStatus] = useState(0);

  const setDialog = useCallback(
    (action: DialogActionType | null, version: number | null = null) => {
      if (action !== null) intents.reset();
      setDialogState(action);
      setDialogVersion(version);
      setDialogError(null);
      writeDraft(openDialogKey(id), action ?? "");
    },
    [id, intents],
  );

  const data = query.data;
  // Opened: the caller's notices of it are read, and for the department's liaison the inbox's mark (the server decides).
  const markRead = useMutation(trpc.inbox.markRead.mutationOptions());
  const readFor = data !== undefined ? data.assignment.id : null;
  const markReadNow = markRead.mutate;
  useEffect(() => {
    if (readFor === null) return;
    markReadNow(
      { assignmentId: readFor },
      {
        onSuccess: () => {
          void queryClient.invalidateQueries({ queryKey: trpc.notification.pathKey() });
          void queryClient.invalidateQueries({ queryKey: trpc.inbox.list.pathKey() });
          void queryClient.invalidateQueries({ queryKey: trpc.inbox.plans.pathKey() });
        },
      },
    );
  }, [readFor, data?.assignment.version, markReadNow, queryClient]);
  const measureLabel = data ? `${t("measure.number", { number: data.measure.number })} ${data.measure.title}` : t("assignment.title");
  usePageTitle(measureLabel);

  const refresh = useCallback(async () => {
    await queryClient.invalidateQueries({ queryKey: trpc.assignment.get.queryKey({ id }) });
    void queryClient.invalidateQueries({ queryKey: trpc.inbox.list.pathKey() });
  }, [queryClient, id]);

  // The percentage of files sent while an action with files is under way.
  const [uploadPercent, setUploadPercent] = useState<number | null>(null);
  const act = useMutation({
    mutationFn: async (input: { action: AssignmentActionType; values: ActionValues; version: number; key: string }) => {
      const withFiles = (input.values.files?.length ?? 0) > 0;
      if (withFiles) setUploadPercent(0);
      try {
        const answer = await runAssignmentAction(input.action, { id, expectedVersion: input.version }, input.values, input.key, (f) =>
          setUploadPercent(Math.round(f * 100)),
        );
        // The page shows the new version before the actions are offered again: a next action sent with the version
        // read before this one would be refused as a conflict with oneself (a slow network made that visible).
        await refresh();
        return answer;
      } finally {
        if (withFiles) setUploadPercent(null);
      }
    },
  });

  useEffect(() => {
    if (focusStatus === 0 || dialog !== null) return;
    const frame = requestAnimationFrame(() => statusRef.current?.focus());
    return () => cancelAnimationFrame(frame);
  }, [focusStatus, dialog]);

  function perform(action: AssignmentActionType, values: ActionValues, version: number, onSuccess?: () => void) {
    setPageError(null);
    setDialogError(null);
    const key = intents.keyFor({ id, action, version, values });
    act.mutate(
      { action, values, version, key },
      {
        onSuccess: () => {
          intents.reset();
          onSuccess?.();
          if (isDialogAction(action)) setDialog(null);
          announce(action === "comment" ? t("comments.sent") : t("assignment.done", { action: t(`action.${action}`) }), "success");
          if (action !== "comment") setFocusStatus((n) => n + 1);
        },
        onError: async (error) => {
          if (isExpiredSession(error)) return; // handled globally: back to sign-in, drafts kept
          if (isConflict(error)) {
            // Someone else acted first: explain, show the current state, keep what was typed.
            setDialogState(null);
            writeDraft(openDialogKey(id), "");
            const fresh = await query.refetch();
            const status = fresh.data?.assignment.status ?? conflictStatus(error);
            const known = assignmentStatuses.find((s) => s === status);
            const text = known ? t("assignment.conflict", { status: t(`status.${known}`) }) : t("assignment.conflictNoStatus");
            // The page's notice (role="alert", beside the actions) says it, once: a toast as well was read out twice.
            setPageError(text);
            void queryClient.invalidateQueries({ queryKey: trpc.inbox.list.pathKey() });
            return;
          }
          const text = t("assignment.refused", { message: describeError(error) });
          if (isDialogAction(action)) setDialogError(text);
          else setPageError(text);
        },
      },
    );
  }

  if (!valid) return <QueryError error={new Error(t("assignment.notFound"))} />;
  if (query.isError) {
    return (
      <section className="page">
        <h1>{t("assignment.title")}</h1>
        <QueryError error={query.error} onRetry={() => void query.refetch()} />
      </section>
    );
  }
  if (!data) return <p className="loading">{t("app.loading")}</p>;

  const { assignment, measure } = data;
  const allowed = offeredActions.filter((a) => data.allowedActions.includes(a));
  const canComment = data.allowedActions.includes("comment");
  const readOnly = allowed.length === 0 && !canComment && canReadAnyDepartment(user) && user.role !== "coordinator";
  const unavailable = [assignment.department, ...data.others.filter((o) => o.status !== "withdrawn").map((o) => o.department)];

  return (
    <article className="assignment-page" aria-labelledby="assignment-title" data-assignment-id={assignment.id} data-status={assignment.status}>
      <nav className="breadcrumbs" aria-label={t("app.breadcrumbs")}>
        <Link href={`/inbox/${assignment.department}`}>{t("inbox.titleFor", { department: departments.full(assignment.department) })}</Link>
        {canReadAnyDepartment(user) ? (
          <>
            {" · "}
            <Link href={measureHref(measure.number, assignment.planId)}>{t("assignment.openMeasure")}</Link>
          </>
        ) : null}
      </nav>
      <div className="two-columns">
        <div>
          <section className="page">
            <h1 id="assignment-title">
              {t("measure.number", { number: measure.number })} {measure.title}
            </h1>
            {data.access === "past_holder" ? (
              <p className="notice" role="note" data-testid="past-holder">
                {t("assignment.pastHolder")}
              </p>
            ) : null}
            <dl className="facts">
              <dt>{t("measure.sectionLabel")}</dt>
              <dd>
                <SectionName planId={assignment.planId} section={measure.sectionNumber} />
              </dd>
              <dt>{t("measure.status")}</dt>
              <dd>
                <MeasureStatusBadge status={measure.status} />
              </dd>
              <dt>{t("assignment.department")}</dt>
              <dd>{departments.full(assignment.department)}</dd>
              <dt>{t("assignment.role")}</dt>
              <dd>
                <RoleBadge role={assignment.role} />
              </dd>
              <dt>{t("assignment.status")}</dt>
              <dd ref={statusRef} tabIndex={-1} id="assignment-status" data-testid="assignment-status">
                <StatusBadge status={assignment.status} />
              </dd>
              <dt>{t("assignment.due")}</dt>
              <dd>
                {format.dueDate(assignment.dueDate)} <LatenessBadge lateness={assignment.lateness} />
              </dd>
              {assignment.pendingApproval ? (
                <>
                  <dt>{t("assignment.awaitingApproval")}</dt>
                  <dd data-testid="pending-approval">
                    {assignment.pendingApproval.kind === "signOff"
                      ? t("assignment.pendingSignOff", { summary: assignment.pendingApproval.summary })
                      : t("assignment.pendingExtensionDraft", {
                          until: format.dueDate(assignment.pendingApproval.until),
                          reason: assignment.pendingApproval.reason,
                        })}
                  </dd>
                </>
              ) : null}
              {assignment.pendingExtension ? (
                <>
                  <dt>{t("action.requestExtension")}</dt>
                  <dd>
                    {t("assignment.pendingExtension", {
                      until: format.dueDate(assignment.pendingExtension.until),
                      reason: assignment.pendingExtension.reason,
                    })}
                  </dd>
                </>
              ) : null}
            </dl>
            <MeasureText measure={measure} />
          </section>

          <section className="page" aria-labelledby="strip-title">
            <h2 id="strip-title">{t("assignment.strip")}</h2>
            <CountersignStrip
              current={{ id: assignment.id, department: assignment.department, role: assignment.role, status: assignment.status, lateness: assignment.lateness }}
              others={data.others}
              linkOthers={canReadAnyDepartment(user)}
            />
          </section>
        </div>

        <div>
          <section className="page" aria-labelledby="actions-title">
            <h2 id="actions-title">{t("assignment.actions")}</h2>
            <ErrorNotice error={pageError} testId="page-error" />
            {allowed.length > 0 ? (
              <div className="actions">
                {allowed.map((action) => (
                  <button
                    key={action}
                    type="button"
                    className={`button ${action === "accept" || action === "signOff" || action === "approve" ? "button-primary" : ""} ${action === "withdraw" || action === "decline" ? "button-danger" : ""}`}
                    disabled={act.isPending}
                    onClick={() => (isDialogAction(action) ? setDialog(action, assignment.version) : perform(action, {}, assignment.version))}
                  >
                    {t(`action.${action}`)}
                  </button>
                ))}
              </div>
            ) : (
              <p className="muted">{readOnly ? t("assignment.readOnly") : t("assignment.noActions")}</p>
            )}
            {readOnly ? null : <Unavailable availability={data.actionAvailability} order={offeredActions} status={assignment.status} />}
          </section>

          <section className="page" aria-labelledby="comments-title">
            <h2 id="comments-title">{t("assignment.comments")}</h2>
            {data.comments.length === 0 ? <p className="muted">{t("assignment.noComments")}</p> : null}
            <ul className="comments">
              {data.comments.map((c) => (
                <li key={c.id}>
                  <p className="muted">
                    {t("assignment.by", { actor: personText(c.authorPerson, c.author), department: c.authorDepartment ? departments.short(c.authorDepartment) : t("common.none") })} ·{" "}
                    <time dateTime={c.at}>{format.dateTime(c.at)}</time>
                  </p>
                  <p className="comment-body">{c.body}</p>
                </li>
              ))}
            </ul>
            {canComment ? (
              <CommentForm
                assignmentId={assignment.id}
                pending={act.isPending}
                uploadPercent={uploadPercent}
                onSend={(body, files, clear) => perform("comment", { body, files }, assignment.version, clear)}
              />
            ) : null}
          </section>

          <section className="page" aria-labelledby="history-title">
            <h2 id="history-title">{t("assignment.history")}</h2>
            <History
              events={data.history.map((e) => ({
                id: e.id,
                at: e.at,
                type: e.type,
                from: e.from,
                to: e.to,
                actor: personText(e.actor.person, e.actor.username),
                department: e.actor.department,
                payload: e.payload,
                files: e.files,
              }))}
            />
          </section>
        </div>
      </div>

      {dialog ? (
        <ActionDialog
          action={dialog}
          assignment={{ id: assignment.id, version: dialogVersion ?? assignment.version }}
          department={assignment.department}
          unavailableDepartments={unavailable}
          pending={act.isPending}
          uploadPercent={uploadPercent}
          serverError={dialogError}
          onClose={() => setDialog(null)}
          onSubmit={(values, clearDrafts) => perform(dialog, values, dialogVersion ?? assignment.version, clearDrafts)}
        />
      ) : null}
    </article>
  );
}

function CommentForm({
  assignmentId,
  pending,
  uploadPercent,
  onSend,
}: {
  assignmentId: number;
  pending: boolean;
  uploadPercent: number | null;
  onSend: (body: string, files: readonly File[], clear: () => void) => void;
}) {
  const { t } = useTranslation();
  const [body, setBody, clearBody] = useDraft(`${assignmentId}.comment.body`);
  const [files, setFiles] = useState<File[]>([]);
  const clear = () => {
    clearBody();
    setFiles([]);
  };
  const id = useId();
  const [empty, setEmpty] = useState(false);
  useEffect(() => setEmpty(false), [body]);
  function submit(event: FormEvent) {
    event.preventDefault();
    if (isBlankText(body)) {
      setEmpty(true);
      return;
    }
    onSend(body, files, clear);
  }
  return (
    <form onSubmit={submit} noValidate>
      <div className="field">
        <label htmlFor={id}>{t("comments.add")}</label>
        <textarea id={id} value={body} maxLength={4000} aria-invalid={empty || undefined} onChange={(e) => setBody(e.target.value)} />
      </div>
      {empty ? (
        <p className="field-error" role="alert">
          {t("dialog.missing", { field: t("field.body") })}
        </p>
      ) : null}
      <FileDrop files={files} onChange={setFiles} disabled={pending} />
      <UploadProgress percent={uploadPercent} />
      <button type="submit" className="button" disabled={pending}>
        {t("comments.send")}
      </button>
    </form>
  );
}

export type { AssignmentView };
