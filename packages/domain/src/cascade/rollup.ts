/*
 * Roll-up (issue 16, point 3): each local measure's state reported upward to the measure it implements, and the
 * regional view of a plan (measure × child organisation) as pure functions of one snapshot.
 */
import { isIsoDate } from "../dates.js";
import type { DueDate, MeasureStatus } from "../types.js";
import type { CascadeMeasure, CascadePlan, Forwarding } from "./forwarding.js";
import { childrenOf, type OrganisationTree } from "./organisations.js";

/** A measure's own work at its level, from its assignments there (see `ownProgressOf`). */
export type OwnProgress = "not_started" | "in_progress" | "done";
export const ownProgressLevels = ["not_started", "in_progress", "done"] as const satisfies readonly OwnProgress[];

/**
 * A measure's own progress from its derived measure status (`deriveMeasureStatus`): done once every responsible
 * department has signed off (已全部报结) or the measure is closed (办结); not started while nothing moved.
 */
export function ownProgressOf(status: MeasureStatus): OwnProgress {
  if (status === "countersigned" || status === "closed") return "done";
  return status === "not_started" ? "not_started" : "in_progress";
}

/** What a measure reports upward: its own work and everything below it, rolled up. */
export type RolledState = "in_progress" | "done" | "late";

/** One cell of the regional view: a measure of a plan × one child organisation. */
export type RegionalCell = "not_forwarded" | "planning" | "in_progress" | "done" | "late";
export const regionalCells = ["not_forwarded", "planning", "in_progress", "done", "late"] as const satisfies readonly RegionalCell[];

/** Every plan, forwarding and measure's own progress at one moment. */
export interface CascadeSnapshot {
  tree: OrganisationTree;
  plans: readonly CascadePlan[];
  forwardings: readonly Forwarding[];
  /** Each measure's own progress by measure id; a measure missing is not started. */
  progress: ReadonlyMap<string, OwnProgress>;
  /** Today in Beijing (YYYY-MM-DD, `planCalendarDate`): a due date is overdue from the day after it. */
  today: string;
}

/** Overdue: a dated due date (never "ongoing") strictly before today. */
export function isOverdue(dueDate: DueDate, today: string): boolean {
  return dueDate !== "ongoing" && isIsoDate(dueDate) && dueDate < today;
}

/** The lookups a roll-up needs, built once per snapshot (linear in its size). */
export interface CascadeIndex {
  readonly snapshot: CascadeSnapshot;
  readonly measures: ReadonlyMap<string, { measure: CascadeMeasure; plan: CascadePlan }>;
  /** measure id → child id → the forwarding that sent the measure to the child. */
  readonly forwarded: ReadonlyMap<string, ReadonlyMap<string, Forwarding>>;
  /** origin measure id → organisation id → the measures of that organisation's issued plans implementing it. */
  readonly implementing: ReadonlyMap<string, ReadonlyMap<string, readonly CascadeMeasure[]>>;
  /** Rolled states already computed, by measure id. */
  readonly rolled: Map<string, RolledState>;
}

/** Index a snapshot. Only issued plans implement; a draft or withdrawn plan leaves its measures "planning". */
export function indexCascade(snapshot: CascadeSnapshot): CascadeIndex {
  const measures = new Map<string, { measure: CascadeMeasure; plan: CascadePlan }>();
  const implementing = new Map<string, Map<string, CascadeMeasure[]>>();
  for (const plan of snapshot.plans) {
    for (const measure of plan.measures) {
      measures.set(measure.id, { measure, plan });
      if (plan.status !== "issued" || measure.origin === null) continue;
      const byOrganisation = implementing.get(measure.origin.measure) ?? new Map<string, CascadeMeasure[]>();
      implementing.set(measure.origin.measure, byOrganisation);
      const list = byOrganisation.get(plan.organisation);
      if (list === undefined) byOrganisation.set(plan.organisation, [measure]);
      else list.push(measure);
    }
  }
  const forwarded = new Map<string, Map<string, Forwarding>>();
  for (const f of snapshot.forwardings) {
    for (const m of f.measures) {
      const byChild = forwarded.get(m) ?? new Map<string, Forwarding>();
      forwarded.set(m, byChild);
      if (!byChild.has(f.to)) byChild.set(f.to, f);
    }
  }
  return { snapshot, measures, forwarded, implementing, rolled: new Map() };
}

const isChild = (index: CascadeIndex, parent: string, child: string): boolean => index.snapshot.tree.byId.get(child)?.parent === parent;

/**
 * The state a measure reports upward (to the measure it implements, or to its own organisation's view):
 * - late when its own work is not done and its due date has passed, or when any child it was forwarded to is late;
 * - done when its own work is done and every child it was forwarded to is done;
 * - in progress otherwise (including a child still planning within its plan deadline).
 * Shape: the measure's id → RolledState; an unknown id is in progress with nothing below.
 */
export function rolledStateOf(index: CascadeIndex, measureId: string): RolledState {
  const known = index.rolled.get(measureId);
  if (known !== undefined) return known;
  const entry = index.measures.get(measureId);
  const own = index.snapshot.progress.get(measureId) ?? "not_started";
  let late = own !== "done" && entry !== undefined && isOverdue(entry.measure.dueDate, index.snapshot.today);
  let done = own === "done";
  if (entry !== undefined) {
    // Only the children it was forwarded to count (the others are "not forwarded").
    for (const child of index.forwarded.get(measureId)?.keys() ?? []) {
      if (!isChild(index, entry.plan.organisation, child)) continue;
      const cell = regionalCellOf(index, measureId, child);
      if (cell === "late") late = true;
      if (cell !== "done") done = false;
    }
  }
  const state: RolledState = late ? "late" : done ? "done" : "in_progress";
  index.rolled.set(measureId, state);
  return state;
}

/**
 * The state of one measure at one child organisation:
 * - not forwarded: the measure was never forwarded to the child;
 * - planning: forwarded, but no issued plan of the child implements it yet; late instead once the forwarding's plan
 *   deadline has passed;
 * - otherwise the aggregate of the child's measures implementing it (`rolledStateOf`): late when any is late, done
 *   when all are done, in progress otherwise.
 */
export function regionalCellOf(index: CascadeIndex, measureId: string, child: string): RegionalCell {
  const forwarding = index.forwarded.get(measureId)?.get(child);
  if (forwarding === undefined) return "not_forwarded";
  const local = index.implementing.get(measureId)?.get(child) ?? [];
  if (local.length === 0) return isOverdue(forwarding.planDeadline, index.snapshot.today) ? "late" : "planning";
  let done = true;
  for (const m of local) {
    const state = rolledStateOf(index, m.id);
    if (state === "late") return "late";
    if (state !== "done") done = false;
  }
  return done ? "done" : "in_progress";
}

export interface RegionalRow {
  measure: CascadeMeasure;
  /** The measure's own rolled state (its own work and everything below it). */
  state: RolledState;
  /** One cell per column, in the columns' order. */
  cells: readonly RegionalCell[];
}

export interface RegionalView {
  plan: string;
  organisation: string;
  /** The child organisations, in the tree's order. */
  columns: readonly string[];
  rows: readonly RegionalRow[];
  /** How many cells are in each state. */
  totals: Readonly<Record<RegionalCell, number>>;
}

/**
 * The regional view of a plan: its measures × its organisation's children (national: measure × province). A row per
 * measure in plan order, a cell per child by `regionalCellOf`, the row's own rolled state, and the count of each
 * cell state. Linear in the snapshot (each measure's roll-up is computed once). Throws nothing: an unknown plan id
 * gives an empty view.
 */
export function regionalView(snapshot: CascadeSnapshot, planId: string, index: CascadeIndex = indexCascade(snapshot)): RegionalView {
  const plan = snapshot.plans.find((p) => p.id === planId);
  const totals: Record<RegionalCell, number> = { not_forwarded: 0, planning: 0, in_progress: 0, done: 0, late: 0 };
  if (plan === undefined) return { plan: planId, organisation: "", columns: [], rows: [], totals };
  const columns = childrenOf(snapshot.tree, plan.organisation);
  const rows = plan.measures.map((measure) => {
    const cells = columns.map((child) => regionalCellOf(index, measure.id, child));
    for (const c of cells) totals[c] += 1;
    return { measure, state: rolledStateOf(index, measure.id), cells };
  });
  return { plan: plan.id, organisation: plan.organisation, columns, rows, totals };
}

/** One report upward: a local measure's rolled state, addressed to the measure it implements. */
export interface UpwardReport {
  /** The reporting measure and its organisation. */
  measure: string;
  organisation: string;
  /** The measure it implements, one level up. */
  implements: string;
  state: RolledState;
}

/** What every measure of an organisation's issued plans reports to the level above: one report per implementing measure. */
export function upwardReports(snapshot: CascadeSnapshot, organisation: string, index: CascadeIndex = indexCascade(snapshot)): UpwardReport[] {
  const out: UpwardReport[] = [];
  for (const plan of snapshot.plans) {
    if (plan.organisation !== organisation || plan.status !== "issued") continue;
    for (const m of plan.measures) {
      if (m.origin === null) continue;
      out.push({ measure: m.id, organisation, implements: m.origin.measure, state: rolledStateOf(index, m.id) });
    }
  }
  return out;
}
