import { personLabel } from "@countersign/domain";
import type { Person } from "@countersign/domain";
import { useCallback } from "react";
import { useTranslation } from "react-i18next";

/**
 * A person's name as plain text in the UI's language (for sentences such as "by {{actor}} ({{department}})"): the
 * display name of that language, else the other one followed by "(name in Chinese)"; the user name when the event
 * names no person (the command line).
 */
export function usePersonText(): (person: Person | null, username: string | null) => string | null {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === "en" ? "en" : "zh";
  return useCallback(
    (person, username) => {
      if (person === null) return username;
      const label = personLabel(person, lang);
      return label.fallback ? `${label.name} ${t("people.fallbackName", { lang: t(label.nameLang === "zh" ? "people.langZh" : "people.langEn") })}` : label.name;
    },
    [lang, t],
  );
}
