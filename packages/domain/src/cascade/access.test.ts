import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { randomCascade } from "../test-support/random-cascade.js";
import { cascadePlanAccess, maySeeProgressOf, regionalViewFor, visiblePlans } from "./access.js";
import type { CascadePlan, Forwarding } from "./forwarding.js";
import { ancestorsOf, buildOrganisationTree, defaultOrganisations, descendantsOf, nationalId, type OrganisationTree } from "./organisations.js";
import type { CascadeSnapshot } from "./rollup.js";

const tree = buildOrganisationTree(defaultOrganisations());
const plan = (id: string, organisation: string, status: CascadePlan["status"] = "issued"): CascadePlan => ({ id, organisation, status, implements: null, measures: [], division: [] });
const fwd = (p: CascadePlan, to: string): Forwarding => ({ id: `${p.id}>${to}`, plan: p.id, from: p.organisation, to, measures: [], planDeadline: "2027-01-01", forwardedOn: "2026-12-01" });

describe("what an organisation sees", () => {
  const national = plan("CN", nationalId);
  const guangxi = plan("GX", "450000");
  const zhejiang = plan("ZJ", "330000");
  const nanning = plan("NN", "450100");
  const longan = plan("LA", "450123");
  const forwardings = [fwd(national, "450000"), fwd(national, "330000"), fwd(guangxi, "450100"), fwd(nanning, "450123")];
  const access = (viewer: string, p: CascadePlan) => cascadePlanAccess(tree, viewer, p, forwardings);

  it("its own plans fully", () => {
    expect(access("450000", guangxi)).toBe("full");
    expect(access(nationalId, national)).toBe("full");
    expect(access("450123", longan)).toBe("full");
  });

  it("its parent's plan read-only when forwarded to it, and nothing further up", () => {
    expect(access("450000", national)).toBe("read_only");
    expect(access("450100", guangxi)).toBe("read_only");
    expect(access("450123", nanning)).toBe("read_only");
    expect(access("450123", guangxi)).toBe("none");
    expect(access("450123", national)).toBe("none");
    // Not forwarded to this child (柳州), or a draft: nothing.
    expect(access("450200", guangxi)).toBe("none");
    expect(cascadePlanAccess(tree, "450000", { ...national, status: "draft" }, forwardings)).toBe("none");
  });

  it("the progress of everything below it", () => {
    expect(access(nationalId, guangxi)).toBe("progress");
    expect(access(nationalId, longan)).toBe("progress");
    expect(access("450000", longan)).toBe("progress");
    expect(access("450100", longan)).toBe("progress");
  });

  it("never a sibling's, nor a sibling's subtree's, nor an unknown organisation's", () => {
    expect(access("330000", guangxi)).toBe("none");
    expect(access("450000", zhejiang)).toBe("none");
    expect(access("330000", nanning)).toBe("none");
    expect(access("450200", nanning)).toBe("none");
    expect(access("450124", longan)).toBe("none");
    expect(access("nobody", national)).toBe("none");
  });

  it("lists the visible plans with their access", () => {
    expect(visiblePlans(tree, "450000", [national, guangxi, zhejiang, nanning, longan], forwardings).map((v) => `${v.plan.id} ${v.access}`)).toEqual([
      "CN read_only",
      "GX full",
      "NN progress",
      "LA progress",
    ]);
  });

  it("gives the regional view of its own plans and those below, never of one above or beside", () => {
    const snapshot: CascadeSnapshot = { tree, plans: [national, guangxi, zhejiang, nanning], forwardings, progress: new Map(), today: "2026-12-15" };
    const view = (viewer: string, planId: string) => regionalViewFor(snapshot, viewer, planId);
    expect(view(nationalId, "CN").ok).toBe(true);
    expect(view(nationalId, "GX").ok).toBe(true);
    expect(view("450000", "GX").ok).toBe(true);
    expect(view("450000", "NN").ok).toBe(true);
    for (const [viewer, planId] of [["450000", "CN"], ["450000", "ZJ"], ["330000", "GX"], ["450100", "GX"], [nationalId, "missing"]] as const) {
      const r = view(viewer, planId);
      expect(r.ok ? null : r.refusal.code, `${viewer} ${planId}`).toBe("not_visible");
    }
    expect(maySeeProgressOf(tree, "450000", "450000")).toBe(true);
    expect(maySeeProgressOf(tree, "450000", nationalId)).toBe(false);
  });
});

/** The relation of `other` to `viewer`, worked out from ancestor lists alone. */
function relation(t: OrganisationTree, viewer: string, other: string): "self" | "parent" | "above" | "below" | "sibling" | "sibling_below" | "elsewhere" {
  if (viewer === other) return "self";
  const up = ancestorsOf(t, viewer);
  if (up[0] === other) return "parent";
  if (up.includes(other)) return "above";
  if (ancestorsOf(t, other).includes(viewer)) return "below";
  const parent = up[0];
  const siblings = parent === undefined ? [] : (t.children.get(parent) ?? []).filter((s) => s !== viewer);
  if (siblings.includes(other)) return "sibling";
  if (siblings.some((s) => descendantsOf(t, s).includes(other))) return "sibling_below";
  return "elsewhere";
}

describe("property: 0 leaks across siblings on random trees", () => {
  it("a sibling, a sibling's subtree, anything not above or below: none; the regional view never shows a column beside the viewer", () => {
    let leaks = 0;
    let siblingPairs = 0;
    fc.assert(
      fc.property(fc.array(fc.nat(999), { minLength: 50, maxLength: 300 }), (seed) => {
        const r = randomCascade(seed);
        const snapshot: CascadeSnapshot = { tree: r.tree, plans: r.plans, forwardings: r.forwardings, progress: r.progress, today: r.today };
        for (const viewer of r.tree.byId.keys()) {
          const visible = new Set(visiblePlans(r.tree, viewer, r.plans, r.forwardings).map((v) => v.plan.id));
          for (const p of r.plans) {
            const rel = relation(r.tree, viewer, p.organisation);
            const access = cascadePlanAccess(r.tree, viewer, p, r.forwardings);
            if (rel === "sibling" || rel === "sibling_below") {
              siblingPairs += 1;
              if (access !== "none") leaks += 1;
            }
            const allowed = rel === "self" ? "full" : rel === "below" ? "progress" : rel === "parent" && r.forwardings.some((f) => f.plan === p.id && f.to === viewer) && p.status !== "draft" ? "read_only" : "none";
            expect(access, `${viewer} ${rel} ${p.id}`).toBe(allowed);
            expect(visible.has(p.id)).toBe(allowed !== "none");
            const view = regionalViewFor(snapshot, viewer, p.id);
            expect(view.ok).toBe(rel === "self" || rel === "below");
            if (view.ok) for (const column of view.value.columns) expect(["below"]).toContain(relation(r.tree, viewer, column));
          }
        }
      }),
      { numRuns: 150 },
    );
    expect(leaks).toBe(0);
    expect(siblingPairs).toBeGreaterThan(100);
  });
});
