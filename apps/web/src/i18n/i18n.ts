import i18next from "i18next";
import { initReactI18next } from "react-i18next";
import { en } from "./en.js";
import type { Translation } from "./en.js";
import { zh } from "./zh.js";

export type Language = "zh" | "en";
export const languages: readonly Language[] = ["zh", "en"];

declare module "i18next" {
  interface CustomTypeOptions {
    defaultNS: "translation";
    resources: { translation: Translation };
  }
}

const storageKey = "countersign.language";

/** BCP 47 tag for <html lang> and Intl formatters. */
export function localeOf(language: Language): string {
  return language === "zh" ? "zh-CN" : "en-GB";
}

function initialLanguage(): Language {
  try {
    const stored = localStorage.getItem(storageKey);
    if (stored === "zh" || stored === "en") return stored;
  } catch {
    // Storage can be unavailable (private mode); fall back to the browser's preference.
  }
  const preferred = navigator.languages.find((tag) => tag.startsWith("zh") || tag.startsWith("en"));
  return preferred?.startsWith("en") ? "en" : "zh";
}

export function currentLanguage(): Language {
  return i18next.language === "en" ? "en" : "zh";
}

function applyToDocument(language: Language): void {
  document.documentElement.lang = localeOf(language);
  document.title = i18next.t("app.name");
}

export async function setLanguage(language: Language): Promise<void> {
  try {
    localStorage.setItem(storageKey, language);
  } catch {
    // Not remembered, but still switched.
  }
  await i18next.changeLanguage(language);
}

export async function initI18n(): Promise<void> {
  i18next.on("languageChanged", (lng) => applyToDocument(lng === "en" ? "en" : "zh"));
  await i18next.use(initReactI18next).init({
    lng: initialLanguage(),
    fallbackLng: "en",
    supportedLngs: ["zh", "en"],
    resources: { en: { translation: en }, zh: { translation: zh } },
    // React escapes text itself.
    interpolation: { escapeValue: false },
    returnNull: false,
    react: { useSuspense: false },
  });
  applyToDocument(currentLanguage());
}
