import { alignTranslation, parsePolicyDocument, textLanguageOf } from "@countersign/domain";
import type { AddTranslationInput, Language } from "@countersign/domain";
import type { AnyStoreTransaction } from "@countersign/db";
import { ServiceError } from "../../errors.js";
import { auditActorOf, requireRole } from "../shared/acting-user.js";
import type { ActingUser } from "../shared/acting-user.js";
import { envelope } from "../shared/live-change.js";
import type { Outcome } from "../shared/live-change.js";
import { readPlanOrNotFound } from "../shared/plan-lookup.js";

export interface AddedTranslation {
  planId: number;
  /** The language of the added text. */
  language: Language;
  /** The plan's measures that got the text, and those the text does not have. */
  aligned: number[];
  missing: number[];
  /** Numbers in the text that are not measures of the plan (not stored). */
  extra: number[];
}

/**
 * Adds the plan's text in its other language (e.g. the Chinese original of a plan loaded from the English
 * translation): parsed with the import's parser, aligned with the plan's measures by number, stored per measure
 * (replacing an earlier one), audited as `plan.translation_added`, in the caller's unit of work (either engine).
 * Refuses (`invalid_input`, field `text`) a text in the language the plan's measures are already written in, and a
 * text in which none of the plan's measure numbers is found; `not_found` for no such plan.
 */
export async function addTranslation(tx: AnyStoreTransaction, user: ActingUser, input: AddTranslationInput, now: Date): Promise<Outcome<AddedTranslation>> {
  requireRole(user, ["coordinator"], "add a plan's text in another language");
  const plan = await readPlanOrNotFound(tx.repos, input.planId);
  const measures = await tx.repos.catalog.measures(plan.id);
  const planLanguage = textLanguageOf(measures.map((m) => m.text).join("\n"));
  const alignment = alignTranslation(
    measures.map((m) => m.number),
    parsePolicyDocument(input.text),
    input.text,
  );
  if (alignment.language === planLanguage) {
    const name = planLanguage === "zh" ? "Chinese" : "English";
    throw new ServiceError("invalid_input", `The plan's measures are already in ${name}; add the text in the other language.`, {
      field: "text",
    });
  }
  if (alignment.aligned.length === 0) {
    throw new ServiceError("invalid_input", "None of the plan's measure numbers was found in the text.", { field: "text" });
  }
  const idOf = new Map(measures.map((m) => [m.number, m.id]));
  const at = now.toISOString();
  await tx.repos.planEditing.replaceTranslations(
    alignment.language,
    alignment.aligned.map((a) => ({ measureId: idOf.get(a.number) ?? 0, title: a.title, text: a.text, textCut: a.textCut })),
    at,
    user.id,
  );
  const aligned = alignment.aligned.map((a) => a.number);
  await tx.appendAuditEvent({
    at,
    type: "plan.translation_added",
    ...auditActorOf(user),
    planId: plan.id,
    payload: {
      language: alignment.language,
      measures: aligned.join(","),
      missing: alignment.missing.join(","),
      extra: alignment.extra.join(","),
    },
  });
  return {
    value: { planId: plan.id, language: alignment.language, aligned, missing: alignment.missing, extra: alignment.extra },
    change: envelope({ planId: plan.id, assignmentIds: [], measureNumbers: aligned, departments: [], at }, []),
  };
}

export interface MeasureTranslation {
  language: Language;
  title: string;
  text: string;
  textCut: boolean;
}

/** Translation rows (either engine's) by measure id, in the shape the plan's detail carries. */
export function translationMapOf(
  rows: ReadonlyArray<{ measureId: number; language: "zh" | "en"; title: string; text: string; textCut: boolean }>,
): Map<number, MeasureTranslation> {
  return new Map(rows.map((r) => [r.measureId, { language: r.language, title: r.title, text: r.text, textCut: r.textCut }]));
}
