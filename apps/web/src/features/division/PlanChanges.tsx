import { planCalendarDate } from "@countersign/domain";
import type { DepartmentCode } from "@countersign/domain";
import { useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import type { FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Dialog } from "../../components/Dialog.js";
import { ErrorNotice } from "../../components/ErrorNotice.js";
import { useAnnounce } from "../../lib/announcer.js";
import { describeError, isExpiredSession } from "../../lib/errors.js";
import { idempotent, useIntentKeys } from "../../lib/idempotency.js";
import { trpcClient } from "../../trpc.js";
import { useDepartments } from "../catalog/departments.js";

/** The changes of an issued measure the coordinator can make (plan-change.ts in the domain has the rules). */
export const measureChanges = ["changeDeadline", "addSupporting", "removeSupporting", "changeLead"] as const;
export type MeasureChange = (typeof measureChanges)[number];

const isPastDate = (value: string): boolean => /^\d{4}-\d{2}-\d{2}$/.test(value) && value < planCalendarDate(new Date());

/**
 * Changing one measure of an issued plan: its deadline, a supporting department added or removed, another lead. Each
 * is audited and shown to the departments concerned (history and unread notice). Focus goes back to the measure's
 * "Change" button when the dialog closes, so the keyboard stays on the item changed.
 */
export function MeasureChangeDialog({
  planId,
  measureNumber,
  lead,
  supporting,
  members,
  onClose,
}: {
  planId: number;
  measureNumber: number;
  lead: DepartmentCode | null;
  supporting: readonly DepartmentCode[];
  members: readonly DepartmentCode[];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const departments = useDepartments();
  const announce = useAnnounce();
  const queryClient = useQueryClient();
  const intents = useIntentKeys();
  const [change, setChange] = useState<MeasureChange>("changeDeadline");
  const [dueDate, setDueDate] = useState("");
  const [ongoing, setOngoing] = useState(false);
  const [backdated, setBackdated] = useState(false);
  const [department, setDepartment] = useState("");
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const ids = { change: useId(), date: useId(), ongoing: useId(), backdated: useId(), department: useId(), text: useId() };

  const responsible = new Set([...(lead === null ? [] : [lead]), ...supporting]);
  const choices: readonly DepartmentCode[] =
    change === "removeSupporting" ? supporting : change === "changeLead" ? members.filter((d) => d !== lead) : members.filter((d) => !responsible.has(d));
  const due = ongoing ? "ongoing" : dueDate;
  const past = !ongoing && isPastDate(dueDate);
  const textRequired = change === "removeSupporting" || change === "changeLead";
  const needsDepartment = change !== "changeDeadline";
  const showsDate = change !== "removeSupporting";

  async function submit(event: FormEvent) {
    event.preventDefault();
    const missing: string[] = [];
    if (needsDepartment && department === "") missing.push(t("planChange.department"));
    if (change === "changeDeadline" && due === "") missing.push(t("due.label"));
    if (textRequired && text.trim() === "") missing.push(t("field.reason"));
    if (missing.length > 0) {
      setError(t("dialog.missing", { field: missing.join(", ") }));
      return;
    }
    if (change === "changeDeadline" && past && !backdated) {
      setError(t("division.pastDeadline"));
      return;
    }
    setPending(true);
    setError(null);
    const ref = { planId, measureNumber };
    const dated = due === "" ? {} : { dueDate: due };
    try {
      const key = intents.keyFor({ change, ref, due, department, text, backdated });
      const o = { context: idempotent(key) };
      const p = trpcClient.plan;
      if (change === "changeDeadline") await p.changeDeadline.mutate({ ...ref, dueDate: due, note: text.trim(), backdated: past && backdated }, o);
      else if (change === "addSupporting") await p.addSupporting.mutate({ ...ref, department, note: text.trim(), ...dated }, o);
      else if (change === "removeSupporting") await p.removeSupporting.mutate({ ...ref, department, reason: text.trim() }, o);
      else await p.changeLead.mutate({ ...ref, department, reason: text.trim(), ...dated }, o);
      announce(t("planChange.done", { change: t(`planChange.kind.${change}`), number: measureNumber }), "success");
      await queryClient.invalidateQueries();
      onClose();
    } catch (e) {
      if (!isExpiredSession(e)) setError(t("assignment.refused", { message: describeError(e) }));
    } finally {
      setPending(false);
    }
  }

  return (
    <Dialog open title={t("planChange.title", { number: measureNumber })} onClose={onClose}>
      {() => (
        <form onSubmit={(e) => void submit(e)} noValidate>
          <p className="muted">{t("planChange.hint")}</p>
          <div className="field">
            <label htmlFor={ids.change}>{t("planChange.what")}</label>
            <select
              id={ids.change}
              value={change}
              onChange={(e) => {
                setChange(e.target.value as MeasureChange);
                setDepartment("");
                setError(null);
              }}
            >
              {measureChanges.map((c) => (
                <option key={c} value={c} disabled={c === "removeSupporting" && supporting.length === 0}>
                  {t(`planChange.kind.${c}`)}
                </option>
              ))}
            </select>
          </div>
          {needsDepartment ? (
            <div className="field">
              <label htmlFor={ids.department}>
                {t("planChange.department")}
                <span className="required-mark">({t("field.required")})</span>
              </label>
              <select id={ids.department} value={department} onChange={(e) => setDepartment(e.target.value)}>
                <option value="">{t("field.chooseDepartment")}</option>
                {choices.map((d) => (
                  <option key={d} value={d}>
                    {departments.full(d)}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
          {showsDate ? (
            <fieldset className="field">
              <legend>
                {t("due.label")}
                {change === "changeDeadline" ? <span className="required-mark">({t("field.required")})</span> : <span className="muted"> ({t("planChange.optionalDate")})</span>}
              </legend>
              <label htmlFor={ids.date} className="visually-hidden">
                {t("division.dueDateLabel")}
              </label>
              <input id={ids.date} type="date" value={dueDate} disabled={ongoing} onChange={(e) => setDueDate(e.target.value)} />
              <label className="field-inline">
                <input id={ids.ongoing} type="checkbox" checked={ongoing} onChange={(e) => setOngoing(e.target.checked)} />
                {t("division.dueOngoing")}
              </label>
              {change === "changeDeadline" && past ? (
                <label className="field-inline">
                  <input id={ids.backdated} type="checkbox" checked={backdated} onChange={(e) => setBackdated(e.target.checked)} />
                  {t("division.confirmBackdated")}
                </label>
              ) : null}
            </fieldset>
          ) : null}
          <div className="field">
            <label htmlFor={ids.text}>
              {textRequired ? t("field.reason") : t("field.note")}
              {textRequired ? <span className="required-mark">({t("field.required")})</span> : null}
            </label>
            <textarea id={ids.text} value={text} maxLength={4000} onChange={(e) => setText(e.target.value)} />
          </div>
          <ErrorNotice error={error} />
          <div className="dialog-actions">
            <button type="button" className="button" onClick={onClose}>
              {t("dialog.cancel")}
            </button>
            <button type="submit" className="button button-primary" disabled={pending}>
              {pending ? t("dialog.sending") : t(`planChange.kind.${change}`)}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}

/** 撤销: withdrawing the whole issued plan, with a reason, after a confirmation. */
export function WithdrawPlan({ planId }: { planId: number }) {
  const { t } = useTranslation();
  const announce = useAnnounce();
  const queryClient = useQueryClient();
  const intents = useIntentKeys();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const reasonId = useId();
  const headingId = useId();

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (reason.trim() === "") {
      setError(t("dialog.missing", { field: t("field.reason") }));
      return;
    }
    setPending(true);
    try {
      const input = { planId, reason: reason.trim() };
      await trpcClient.plan.withdraw.mutate(input, { context: idempotent(intents.keyFor(input)) });
      announce(t("planChange.withdrawn"), "success");
      await queryClient.invalidateQueries();
      setOpen(false);
    } catch (e) {
      if (!isExpiredSession(e)) setError(t("assignment.refused", { message: describeError(e) }));
    } finally {
      setPending(false);
    }
  }

  return (
    <section className="page" aria-labelledby={headingId}>
      <h2 id={headingId}>{t("planChange.withdrawTitle")}</h2>
      <p>{t("planChange.withdrawIntro")}</p>
      <button type="button" className="button button-danger" onClick={() => setOpen(true)}>
        {t("planChange.withdraw")}
      </button>
      {open ? (
        <Dialog open title={t("planChange.withdrawTitle")} onClose={() => setOpen(false)}>
          {() => (
            <form onSubmit={(e) => void submit(e)} noValidate>
              <p>{t("planChange.withdrawIntro")}</p>
              <div className="field">
                <label htmlFor={reasonId}>
                  {t("field.reason")}
                  <span className="required-mark">({t("field.required")})</span>
                </label>
                <textarea id={reasonId} value={reason} maxLength={4000} onChange={(e) => setReason(e.target.value)} />
              </div>
              <ErrorNotice error={error} />
              <div className="dialog-actions">
                <button type="button" className="button" onClick={() => setOpen(false)}>
                  {t("dialog.cancel")}
                </button>
                <button type="submit" className="button button-danger" disabled={pending}>
                  {pending ? t("dialog.sending") : t("planChange.withdraw")}
                </button>
              </div>
            </form>
          )}
        </Dialog>
      ) : null}
    </section>
  );
}
