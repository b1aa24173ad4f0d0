import type { DepartmentCode } from "@countersign/domain";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState } from "react";
import type { FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "wouter";
import { LatenessBadge, RoleBadge } from "../../components/Badges.js";
import { Dialog } from "../../components/Dialog.js";
import { QueryError } from "../../components/QueryError.js";
import { useAnnounce } from "../../lib/announcer.js";
import { useDraft } from "../../lib/drafts.js";
import { describeError, isConflict, isExpiredSession } from "../../lib/errors.js";
import { useFormat } from "../../lib/format.js";
import { useIntentKeys } from "../../lib/idempotency.js";
import { trpc } from "../../trpc.js";
import type { RouterOutputs } from "../../trpc.js";
import { ActionDialog } from "../assignment/ActionDialog.js";
import { runAssignmentAction } from "../assignment/actions.js";
import type { ActionValues, DialogActionType } from "../assignment/actions.js";
import { useDepartments } from "../catalog/departments.js";
import { measureHref, usePlanId } from "../catalog/plan.js";

type Overview = RouterOutputs["tracking"]["overview"];

/** After any queue action: the grid, the queues and inboxes all change. */
function useRefreshTracking() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.tracking.pathKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.inbox.pathKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.assignment.pathKey() }),
    ]);
}

/** A button that opens the action's dialog and sends it; conflicts and refusals are explained. */
function QueueAction({
  action,
  assignment,
  unavailable = [],
  label,
}: {
  action: DialogActionType;
  assignment: { id: number; version: number };
  unavailable?: readonly DepartmentCode[];
  label: string;
}) {
  const { t } = useTranslation();
  const announce = useAnnounce();
  const refresh = useRefreshTracking();
  const [open, setOpen] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // One Idempotency-Key per opening of the dialog and request: pressing again after a lost answer is answered once.
  const intents = useIntentKeys();
  const buttonRef = useRef<HTMLButtonElement>(null);
  // Set once an action succeeded: when the item then leaves its queue (reassigned, decided), focus goes to the queue
  // instead of falling to the page top with the removed button.
  const doneIn = useRef<Element | null>(null);
  useEffect(
    () => () => {
      const queue = doneIn.current;
      if (queue === null) return;
      requestAnimationFrame(() => {
        const active = document.activeElement;
        if (active !== null && active !== document.body && active.id !== "main" && active.isConnected) return;
        const heading = queue.isConnected ? queue.querySelector("h3") : null;
        if (heading instanceof HTMLElement) {
          heading.tabIndex = -1;
          heading.focus();
        }
      });
    },
    [],
  );

  async function submit(values: ActionValues, clearDrafts: () => void) {
    setPending(true);
    setError(null);
    const ref = { id: assignment.id, expectedVersion: assignment.version };
    // The queue this item is in: when the item leaves it (reassigned, decided), focus stays in the queue, not the page top.
    const queue = buttonRef.current?.closest("section.queue") ?? null;
    try {
      await runAssignmentAction(action, ref, values, intents.keyFor({ action, ref, values }));
      intents.reset();
      clearDrafts();
      doneIn.current = queue;
      setOpen(false);
      announce(t("assignment.done", { action: t(`action.${action}`) }), "success");
    } catch (e) {
      if (isExpiredSession(e)) return;
      if (isConflict(e)) {
        setOpen(false);
        announce(t("assignment.conflictNoStatus"), "error");
      } else {
        setError(t("assignment.refused", { message: describeError(e) }));
      }
    } finally {
      setPending(false);
      void refresh();
    }
  }

  return (
    <>
      <button
        ref={buttonRef}
        type="button"
        className="button button-small"
        onClick={() => {
          intents.reset();
          setOpen(true);
        }}
      >
        {label}
      </button>
      {open ? (
        <ActionDialog
          action={action}
          assignment={assignment}
          unavailableDepartments={unavailable}
          pending={pending}
          serverError={error}
          onClose={() => setOpen(false)}
          onSubmit={(values, clear) => void submit(values, clear)}
        />
      ) : null}
    </>
  );
}

function MeasureLink({ number, title }: { number: number; title: string }) {
  const { t } = useTranslation();
  const { planId } = usePlanId();
  return (
    <Link href={measureHref(number, planId)}>
      {t("measure.number", { number })} <span lang="en">{title}</span>
    </Link>
  );
}

/** Declined assignments: reassign to another department, or reaffirm with a note. From the overview, reasons included. */
export function DeclinedQueue({ overview, canAct }: { overview: Overview; canAct: boolean }) {
  const { t } = useTranslation();
  const departments = useDepartments();
  const rows = overview.measures.flatMap((m) =>
    m.assignments
      .filter((a) => a.status === "declined")
      .map((a) => ({
        ...a,
        measureNumber: m.number,
        measureTitle: m.title,
        // Reassigning may not choose a department already responsible for the measure.
        unavailable: m.assignments.filter((o) => o.status !== "withdrawn").map((o) => o.department),
      })),
  );
  return (
    <section className="queue" aria-labelledby="queue-declined" data-testid="queue-declined">
      <h3 id="queue-declined">
        {t("tracking.declinedQueue")} <span className="count">{rows.length}</span>
      </h3>
      {rows.length === 0 ? <p className="muted">{t("tracking.emptyQueue")}</p> : null}
      {rows.map((row) => (
        <div className="queue-item" key={row.id} data-assignment-id={row.id}>
          <p>
            <MeasureLink number={row.measureNumber} title={row.measureTitle} />
          </p>
          <p>
            <Link href={`/assignments/${row.id}`}>{departments.full(row.department)}</Link> <RoleBadge role={row.role} />
          </p>
          {row.declineReason ? (
            <p>
              <span className="muted">{t("tracking.declinedReason")}: </span>
              {row.declineReason}
            </p>
          ) : null}
          {canAct ? (
            <div className="row-actions">
              <QueueAction action="reassign" assignment={row} unavailable={row.unavailable} label={t("action.reassign")} />
              <QueueAction action="reaffirm" assignment={row} label={t("action.reaffirm")} />
            </div>
          ) : null}
        </div>
      ))}
    </section>
  );
}

/** Extension requests awaiting the lead ministry's decision, with what was asked, from the overview. */
export function ExtensionQueue({ overview, canAct }: { overview: Overview; canAct: boolean }) {
  const { t } = useTranslation();
  const pending = overview.measures.flatMap((m) =>
    m.assignments.filter((a) => a.extensionPending).map((a) => ({ ...a, measureNumber: m.number, measureTitle: m.title })),
  );
  return (
    <section className="queue" aria-labelledby="queue-extension" data-testid="queue-extension">
      <h3 id="queue-extension">
        {t("tracking.extensionQueue")} <span className="count">{pending.length}</span>
      </h3>
      {pending.length === 0 ? <p className="muted">{t("tracking.emptyQueue")}</p> : null}
      {pending.map((a) => (
        <ExtensionItem key={a.id} item={a} canAct={canAct} />
      ))}
    </section>
  );
}

type TrackedAssignment = Overview["measures"][number]["assignments"][number];

function ExtensionItem({
  item,
  canAct,
}: {
  item: TrackedAssignment & { measureNumber: number; measureTitle: string };
  canAct: boolean;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const departments = useDepartments();
  const request = item.pendingExtension;
  return (
    <div className="queue-item" data-assignment-id={item.id}>
      <p>
        <MeasureLink number={item.measureNumber} title={item.measureTitle} />
      </p>
      <p>
        <Link href={`/assignments/${item.id}`}>{departments.full(item.department)}</Link>
      </p>
      <p>
        <span className="muted">{t("tracking.currentDue")}: </span>
        {format.dueDate(item.dueDate)}
        {request ? (
          <>
            {" · "}
            <span className="muted">{t("tracking.requestedUntil")}: </span>
            {format.dueDate(request.until)}
          </>
        ) : null}
      </p>
      {request ? <p>{request.reason}</p> : null}
      {request?.requestedAt ? (
        <p className="muted">{t("tracking.requestedAt", { time: format.dateTime(request.requestedAt) })}</p>
      ) : null}
      {canAct ? (
        <div className="row-actions">
          <QueueAction action="decideExtension" assignment={item} label={t("action.decideExtension")} />
        </div>
      ) : null}
    </div>
  );
}

/** Overdue assignments: remind one, or select several and remind them in turn, with progress shown. */
export function OverdueQueue({ planId, canAct }: { planId: number; canAct: boolean }) {
  const { t } = useTranslation();
  const format = useFormat();
  const departments = useDepartments();
  const overdue = useQuery(trpc.tracking.overdue.queryOptions({ planId }));
  const items = overdue.data ?? [];
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());
  const [bulkOpen, setBulkOpen] = useState(false);
  const chosen = items.filter((i) => selected.has(i.id));
  const allSelected = items.length > 0 && chosen.length === items.length;

  function toggle(id: number, on: boolean) {
    const next = new Set(selected);
    if (on) next.add(id);
    else next.delete(id);
    setSelected(next);
  }

  return (
    <section className="queue queue-wide" aria-labelledby="queue-overdue" data-testid="queue-overdue">
      <h3 id="queue-overdue">
        {t("tracking.overdueQueue")} <span className="count">{items.length}</span>
      </h3>
      {overdue.isError ? <QueryError error={overdue.error} /> : null}
      {overdue.data && items.length === 0 ? <p className="muted">{t("tracking.emptyQueue")}</p> : null}
      {canAct && items.length > 0 ? (
        <div className="row-actions">
          <label className="field-inline">
            <input
              type="checkbox"
              checked={allSelected}
              onChange={(e) => setSelected(e.target.checked ? new Set(items.map((i) => i.id)) : new Set())}
            />
            {t("tracking.remindAll")}
          </label>
          <button type="button" className="button button-small" disabled={chosen.length === 0} onClick={() => setBulkOpen(true)}>
            {t("tracking.remindSelected", { n: format.number(chosen.length) })}
          </button>
        </div>
      ) : null}
      {items.length > 0 ? (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                {canAct ? (
                  <th scope="col">
                    <span className="visually-hidden">{t("tracking.selectColumn")}</span>
                  </th>
                ) : null}
                <th scope="col">{t("inbox.columns.measure")}</th>
                <th scope="col">{t("assignment.department")}</th>
                <th scope="col">{t("inbox.columns.due")}</th>
                <th scope="col">{t("inbox.columns.lateness")}</th>
                <th scope="col">{t("tracking.lastRemindedColumn")}</th>
                {canAct ? (
                  <th scope="col">
                    <span className="visually-hidden">{t("assignment.actions")}</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {items.map((item) => {
                const label = `${t("measure.number", { number: item.measureNumber })} ${departments.short(item.department)}`;
                return (
                  <tr key={item.id} data-assignment-id={item.id}>
                    {canAct ? (
                      <td>
                        <input
                          type="checkbox"
                          aria-label={t("tracking.select", { label })}
                          checked={selected.has(item.id)}
                          onChange={(e) => toggle(item.id, e.target.checked)}
                        />
                      </td>
                    ) : null}
                    <td>
                      <MeasureLink number={item.measureNumber} title={item.measureTitle} />
                    </td>
                    <td>
                      <Link href={`/assignments/${item.id}`}>{departments.full(item.department)}</Link>
                    </td>
                    <td className="nowrap">{format.dueDate(item.dueDate)}</td>
                    <td>
                      <LatenessBadge lateness={item.lateness} />{" "}
                      <span className="muted">{t("tracking.daysLate", { n: format.number(item.daysLate) })}</span>
                    </td>
                    <td>{item.lastRemindedAt ? format.dateTime(item.lastRemindedAt) : t("common.none")}</td>
                    {canAct ? (
                      <td>
                        <QueueAction action="remind" assignment={item} label={t("action.remind")} />
                      </td>
                    ) : null}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
      {bulkOpen ? (
        <BulkRemindDialog
          items={chosen}
          onClose={() => {
            setBulkOpen(false);
            setSelected(new Set());
          }}
        />
      ) : null}
    </section>
  );
}

/** Reminds each selected assignment in turn and shows how far it has got; failures are counted, not hidden. */
function BulkRemindDialog({ items, onClose }: { items: ReadonlyArray<{ id: number; version: number }>; onClose: () => void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const announce = useAnnounce();
  const refresh = useRefreshTracking();
  const [message, setMessage, clearMessage] = useDraft("bulk-remind.message");
  const [progress, setProgress] = useState<{ done: number; failed: number; running: boolean } | null>(null);
  const id = useId();

  async function run(event: FormEvent) {
    event.preventDefault();
    let done = 0;
    let failed = 0;
    setProgress({ done, failed, running: true });
    for (const item of items) {
      try {
        // Each reminder its own intent, with its own key.
        await runAssignmentAction("remind", { id: item.id, expectedVersion: item.version }, { message }, crypto.randomUUID());
        done += 1;
      } catch (e) {
        if (isExpiredSession(e)) return;
        failed += 1;
      }
      setProgress({ done, failed, running: true });
    }
    setProgress({ done, failed, running: false });
    clearMessage();
    const summary = t("tracking.reminded", { done: format.number(done), total: format.number(items.length) });
    announce(failed > 0 ? `${summary} ${t("tracking.remindFailed", { failed: format.number(failed) })}` : summary, failed > 0 ? "error" : "success");
    void refresh();
  }

  const total = items.length;
  const running = progress?.running ?? false;
  return (
    <Dialog open title={t("tracking.remindSelected", { n: format.number(total) })} onClose={() => (running ? undefined : onClose())}>
      {() => (
        <form onSubmit={(e) => void run(e)} noValidate>
          <p className="muted">{t("dialog.hint.remind")}</p>
          <div className="field">
            <label htmlFor={id}>{t("field.message")}</label>
            <textarea id={id} value={message} maxLength={4000} onChange={(e) => setMessage(e.target.value)} disabled={progress !== null} />
          </div>
          {progress ? (
            <div role="status" aria-live="polite" data-testid="bulk-progress">
              <progress max={total} value={progress.done + progress.failed} aria-label={t("action.remind")} />
              <p>
                {running
                  ? t("tracking.reminding", { done: format.number(progress.done + progress.failed), total: format.number(total) })
                  : t("tracking.reminded", { done: format.number(progress.done), total: format.number(total) })}
                {progress.failed > 0 ? ` ${t("tracking.remindFailed", { failed: format.number(progress.failed) })}` : ""}
              </p>
            </div>
          ) : null}
          <div className="dialog-actions">
            <button type="button" className="button" onClick={onClose} disabled={running}>
              {progress && !running ? t("dialog.close") : t("dialog.cancel")}
            </button>
            {progress === null ? (
              <button type="submit" className="button button-primary">
                {t("action.remind")}
              </button>
            ) : null}
          </div>
        </form>
      )}
    </Dialog>
  );
}
