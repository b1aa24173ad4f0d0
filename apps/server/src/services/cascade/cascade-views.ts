/*
 * What an organisation sees down the levels (issue 16): its pending forwardings, the regional view of a plan with the
 * drill-down, a plan by its access (own: full; the parent's forwarded plan: read-only; below: progress), and the
 * organisations around it. Every decision of who sees what is the domain's (`cascadePlanAccess`, `regionalViewFor`,
 * `pendingForwardings`); these only read and shape.
 */
import { cascadePlanAccess, childrenOf, pendingForwardings, regionalViewFor, rolledStateOf, indexCascade } from "@countersign/domain";
import type { CascadeAccess, CascadePlan, DueDate, Forwarding, Organisation, RegionalCell, RolledState } from "@countersign/domain";
import type { Repositories } from "@countersign/db";
import { ServiceError } from "../../errors.js";
import type { ActingUser } from "../shared/acting-user.js";
import { cascadeError } from "./refusal.js";
import { organisationOfActor } from "./boundary.js";
import { loadCascade, organisationTreeOf } from "./cascade-read.js";

export interface OrganisationSummary {
  id: string;
  level: Organisation["level"];
  nameZh: string;
  nameEn: string;
}

const summaryOf = (o: Organisation): OrganisationSummary => ({ id: o.id, level: o.level, nameZh: o.nameZh, nameEn: o.nameEn });

export interface PendingForwarding {
  forwardingId: number;
  planId: number;
  planTitleZh: string;
  planTitleEn: string;
  from: OrganisationSummary;
  planDeadline: string;
  forwardedOn: string;
  /** The forwarded measures not yet taken into a plan of the organisation. */
  measures: Array<{ number: number; title: string }>;
}

/**
 * The caller's organisation's pending forwardings (its inbox of 转发 items), oldest first: the forwardings to it still
 * `pending`, less the measures a plan of its own already implements (the domain's `pendingForwardings`). Reads only
 * what is addressed to the organisation and its own plans' origins, along `forwardings_to_idx`.
 */
export async function listPendingForwardings(repos: Repositories, user: ActingUser): Promise<PendingForwarding[]> {
  const organisation = await organisationOfActor(repos, user);
  const rows = await repos.cascade.pendingForwardingsTo(organisation);
  if (rows.length === 0) return [];
  const forwardedMeasures = await repos.cascade.forwardedMeasures(rows.map((r) => r.id));
  const origins = await repos.cascade.originsOfOwnPlans(organisation);
  // The organisation's plans as the domain needs them here: only the origins of their measures.
  const ownPlans: CascadePlan[] = [...new Set(origins.map((o) => o.planId))].map((id) => ({
    id: String(id),
    organisation,
    status: "draft",
    implements: null,
    division: [],
    measures: origins
      .filter((o) => o.planId === id)
      .map((o, i) => ({ id: `${id}/${i}`, number: i + 1, title: "", text: "", dueDate: "ongoing", origin: { plan: "", measure: String(o.origin) } })),
  }));
  const measureOf = new Map(forwardedMeasures.map((m) => [String(m.measureId), m]));
  const forwardings: Forwarding[] = rows.map((f) => ({
    id: String(f.id),
    plan: String(f.planId),
    from: f.fromOrganisation,
    to: f.toOrganisation,
    measures: forwardedMeasures.filter((m) => m.forwardingId === f.id).map((m) => String(m.measureId)),
    planDeadline: f.planDeadline,
    forwardedOn: f.forwardedOn,
  }));
  const tree = await organisationTreeOf(repos);
  const pending = pendingForwardings(organisation, forwardings, ownPlans);
  const titles = new Map<number, { titleZh: string; titleEn: string }>();
  for (const id of new Set(pending.map((f) => Number(f.plan)))) {
    const plan = await repos.cascade.plan(id);
    if (plan !== undefined) titles.set(id, plan);
  }
  return pending.flatMap((f) => {
    const plan = titles.get(Number(f.plan));
    const from = tree.byId.get(f.from);
    if (plan === undefined || from === undefined) return [];
    return [
      {
        forwardingId: Number(f.id),
        planId: Number(f.plan),
        planTitleZh: plan.titleZh,
        planTitleEn: plan.titleEn,
        from: summaryOf(from),
        planDeadline: f.planDeadline,
        forwardedOn: f.forwardedOn,
        measures: f.measures.flatMap((m) => {
          const ref = measureOf.get(m);
          return ref === undefined ? [] : [{ number: ref.number, title: ref.title }];
        }),
      },
    ];
  });
}

export interface RegionalViewOutput {
  planId: number;
  organisation: OrganisationSummary;
  columns: OrganisationSummary[];
  rows: Array<{ measureNumber: number; title: string; dueDate: DueDate; state: RolledState; cells: RegionalCell[] }>;
  totals: Record<RegionalCell, number>;
  /** For each column, the child's plans implementing this one (the drill-down), by column id. */
  drillDown: Record<string, number[]>;
}

/**
 * The regional view of a plan (measure × child organisation) for the caller's organisation: its own plans and those
 * below it (the drill-down, read-only); refused (`not_visible`) for a plan above or beside it.
 */
export async function getRegionalView(repos: Repositories, user: ActingUser, planId: number, now: Date): Promise<RegionalViewOutput> {
  const viewer = await organisationOfActor(repos, user);
  const data = await loadCascade(repos, now, planId);
  const result = regionalViewFor(data.snapshot, viewer, String(planId));
  if (!result.ok) throw cascadeError(result.refusal);
  const view = result.value;
  const { tree } = data.snapshot;
  const organisation = tree.byId.get(view.organisation);
  if (organisation === undefined) throw new ServiceError("not_found", `There is no plan ${planId}.`);
  const drillDown: Record<string, number[]> = {};
  for (const column of view.columns) {
    drillDown[column] = data.snapshot.plans.filter((p) => p.organisation === column && p.implements === String(planId)).map((p) => Number(p.id));
  }
  return {
    planId,
    organisation: summaryOf(organisation),
    columns: view.columns.flatMap((c) => {
      const o = tree.byId.get(c);
      return o === undefined ? [] : [summaryOf(o)];
    }),
    rows: view.rows.map((r) => ({ measureNumber: r.measure.number, title: r.measure.title, dueDate: r.measure.dueDate, state: r.state, cells: [...r.cells] })),
    totals: { ...view.totals },
    drillDown,
  };
}

export interface CascadePlanView {
  planId: number;
  access: Exclude<CascadeAccess, "none">;
  organisation: OrganisationSummary;
  status: "draft" | "issued" | "withdrawn";
  titleZh: string;
  titleEn: string;
  /** The plan it implements, when it is an implementation plan. */
  implementsPlanId: number | null;
  /** Measures: text and due dates (read_only and full); the rolled state only where the access shows progress (full, progress). */
  measures: Array<{ number: number; title: string; text: string | null; dueDate: DueDate; originNumber: number | null; state: RolledState | null }>;
  /** The forwardings of this plan the caller may know of: to the caller (read_only), all (full), none (progress). */
  forwardings: Array<{ id: number; to: string; planDeadline: string; measureNumbers: number[] }>;
}

/**
 * A plan as the caller's organisation may see it (`cascadePlanAccess`): its own fully, its parent's plan forwarded to it
 * read-only (text, due dates, the forwarding to it; no states), a plan below it as progress (measures and states, no
 * text). Anything else is refused as `not_visible`, the same answer as for a plan that does not exist.
 */
export async function getCascadePlan(repos: Repositories, user: ActingUser, planId: number, now: Date): Promise<CascadePlanView> {
  const viewer = await organisationOfActor(repos, user);
  const data = await loadCascade(repos, now, planId);
  const { snapshot } = data;
  const plan = snapshot.plans.find((p) => p.id === String(planId));
  const row = await repos.cascade.plan(planId);
  const forwardings = snapshot.forwardings.filter((f) => f.plan === String(planId));
  const access = plan === undefined ? "none" : cascadePlanAccess(snapshot.tree, viewer, plan, forwardings);
  const organisation = plan === undefined ? undefined : snapshot.tree.byId.get(plan.organisation);
  if (plan === undefined || row === undefined || organisation === undefined || access === "none") {
    throw new ServiceError("not_visible", "Your organisation may not see this plan.");
  }
  const index = indexCascade(snapshot);
  const showsText = access !== "progress";
  const showsState = access !== "read_only";
  const numberOf = (id: string): number | null => data.measures.get(id)?.number ?? null;
  return {
    planId,
    access,
    organisation: summaryOf(organisation),
    status: plan.status,
    titleZh: row.titleZh,
    titleEn: row.titleEn,
    implementsPlanId: row.implementsPlanId,
    measures: plan.measures.map((m) => ({
      number: m.number,
      title: m.title,
      text: showsText ? m.text : null,
      dueDate: m.dueDate,
      originNumber: m.origin === null ? null : numberOf(m.origin.measure),
      state: showsState ? rolledStateOf(index, m.id) : null,
    })),
    forwardings: forwardings
      .filter((f) => access === "full" || (access === "read_only" && f.to === viewer))
      .map((f) => ({ id: Number(f.id), to: f.to, planDeadline: f.planDeadline, measureNumbers: f.measures.flatMap((m) => numberOf(m) ?? []) })),
  };
}

export interface OrganisationsAround {
  own: OrganisationSummary;
  parent: OrganisationSummary | null;
  /** The level below: whom the organisation forwards to. */
  children: OrganisationSummary[];
  /** Its member departments (the local register; the central departments nationally). */
  members: Array<{ code: string; nameZh: string; nameEn: string }>;
}

/** The caller's organisation, its parent and its children: never a sibling. */
export async function organisationsAround(repos: Repositories, user: ActingUser): Promise<OrganisationsAround> {
  const id = await organisationOfActor(repos, user);
  const tree = await organisationTreeOf(repos, [id]);
  const own = tree.byId.get(id);
  if (own === undefined) throw new ServiceError("not_found", `There is no organisation ${id}.`);
  const parent = own.parent === null ? undefined : tree.byId.get(own.parent);
  return {
    own: summaryOf(own),
    parent: parent === undefined ? null : summaryOf(parent),
    children: childrenOf(tree, id).flatMap((c) => {
      const o = tree.byId.get(c);
      return o === undefined ? [] : [summaryOf(o)];
    }),
    members: own.members.map((m) => ({ code: m.code, nameZh: m.nameZh, nameEn: m.nameEn })),
  };
}
