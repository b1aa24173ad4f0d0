import type { Language } from "@countersign/domain";

/** What a plan picker shows of a plan. */
export interface PlanLabelSource {
  id: number;
  titleEn: string;
  titleZh: string;
  documentNumber: string;
  issuedOn: string;
  status: string;
}

/** The plan's title in the reader's language, else the other. */
export function planTitleIn(plan: Pick<PlanLabelSource, "titleEn" | "titleZh">, language: Language): string {
  return (language === "en" ? plan.titleEn : plan.titleZh) || plan.titleEn || plan.titleZh;
}

/**
 * Which plans of a list need more than their title to be told apart (new-user trial, fault 3: two drafts saved with
 * the same title looked the same in the picker): the ids of plans whose shown title another plan of the list shares.
 * Those are shown with their document number, date and number (id).
 */
export function plansNeedingDetail(plans: readonly PlanLabelSource[], language: Language): Set<number> {
  const byTitle = new Map<string, number[]>();
  for (const p of plans) {
    const title = planTitleIn(p, language).trim();
    byTitle.set(title, [...(byTitle.get(title) ?? []), p.id]);
  }
  return new Set([...byTitle.values()].filter((ids) => ids.length > 1).flat());
}
