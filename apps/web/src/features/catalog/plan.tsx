import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { useDeferredValue, useEffect, useId, useState } from "react";
import { useLocation, useSearch } from "wouter";
import { sectionValues } from "../../lib/format.js";
import { trpc } from "../../trpc.js";
import { rememberPlan, useRememberedPlan } from "../import/plan-selection.js";
import { planTitleIn, plansNeedingDetail } from "./plan-label.js";

const planStaleTime = 60_000;
const planPageSize = 50;

/** The plan named in the address (`?plan=`), else the one last chosen in a picker, if any. */
function useChosenPlan(): number | null {
  const params = new URLSearchParams(useSearch());
  const asked = Number(params.get("plan"));
  const remembered = useRememberedPlan();
  return Number.isInteger(asked) && asked > 0 ? asked : remembered;
}

/** The newest plans (one page, never the whole catalogue) plus the chosen one, shared by every picker and page. */
function usePlanPage(chosen: number | null, search = "") {
  return useQuery({
    ...trpc.catalog.planPage.queryOptions(
      { limit: planPageSize, ...(chosen !== null ? { include: [chosen] } : {}), ...(search !== "" ? { search } : {}) },
      { staleTime: planStaleTime },
    ),
    placeholderData: keepPreviousData,
  });
}

/**
 * The plan the page shows: `?plan=` when given, otherwise the plan last chosen (both at once, without waiting for the
 * catalogue), otherwise the latest issued plan among the newest page (the division editor prefers the latest draft,
 * the one still to divide and issue).
 */
export function usePlanId(prefer: "issued" | "draft" = "issued"): { planId: number | undefined; isPending: boolean } {
  const found = useFoundPlanId(prefer);
  // The plan first shown becomes the remembered one: a plan issued later does not make the coordinator's pages jump.
  const remember = found.fallback ?? null;
  useEffect(() => {
    if (remember !== null) rememberPlan(remember);
  }, [remember]);
  return { planId: found.planId, isPending: found.isPending };
}

function useFoundPlanId(prefer: "issued" | "draft"): { planId: number | undefined; isPending: boolean; fallback?: number | null } {
  const params = new URLSearchParams(useSearch());
  const asked = Number(params.get("plan"));
  const chosen = useChosenPlan();
  const plans = usePlanPage(chosen);
  if (Number.isInteger(asked) && asked > 0) return { planId: asked, isPending: false };
  const list = plans.data?.items ?? [];
  // The remembered plan, unless the catalogue says it is gone (it is always on the page when it exists).
  if (chosen !== null && (plans.data === undefined || list.some((p) => p.id === chosen))) {
    return { planId: chosen, isPending: false };
  }
  const preferred = list.filter((p) => p.status === prefer);
  const latest = (preferred.length > 0 ? preferred : list).reduce<(typeof list)[number] | undefined>(
    (best, p) => (best === undefined || p.id > best.id ? p : best),
    undefined,
  );
  return { planId: latest?.id, isPending: plans.isPending, fallback: prefer === "issued" ? (latest?.id ?? null) : null };
}

/** The measure page of a plan. */
export function measureHref(number: number, planId: number | undefined): string {
  return planId === undefined ? `/measures/${number}` : `/measures/${number}?plan=${planId}`;
}

/**
 * Chooses among several plans (shown only when there is more than one); the choice lives in the address. It lists the
 * newest page and the plan shown; when the catalogue is longer than that, a search box finds the others.
 */
export function PlanPicker({ planId }: { planId: number | undefined }) {
  const { t, i18n } = useTranslation();
  const [location, navigate] = useLocation();
  const params = new URLSearchParams(useSearch());
  const chosen = useChosenPlan();
  const [search, setSearch] = useState("");
  const term = useDeferredValue(search.trim());
  const first = usePlanPage(chosen);
  const found = usePlanPage(chosen, term);
  const id = useId();
  const searchId = useId();
  const page = (term === "" ? first : found).data;
  const list = [...(page?.items ?? [])];
  // The plan shown stays in the list whatever the search finds.
  const shown = first.data?.items.find((p) => p.id === planId);
  if (shown && !list.some((p) => p.id === shown.id)) list.push(shown);
  const searchable = (first.data?.nextCursor ?? null) !== null || search !== "";
  // Plans sharing a title are told apart by document number, date and number.
  const language = i18n.language === "en" ? "en" : "zh";
  const twins = plansNeedingDetail(list, language);
  const shownLabel = shown
    ? twins.has(shown.id)
      ? t("plan.optionDetailed", {
          title: planTitleIn(shown, language),
          documentNumber: shown.documentNumber || t("plan.noDocumentNumber"),
          date: shown.issuedOn,
          status: t(`planStatus.${shown.status}`),
          id: shown.id,
        })
      : `${planTitleIn(shown, language)}${shown.documentNumber ? `（${shown.documentNumber}）` : ""}, ${t(`planStatus.${shown.status}`)}`
    : null;
  // Every page that shows one plan says which, whether or not there is a choice.
  const shownLine =
    shownLabel === null ? null : (
      <p className="shown-plan" data-testid="shown-plan" data-plan-id={planId}>
        {t("plan.shown", { plan: shownLabel })}
      </p>
    );
  if (!searchable && list.length < 2) return shownLine;

  return (
    <>
    {shownLine}
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
            {twins.has(p.id)
              ? t("plan.optionDetailed", {
                  title: planTitleIn(p, language),
                  documentNumber: p.documentNumber || t("plan.noDocumentNumber"),
                  date: p.issuedOn,
                  status: t(`planStatus.${p.status}`),
                  id: p.id,
                })
              : `${planTitleIn(p, language)} (${t(`planStatus.${p.status}`)})`}
          </option>
        ))}
      </select>
      {searchable ? (
        <>
          <label htmlFor={searchId}>{t("tracking.planSearch")}</label>
          <input id={searchId} type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
        </>
      ) : null}
    </div>
    </>
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
