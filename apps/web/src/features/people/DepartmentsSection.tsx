import { planCalendarDate } from "@countersign/domain";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import type { FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Dialog } from "../../components/Dialog.js";
import { ErrorNotice } from "../../components/ErrorNotice.js";
import { QueryError } from "../../components/QueryError.js";
import { useAnnounce } from "../../lib/announcer.js";
import { describeError } from "../../lib/errors.js";
import { trpc } from "../../trpc.js";
import type { RouterOutputs } from "../../trpc.js";
import type { departmentsAdminEn } from "./department-strings.js";

type DepartmentView = RouterOutputs["admin"]["departments"][number];
type RegisterHit = RouterOutputs["admin"]["registerSearch"][number];
type KindKey = keyof (typeof departmentsAdminEn)["kind"];

const kinds = ["ministry", "special", "directly_affiliated", "institution", "administration", "co_signer", "local_government", "custom"] as const;
const kindKey = (kind: string): KindKey => (kinds as readonly string[]).includes(kind) ? (kind as KindKey) : "custom";

/** After a change: the table, and every list of departments the page offers (the account form's). */
function useRefresh() {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: trpc.admin.departments.queryKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.admin.registerSearch.queryKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.catalog.departments.queryKey() });
  };
}

/** The installation's departments on the Administration page: list, add (register or by hand), rename, retire. */
export function DepartmentsSection() {
  const { t } = useTranslation();
  const departments = useQuery(trpc.admin.departments.queryOptions());
  const [adding, setAdding] = useState(false);
  const [renaming, setRenaming] = useState<DepartmentView | null>(null);
  const [retiring, setRetiring] = useState<DepartmentView | null>(null);
  return (
    <section aria-labelledby="departments-title" className="page" data-testid="departments-section">
      <h2 id="departments-title">{t("departmentsAdmin.title")}</h2>
      <p className="muted">{t("departmentsAdmin.intro")}</p>
      <div className="toolbar">
        <button type="button" className="button button-primary" onClick={() => setAdding(true)}>
          {t("departmentsAdmin.add")}
        </button>
      </div>
      {departments.isError ? <QueryError error={departments.error} /> : null}
      {departments.data ? <DepartmentsTable departments={departments.data} onRename={setRenaming} onRetire={setRetiring} /> : null}
      {adding ? <AddDepartmentDialog onClose={() => setAdding(false)} /> : null}
      {renaming ? <RenameDialog department={renaming} onClose={() => setRenaming(null)} /> : null}
      {retiring ? <RetireDialog department={retiring} onClose={() => setRetiring(null)} /> : null}
    </section>
  );
}

function History({ department }: { department: DepartmentView }) {
  const { t, i18n } = useTranslation();
  const zh = i18n.language !== "en";
  const { successor, predecessors, earlierNames } = department.history;
  const notes = [
    ...(successor ? [t("departmentsAdmin.successor", { name: zh ? successor.shortZh : successor.nameEn, code: successor.code, since: successor.since })] : []),
    ...predecessors.map((p) => t("departmentsAdmin.predecessor", { name: zh ? p.shortZh : p.nameEn, code: p.code, since: p.since })),
    ...earlierNames.map((n) => t("departmentsAdmin.earlierName", { name: zh ? n.nameZh : n.nameEn, until: n.until })),
  ];
  if (notes.length === 0) return <span className="muted">—</span>;
  return (
    <ul className="plain-list">
      {notes.map((n) => (
        <li key={n}>{n}</li>
      ))}
    </ul>
  );
}

function DepartmentsTable({
  departments,
  onRename,
  onRetire,
}: {
  departments: readonly DepartmentView[];
  onRename: (d: DepartmentView) => void;
  onRetire: (d: DepartmentView) => void;
}) {
  const { t } = useTranslation();
  return (
    <div className="table-wrap">
      <table className="data" data-testid="departments">
        <caption>{t("departmentsAdmin.caption", { n: departments.length })}</caption>
        <thead>
          <tr>
            <th scope="col">{t("departmentsAdmin.colCode")}</th>
            <th scope="col">{t("departmentsAdmin.colZh")}</th>
            <th scope="col">{t("departmentsAdmin.colEn")}</th>
            <th scope="col">{t("departmentsAdmin.colKind")}</th>
            <th scope="col">{t("departmentsAdmin.colHistory")}</th>
            <th scope="col">{t("departmentsAdmin.colRetired")}</th>
            <th scope="col">{t("departmentsAdmin.colActions")}</th>
          </tr>
        </thead>
        <tbody>
          {departments.map((d) => (
            <tr key={d.code} data-department={d.code}>
              <th scope="row">
                <code>{d.code}</code>
              </th>
              <td lang="zh-CN">
                {d.nameZh}
                {d.shortZh !== d.nameZh ? <span className="muted">（{d.shortZh}）</span> : null}
              </td>
              <td lang="en">
                {d.nameEn} <span className="muted">({d.shortEn})</span>
              </td>
              <td>{t(`departmentsAdmin.kind.${kindKey(d.kind)}`)}</td>
              <td>
                <History department={d} />
              </td>
              <td>{d.retiredOn ?? t("departmentsAdmin.notRetired")}</td>
              <td>
                <div className="row-actions">
                  <button type="button" className="button button-small" onClick={() => onRename(d)} aria-label={t("departmentsAdmin.renameLabel", { code: d.code })}>
                    {t("departmentsAdmin.rename")}
                  </button>
                  {d.retiredOn === null ? (
                    <button type="button" className="button button-small button-danger" onClick={() => onRetire(d)} aria-label={t("departmentsAdmin.retireLabel", { code: d.code })}>
                      {t("departmentsAdmin.retire")}
                    </button>
                  ) : null}
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function AddDepartmentDialog({ onClose }: { onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const zh = i18n.language !== "en";
  const announce = useAnnounce();
  const refresh = useRefresh();
  const id = useId();
  const [mode, setMode] = useState<"register" | "hand">("register");
  const [typed, setTyped] = useState("");
  const [query, setQuery] = useState("");
  const [fields, setFields] = useState({ code: "", nameZh: "", nameEn: "", shortZh: "", shortEn: "" });
  const [error, setError] = useState<string | null>(null);
  const hits = useQuery(trpc.admin.registerSearch.queryOptions({ query }, { enabled: query.trim() !== "" }));
  const add = useMutation(
    trpc.admin.addDepartment.mutationOptions({
      onSuccess: (d) => {
        refresh();
        announce(t("departmentsAdmin.added", { name: zh ? d.shortZh : d.nameEn, code: d.code }), "success");
        onClose();
      },
      onError: (e) => setError(describeError(e)),
    }),
  );
  const nameOf = (h: RegisterHit) => (zh ? h.nameZh : h.nameEn);
  function search(event: FormEvent) {
    event.preventDefault();
    setError(null);
    setQuery(typed.trim());
  }
  function addByHand(event: FormEvent) {
    event.preventDefault();
    setError(null);
    add.mutate(fields);
  }
  const field = (key: keyof typeof fields, lang: "zh-CN" | "en" | undefined, help?: string) => (
    <div className="field">
      <label htmlFor={`${id}-${key}`}>{t(`departmentsAdmin.${key}`)}</label>
      <input
        id={`${id}-${key}`}
        name={key}
        lang={lang}
        value={fields[key]}
        autoCapitalize={key === "code" ? "characters" : undefined}
        spellCheck={key === "code" ? false : undefined}
        aria-describedby={help}
        onChange={(e) => setFields({ ...fields, [key]: e.target.value })}
      />
    </div>
  );
  return (
    <Dialog open title={t("departmentsAdmin.addTitle")} onClose={onClose}>
      {() => (
        <div data-testid="add-department">
          <fieldset>
            <legend>{t("departmentsAdmin.source")}</legend>
            <label className="field-inline">
              <input type="radio" name={`${id}-mode`} checked={mode === "register"} onChange={() => setMode("register")} />
              {t("departmentsAdmin.fromRegister")}
            </label>
            <label className="field-inline">
              <input type="radio" name={`${id}-mode`} checked={mode === "hand"} onChange={() => setMode("hand")} />
              {t("departmentsAdmin.byHand")}
            </label>
          </fieldset>
          {mode === "register" ? (
            <>
              <form onSubmit={search} noValidate>
                <div className="field">
                  <label htmlFor={`${id}-search`}>{t("departmentsAdmin.search")}</label>
                  <input id={`${id}-search`} type="search" value={typed} onChange={(e) => setTyped(e.target.value)} aria-describedby={`${id}-search-help`} />
                  <p id={`${id}-search-help`} className="muted">
                    {t("departmentsAdmin.searchHelp")}
                  </p>
                </div>
                <button type="submit" className="button">
                  {t("departmentsAdmin.searchButton")}
                </button>
              </form>
              {hits.isError ? <QueryError error={hits.error} /> : null}
              <div aria-live="polite" data-testid="register-results">
                {hits.data ? (
                  hits.data.length === 0 ? (
                    <p className="muted">{t("departmentsAdmin.noResults")}</p>
                  ) : (
                    <>
                      <p className="muted">{t("departmentsAdmin.results", { n: hits.data.length })}</p>
                      <ul className="plain-list">
                        {hits.data.map((h) => (
                          <li key={h.code} data-code={h.code}>
                            <button
                              type="button"
                              className="button button-small"
                              disabled={h.present || add.isPending}
                              onClick={() => {
                                setError(null);
                                add.mutate({ code: h.code });
                              }}
                            >
                              {t("departmentsAdmin.addEntry", { name: nameOf(h), code: h.code })}
                            </button>{" "}
                            <span lang={zh ? "en" : "zh-CN"} className="muted">
                              {zh ? h.nameEn : h.nameZh}
                            </span>
                            {" · "}
                            <span className="muted">{t(`departmentsAdmin.kind.${kindKey(h.kind)}`)}</span>
                            {h.closeness === "close" ? <span className="muted"> · {t("departmentsAdmin.close")}</span> : null}
                            {h.present ? <span className="muted"> · {t("departmentsAdmin.present")}</span> : null}
                          </li>
                        ))}
                      </ul>
                    </>
                  )
                ) : null}
              </div>
            </>
          ) : (
            <form onSubmit={addByHand} noValidate data-testid="department-form">
              {field("code", undefined, `${id}-code-help`)}
              <p id={`${id}-code-help`} className="muted">
                {t("departmentsAdmin.codeHelp")}
              </p>
              {field("nameZh", "zh-CN")}
              {field("nameEn", "en")}
              {field("shortZh", "zh-CN", `${id}-short-help`)}
              {field("shortEn", "en", `${id}-short-help`)}
              <p id={`${id}-short-help`} className="muted">
                {t("departmentsAdmin.shortHelp")}
              </p>
              <button type="submit" className="button button-primary" disabled={add.isPending}>
                {add.isPending ? t("departmentsAdmin.saving") : t("departmentsAdmin.save")}
              </button>
            </form>
          )}
          <ErrorNotice error={error} testId="department-error" />
          <div className="row-actions">
            <button type="button" className="button" onClick={onClose}>
              {t("departmentsAdmin.cancel")}
            </button>
          </div>
        </div>
      )}
    </Dialog>
  );
}

function RenameDialog({ department, onClose }: { department: DepartmentView; onClose: () => void }) {
  const { t } = useTranslation();
  const announce = useAnnounce();
  const refresh = useRefresh();
  const id = useId();
  const before = { nameZh: department.nameZh, nameEn: department.nameEn, shortZh: department.shortZh, shortEn: department.shortEn };
  const [names, setNames] = useState(before);
  const [error, setError] = useState<string | null>(null);
  const rename = useMutation(
    trpc.admin.renameDepartment.mutationOptions({
      onSuccess: (d) => {
        refresh();
        announce(t("departmentsAdmin.renamed", { code: d.code }), "success");
        onClose();
      },
      onError: (e) => setError(describeError(e)),
    }),
  );
  function submit(event: FormEvent) {
    event.preventDefault();
    // Only the names changed are sent: the audit event records each one's before and after.
    const changed = Object.fromEntries(Object.entries(names).filter(([k, v]) => v.trim() !== before[k as keyof typeof before]));
    if (Object.keys(changed).length === 0) {
      setError(t("departmentsAdmin.noChange"));
      return;
    }
    setError(null);
    rename.mutate({ code: department.code, ...changed });
  }
  return (
    <Dialog open title={t("departmentsAdmin.renameTitle", { code: department.code })} onClose={onClose}>
      {() => (
        <form onSubmit={submit} noValidate data-testid="rename-department">
          <p className="muted">{t("departmentsAdmin.renameHelp")}</p>
          {(["nameZh", "nameEn", "shortZh", "shortEn"] as const).map((key) => (
            <div className="field" key={key}>
              <label htmlFor={`${id}-${key}`}>{t(`departmentsAdmin.${key}`)}</label>
              <input
                id={`${id}-${key}`}
                name={key}
                lang={key.endsWith("Zh") ? "zh-CN" : "en"}
                value={names[key]}
                onChange={(e) => setNames({ ...names, [key]: e.target.value })}
              />
            </div>
          ))}
          <ErrorNotice error={error} testId="rename-error" />
          <div className="row-actions">
            <button type="submit" className="button button-primary" disabled={rename.isPending}>
              {rename.isPending ? t("departmentsAdmin.saving") : t("departmentsAdmin.saveNames")}
            </button>
            <button type="button" className="button" onClick={onClose}>
              {t("departmentsAdmin.cancel")}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}

function RetireDialog({ department, onClose }: { department: DepartmentView; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const announce = useAnnounce();
  const refresh = useRefresh();
  const id = useId();
  const [on, setOn] = useState(planCalendarDate(new Date()));
  const [error, setError] = useState<string | null>(null);
  const retire = useMutation(
    trpc.admin.retireDepartment.mutationOptions({
      onSuccess: (d) => {
        refresh();
        announce(t("departmentsAdmin.retired", { code: d.code, on: d.retiredOn ?? on }), "success");
        onClose();
      },
      onError: (e) => setError(describeError(e)),
    }),
  );
  function submit(event: FormEvent) {
    event.preventDefault();
    if (!/^\d{4}-\d{2}-\d{2}$/.test(on)) {
      setError(t("dialog.missing", { field: t("departmentsAdmin.retireDate") }));
      return;
    }
    setError(null);
    retire.mutate({ code: department.code, on });
  }
  const name = i18n.language !== "en" ? department.nameZh : department.nameEn;
  return (
    <Dialog open title={t("departmentsAdmin.retireTitle", { code: department.code })} onClose={onClose}>
      {() => (
        <form onSubmit={submit} noValidate data-testid="retire-department">
          <p>{t("departmentsAdmin.retireConfirm", { name })}</p>
          <div className="field">
            <label htmlFor={`${id}-on`}>{t("departmentsAdmin.retireDate")}</label>
            <input id={`${id}-on`} type="date" value={on} onChange={(e) => setOn(e.target.value)} />
          </div>
          <ErrorNotice error={error} testId="retire-error" />
          <div className="row-actions">
            <button type="submit" className="button button-danger" disabled={retire.isPending}>
              {t("departmentsAdmin.retire")}
            </button>
            <button type="button" className="button" onClick={onClose}>
              {t("departmentsAdmin.cancel")}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
