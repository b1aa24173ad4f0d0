/**
 * Deriving the implementation plan from the office's own document (issue 16, point 2): the coordinator pastes the
 * text of its 实施方案 or uploads the file (.txt, .docx … as the import takes), previews how each of its measures is
 * matched to the forwarded measure it implements (and why), which are local, which forwarded measures it leaves out
 * (kept as forwarded), the division it states; then derives the plan as previewed. A department name the server does
 * not recognise is shown beside its measure with a choice of the organisation's departments (or "leave it out"); each
 * choice is previewed again, and the act sends them (it refuses while one is undecided). Every rule is the server's
 * (cascade.matchDocument, cascade.deriveFromDocument); this panel only asks and shows.
 */
import { isBlankText } from "@countersign/domain";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState } from "react";
import type { FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { ErrorNotice } from "../../components/ErrorNotice.js";
import { describeError } from "../../lib/errors.js";
import { useFormat } from "../../lib/format.js";
import { trpc } from "../../trpc.js";
import type { RouterOutputs } from "../../trpc.js";

type Preview = RouterOutputs["cascade"]["matchDocument"];
type PreviewMeasure = Preview["measures"][number];
type DocumentInput = { forwardingId: number; text: string } | { forwardingId: number; file: { name: string; contentBase64: string } };
type DepartmentChoice = { measure: number; name: string; department: string | null };
/** The select's value for "leave it out" (a department code never has this form). */
const leaveOut = "-";

/**
 * The choices the preview shows as taken, as the API takes them. A document measure's number in the preview is its
 * number in the document (they come first, in the document's order).
 */
function choicesOf(preview: Preview): DepartmentChoice[] {
  return preview.measures.flatMap((m) =>
    m.unrecognised.flatMap((u) =>
      u.decision === null ? [] : [{ measure: m.number, name: u.name, department: u.decision.kind === "member" ? u.decision.department : null }],
    ),
  );
}

/** A File's bytes as base64 (FileReader's data URL without its prefix). */
function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = typeof reader.result === "string" ? reader.result : "";
      const comma = url.indexOf(",");
      if (comma < 0) reject(new Error("unreadable"));
      else resolve(url.slice(comma + 1));
    };
    reader.onerror = () => reject(reader.error ?? new Error("unreadable"));
    reader.readAsDataURL(file);
  });
}

/** How many names the preview shows as not recognised and not yet decided. */
function undecided(preview: Preview): number {
  return preview.measures.reduce((n, m) => n + m.unrecognised.filter((u) => u.decision === null).length, 0);
}

/** Why a measure of the document was matched, or not, in the reader's language. */
function useReason(): (m: PreviewMeasure) => string {
  const { t } = useTranslation();
  return (m) => {
    const r = m.reason;
    if (r === null) return t("cascade.doc.reasonForwarded");
    switch (r.kind) {
      case "reference":
        return t("cascade.doc.reasonReference", { cited: r.cited });
      case "title":
        return t("cascade.doc.reasonTitle", { title: r.quoted });
      case "similarity":
        return t("cascade.doc.reasonSimilarity", { score: Math.round(r.score * 100) });
      case "none":
        return r.cited.length > 0 ? t("cascade.doc.reasonNoneCited", { cited: r.cited.join("、") }) : t("cascade.doc.reasonNone");
    }
  };
}

/** The "from our own document" path of one forwarding: a toggle, then the form, the preview and the act. */
export function FromOwnDocument({ forwardingId, onDerived }: { forwardingId: number; onDerived: (made: { planId: number; measures: number }) => void }) {
  const { t, i18n } = useTranslation();
  const format = useFormat();
  const reason = useReason();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [text, setText] = useState("");
  const [file, setFile] = useState<File | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [previewed, setPreviewed] = useState<{ input: DocumentInput; preview: Preview } | null>(null);
  const ids = { panel: useId(), text: useId(), file: useId(), help: useId(), heading: useId(), error: useId() };
  const headingRef = useRef<HTMLHeadingElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const zh = i18n.language.startsWith("zh");
  // A new preview takes the focus; a preview redone for a choice leaves it on the choice.
  const focusPreview = useRef(false);
  const around = useQuery(trpc.cascade.organisations.queryOptions());
  const members = around.data?.members ?? [];

  const match = useMutation(trpc.cascade.matchDocument.mutationOptions());
  const derive = useMutation(
    trpc.cascade.deriveFromDocument.mutationOptions({
      onSuccess: (out) => {
        onDerived({ planId: out.planId, measures: out.measures });
        setPreviewed(null);
        setOpen(false);
        void queryClient.invalidateQueries({ queryKey: trpc.cascade.pathKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.catalog.pathKey() });
      },
    }),
  );
  // The preview is announced and takes the focus, so a screen reader reads it and the keyboard goes on from it.
  useEffect(() => {
    if (previewed !== null && focusPreview.current) {
      focusPreview.current = false;
      headingRef.current?.focus();
    }
  }, [previewed]);
  /** Takes or changes the decision for one name (value: a member's code, `leaveOut`, or "" for none) and previews again. */
  const choose = (measure: number, name: string, value: string) => {
    if (previewed === null) return;
    const others = choicesOf(previewed.preview).filter((c) => !(c.measure === measure && c.name === name));
    const departmentChoices = value === "" ? others : [...others, { measure, name, department: value === leaveOut ? null : value }];
    const { input } = previewed;
    derive.reset();
    match.mutate({ ...input, departmentChoices }, { onSuccess: (preview) => setPreviewed({ input, preview }) });
  };

  const onPreview = async (event: FormEvent) => {
    event.preventDefault();
    setFormError(null);
    let input: DocumentInput;
    if (file !== null) {
      try {
        input = { forwardingId, file: { name: file.name, contentBase64: await readBase64(file) } };
      } catch {
        setFormError(t("cascade.doc.unreadable"));
        return;
      }
    } else if (isBlankText(text)) {
      setFormError(t("cascade.doc.nothing"));
      return;
    } else input = { forwardingId, text };
    focusPreview.current = true;
    match.mutate(input, { onSuccess: (preview) => setPreviewed({ input, preview }) });
  };
  // Any change to the document makes the preview stale: the act derives exactly what was previewed.
  const changed = () => {
    setPreviewed(null);
    match.reset();
  };

  return (
    <>
      <button type="button" className="button button-small" aria-expanded={open} aria-controls={ids.panel} onClick={() => setOpen(!open)}>
        {t("cascade.doc.open")}
      </button>
      {open ? (
        <section id={ids.panel} className="cascade-document" aria-label={t("cascade.doc.title")}>
          <form onSubmit={(e) => void onPreview(e)} noValidate>
            <fieldset disabled={match.isPending || derive.isPending}>
              <legend>{t("cascade.doc.title")}</legend>
              <p id={ids.help} className="muted">
                {t("cascade.doc.help")}
              </p>
              <div className="field">
                <label htmlFor={ids.file}>{t("cascade.doc.file")}</label>
                <input
                  ref={fileRef}
                  id={ids.file}
                  type="file"
                  accept=".txt,.docx,.pdf,.xlsx,.csv,text/plain"
                  aria-describedby={ids.help}
                  onChange={(e) => {
                    setFile(e.target.files?.[0] ?? null);
                    changed();
                  }}
                />
                {file !== null ? (
                  <button
                    type="button"
                    className="button button-small"
                    onClick={() => {
                      setFile(null);
                      if (fileRef.current !== null) fileRef.current.value = "";
                      changed();
                    }}
                  >
                    {t("cascade.doc.removeFile", { name: file.name })}
                  </button>
                ) : null}
              </div>
              <div className="field">
                <label htmlFor={ids.text}>{t("cascade.doc.text")}</label>
                <textarea
                  id={ids.text}
                  rows={8}
                  spellCheck={false}
                  value={text}
                  disabled={file !== null}
                  aria-describedby={formError ? `${ids.help} ${ids.error}` : ids.help}
                  aria-invalid={formError ? true : undefined}
                  onChange={(e) => {
                    setText(e.target.value);
                    changed();
                  }}
                />
              </div>
              <ErrorNotice error={formError} id={ids.error} />
              <button type="submit" className="button">
                {match.isPending ? t("cascade.doc.previewing") : t("cascade.doc.preview")}
              </button>
            </fieldset>
          </form>
          <ErrorNotice error={match.isError ? describeError(match.error) : null} />
          {previewed !== null ? (
            <div data-testid="cascade-document-preview">
              <h3 id={ids.heading} ref={headingRef} tabIndex={-1}>
                {t("cascade.doc.previewTitle")}
              </h3>
              <p role="status">
                {t(previewed.preview.measures.length === 1 ? "cascade.doc.summaryOne" : "cascade.doc.summary", {
                  matched: previewed.preview.matched,
                  local: previewed.preview.local,
                  left: previewed.preview.unimplemented.length,
                  total: previewed.preview.measures.length,
                })}
              </p>
              <div className="table-scroll">
                <table className="grid">
                  <caption>{t("cascade.doc.caption")}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t("cascade.doc.colNumber")}</th>
                      <th scope="col">{t("cascade.doc.colMeasure")}</th>
                      <th scope="col">{t("cascade.doc.colImplements")}</th>
                      <th scope="col">{t("cascade.doc.colWhy")}</th>
                      <th scope="col">{t("cascade.doc.colDivision")}</th>
                      <th scope="col">{t("cascade.doc.colDue")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {previewed.preview.measures.map((m) => (
                      <tr key={m.number}>
                        <th scope="row">({m.number})</th>
                        <td>
                          {m.label ?? ""}
                          {m.title}
                          {m.from === "forwarded" ? <span className="muted"> {t("cascade.doc.keptForwarded")}</span> : null}
                          {/* The words the plan would hold, to check what was read (no signature, no attachment list). */}
                          <details className="preview-measure-text">
                            <summary>{t("cascade.doc.measureText")}</summary>
                            <p className="measure-text">{m.text}</p>
                          </details>
                        </td>
                        <td>{m.implements === null ? t("cascade.local") : t("cascade.origin", { n: m.implements.number })}</td>
                        <td>{reason(m)}</td>
                        <td>
                          {m.division.map((p) => `${zh ? p.nameZh : p.nameEn}${p.role === "lead" ? t("cascade.doc.leadMark") : ""}`).join(zh ? "、" : "; ")}
                          {/* While a name the register does not know is undecided, the division shown is not what will be derived. */}
                          {m.unrecognised.some((u) => u.decision === null) ? (
                            <span className="muted"> {t("cascade.doc.divisionUndecided")}</span>
                          ) : m.divisionFrom !== "document" ? (
                            <span className="muted"> {t(`cascade.doc.divisionFrom_${m.divisionFrom}`)}</span>
                          ) : null}
                          {m.unrecognised.map((u) => {
                            const value = u.decision === null ? "" : u.decision.kind === "member" ? u.decision.department : leaveOut;
                            const suggested = new Set(u.suggested.map((d) => d.department));
                            return (
                              <label key={u.name} className="field unrecognised">
                                <span>{t("cascade.doc.unrecognised", { name: u.name, role: t(`cascade.doc.unrecognisedRole_${u.role}`) })}</span>
                                <select
                                  value={value}
                                  disabled={match.isPending || derive.isPending}
                                  aria-invalid={u.decision === null ? true : undefined}
                                  onChange={(e) => choose(m.number, u.name, e.target.value)}
                                >
                                  <option value="">{t("cascade.doc.chooseDepartment")}</option>
                                  {u.suggested.length > 0 ? (
                                    <optgroup label={t("cascade.doc.suggested")}>
                                      {u.suggested.map((d) => (
                                        <option key={d.department} value={d.department}>
                                          {zh ? d.nameZh : d.nameEn}
                                        </option>
                                      ))}
                                    </optgroup>
                                  ) : null}
                                  <optgroup label={t("cascade.doc.allDepartments")}>
                                    {members
                                      .filter((d) => !suggested.has(d.code))
                                      .map((d) => (
                                        <option key={d.code} value={d.code}>
                                          {zh ? d.nameZh : d.nameEn}
                                        </option>
                                      ))}
                                  </optgroup>
                                  <option value={leaveOut}>{t("cascade.doc.leaveOut")}</option>
                                </select>
                              </label>
                            );
                          })}
                        </td>
                        <td>
                          {format.dueDate(m.dueDate)}
                          {m.dueDateFrom !== "document" ? <span className="muted"> {t(`cascade.doc.dueFrom_${m.dueDateFrom}`)}</span> : null}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              {undecided(previewed.preview) > 0 ? <p className="muted">{t("cascade.doc.undecided", { n: undecided(previewed.preview) })}</p> : null}
              <button
                type="button"
                className="button button-primary"
                disabled={derive.isPending || match.isPending}
                onClick={() => derive.mutate({ ...previewed.input, departmentChoices: choicesOf(previewed.preview) })}
              >
                {derive.isPending ? t("cascade.deriving") : t("cascade.doc.derive")}
              </button>
              <ErrorNotice error={derive.isError ? describeError(derive.error) : null} />
            </div>
          ) : null}
        </section>
      ) : null}
    </>
  );
}
