import { copyFileSync, mkdirSync, mkdtempSync } from "node:fs";
import { join } from "node:path";
import { inject } from "vitest";
import { defaultPlan } from "@countersign/domain";
import { dataOf, signedIn } from "./client.js";
import type { Browser } from "./client.js";

/** The key of the draft drill plan in the template database: a second copy of the 2020 document. */
export const drillPlanKey = "reliability-drill";

/** A folder of this run's temporary root. */
export function scratchDir(name: string): string {
  return mkdtempSync(join(inject("tmpRoot"), `${name}-`));
}

/** A fresh copy of the template database (demo accounts, the demo plan in flight, the draft drill plan). */
export function freshDatabase(name: string): string {
  const dir = scratchDir(name);
  const path = join(dir, "countersign.sqlite");
  mkdirSync(dir, { recursive: true });
  copyFileSync(inject("templateDb"), path);
  return path;
}

export interface PlanRow {
  id: number;
  key: string;
  status: string;
}

/** The drill plan's id, issued by the coordinator (due far ahead) if it is still a draft. */
export async function issueDrillPlan(base: string, coordinator?: Browser): Promise<number> {
  const miit = coordinator ?? (await signedIn(base, "miit"));
  const plans = dataOf<PlanRow[]>(await miit.query("catalog.plans"));
  const drill = plans.find((p) => p.key === drillPlanKey);
  if (drill === undefined) throw new Error("the template has no drill plan");
  if (drill.status !== "issued") dataOf(await miit.mutate("plan.issue", { planId: drill.id, dueDate: "2099-12-31" }));
  return drill.id;
}

/** The demo plan's id (the 2020 plan, issued and in flight). */
export async function demoPlanId(browser: Browser): Promise<number> {
  const plans = dataOf<PlanRow[]>(await browser.query("catalog.plans"));
  const demo = plans.find((p) => p.key === defaultPlan.key);
  if (demo === undefined) throw new Error("no demo plan");
  return demo.id;
}

export interface TrackedAssignment {
  id: number;
  version: number;
  department: string;
  role: "lead" | "supporting";
  status: string;
}

export interface TrackedMeasure {
  number: number;
  assignments: TrackedAssignment[];
}

/** Every measure of a plan with its assignments, as the coordinator's tracking page sees them. */
export async function measuresOf(browser: Browser, planId: number): Promise<TrackedMeasure[]> {
  return dataOf<{ measures: TrackedMeasure[] }>(await browser.query("tracking.overview", { planId })).measures;
}
