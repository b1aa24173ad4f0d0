/*
 * Access down the levels (issue 16, point 4), as pure functions: what an organisation sees of the cascade.
 *
 * An organisation sees its own plans fully, its parent's plan read-only when that plan was forwarded to it, and the
 * progress of every organisation below it; never a sibling's, nor anything of a sibling's subtree, nor an ancestor's
 * progress (which would show its siblings' states). Persons get no more than their organisation; within it, the
 * existing policy (`policy.ts`: coordinator, liaison, observer) applies unchanged.
 */
import { type CascadePlan, type CascadeResult, cascadeRefusal, type Forwarding } from "./forwarding.js";
import { isAncestor, type OrganisationTree } from "./organisations.js";
import { type CascadeIndex, type CascadeSnapshot, indexCascade, type RegionalView, regionalView } from "./rollup.js";

/**
 * - full: the organisation's own plan (division, assignments, their words and evidence);
 * - read_only: the parent's plan forwarded to it (its measures' text, due dates and the forwarding; no states);
 * - progress: a plan of an organisation below it (measures, their states and the regional view; no words, no evidence);
 * - none: anything else.
 */
export type CascadeAccess = "full" | "read_only" | "progress" | "none";
export const cascadeAccessLevels = ["full", "read_only", "progress", "none"] as const satisfies readonly CascadeAccess[];

/**
 * What `viewer` (an organisation id) may see of `plan`. `forwardings`: those of the plan (others are ignored); the
 * parent's plan is readable only when one of them is addressed to the viewer. Shape: organisation id × plan → access.
 */
export function cascadePlanAccess(tree: OrganisationTree, viewer: string, plan: CascadePlan, forwardings: readonly Forwarding[]): CascadeAccess {
  if (!tree.byId.has(viewer)) return "none";
  if (plan.organisation === viewer) return "full";
  const parent = tree.byId.get(viewer)?.parent ?? null;
  if (parent !== null && plan.organisation === parent) {
    return plan.status !== "draft" && forwardings.some((f) => f.plan === plan.id && f.to === viewer && f.from === parent) ? "read_only" : "none";
  }
  return isAncestor(tree, viewer, plan.organisation) ? "progress" : "none";
}

/** Whether `viewer` may see the progress of `organisation`: its own, or one below it. */
export function maySeeProgressOf(tree: OrganisationTree, viewer: string, organisation: string): boolean {
  return tree.byId.has(viewer) && (viewer === organisation || isAncestor(tree, viewer, organisation));
}

/**
 * The regional view of a plan, for `viewer`: allowed when the viewer may see the plan's organisation's progress (its
 * own plan, or a plan below it: the drill-down, read-only above one's own level). Its columns are then the plan's
 * organisation's children, all at or below the viewer. Refusal: `not_visible` (an ancestor's or a sibling's plan, an
 * unknown plan).
 */
export function regionalViewFor(
  snapshot: CascadeSnapshot,
  viewer: string,
  planId: string,
  index: CascadeIndex = indexCascade(snapshot),
): CascadeResult<RegionalView> {
  const plan = snapshot.plans.find((p) => p.id === planId);
  if (plan === undefined || !maySeeProgressOf(snapshot.tree, viewer, plan.organisation)) return { ok: false, refusal: cascadeRefusal("not_visible") };
  return { ok: true, value: regionalView(snapshot, planId, index) };
}

/** Every plan `viewer` may see, with its access; plans it may not see are left out. */
export function visiblePlans(tree: OrganisationTree, viewer: string, plans: readonly CascadePlan[], forwardings: readonly Forwarding[]): Array<{ plan: CascadePlan; access: CascadeAccess }> {
  const byPlan = new Map<string, Forwarding[]>();
  for (const f of forwardings) {
    const list = byPlan.get(f.plan);
    if (list === undefined) byPlan.set(f.plan, [f]);
    else list.push(f);
  }
  return plans.flatMap((plan) => {
    const access = cascadePlanAccess(tree, viewer, plan, byPlan.get(plan.id) ?? []);
    return access === "none" ? [] : [{ plan, access }];
  });
}
