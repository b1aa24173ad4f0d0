import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { randomCascade } from "../test-support/random-cascade.js";
import { measureStatuses } from "../types.js";
import type { CascadeMeasure, CascadePlan, CascadePlanStatus, Forwarding } from "./forwarding.js";
import { buildOrganisationTree, childrenOf, nationalId, type Organisation, type OrganisationLevel } from "./organisations.js";
import {
  type CascadeSnapshot,
  indexCascade,
  isOverdue,
  type OwnProgress,
  ownProgressOf,
  type RegionalCell,
  regionalView,
  rolledStateOf,
  upwardReports,
} from "./rollup.js";

/**
 * The aggregate of the leaves, written independently of the implementation: walk every measure below the cell by
 * following forwardings and origins (not the tree), collect each as an item (done? late?), and each forwarding no
 * issued plan takes in as an open item (late once its plan deadline passed). The cell is late when any item is late,
 * done when all are done, in progress otherwise; before the child issues anything it is planning (or late).
 */
function leafAggregate(s: CascadeSnapshot, measureId: string, child: string): RegionalCell {
  const forwardingTo = (m: string, org: string): Forwarding | undefined => s.forwardings.find((f) => f.to === org && f.measures.includes(m));
  const implementing = (m: string, org: string): CascadeMeasure[] =>
    s.plans.filter((p) => p.organisation === org && p.status === "issued").flatMap((p) => p.measures.filter((x) => x.origin?.measure === m));
  const top = forwardingTo(measureId, child);
  if (top === undefined) return "not_forwarded";
  const first = implementing(measureId, child);
  if (first.length === 0) return isOverdue(top.planDeadline, s.today) ? "late" : "planning";
  const items: Array<{ done: boolean; late: boolean }> = [];
  const queue = [...first];
  for (let next = queue.pop(); next !== undefined; next = queue.pop()) {
    const own = s.progress.get(next.id) ?? "not_started";
    items.push({ done: own === "done", late: own !== "done" && isOverdue(next.dueDate, s.today) });
    for (const f of s.forwardings.filter((x) => x.measures.includes(next.id))) {
      const below = implementing(next.id, f.to);
      if (below.length === 0) items.push({ done: false, late: isOverdue(f.planDeadline, s.today) });
      else queue.push(...below);
    }
  }
  if (items.some((i) => i.late)) return "late";
  return items.every((i) => i.done) ? "done" : "in_progress";
}

const org = (id: string, parent: string | null, level: OrganisationLevel): Organisation => ({
  id,
  parent,
  level,
  kind: null,
  nameZh: id,
  nameEn: id,
  office: { nameZh: id, nameEn: id, host: `${id}-MIIT` },
  members: [{ code: `${id}-MIIT`, line: "MIIT", nameZh: id, nameEn: id }],
});
// The nation, two provinces, a city under the first.
const tree = buildOrganisationTree([org(nationalId, null, "national"), org("450000", nationalId, "province"), org("330000", nationalId, "province"), org("450100", "450000", "prefecture")]);
const today = "2027-01-15";
const plan = (id: string, organisation: string, status: CascadePlanStatus, measures: Array<[string, string, string | null]>): CascadePlan => ({
  id,
  organisation,
  status,
  implements: null,
  measures: measures.map(([mid, due, origin], i) => ({ id: mid, number: i + 1, title: mid, text: mid, dueDate: due, origin: origin === null ? null : { plan: "?", measure: origin } })),
  division: [],
});
const fwd = (measure: string, from: string, to: string, planDeadline = "2027-02-01"): Forwarding => ({ id: `${measure}>${to}`, plan: "?", from, to, measures: [measure], planDeadline, forwardedOn: "2026-12-01" });
const snapshot = (plans: CascadePlan[], forwardings: Forwarding[], progress: Record<string, OwnProgress>): CascadeSnapshot => ({
  tree,
  plans,
  forwardings,
  progress: new Map(Object.entries(progress)),
  today,
});
const national = plan("CN", nationalId, "issued", [["N1", "2027-06-30", null], ["N2", "ongoing", null]]);

describe("ownProgressOf", () => {
  it.each(measureStatuses.map((s) => [s]))("%s", (status) => {
    const expected: Record<string, OwnProgress> = { not_started: "not_started", in_progress: "in_progress", awaiting_lead: "in_progress", countersigned: "done", closed: "done" };
    expect(ownProgressOf(status)).toBe(expected[status]);
  });
});

describe("isOverdue", () => {
  it("is overdue from the day after a dated due date, never when ongoing", () => {
    expect(isOverdue("2027-01-14", today)).toBe(true);
    expect(isOverdue("2027-01-15", today)).toBe(false);
    expect(isOverdue("ongoing", today)).toBe(false);
    expect(isOverdue("soon", today)).toBe(false);
  });
});

describe("the regional view: a walk down the levels", () => {
  it("shows not forwarded, then planning, then the province's own progress", () => {
    const none = regionalView(snapshot([national], [], {}), "CN");
    expect(none.columns).toEqual(["450000", "330000"]);
    expect(none.rows.map((r) => r.cells)).toEqual([
      ["not_forwarded", "not_forwarded"],
      ["not_forwarded", "not_forwarded"],
    ]);
    const sent = [fwd("N1", nationalId, "450000"), fwd("N1", nationalId, "330000")];
    expect(regionalView(snapshot([national], sent, {}), "CN").rows[0]?.cells).toEqual(["planning", "planning"]);
    // A draft implements nothing yet.
    const gxDraft = plan("GX", "450000", "draft", [["G1", "2027-06-30", "N1"]]);
    expect(regionalView(snapshot([national, gxDraft], sent, {}), "CN").rows[0]?.cells).toEqual(["planning", "planning"]);
    const gx = { ...gxDraft, status: "issued" as const };
    expect(regionalView(snapshot([national, gx], sent, {}), "CN").rows[0]?.cells).toEqual(["in_progress", "planning"]);
    expect(regionalView(snapshot([national, gx], sent, { G1: "done" }), "CN").rows[0]?.cells).toEqual(["done", "planning"]);
  });

  it("is late when a plan deadline passes with no plan issued, or a local measure is overdue", () => {
    const sent = [fwd("N1", nationalId, "450000", "2027-01-14"), fwd("N1", nationalId, "330000", "2027-01-15")];
    expect(regionalView(snapshot([national], sent, {}), "CN").rows[0]?.cells).toEqual(["late", "planning"]);
    const gx = plan("GX", "450000", "issued", [["G1", "2027-01-10", "N1"]]);
    expect(regionalView(snapshot([national, gx], sent, { G1: "in_progress" }), "CN").rows[0]?.cells[0]).toBe("late");
    // Done late is done: lateness is about work still owed.
    expect(regionalView(snapshot([national, gx], sent, { G1: "done" }), "CN").rows[0]?.cells[0]).toBe("done");
  });

  it("is done for a province only when all its local measures implementing the measure are done, down to the city", () => {
    const sent = [fwd("N1", nationalId, "450000"), fwd("G1", "450000", "450100")];
    const gx = plan("GX", "450000", "issued", [["G1", "2027-06-30", "N1"], ["G2", "2027-06-30", "N1"], ["G3", "ongoing", null]]);
    const nn = plan("NN", "450100", "issued", [["C1", "2027-03-31", "G1"]]);
    const cell = (progress: Record<string, OwnProgress>, plans = [national, gx, nn]) => regionalView(snapshot(plans, sent, progress), "CN").rows[0]?.cells[0];
    expect(cell({ G1: "done", G2: "done" })).toBe("in_progress");
    expect(cell({ G1: "done", G2: "done", C1: "done" })).toBe("done");
    expect(cell({ G1: "done", C1: "done" })).toBe("in_progress");
    // A local measure of the province's own (G3) does not count toward N1.
    expect(cell({ G1: "done", G2: "done", C1: "done", G3: "not_started" })).toBe("done");
    // The city still planning keeps the province in progress, or late once the city's plan deadline passed.
    expect(cell({ G1: "done", G2: "done" }, [national, gx])).toBe("in_progress");
    const lateSent = [fwd("N1", nationalId, "450000"), fwd("G1", "450000", "450100", "2027-01-01")];
    expect(regionalView(snapshot([national, gx], lateSent, { G1: "done", G2: "done" }), "CN").rows[0]?.cells[0]).toBe("late");
    // The city overdue makes the province late for N1.
    const nnLate = plan("NN", "450100", "issued", [["C1", "2027-01-01", "G1"]]);
    expect(cell({ G1: "done", G2: "done" }, [national, gx, nnLate])).toBe("late");
  });

  it("drills down: the province's own view shows its city, and its measures' states", () => {
    const sent = [fwd("N1", nationalId, "450000"), fwd("G1", "450000", "450100")];
    const gx = plan("GX", "450000", "issued", [["G1", "2027-06-30", "N1"], ["G2", "2027-06-30", "N1"]]);
    const nn = plan("NN", "450100", "issued", [["C1", "2027-03-31", "G1"]]);
    const view = regionalView(snapshot([national, gx, nn], sent, { G1: "done", C1: "in_progress" }), "GX");
    expect(view.columns).toEqual(["450100"]);
    expect(view.rows.map((r) => [r.measure.id, r.state, ...r.cells])).toEqual([
      ["G1", "in_progress", "in_progress"],
      ["G2", "in_progress", "not_forwarded"],
    ]);
    expect(view.totals).toEqual({ not_forwarded: 1, planning: 0, in_progress: 1, done: 0, late: 0 });
    expect(regionalView(snapshot([], [], {}), "nothing").rows).toEqual([]);
  });

  it("reports each local measure's state upward to the measure it implements", () => {
    const sent = [fwd("N1", nationalId, "450000"), fwd("G1", "450000", "450100")];
    const gx = plan("GX", "450000", "issued", [["G1", "2027-06-30", "N1"], ["G3", "2027-01-01", null]]);
    const nn = plan("NN", "450100", "issued", [["C1", "2027-03-31", "G1"]]);
    const s = snapshot([national, gx, nn], sent, { G1: "done", C1: "done" });
    expect(upwardReports(s, "450000")).toEqual([{ measure: "G1", organisation: "450000", implements: "N1", state: "done" }]);
    expect(upwardReports(s, "450100")).toEqual([{ measure: "C1", organisation: "450100", implements: "G1", state: "done" }]);
    expect(rolledStateOf(indexCascade(s), "G3")).toBe("late");
    expect(upwardReports(s, nationalId)).toEqual([]);
  });
});

describe("exhaustive over the states of a three-level chain", () => {
  // Nation N1 → province G1 → city C1: every combination of the province's and the city's plan status, own
  // progress and overdue-ness, and the city's plan deadline; the national cell must equal the aggregate of the leaves.
  const statuses: Array<CascadePlanStatus | "none"> = ["none", "draft", "issued", "withdrawn"];
  const progress: OwnProgress[] = ["not_started", "in_progress", "done"];
  const dues = ["2027-01-01", "2027-06-30", "ongoing"];
  const deadlines = ["2027-01-01", "2027-02-01"];
  const cases: Array<[CascadePlanStatus | "none", OwnProgress, string, boolean, CascadePlanStatus | "none", OwnProgress, string, string]> = [];
  for (const gs of statuses)
    for (const gp of progress)
      for (const gd of dues)
        for (const toCity of [false, true])
          for (const cs of statuses) for (const cp of progress) for (const cd of dues) for (const dl of deadlines) cases.push([gs, gp, gd, toCity, cs, cp, cd, dl]);

  it(`covers ${cases.length} cases`, () => {
    const seen = new Set<RegionalCell>();
    for (const [gs, gp, gd, toCity, cs, cp, cd, dl] of cases) {
      const plans = [national];
      if (gs !== "none") plans.push(plan("GX", "450000", gs, [["G1", gd, "N1"]]));
      if (cs !== "none") plans.push(plan("NN", "450100", cs, [["C1", cd, "G1"]]));
      const forwardings = [fwd("N1", nationalId, "450000", dl), ...(toCity ? [fwd("G1", "450000", "450100", dl)] : [])];
      const s = snapshot(plans, forwardings, { G1: gp, C1: cp });
      const cell = regionalView(s, "CN").rows[0]?.cells[0];
      expect(cell, JSON.stringify([gs, gp, gd, toCity, cs, cp, cd, dl])).toBe(leafAggregate(s, "N1", "450000"));
      if (cell !== undefined) seen.add(cell);
    }
    expect([...seen].sort()).toEqual(["done", "in_progress", "late", "planning"]);
  });
});

/** The fastest of `runs` timings of `work` in ms: the minimum is what the code costs, the rest is a busy machine. */
const fastestOf = (runs: number, work: () => unknown): number => {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    work();
    best = Math.min(best, performance.now() - started);
  }
  return best;
};

/** 30 provinces × 9 prefectures × `counties` counties, a 25-measure national plan forwarded and implemented at every level. */
function scaleSnapshot(counties: number): CascadeSnapshot {
  const orgs: Organisation[] = [org(nationalId, null, "national")];
  const plans: CascadePlan[] = [];
  const forwardings: Forwarding[] = [];
  const progress = new Map<string, OwnProgress>();
  const nationalPlan = plan("CN", nationalId, "issued", Array.from({ length: 25 }, (_, i) => [`N${i + 1}`, "2027-06-30", null] as [string, string, null]));
  plans.push(nationalPlan);
  const cascadeTo = (parent: CascadePlan, id: string): CascadePlan => {
    const ms = parent.measures.map((m, i) => [`${id}/${i + 1}`, "2027-06-30", m.id] as [string, string, string]);
    for (const [mid] of ms) progress.set(mid, "in_progress");
    forwardings.push({ id: `F${id}`, plan: parent.id, from: parent.organisation, to: id, measures: parent.measures.map((m) => m.id), planDeadline: "2027-02-01", forwardedOn: "2026-12-01" });
    const p = plan(`P${id}`, id, "issued", ms);
    plans.push(p);
    return p;
  };
  for (let i = 0; i < 30; i += 1) {
    const pid = `${11 + i}0000`;
    orgs.push(org(pid, nationalId, "province"));
    const pp = cascadeTo(nationalPlan, pid);
    for (let j = 0; j < 9; j += 1) {
      const cid = `${11 + i}${String(j + 1).padStart(2, "0")}00`;
      orgs.push(org(cid, pid, "prefecture"));
      const cp = cascadeTo(pp, cid);
      for (let k = 0; k < counties; k += 1) {
        const kid = `${cid.slice(0, 4)}${String(k + 1).padStart(2, "0")}`;
        orgs.push(org(kid, cid, "county"));
        cascadeTo(cp, kid);
      }
    }
  }
  return { tree: buildOrganisationTree(orgs), plans, forwardings, progress, today };
}

describe("property: the national view always equals the aggregate of the leaves", () => {
  it("for random trees, forwardings, plans and states, at every level", () => {
    let cells = 0;
    fc.assert(
      fc.property(fc.array(fc.nat(999), { minLength: 50, maxLength: 400 }), (seed) => {
        const r = randomCascade(seed);
        const s: CascadeSnapshot = { tree: r.tree, plans: r.plans, forwardings: r.forwardings, progress: r.progress, today: r.today };
        const index = indexCascade(s);
        for (const p of r.plans.filter((x) => x.status === "issued")) {
          const view = regionalView(s, p.id, index);
          expect(view.columns).toEqual(childrenOf(r.tree, p.organisation));
          view.rows.forEach((row) => {
            row.cells.forEach((cell, i) => {
              cells += 1;
              expect(cell).toBe(leafAggregate(s, row.measure.id, view.columns[i] ?? ""));
            });
          });
        }
      }),
      { numRuns: 400 },
    );
    expect(cells).toBeGreaterThan(1000);
  });

  it("is not quadratic: 3,000 organisations with 25 measures forwarded to all, against one county per prefecture", () => {
    const small = scaleSnapshot(1);
    const big = scaleSnapshot(10);
    expect(big.tree.byId.size).toBe(3001);
    const view = regionalView(big, "CN");
    expect(view.totals.in_progress).toBe(25 * 30);
    // Fastest of three, each with a fresh index (the index memoises): 571 → 3,001 organisations is ×5.3 when linear,
    // ×28 when quadratic.
    const smallMs = fastestOf(3, () => regionalView(small, "CN"));
    const bigMs = fastestOf(3, () => regionalView(big, "CN"));
    expect(bigMs / Math.max(smallMs, 1)).toBeLessThan(14);
    expect(bigMs).toBeLessThan(5000);
  });
});
