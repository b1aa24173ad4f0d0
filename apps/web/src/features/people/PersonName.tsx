import { personLabel } from "@countersign/domain";
import type { Person } from "@countersign/domain";
import { useTranslation } from "react-i18next";

/**
 * A person named in the UI's language (issue 15, point 4): the display name of that language, else the other one
 * marked "(name in Chinese)" and tagged with its `lang` for screen readers; with the department unless `bare`.
 */
export function PersonName({ person, bare = false }: { person: Person; bare?: boolean }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === "en" ? "en" : "zh";
  const label = personLabel(person, lang);
  return (
    <span className="person-name">
      <span lang={label.nameLang === "zh" ? "zh-CN" : "en"}>{label.name}</span>
      {label.fallback ? (
        <span className="muted"> {t("people.fallbackName", { lang: t(label.nameLang === "zh" ? "people.langZh" : "people.langEn") })}</span>
      ) : null}
      {!bare && label.department !== null ? <span className="muted">{lang === "zh" ? `（${label.department}）` : `, ${label.department}`}</span> : null}
    </span>
  );
}
