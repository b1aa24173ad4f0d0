import { actionTakesFiles } from "@countersign/domain";
import type { DepartmentCode } from "@countersign/domain";
import { useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import type { FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Dialog } from "../../components/Dialog.js";
import { ErrorNotice } from "../../components/ErrorNotice.js";
import { FileDrop, UploadProgress } from "../../components/FileDrop.js";
import { useDraft } from "../../lib/drafts.js";
import { useFormat } from "../../lib/format.js";
import { trpc } from "../../trpc.js";
import { useDepartments } from "../catalog/departments.js";
import { usePersonText } from "../people/person-text.js";
import { dialogFields, invalidFields, isRequiredField } from "./actions.js";
import type { ActionField, ActionValues, DialogActionType } from "./actions.js";

const fieldLabelKey = {
  reason: "field.reason",
  note: "field.note",
  summary: "field.summary",
  until: "field.until",
  message: "field.message",
  body: "field.body",
  toDepartment: "field.toDepartment",
  approve: "field.decision",
  dueDate: "field.dueDate",
  handler: "field.handler",
} as const satisfies Record<ActionField, string>;

export interface ActionDialogProps {
  action: DialogActionType;
  assignment: { id: number; version: number };
  /** The assignment's department: 分办 chooses among its divisions' handlers (needed for that action only). */
  department?: DepartmentCode | undefined;
  /** Departments that may not be chosen when reassigning (already responsible for the measure). */
  unavailableDepartments: readonly DepartmentCode[];
  pending: boolean;
  /** While files are sent: the percentage sent so far. */
  uploadPercent?: number | null;
  /** A refusal or failure from the server, shown inside the dialog. */
  serverError: string | null;
  onSubmit: (values: ActionValues, clearDrafts: () => void) => void;
  onClose: () => void;
}

/** The dialog that asks for what an action requires; every text typed is kept as a draft until accepted. */
export function ActionDialog(props: ActionDialogProps) {
  const { action, assignment } = props;
  const { t, i18n } = useTranslation();
  const departments = useDepartments();
  const format = useFormat();
  const base = `${assignment.id}.${action}`;
  const [reason, setReason, clearReason] = useDraft(`${base}.reason`);
  const [note, setNote, clearNote] = useDraft(`${base}.note`);
  const [summary, setSummary, clearSummary] = useDraft(`${base}.summary`);
  const [message, setMessage, clearMessage] = useDraft(`${base}.message`);
  const [until, setUntil, clearUntil] = useDraft(`${base}.until`);
  const [dueDate, setDueDate, clearDueDate] = useDraft(`${base}.dueDate`);
  const [toDepartment, setToDepartment] = useState("");
  const [handler, setHandler] = useState("");
  const people = useQuery({
    ...trpc.department.people.queryOptions({ department: props.department }),
    enabled: action === "assignHandler" && props.department !== undefined,
  });
  const personText = usePersonText();
  const [approve, setApprove] = useState<boolean | undefined>(undefined);
  const [invalid, setInvalid] = useState<ActionField[]>([]);
  // Files are not kept as drafts (a File cannot be stored); they stay while the dialog is open.
  const [files, setFiles] = useState<File[]>([]);
  const takesFiles = actionTakesFiles(action);
  const formId = useId();
  const errorId = useId();
  const fields = dialogFields(action);

  const text: Record<Exclude<ActionField, "approve" | "toDepartment" | "body" | "handler">, [string, (v: string) => void]> = {
    reason: [reason, setReason],
    note: [note, setNote],
    summary: [summary, setSummary],
    message: [message, setMessage],
    until: [until, setUntil],
    dueDate: [dueDate, setDueDate],
  };

  function clearDrafts() {
    clearReason();
    clearNote();
    clearSummary();
    clearMessage();
    clearUntil();
    clearDueDate();
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const values: ActionValues = { reason, note, summary, message, until, toDepartment, dueDate, handler };
    if (action === "decideExtension") values.approve = approve;
    if (takesFiles && files.length > 0) values.files = files;
    const wrong = invalidFields(action, { id: assignment.id, expectedVersion: assignment.version }, values);
    setInvalid(wrong);
    if (wrong.length > 0) {
      document.getElementById(`${formId}-${wrong[0] ?? ""}`)?.focus();
      return;
    }
    props.onSubmit(values, clearDrafts);
  }

  // The registry's schema says which fields are optional; refusing an extension needs a note.
  const isRequired = (field: ActionField): boolean => isRequiredField(action, field, approve);

  const label = (field: ActionField) => (
    <>
      {t(fieldLabelKey[field])}
      {isRequired(field) ? <span className="required-mark">({t("field.required")})</span> : null}
    </>
  );

  const missing = format.list(invalid.map((f) => t(fieldLabelKey[f])));
  const describedBy = (field: ActionField) => (invalid.includes(field) ? errorId : undefined);

  return (
    <Dialog open title={t(`action.${action}`)} onClose={props.onClose}>
      {() => (
        <form onSubmit={submit} noValidate>
          <p className="muted">{t(`dialog.hint.${action}`)}</p>
          {fields.map((field) => {
            const id = `${formId}-${field}`;
            if (field === "toDepartment") {
              return (
                <div className="field" key={field}>
                  <label htmlFor={id}>{label(field)}</label>
                  <select
                    id={id}
                    value={toDepartment}
                    required
                    aria-invalid={invalid.includes(field) || undefined}
                    aria-describedby={describedBy(field)}
                    onChange={(e) => setToDepartment(e.target.value)}
                  >
                    <option value="">{t("field.chooseDepartment")}</option>
                    {departments.list
                      .filter((d) => !props.unavailableDepartments.includes(d.code))
                      .map((d) => (
                        <option key={d.code} value={d.code}>
                          {departments.full(d.code)}
                        </option>
                      ))}
                  </select>
                </div>
              );
            }
            if (field === "handler") {
              const divisions = people.data?.divisions ?? [];
              const handlers = (people.data?.people ?? []).filter((p) => p.departmentRole === "handler");
              const divisionName = (d: { nameZh: string | null; nameEn: string | null }) =>
                (i18n.language === "en" ? (d.nameEn ?? d.nameZh) : (d.nameZh ?? d.nameEn)) ?? "";
              return (
                <div className="field" key={field}>
                  <label htmlFor={id}>{label(field)}</label>
                  <select
                    id={id}
                    value={handler}
                    required
                    aria-invalid={invalid.includes(field) || undefined}
                    aria-describedby={describedBy(field)}
                    onChange={(e) => setHandler(e.target.value)}
                  >
                    <option value="">{t("field.chooseHandler")}</option>
                    {divisions.map((d) => (
                      <optgroup key={d.id} label={divisionName(d)}>
                        {handlers
                          .filter((p) => p.divisionId === d.id)
                          .map((p) => (
                            <option key={p.id} value={`${d.id}:${p.id}`}>
                              {personText({ username: p.username, displayNameZh: p.displayNameZh, displayNameEn: p.displayNameEn, department: null }, p.username)}
                            </option>
                          ))}
                      </optgroup>
                    ))}
                  </select>
                  {people.isSuccess && handlers.length === 0 ? <p className="muted">{t("field.noHandlers")}</p> : null}
                </div>
              );
            }
            if (field === "approve") {
              return (
                <fieldset className="field" key={field} aria-describedby={describedBy(field)}>
                  <legend>{label(field)}</legend>
                  <label className="field-inline">
                    <input
                      id={id}
                      type="radio"
                      name={`${formId}-approve`}
                      checked={approve === true}
                      onChange={() => setApprove(true)}
                    />
                    {t("field.approve")}
                  </label>
                  <label className="field-inline">
                    <input type="radio" name={`${formId}-approve`} checked={approve === false} onChange={() => setApprove(false)} />
                    {t("field.refuse")}
                  </label>
                </fieldset>
              );
            }
            if (field === "body") return null;
            // Another date is granted only on approval.
            if (field === "until" && action === "decideExtension" && approve !== true) return null;
            const [value, setValue] = text[field];
            return (
              <div className="field" key={field}>
                <label htmlFor={id}>{label(field)}</label>
                {field === "until" && action === "decideExtension" ? (
                  <p className="muted" id={`${id}-hint`}>
                    {t("field.grantUntilHint")}
                  </p>
                ) : null}
                {field === "until" || field === "dueDate" ? (
                  <input
                    id={id}
                    type="date"
                    value={value}
                    required={isRequired(field)}
                    aria-invalid={invalid.includes(field) || undefined}
                    aria-describedby={describedBy(field) ?? (field === "until" && action === "decideExtension" ? `${id}-hint` : undefined)}
                    onChange={(e) => setValue(e.target.value)}
                  />
                ) : (
                  <textarea
                    id={id}
                    value={value}
                    required={isRequired(field)}
                    maxLength={4000}
                    aria-invalid={invalid.includes(field) || undefined}
                    aria-describedby={describedBy(field)}
                    onChange={(e) => setValue(e.target.value)}
                  />
                )}
              </div>
            );
          })}
          {invalid.length > 0 ? (
            <p id={errorId} className="field-error" role="alert">
              {t("dialog.missing", { field: missing })}
            </p>
          ) : null}
          {takesFiles ? <FileDrop files={files} onChange={setFiles} disabled={props.pending} /> : null}
          <UploadProgress percent={props.uploadPercent ?? null} />
          <ErrorNotice error={props.serverError} />
          <div className="dialog-actions">
            <button type="button" className="button" onClick={props.onClose}>
              {t("dialog.cancel")}
            </button>
            <button type="submit" className="button button-primary" disabled={props.pending}>
              {props.pending ? t("dialog.sending") : t(`action.${action}`)}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
