import type { Language } from "@countersign/domain";

/** The i18n key (under `inbox.`) of the search box's placeholder. */
export type SearchHintKey = "searchPlaceholder" | "searchPlaceholderEn" | "searchPlaceholderZh" | "searchPlaceholderMixed";

/**
 * Which words the inbox search will find (new-user trial, fault 6): it looks in each plan's measure text as stored
 * (`InboxPlan.searchLanguage`), so a Chinese reader of a plan kept in English translation is told to search in
 * English (or by number) instead of being shown Chinese examples that find nothing.
 *
 * @param ui the reader's language
 * @param planLanguages the text languages of the plans searched (the filtered plan, or every plan of the inbox)
 */
export function searchHintOf(ui: Language, planLanguages: readonly Language[]): SearchHintKey {
  const languages = new Set(planLanguages);
  if (languages.size === 0 || (languages.size === 1 && languages.has(ui))) return "searchPlaceholder";
  if (languages.size > 1) return "searchPlaceholderMixed";
  return languages.has("en") ? "searchPlaceholderEn" : "searchPlaceholderZh";
}
