/**
 * Who did it (issue 15, point 4): a person is named by their display name in the reader's language and their
 * department, never by the user name, and never in a name mixing languages. Each account has a Chinese and an English
 * display name (either may be missing); a view in one language shows that one, and falls back to the other marked as
 * such, so a reader sees the fallback is deliberate.
 */
import type { Language } from "./matrix.js";

/** What a view knows of a person: their two display names, user name (last resort) and department's short names. */
export interface Person {
  username: string;
  displayNameZh: string | null;
  displayNameEn: string | null;
  department: { code: string; shortZh: string; shortEn: string } | null;
}

export interface PersonLabel {
  /** The display name shown (or the user name when the account has neither display name). */
  name: string;
  /** The language the name is written in: set it as `lang` on the element that shows it. */
  nameLang: Language;
  /** True when the name is not in the asked language (the account has no name in it). */
  fallback: boolean;
  /** The department's short name in the asked language, or null. */
  department: string | null;
  /** One line for text (histories, exports): e.g. "Zhang Wei, MOF" or "张伟（财政部）". */
  text: string;
}

const present = (s: string | null): s is string => s !== null && s.trim() !== "";

/**
 * The label of a person in one language. The name: the display name in `lang`, else the other one (`fallback`), else
 * the user name. The text form marks a fallback in the asked language: "张伟 (Chinese name), MOF",
 * "Zhang Wei（英文名）（财政部）".
 */
export function personLabel(person: Person, lang: Language): PersonLabel {
  const own = lang === "zh" ? person.displayNameZh : person.displayNameEn;
  const other = lang === "zh" ? person.displayNameEn : person.displayNameZh;
  const otherLang: Language = lang === "zh" ? "en" : "zh";
  const [name, nameLang, fallback] = present(own)
    ? [own.trim(), lang, false]
    : present(other)
      ? [other.trim(), otherLang, true]
      : [person.username, lang, false];
  const department = person.department === null ? null : lang === "zh" ? person.department.shortZh : person.department.shortEn;
  const marker = !fallback ? "" : lang === "zh" ? "（英文名）" : " (Chinese name)";
  const text =
    lang === "zh"
      ? `${name}${marker}${department === null ? "" : `（${department}）`}`
      : `${name}${marker}${department === null ? "" : `, ${department}`}`;
  return { name, nameLang, fallback, department, text };
}
