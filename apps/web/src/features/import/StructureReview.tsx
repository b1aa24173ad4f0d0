import { chineseNumeral } from "@countersign/domain";
import type { Span } from "@countersign/domain";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { romanNumeral, withMeasure, withNewSection, withPrintedNumbers, withSection } from "./model.js";
import type { ImportedDraft, Review, ReviewMeasure } from "./model.js";

interface Highlight {
  span: Span;
  what: string;
}

const excerptLength = 80;

function excerpt(text: string, span: Span): string {
  const raw = text.slice(span.start, span.end).replace(/\s+/g, " ").trim();
  return raw.length > excerptLength ? `${raw.slice(0, excerptLength)}…` : raw;
}

/** The text as read, with one stretch highlighted; the panel scrolls to it without moving the page or the focus. */
function SourceText({ text, highlight }: { text: string; highlight: Highlight | null }) {
  const { t } = useTranslation();
  const panel = useRef<HTMLElement>(null);
  const mark = useRef<HTMLElement>(null);

  useEffect(() => {
    if (!highlight || !panel.current || !mark.current) return;
    panel.current.scrollTop = Math.max(0, mark.current.offsetTop - panel.current.clientHeight / 3);
  }, [highlight]);

  const start = highlight ? Math.max(0, Math.min(text.length, highlight.span.start)) : 0;
  const end = highlight ? Math.max(start, Math.min(text.length, highlight.span.end)) : 0;
  return (
    <div className="import-text-column">
      <h3 id="import-text-title">{t("planImport.sourceText")}</h3>
      <p className="muted import-highlight-note" aria-live="polite">
        {highlight ? t("planImport.highlighted", { what: highlight.what }) : ""}
      </p>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region needs a tab stop to be scrolled by keyboard */}
      <section ref={panel} className="import-text" tabIndex={0} aria-labelledby="import-text-title" data-testid="import-text">
        {highlight ? (
          <>
            {text.slice(0, start)}
            <mark ref={mark} data-testid="import-highlight">
              {text.slice(start, end)}
            </mark>
            {text.slice(end)}
          </>
        ) : (
          text
        )}
      </section>
    </div>
  );
}

function Warnings({ text, draft, onShow }: { text: string; draft: ImportedDraft; onShow: (h: Highlight) => void }) {
  const { t } = useTranslation();
  const where = (w: ImportedDraft["warnings"][number]) =>
    w.measure !== null
      ? t("planImport.warningWhere.measure", { number: w.measure })
      : w.section !== null
        ? t("planImport.warningWhere.section", { number: w.section })
        : t("planImport.warningWhere.document");
  return (
    <section aria-labelledby="import-warnings-title">
      <h3 id="import-warnings-title">{t("planImport.warningsTitle", { n: draft.warnings.length })}</h3>
      {draft.warnings.length === 0 ? <p className="muted">{t("planImport.noWarnings")}</p> : null}
      <ul className="import-warnings" data-testid="import-warnings">
        {draft.warnings.map((w, i) => {
          const kind = t(`planImport.warningKind.${w.kind}`);
          return (
            <li key={i} data-kind={w.kind}>
              <button
                type="button"
                className="link-button"
                onClick={() => onShow({ span: w.span, what: `${kind}, ${where(w)}` })}
                title={w.message}
              >
                <span aria-hidden="true">⚠ </span>
                {kind}
              </button>
              <span className="muted">
                {" "}
                · {where(w)} · <q>{excerpt(text, w.span)}</q>
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function MeasureEditor({
  measure,
  review,
  onChange,
  onShow,
}: {
  measure: ReviewMeasure;
  review: Review;
  onChange: (review: Review) => void;
  onShow: (h: Highlight) => void;
}) {
  const { t } = useTranslation();
  const name = t("measure.number", { number: measure.number });
  const hidden = <span className="visually-hidden"> {name}</span>;
  const id = (field: string) => `import-measure-${measure.key}-${field}`;
  const sectionKnown = review.sections.some((s) => s.number === measure.section);
  return (
    <li className="import-measure" data-measure-key={measure.key}>
      <div className="import-measure-head">
        <strong>{name}</strong>
        <span className="muted">{measure.label}</span>
        {measure.textCut ? <span className="flag-cut">⚠ {t("measure.textCutShort")}</span> : null}
        <button type="button" className="link-button" onClick={() => onShow({ span: measure.span, what: name })}>
          {t("planImport.showInText")}
          {hidden}
        </button>
      </div>
      <div className="import-measure-fields">
        <div className="field import-number">
          <label htmlFor={id("number")}>
            {t("planImport.measureNumber")}
            {hidden}
          </label>
          <input
            id={id("number")}
            type="number"
            min={1}
            step={1}
            value={Number.isFinite(measure.number) ? measure.number : ""}
            onChange={(e) => onChange(withMeasure(review, measure.key, { number: e.target.value === "" ? Number.NaN : Number(e.target.value) }))}
          />
        </div>
        <div className="field import-title">
          <label htmlFor={id("title")}>
            {t("planImport.measureTitle")}
            {hidden}
          </label>
          <input id={id("title")} type="text" value={measure.title} onChange={(e) => onChange(withMeasure(review, measure.key, { title: e.target.value }))} />
        </div>
        <div className="field">
          <label htmlFor={id("section")}>
            {t("planImport.measureSection")}
            {hidden}
          </label>
          <select
            id={id("section")}
            value={sectionKnown ? String(measure.section) : ""}
            aria-invalid={sectionKnown ? undefined : true}
            onChange={(e) => onChange(withMeasure(review, measure.key, { section: Number(e.target.value) || 0 }))}
          >
            {sectionKnown ? null : <option value="">{t("planImport.noSection")}</option>}
            {review.sections.map((s) => (
              <option key={s.number} value={String(s.number)}>
                {s.numeral ? `${s.numeral}. ` : ""}
                {s.title}
              </option>
            ))}
          </select>
        </div>
        <label className="field-inline import-cut">
          <input type="checkbox" checked={measure.textCut} onChange={(e) => onChange(withMeasure(review, measure.key, { textCut: e.target.checked }))} />
          {t("planImport.textCut")}
          {hidden}
        </label>
      </div>
    </li>
  );
}

/** The parsed structure beside the text: the plan's titles, the warnings, the sections and their measures, editable. */
export function StructureReview({
  text,
  draft,
  review,
  onChange,
  disabled,
}: {
  text: string;
  draft: ImportedDraft;
  review: Review;
  onChange: (review: Review) => void;
  disabled: boolean;
}) {
  const { t } = useTranslation();
  const [highlight, setHighlight] = useState<Highlight | null>(null);
  const printedDiffer = review.measures.some((m) => m.printedNumber !== m.number);
  const orphans = review.measures.filter((m) => !review.sections.some((s) => s.number === m.section));
  const numeral = review.language === "zh" ? chineseNumeral : romanNumeral;

  return (
    <div className="import-review">
      <SourceText text={text} highlight={highlight} />
      <div className="import-structure">
        <fieldset className="plain-fieldset" disabled={disabled}>
          <h3>{t("planImport.details")}</h3>
          <div className="field">
            <label htmlFor="import-title-en">{t("planImport.titleEn")}</label>
            <input id="import-title-en" type="text" value={review.titleEn} onChange={(e) => onChange({ ...review, titleEn: e.target.value })} />
          </div>
          <div className="field">
            <label htmlFor="import-title-zh">{t("planImport.titleZh")}</label>
            <input id="import-title-zh" type="text" lang="zh-CN" value={review.titleZh} onChange={(e) => onChange({ ...review, titleZh: e.target.value })} />
          </div>
          <div className="field">
            <label htmlFor="import-document-number">{t("planImport.documentNumber")}</label>
            <input
              id="import-document-number"
              type="text"
              value={review.documentNumber}
              onChange={(e) => onChange({ ...review, documentNumber: e.target.value })}
            />
          </div>
        </fieldset>

        <Warnings text={text} draft={draft} onShow={setHighlight} />

        <section aria-labelledby="import-sections-title">
          <h3 id="import-sections-title">{t("planImport.sectionsTitle")}</h3>
          <fieldset className="plain-fieldset" disabled={disabled}>
            {printedDiffer ? (
              <button type="button" className="button button-small" onClick={() => onChange(withPrintedNumbers(review))}>
                {t("planImport.usePrinted")}
              </button>
            ) : null}
            {review.sections.map((s) => {
              const measures = review.measures.filter((m) => m.section === s.number);
              const sectionName = <span className="visually-hidden"> {t("planImport.section", { number: s.number })}</span>;
              return (
                <div key={s.number} className="import-section" data-section={s.number}>
                  <div className="import-section-head">
                    <div className="field import-numeral">
                      <label htmlFor={`import-section-${s.number}-numeral`}>
                        {t("planImport.sectionNumeral")}
                        {sectionName}
                      </label>
                      <input
                        id={`import-section-${s.number}-numeral`}
                        type="text"
                        value={s.numeral}
                        onChange={(e) => onChange(withSection(review, s.number, { numeral: e.target.value }))}
                      />
                    </div>
                    <div className="field import-title">
                      <label htmlFor={`import-section-${s.number}-title`}>
                        {t("planImport.sectionTitle")}
                        {sectionName}
                      </label>
                      <input
                        id={`import-section-${s.number}-title`}
                        type="text"
                        value={s.title}
                        onChange={(e) => onChange(withSection(review, s.number, { title: e.target.value }))}
                      />
                    </div>
                  </div>
                  <p className="muted">{t(measures.length === 1 ? "planImport.measureCountOne" : "planImport.measureCount", { n: measures.length })}</p>
                  <ol className="import-measures">
                    {measures.map((m) => (
                      <MeasureEditor key={m.key} measure={m} review={review} onChange={onChange} onShow={setHighlight} />
                    ))}
                  </ol>
                </div>
              );
            })}
            {orphans.length > 0 ? (
              <div className="import-section" data-section="0">
                <p className="notice notice-warning">{t("planImport.noSection")}</p>
                <ol className="import-measures">
                  {orphans.map((m) => (
                    <MeasureEditor key={m.key} measure={m} review={review} onChange={onChange} onShow={setHighlight} />
                  ))}
                </ol>
              </div>
            ) : null}
            <button
              type="button"
              className="button button-small"
              onClick={() => onChange(withNewSection(review, numeral, review.titleZh || review.titleEn || t("planImport.section", { number: review.sections.length + 1 })))}
            >
              {t("planImport.addSection")}
            </button>
          </fieldset>
        </section>
      </div>
    </div>
  );
}
