/*
 * The organisation boundary of the existing procedures (issue 16, point 4): every procedure that names a plan, an
 * assignment, a round or a round report works only on the caller's own organisation's plans. What an organisation may
 * see of its parent's plan (read-only) and of the plans below it (progress) it reads through the cascade procedures
 * (`cascade.plan`, `cascade.regionalView`), which apply the domain's `cascadePlanAccess`; the plan views, inboxes,
 * matrices, tracking, rounds and assignments stay within one organisation. Before issue 16 every plan was the national
 * level's and every account too, so nothing changes for them.
 */
import { nationalId } from "@countersign/domain";
import type { Repositories } from "@countersign/db";
import { ServiceError } from "../../errors.js";
import type { ActingUser } from "../shared/acting-user.js";

const positiveInt = (v: unknown): number | null => (typeof v === "number" && Number.isSafeInteger(v) && v > 0 ? v : null);

/** The plans a procedure's input names, by the input's keys and the procedure's path (its router). */
export async function plansNamedBy(repos: Repositories, path: string, raw: unknown): Promise<number[]> {
  if (raw === null || typeof raw !== "object") return [];
  const input = raw as Record<string, unknown>;
  const router = path.split(".")[0] ?? "";
  const plans: number[] = [];
  const planId = positiveInt(input["planId"]);
  if (planId !== null) plans.push(planId);
  const assignmentId = positiveInt(input["assignmentId"]) ?? (router === "assignment" ? positiveInt(input["id"]) : null);
  if (assignmentId !== null) {
    const plan = await repos.organisations.planOfAssignment(assignmentId);
    if (plan !== undefined) plans.push(plan);
  }
  // A round named by id: the round procedures and the compiled round report's download (export.round).
  const roundId = router === "round" || path === "export.round" ? positiveInt(input["roundId"]) : null;
  if (roundId !== null) {
    const plan = await repos.organisations.planOfRound(roundId);
    if (plan !== undefined) plans.push(plan);
  }
  const reportId = router === "round" ? positiveInt(input["reportId"]) : null;
  if (reportId !== null) {
    const plan = await repos.organisations.planOfRoundReport(reportId);
    if (plan !== undefined) plans.push(plan);
  }
  return plans;
}

/** The organisation a user acts for: resolved with the session, else their department's, else the account's own. */
export async function organisationOfActor(repos: Repositories, user: ActingUser): Promise<string> {
  if (user.organisation !== undefined && user.organisation !== null) return user.organisation;
  const row = await repos.organisations.organisationsOfUser(user.id);
  return row?.department ?? row?.account ?? nationalId;
}

/**
 * Refuses (`not_visible`, FORBIDDEN) a procedure outside the cascade that names a plan of another organisation than the
 * caller's. The cascade's own procedures (path `cascade.*`) decide access themselves. A plan that does not exist is
 * left to the procedure (it answers not_found). Reads committed state through `repos` (either engine).
 */
export async function assertWithinOrganisation(repos: Repositories, user: ActingUser, path: string, raw: unknown): Promise<void> {
  if (path.startsWith("cascade.")) return;
  const plans = await plansNamedBy(repos, path, raw);
  const router = path.split(".")[0] ?? "";
  const input = raw !== null && typeof raw === "object" ? (raw as Record<string, unknown>) : {};
  const department = typeof input["department"] === "string" ? input["department"] : null;
  // An inbox, trail or department's people (a coordinator's view of one department) is a department of its organisation.
  const namesDepartment = department !== null && ["inbox", "audit", "tracking", "export", "department"].includes(router);
  // Every department's inbox at once (department: null) spans organisations unless a plan is named: the national office's only.
  const everyDepartment = router === "inbox" && "department" in input && input["department"] === null && plans.length === 0;
  if (plans.length === 0 && !namesDepartment && !everyDepartment) return;
  const own = await organisationOfActor(repos, user);
  const refuse = (): never => {
    throw new ServiceError("not_visible", "Your organisation may not see this: only its own plans here; the parent's forwarded plan and the progress below are in the cascade views.");
  };
  for (const planId of plans) {
    const organisation = await repos.organisations.organisationOfPlan(planId);
    if (organisation !== undefined && organisation !== own) refuse();
  }
  if (everyDepartment && own !== nationalId) refuse();
  if (namesDepartment && department !== null) {
    const organisation = await repos.organisations.organisationOfDepartment(department);
    if (organisation !== undefined && organisation !== own) refuse();
  }
}

/**
 * Whether the caller hears of a change on `planId` in the live stream (ids only, to refetch; docs/api.md "live"): a
 * plan of its organisation, of an organisation below it (the roll-up it follows), or of its parent once forwarded to
 * it (a forwarding is announced on the parent's plan); never a sibling's or a sibling's subtree's. A handful of primary-key lookups
 * (the tree is at most four levels deep), not the tree.
 */
export async function hearsOfPlan(repos: Repositories, user: ActingUser, planId: number): Promise<boolean> {
  const planOrganisation = await repos.organisations.organisationOfPlan(planId);
  if (planOrganisation === undefined) return true;
  const own = await organisationOfActor(repos, user);
  if (planOrganisation === own) return true;
  // The parent's plan: only once it was forwarded to the caller's organisation (its read-only access).
  if ((await repos.organisations.parentOf(own)) === planOrganisation) return repos.organisations.isForwardedTo(planId, own);
  let above = await repos.organisations.parentOf(planOrganisation);
  for (let depth = 0; above !== null && depth < 8; depth += 1) {
    if (above === own) return true;
    above = await repos.organisations.parentOf(above);
  }
  return false;
}
