import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { useId } from "react";
import { useLocation, useSearch } from "wouter";
import { sectionValues } from "../../lib/format.js";
import { trpc } from "../../trpc.js";
import { rememberPlan, useRememberedPlan } from "../import/plan-selection.js";

const planStaleTime = 60_000;

/**
 * The plan the page shows: `?plan=` when given, otherwise the latest issued plan (the division editor prefers the
 * latest draft, the one still to divide and issue).
 */
export function usePlanId(prefer: "issued" | "draft" = "issued"): { planId: number | undefined; isPending: boolean } {
  const params = new URLSearchParams(useSearch());
  const asked = Number(params.get("plan"));
  const plans = useQuery(trpc.catalog.plans.queryOptions(undefined, { staleTime: planStaleTime }));
  const remembered = useRememberedPlan();
  if (Number.isInteger(asked) && asked > 0) return { planId: asked, isPending: false };
  const list = plans.data ?? [];
  // The plan last chosen in a picker, while it exists.
  if (remembered !== null && list.some((p) => p.id === remembered)) return { planId: remembered, isPending: false };
  const preferred = list.filter((p) => p.status === prefer);
  const chosen = (preferred.length > 0 ? preferred : list).reduce<(typeof list)[number] | undefined>(
    (best, p) => (best === undefined || p.id > best.id ? p : best),
    undefined,
  );
  return { planId: chosen?.id, isPending: plans.isPending };
}

/** The measure page of a plan. */
export function measureHref(number: number, planId: number | undefined): string {
  return planId === undefined ? `/measures/${number}` : `/measures/${number}?plan=${planId}`;
}

/** Chooses among several plans (shown only when there is more than one); the choice lives in the address. */
export function PlanPicker({ planId }: { planId: number | undefined }) {
  const { t, i18n } = useTranslation();
  const [location, navigate] = useLocation();
  const params = new URLSearchParams(useSearch());
  const plans = useQuery(trpc.catalog.plans.queryOptions(undefined, { staleTime: planStaleTime }));
  const id = useId();
  const list = plans.data ?? [];
  if (list.length < 2) return null;
  return (
    <div className="field field-inline no-print">
      <label htmlFor={id}>{t("tracking.plan")}</label>
      <select
        id={id}
        value={planId ?? ""}
        onChange={(e) => {
          rememberPlan(Number(e.target.value));
          params.set("plan", e.target.value);
          navigate(`${location}?${params.toString()}`);
        }}
      >
        {list.map((p) => (
          <option key={p.id} value={p.id}>
            {`${(i18n.language === "en" ? p.titleEn : p.titleZh) || p.titleEn || p.titleZh} (${t(`planStatus.${p.status}`)})`}
          </option>
        ))}
      </select>
    </div>
  );
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
