/*
 * Random organisation trees with plans forwarded down them, for the cascade's property tests. Built from a list of
 * random integers consumed in order, so fast-check shrinks a failing case by shrinking that list.
 */
import type { CascadeMeasure, CascadePlan, Forwarding } from "../cascade/forwarding.js";
import { buildOrganisationTree, nationalId, type Organisation, type OrganisationLevel, type OrganisationTree } from "../cascade/organisations.js";
import type { OwnProgress } from "../cascade/rollup.js";

export interface RandomCascade {
  tree: OrganisationTree;
  organisations: Organisation[];
  plans: CascadePlan[];
  forwardings: Forwarding[];
  progress: Map<string, OwnProgress>;
  today: string;
}

/** Dates around `today` so that due dates and plan deadlines fall on both sides of it. */
export const randomToday = "2027-01-15";
const dates = ["2026-12-31", "2027-01-14", "2027-01-15", "2027-01-16", "2027-06-30", "ongoing"] as const;
const progressLevels: readonly OwnProgress[] = ["not_started", "in_progress", "done"];

function organisation(id: string, parent: string | null, level: OrganisationLevel): Organisation {
  const host = `${id}-MIIT`;
  return {
    id,
    parent,
    level,
    kind: null,
    nameZh: id,
    nameEn: id,
    office: { nameZh: `${id} office`, nameEn: `${id} office`, host },
    members: [{ code: host, line: "MIIT", nameZh: host, nameEn: host }],
  };
}

/** A random cascade from `seed` (integers ≥ 0): 1–4 provinces, 0–3 prefectures each, 0–3 counties each, plans and states. */
export function randomCascade(seed: readonly number[]): RandomCascade {
  let cursor = 0;
  const pick = (n: number): number => {
    const v = seed.length === 0 ? 0 : (seed[cursor % seed.length] ?? 0);
    cursor += 1;
    return v % n;
  };
  const organisations: Organisation[] = [organisation(nationalId, null, "national")];
  const provinces = 1 + pick(4);
  for (let i = 0; i < provinces; i += 1) {
    const p = `${11 + i}0000`;
    organisations.push(organisation(p, nationalId, "province"));
    const prefectures = pick(4);
    for (let j = 0; j < prefectures; j += 1) {
      const c = `${11 + i}${String(j + 1).padStart(2, "0")}00`;
      organisations.push(organisation(c, p, "prefecture"));
      const counties = pick(4);
      for (let k = 0; k < counties; k += 1) organisations.push(organisation(`${c.slice(0, 4)}${String(k + 1).padStart(2, "0")}`, c, "county"));
    }
    // Sometimes a county directly under the province (a municipality's district).
    if (pick(4) === 0) organisations.push(organisation(`${11 + i}0090`, p, "county"));
  }
  const tree = buildOrganisationTree(organisations);
  const plans: CascadePlan[] = [];
  const forwardings: Forwarding[] = [];
  const progress = new Map<string, OwnProgress>();
  const measure = (planId: string, n: number, origin: CascadeMeasure["origin"]): CascadeMeasure => {
    const m = { id: `${planId}/${n}`, number: n, title: `m${n}`, text: `m${n}`, dueDate: dates[pick(dates.length)] ?? "ongoing", origin };
    progress.set(m.id, progressLevels[pick(3)] ?? "not_started");
    return m;
  };
  const national: CascadePlan = { id: "P-CN", organisation: nationalId, status: "issued", implements: null, measures: [], division: [] };
  national.measures = Array.from({ length: 1 + pick(3) }, (_, i) => measure(national.id, i + 1, null));
  plans.push(national);

  const forwardDown = (plan: CascadePlan): void => {
    for (const child of tree.children.get(plan.organisation) ?? []) {
      // Each measure forwarded to this child or not; one forwarding per child with the chosen measures.
      const sent = plan.measures.filter(() => pick(4) !== 0);
      if (sent.length === 0) continue;
      const f: Forwarding = {
        id: `F-${plan.id}-${child}`,
        plan: plan.id,
        from: plan.organisation,
        to: child,
        measures: sent.map((m) => m.id),
        planDeadline: dates[pick(dates.length - 1)] ?? "2027-01-15",
        forwardedOn: "2026-12-01",
      };
      forwardings.push(f);
      const status = (["none", "draft", "issued", "issued", "issued", "withdrawn"] as const)[pick(6)];
      if (status === "none") continue;
      const local: CascadePlan = { id: `P-${child}`, organisation: child, status: status ?? "issued", implements: plan.id, measures: [], division: [] };
      // Each forwarded measure implemented by one or two local measures, sometimes plus a local measure of its own.
      const measures: CascadeMeasure[] = [];
      for (const m of sent) for (let r = 0; r < 1 + (pick(3) === 0 ? 1 : 0); r += 1) measures.push(measure(local.id, measures.length + 1, { plan: plan.id, measure: m.id }));
      if (pick(3) === 0) measures.push(measure(local.id, measures.length + 1, null));
      local.measures = measures;
      plans.push(local);
      if (local.status === "issued") forwardDown(local);
    }
  };
  forwardDown(national);
  return { tree, organisations, plans, forwardings, progress, today: randomToday };
}
