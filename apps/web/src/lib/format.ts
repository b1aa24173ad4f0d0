import { chineseNumeral, formatPlanDateTime } from "@countersign/domain";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { localeOf } from "../i18n/i18n.js";
import type { Language } from "../i18n/i18n.js";

export interface Formatters {
  locale: string;
  language: Language;
  /** A calendar date "YYYY-MM-DD", or "ongoing" (持续推进). */
  dueDate: (due: string | null | undefined) => string;
  /**
   * An ISO timestamp, shown in the plan's zone (Beijing) with the zone named, whatever the reader's own zone: the
   * domain's formatPlanDateTime, which the exports use too.
   */
  dateTime: (iso: string) => string;
  number: (n: number) => string;
  percent: (fraction: number) => string;
  /** "a, b and c" / "a、b和c". */
  list: (items: readonly string[]) => string;
}

const isoDate = /^(\d{4})-(\d{2})-(\d{2})$/;

export function useFormat(): Formatters {
  const { t, i18n } = useTranslation();
  const language: Language = i18n.language === "en" ? "en" : "zh";
  return useMemo(() => {
    const locale = localeOf(language);
    // Calendar dates are formatted in UTC so that no time zone moves them by a day.
    const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" });
    const numberFormat = new Intl.NumberFormat(locale);
    const percentFormat = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 });
    const listFormat = new Intl.ListFormat(locale, { style: "long", type: "conjunction" });
    return {
      locale,
      language,
      dueDate: (due) => {
        if (due === null || due === undefined || due === "ongoing") return t("due.ongoing");
        const match = isoDate.exec(due);
        if (!match) return due;
        return dateFormat.format(new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))));
      },
      dateTime: (iso) => formatPlanDateTime(iso, language),
      number: (n) => numberFormat.format(n),
      percent: (fraction) => percentFormat.format(fraction),
      list: (items) => listFormat.format(items),
    };
  }, [language, t]);
}

/** Values for the `measure.section` string: the printed Roman numeral (English) and the Chinese one. */
export function sectionValues(section: { number: number; numeral: string; title: string }) {
  return { numeral: section.numeral, zhNumeral: chineseNumeral(section.number), title: section.title };
}
