/**
 * A plan's text in its other language: which language a text is in, and the measures of a translation (or of the
 * original, for a plan that has only a translation) aligned with the plan's by measure number.
 */
import type { Language } from "../matrix.js";
import { z } from "zod";
import { importTextSchema } from "./plan-input.js";
import type { DraftPlan } from "./draft-plan.js";

const han = /\p{Script=Han}/gu;
const letters = /\p{L}/gu;

/** "zh" when at least a third of the letters are Han characters (a Chinese text quotes English names), else "en". */
export function textLanguageOf(text: string): Language {
  const hanCount = text.match(han)?.length ?? 0;
  const letterCount = text.match(letters)?.length ?? 0;
  return hanCount > 0 && hanCount * 2 >= letterCount ? "zh" : "en";
}

export interface AlignedMeasureText {
  /** The plan's measure number. */
  number: number;
  title: string;
  text: string;
  textCut: boolean;
}

export interface TranslationAlignment {
  language: Language;
  /** The plan's measures found in the text, in the plan's order. */
  aligned: AlignedMeasureText[];
  /** The plan's measure numbers the text does not have. */
  missing: number[];
  /** Numbers in the text that are not measures of the plan. */
  extra: number[];
}

/**
 * Aligns a parsed text with a plan's measures by number: the number the document prints (（七） → 7) when those are
 * unique, else the measures' order (a document that restarts numbering in each section). Pure.
 */
export function alignTranslation(planMeasureNumbers: readonly number[], draft: DraftPlan, text: string): TranslationAlignment {
  const printed = draft.measures.map((m) => m.printedNumber);
  const byPrinted = new Set(printed).size === printed.length;
  const found = new Map(draft.measures.map((m) => [byPrinted ? m.printedNumber : m.number, m]));
  const wanted = new Set(planMeasureNumbers);
  const aligned: AlignedMeasureText[] = [];
  const missing: number[] = [];
  for (const number of planMeasureNumbers) {
    const m = found.get(number);
    if (m === undefined) missing.push(number);
    else aligned.push({ number, title: m.title, text: m.text, textCut: m.textCut });
  }
  const extra = [...found.keys()].filter((n) => !wanted.has(n)).sort((a, b) => a - b);
  return { language: textLanguageOf(text), aligned, missing, extra };
}

/** `plan.addTranslation`: the plan and the text of the document in its other language. */
export const addTranslationInputSchema = z.object({
  planId: z.number().int().positive(),
  text: importTextSchema,
});
export type AddTranslationInput = z.infer<typeof addTranslationInputSchema>;
