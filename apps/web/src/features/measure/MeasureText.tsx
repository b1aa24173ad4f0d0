import type { Language } from "@countersign/domain";
import { useTranslation } from "react-i18next";

export interface MeasureTexts {
  text: string;
  textCut: boolean;
  /** The language `text` is written in. */
  textLanguage: Language;
  /** The text in the other language, when the coordinator added it. */
  translation: { language: Language; text: string; textCut: boolean } | null;
}

const langAttribute = (language: Language): string => (language === "zh" ? "zh-CN" : "en");

/**
 * A measure's text exactly as published, headed by the language it is in (英文译本 in the Chinese interface for the
 * 2020 plan, never "原文"), with a warning where the source cut it short (never completed here). When the plan has a
 * text in the reader's language it comes first; when it has none, the page says so.
 */
export function MeasureText({ measure }: { measure: MeasureTexts }) {
  const { t, i18n } = useTranslation();
  const reader: Language = i18n.language === "en" ? "en" : "zh";
  const texts = [{ language: measure.textLanguage, text: measure.text, textCut: measure.textCut }];
  if (measure.translation !== null) texts.push(measure.translation);
  texts.sort((a, b) => Number(b.language === reader) - Number(a.language === reader));
  const missingInReaderLanguage = !texts.some((x) => x.language === reader);
  return (
    <>
      {texts.map((x) => (
        <div key={x.language} className="measure-text-block" data-text-language={x.language}>
          <h2>{t(`measure.textIn.${x.language}`)}</h2>
          {missingInReaderLanguage ? <p className="notice">{t(`measure.onlyIn.${x.language}`)}</p> : null}
          {x.textCut ? (
            <p className="notice notice-warning" data-text-cut="true">
              <span aria-hidden="true">⚠ </span>
              {t("measure.textCut")}
            </p>
          ) : null}
          <blockquote className="measure-text" lang={langAttribute(x.language)}>
            {x.text}
          </blockquote>
        </div>
      ))}
    </>
  );
}

/** A measure's short title in the reader's language when the plan has it, else as the plan has it. */
export function MeasureTitle({ measure }: { measure: { title: string; textLanguage: Language; translation: { language: Language; title: string } | null } }) {
  const { i18n } = useTranslation();
  const reader: Language = i18n.language === "en" ? "en" : "zh";
  const shown = measure.translation !== null && measure.translation.language === reader && measure.translation.title !== "" ? measure.translation : null;
  return <span lang={langAttribute(shown?.language ?? measure.textLanguage)}>{shown?.title ?? measure.title}</span>;
}
