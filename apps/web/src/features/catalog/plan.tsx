import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { useSearch } from "wouter";
import { sectionValues } from "../../lib/format.js";
import { trpc } from "../../trpc.js";

const planStaleTime = 60_000;

/** The plan the page shows: `?plan=` when given, otherwise the latest issued plan (or the latest draft). */
export function usePlanId(): { planId: number | undefined; isPending: boolean } {
  const params = new URLSearchParams(useSearch());
  const asked = Number(params.get("plan"));
  const plans = useQuery(trpc.catalog.plans.queryOptions(undefined, { staleTime: planStaleTime }));
  if (Number.isInteger(asked) && asked > 0) return { planId: asked, isPending: false };
  const list = plans.data ?? [];
  const issued = list.filter((p) => p.status === "issued");
  const chosen = (issued.length > 0 ? issued : list).reduce<(typeof list)[number] | undefined>(
    (best, p) => (best === undefined || p.id > best.id ? p : best),
    undefined,
  );
  return { planId: chosen?.id, isPending: plans.isPending };
}

export function usePlan(planId: number | undefined) {
  return useQuery({
    ...trpc.catalog.plan.queryOptions({ planId: planId ?? 0 }, { staleTime: planStaleTime }),
    enabled: planId !== undefined,
  });
}

/** "Section II. Title" from the plan's catalog (cached). */
export function SectionName({ planId, section }: { planId: number; section: number }) {
  const { t } = useTranslation();
  const plan = usePlan(planId);
  const found = plan.data?.sections.find((s) => s.number === section);
  return <>{found ? t("measure.section", sectionValues(found)) : String(section)}</>;
}
