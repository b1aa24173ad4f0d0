import { registerEntry } from "@countersign/domain";
import type { DepartmentCode, Role } from "@countersign/domain";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { useFormat } from "../../lib/format.js";
import { useDepartments } from "../catalog/departments.js";
import { evidenceByMeasure, measuresWithoutLead, pendingStated, roleOf, statedByMeasure, withRole, withStatedAccepted } from "./model.js";
import type { Evidence, ImportedDraft, Review, ReviewMeasure, ReviewSection } from "./model.js";

const symbol = { lead: "●", supporting: "○" } as const;

/** "STA, MOF: “tax policies”" — departments grouped by the words that name them. */
function EvidenceList({ evidence, short }: { evidence: Map<DepartmentCode, Evidence> | undefined; short: (c: DepartmentCode) => string }) {
  const { t } = useTranslation();
  if (!evidence || evidence.size === 0) return <span className="muted">{t("common.none")}</span>;
  const groups = new Map<string, DepartmentCode[]>();
  for (const [department, e] of evidence) {
    const key = e.kind === "phrase" ? e.phrase.toLowerCase() : "\u0000rule";
    groups.set(key, [...(groups.get(key) ?? []), department]);
  }
  return (
    <ul className="import-evidence">
      {[...groups].map(([key, departments]) => {
        const first = evidence.get(departments[0] ?? "");
        return (
          <li key={key}>
            {departments.map(short).join(", ")}:{" "}
            {first?.kind === "phrase" ? <q>{first.phrase}</q> : <em>{t("planImport.evidenceRule")}</em>}
          </li>
        );
      })}
    </ul>
  );
}

/**
 * 任务分工 as a matrix editor: measures (grouped by section) × the plan's departments, each cell lead, supporting or
 * nothing, with the evidence for each proposal and the measures that need the coordinator's decision flagged.
 */
export function DivisionMatrix({
  draft,
  review,
  onChange,
  disabled,
}: {
  draft: ImportedDraft;
  review: Review;
  onChange: (review: Review) => void;
  disabled: boolean;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const departments = useDepartments();
  const zh = format.language === "zh";
  const evidence = useMemo(() => evidenceByMeasure(draft), [draft]);
  const stated = useMemo(() => statedByMeasure(draft), [draft]);
  const pending = pendingStated(review, draft);
  const measuresByKey = useMemo(() => new Map(draft.measures.map((m) => [m.number, m])), [draft]);
  // A unit of the register the installation does not list yet is named from the register itself.
  const names = (code: DepartmentCode): { short: string; full: string } => {
    const d = departments.list.find((x) => x.code === code);
    if (d) return { short: zh ? d.shortZh : d.shortEn, full: zh ? d.nameZh : d.nameEn };
    const e = registerEntry(code);
    return e ? { short: zh ? e.shortZh : e.shortEn, full: zh ? e.nameZh : e.nameEn } : { short: code, full: code };
  };
  const needsDecision = useMemo(() => new Set(draft.division.measures.filter((m) => m.needsDecision).map((m) => m.measureNumber)), [draft]);
  const missing = measuresWithoutLead(review);

  const groups: Array<{ section: ReviewSection | null; measures: ReviewMeasure[] }> = [
    ...[...review.sections]
      .sort((a, b) => a.number - b.number)
      .map((section) => ({ section, measures: review.measures.filter((m) => m.section === section.number) })),
    { section: null, measures: review.measures.filter((m) => !review.sections.some((s) => s.number === m.section)) },
  ].filter((g) => g.measures.length > 0);

  const options = [
    { value: "", text: t("planImport.none"), name: t("planImport.noneLabel") },
    { value: "lead", text: `${symbol.lead} ${t("roleShort.lead")}`, name: t("role.lead") },
    { value: "supporting", text: `${symbol.supporting} ${t("roleShort.supporting")}`, name: t("role.supporting") },
  ];

  function set(key: number, department: DepartmentCode, value: string) {
    const role: Role | null = value === "lead" || value === "supporting" ? value : null;
    onChange(withRole(review, key, department, role));
  }

  return (
    <>
      <p>{t("planImport.divisionIntro")}</p>
      <ul className="legend" aria-label={t("matrix.legend")}>
        <li>{t("planImport.legendLead")}</li>
        <li>{t("planImport.legendSupporting")}</li>
        <li>{t("planImport.legendEvidence")}</li>
        <li>{t("planImport.legendStated")}</li>
      </ul>
      {pending.length > 0 ? (
        <div className="notice notice-warning" data-testid="import-stated-notice">
          <p>{t(pending.length === 1 ? "planImport.statedNoticeOne" : "planImport.statedNotice", { n: pending.length })}</p>
          <button
            type="button"
            className="button button-primary"
            disabled={disabled}
            data-testid="import-accept-stated"
            onClick={() => onChange(withStatedAccepted(review, draft))}
          >
            {t("planImport.acceptAllStated", { n: pending.length })}
          </button>
        </div>
      ) : null}
      {missing.length > 0 ? (
        <p className="notice notice-warning" data-testid="import-leads-missing">
          {t(missing.length === 1 ? "planImport.leadsMissingOne" : "planImport.leadsMissing", { n: missing.length, measures: format.list(missing.map((n) => `(${n})`)) })}
        </p>
      ) : null}
      <div className="table-wrap">
        <table className="matrix import-matrix" data-testid="import-matrix">
          <caption className="muted">{t("planImport.divisionTitle")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("inbox.columns.measure")}</th>
              {draft.departments.map((code) => {
                const n = names(code);
                return (
                  <th scope="col" key={code} data-department={code}>
                    <abbr title={n.full}>{n.short}</abbr>
                  </th>
                );
              })}
            </tr>
          </thead>
          {groups.map((group) => (
            <tbody key={group.section?.number ?? 0}>
              <tr className="section-row">
                <th scope="rowgroup" colSpan={draft.departments.length + 1}>
                  {group.section
                    ? `${group.section.numeral ? `${group.section.numeral}. ` : ""}${group.section.title}`
                    : t("planImport.noSection")}
                </th>
              </tr>
              {group.measures.map((m) => {
                const division = review.division[m.key];
                const name = t("measure.number", { number: m.number });
                const byDepartment = evidence.get(m.key);
                const statedHere = stated.get(m.key);
                const deadline = measuresByKey.get(m.key)?.deadline ?? null;
                return (
                  <tr key={m.key} data-measure={m.number} data-needs-decision={needsDecision.has(m.key) ? "true" : undefined}>
                    <th scope="row">
                      <strong>{name}</strong> <span>{m.title}</span>
                      {needsDecision.has(m.key) ? (
                        <span className="import-flag">
                          <span aria-hidden="true">⚑ </span>
                          {t("planImport.needsDecision")}
                        </span>
                      ) : null}
                      {!division?.lead ? <span className="import-flag import-flag-lead">{t("planImport.noLead")}</span> : null}
                      {statedHere ? (
                        <div className="import-stated" data-testid="import-stated">
                          <span className="import-source-badge import-source-stated">§ {t("planImport.stated")}</span>{" "}
                          {statedHere.notes.map((note) => (
                            <q key={note}>{note}</q>
                          ))}
                          {statedHere.lead || statedHere.supporting.length > 0 ? (
                            <span className="muted">
                              {" "}
                              {[
                                statedHere.lead ? t("planImport.statedLead", { lead: names(statedHere.lead).short }) : null,
                                statedHere.supporting.length > 0
                                  ? t("planImport.statedSupporting", { list: format.list(statedHere.supporting.map((c) => names(c).short)) })
                                  : null,
                              ]
                                .filter((x) => x !== null)
                                .join("; ")}
                            </span>
                          ) : null}
                          {statedHere.unresolved.map((u) => (
                            <p key={u.name} className="import-flag" data-testid="import-unknown-unit">
                              {t("planImport.unknownUnit", {
                                name: u.name,
                                role: t(`role.${u.role}`),
                                closest: format.list(u.closest.map((c) => `${names(c).short} (${c})`)),
                              })}
                            </p>
                          ))}
                          {pending.includes(m.key) ? (
                            <button type="button" className="button" disabled={disabled} onClick={() => onChange(withStatedAccepted(review, draft, [m.key]))}>
                              {t("planImport.acceptStated")}
                            </button>
                          ) : null}
                        </div>
                      ) : (
                        <div className="import-evidence-cell">
                          <span className="import-source-badge import-source-proposed">* {t("planImport.proposed")}</span>{" "}
                          <span className="muted">{t("planImport.evidence")}: </span>
                          <EvidenceList evidence={byDepartment} short={(c) => names(c).short} />
                        </div>
                      )}
                      {deadline ? (
                        <p className="muted">
                          {t("planImport.deadline", { deadline: format.dueDate(deadline.kind === "date" ? deadline.date : "ongoing") })}
                        </p>
                      ) : null}
                      <details className="import-measure-text">
                        <summary>{t("planImport.measureText")}</summary>
                        <p>{m.text}</p>
                      </details>
                    </th>
                    {draft.departments.map((code) => {
                      const role = roleOf(division, code);
                      const proposed = byDepartment?.has(code) ?? false;
                      const isStated = statedHere !== undefined && (statedHere.lead === code || statedHere.supporting.includes(code));
                      return (
                        <td key={code} data-department={code} data-role={role ?? ""} data-source={isStated ? "stated" : proposed ? "proposed" : undefined}>
                          <select
                            className={`import-cell${role ? ` import-cell-${role}` : ""}`}
                            value={role ?? ""}
                            disabled={disabled}
                            aria-label={t("planImport.cellLabel", { measure: name, department: names(code).full })}
                            onChange={(e) => set(m.key, code, e.target.value)}
                          >
                            {options.map((o) => (
                              // The name keeps the visible symbol and adds the word, for screen readers.
                              <option key={o.value} value={o.value} aria-label={`${o.text} (${o.name})`}>
                                {o.text}
                              </option>
                            ))}
                          </select>
                          {isStated ? (
                            <span className="import-proposed" aria-hidden="true">
                              §
                            </span>
                          ) : proposed ? (
                            <span className="import-proposed" aria-hidden="true">
                              *
                            </span>
                          ) : null}
                        </td>
                      );
                    })}
                  </tr>
                );
              })}
            </tbody>
          ))}
        </table>
      </div>
    </>
  );
}
