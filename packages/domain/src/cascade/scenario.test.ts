/*
 * The issue's walk-through, in the pure domain: the national office forwards the 2020 plan to two provinces; Guangxi
 * issues its implementation plan with a local measure and forwards one measure to Nanning; Nanning's department signs
 * off; Guangxi's and the nation's views change; Zhejiang sees none of it. (The browser test of the same walk needs the
 * server and the web client, not yet built.)
 */
import { describe, expect, it } from "vitest";
import { defaultPlan } from "../plan-2020.js";
import { proposedDivision2020 } from "../proposed-division-2020.js";
import { cascadePlanAccess, regionalViewFor, visiblePlans } from "./access.js";
import {
  addLocalMeasure,
  type CascadeActor,
  type CascadePlan,
  type CascadeResult,
  deriveLocalPlan,
  type Forwarding,
  forwardPlan,
  issueCascadePlan,
  ownCascadePlan,
  pendingForwardings,
} from "./forwarding.js";
import { buildOrganisationTree, defaultOrganisations, nationalId, type Organisation } from "./organisations.js";
import { type CascadeSnapshot, type OwnProgress, type RegionalView, regionalView } from "./rollup.js";

const tree = buildOrganisationTree(defaultOrganisations());
const org = (id: string): Organisation => {
  const o = tree.byId.get(id);
  if (o === undefined) throw new Error(`no organisation ${id}`);
  return o;
};
const coordinator = (organisation: string): CascadeActor => ({ organisation, role: "coordinator" });
function value<T>(result: CascadeResult<T>): T {
  if (!result.ok) throw new Error(`refused: ${result.refusal.code} ${result.refusal.message}`);
  return result.value;
}
const today = "2026-12-01";
/** The cells of row `row` for the named columns. */
const cells = (view: RegionalView, row: number, columns: readonly string[]) => columns.map((c) => view.rows[row]?.cells[view.columns.indexOf(c)]);
// Guangxi and Zhejiang, which get the plan, and Guangdong, which does not.
const watched = ["450000", "330000", "440000"];

describe("down the levels and back up, end to end", () => {
  it("forwards, derives, issues, forwards again, and rolls the city's sign-off up to the nation", () => {
    const national = ownCascadePlan("CN-2020", nationalId, defaultPlan.measures, proposedDivision2020, () => "2027-12-31");
    const forwardings: Forwarding[] = value(
      forwardPlan({ tree, actor: coordinator(nationalId), plan: national, existing: [], today, newId: (to) => `F-CN-${to}` }, { to: ["450000", "330000"], measures: "all", planDeadline: "2027-03-31" }),
    );
    const progress = new Map<string, OwnProgress>();
    const snap = (plans: CascadePlan[]): CascadeSnapshot => ({ tree, plans, forwardings, progress, today });
    expect(regionalView(snap([national]), "CN-2020").totals).toEqual({ not_forwarded: 29 * 25, planning: 50, in_progress: 0, done: 0, late: 0 });

    // Guangxi takes the plan in from its inbox, adds a local measure and issues.
    expect(pendingForwardings("450000", forwardings, []).map((f) => f.measures.length)).toEqual([25]);
    const toGuangxi = forwardings.filter((f) => f.to === "450000");
    let gx = value(deriveLocalPlan({ actor: coordinator("450000"), organisation: org("450000"), parentPlan: national, parentOrganisation: org(nationalId), forwardings: toGuangxi, plans: [], planId: "GX-2020" })).plan;
    gx = value(addLocalMeasure(coordinator("450000"), gx, { title: "沿边中小企业", text: "支持沿边地区中小企业发展。", dueDate: "2027-06-30" }));
    const local = gx.measures.at(-1);
    if (local === undefined) throw new Error("no local measure");
    gx = { ...gx, division: [...gx.division, { measure: local.id, department: "450000-MOFCOM", role: "lead" }] };
    gx = value(issueCascadePlan({ actor: coordinator("450000"), plan: gx, parentPlan: national, forwardings: toGuangxi, otherPlans: [] }));
    expect(cells(regionalView(snap([national, gx]), "CN-2020"), 6, watched)).toEqual(["in_progress", "planning", "not_forwarded"]);

    // Guangxi forwards measure (7) (tax policies) to Nanning, which derives and issues.
    const measure7 = gx.measures[6];
    if (measure7 === undefined) throw new Error("no measure 7");
    const toNanning = value(forwardPlan({ tree, actor: coordinator("450000"), plan: gx, existing: [], today, newId: () => "F-GX-450100" }, { to: ["450100"], measures: [measure7.id], planDeadline: "2027-02-28" }));
    forwardings.push(...toNanning);
    let nn = value(deriveLocalPlan({ actor: coordinator("450100"), organisation: org("450100"), parentPlan: gx, parentOrganisation: org("450000"), forwardings: toNanning, plans: [], planId: "NN-2020" })).plan;
    expect(nn.division.find((r) => r.role === "lead")?.department).toBe("450100-STA");
    nn = value(issueCascadePlan({ actor: coordinator("450100"), plan: nn, parentPlan: gx, forwardings: toNanning, otherPlans: [] }));
    const plans = [national, gx, nn];

    // Guangxi's own work on (7) is done; Nanning's is not yet: both views say in progress.
    progress.set(measure7.id, "done");
    expect(regionalView(snap(plans), "GX-2020").rows[6]?.cells).toEqual(["in_progress", "not_forwarded", "not_forwarded"]);
    expect(cells(regionalView(snap(plans), "CN-2020"), 6, watched)).toEqual(["in_progress", "planning", "not_forwarded"]);

    // Nanning's department signs off (已全部报结): Guangxi's view and the nation's change.
    const nn7 = nn.measures[0];
    if (nn7 === undefined) throw new Error("no measure");
    progress.set(nn7.id, "done");
    expect(regionalView(snap(plans), "GX-2020").rows[6]?.cells[0]).toBe("done");
    expect(regionalView(snap(plans), "GX-2020").rows[6]?.state).toBe("done");
    expect(cells(regionalView(snap(plans), "CN-2020"), 6, watched)).toEqual(["done", "planning", "not_forwarded"]);
    // The other measures of Guangxi's plan are still in progress there; Guangxi's local measure is no row of the nation's.
    expect(cells(regionalView(snap(plans), "CN-2020"), 5, watched)).toEqual(["in_progress", "planning", "not_forwarded"]);
    expect(regionalView(snap(plans), "CN-2020").rows).toHaveLength(25);

    // Zhejiang sees none of it: not Guangxi's plan, not Nanning's, not the national view.
    for (const p of [gx, nn]) expect(cascadePlanAccess(tree, "330000", p, forwardings)).toBe("none");
    expect(visiblePlans(tree, "330000", plans, forwardings).map((v) => [v.plan.id, v.access])).toEqual([["CN-2020", "read_only"]]);
    for (const id of ["CN-2020", "GX-2020", "NN-2020"]) expect(regionalViewFor(snap(plans), "330000", id).ok).toBe(false);
    // The nation drills down to Guangxi's grid and Nanning's.
    expect(regionalViewFor(snap(plans), nationalId, "GX-2020").ok).toBe(true);
    expect(regionalViewFor(snap(plans), nationalId, "NN-2020").ok).toBe(true);
  });
});
