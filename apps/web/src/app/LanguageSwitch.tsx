import { useTranslation } from "react-i18next";
import { setLanguage } from "../i18n/i18n.js";
import type { Language } from "../i18n/i18n.js";

// Each language is named in itself, so that a reader of either can find theirs.
const options: ReadonlyArray<{ language: Language; label: string; lang: string }> = [
  { language: "zh", label: "中文", lang: "zh-CN" },
  { language: "en", label: "English", lang: "en" },
];

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const current: Language = i18n.language === "en" ? "en" : "zh";
  return (
    <fieldset className="plain-fieldset language-switch">
      <legend className="visually-hidden">{t("header.language")}</legend>
      {options.map((option) => (
        <button
          key={option.language}
          type="button"
          lang={option.lang}
          className="segment"
          aria-pressed={current === option.language}
          onClick={() => void setLanguage(option.language)}
        >
          {option.label}
        </button>
      ))}
    </fieldset>
  );
}
