import { useTranslation } from "react-i18next";

/** A measure's text exactly as published, with a warning where the source cut it short (never completed here). */
export function MeasureText({ text, textCut }: { text: string; textCut: boolean }) {
  const { t } = useTranslation();
  return (
    <>
      <h2>{t("measure.text")}</h2>
      {textCut ? (
        <p className="notice notice-warning" data-text-cut="true">
          <span aria-hidden="true">⚠ </span>
          {t("measure.textCut")}
        </p>
      ) : null}
      <blockquote className="measure-text" lang="en">
        {text}
      </blockquote>
    </>
  );
}
