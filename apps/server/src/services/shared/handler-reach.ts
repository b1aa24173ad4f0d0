import { assignmentAccess, inboxScope } from "@countersign/domain";
import type { HandlerReach, Repositories } from "@countersign/db";
import { ServiceError } from "../../errors.js";
import { actorOf } from "./acting-user.js";
import type { ActingUser } from "./acting-user.js";
import type { LiveChange } from "./live-change.js";
import { previousHoldersFrom } from "./previous-holders.js";


/**
 * For a handler (承办人): what they reach as the store's repositories take it (the domain's `inboxScope`; an id no row
 * has for a missing division or id); null for everyone else, whose reach is their department (or every department).
 */
export function handlerReachOf(user: ActingUser): HandlerReach | null {
  const scope = inboxScope(actorOf(user));
  return scope.kind === "handler" ? { userId: scope.userId ?? -1, divisionId: scope.division ?? -1 } : null;
}


/**
 * Refuses an assignment the user may not open (the domain's `assignmentAccess`, with where the department handed it):
 * `not_your_department` for another department's, `not_your_assignment` for a handler's colleague's. An unknown id
 * passes (the caller answers it as it answers any id). Returns how the user opens it.
 */
export async function requireAssignmentAccessIn(
  repos: Repositories,
  user: ActingUser,
  assignmentId: number,
  field = "assignmentId",
): Promise<"holder" | "past_holder" | null> {
  const row = await repos.auditTrail.assignmentHolder(assignmentId);
  if (row === undefined) return null;
  const holders = previousHoldersFrom(await repos.auditTrail.reassignmentPayloads(assignmentId));
  return assignmentAccessOrRefusal(user, row, holders, assignmentId, field);
}

/** How the user opens an existing assignment, or its refusal. */
function assignmentAccessOrRefusal(
  user: ActingUser,
  row: { department: string; divisionId: number | null; handlerUserId: number | null },
  previousHolders: readonly string[],
  assignmentId: number,
  field: string,
): "holder" | "past_holder" {
  const viewer = actorOf(user);
  const access = assignmentAccess(viewer, row.department, [...previousHolders], { division: row.divisionId, handler: row.handlerUserId });
  if (access !== null) return access;
  if (viewer.department === row.department) {
    throw new ServiceError("not_your_assignment", `Assignment ${assignmentId} was given neither to you nor to your division.`, { field });
  }
  throw new ServiceError("not_your_department", `Assignment ${assignmentId} is not your department's.`, { field });
}

/**
 * Whether a handler reaches this assignment (handed to them or their division), through the store (either engine);
 * true for everyone else (their own rules apply elsewhere). An unknown assignment is not reached by a handler.
 */
export async function handlerReachesIn(repos: Repositories, user: ActingUser, assignmentId: number): Promise<boolean> {
  const reach = handlerReachOf(user);
  if (reach === null) return true;
  const holder = await repos.auditTrail.assignmentHolder(assignmentId);
  return holder !== undefined && (holder.handlerUserId === reach.userId || holder.divisionId === reach.divisionId);
}

/**
 * A change as a department member may hear of it: unchanged for a liaison or leader; for a handler only the
 * assignments in their scope (policy.ts `inScope`) and their own department, or nothing when the change touched none
 * of theirs. A change naming no assignment (the plan's own) is told with the department's name only. Either engine.
 */
export async function narrowedForHandler(repos: Repositories, user: ActingUser, change: LiveChange): Promise<LiveChange | null> {
  const reach = handlerReachOf(user);
  if (reach === null) return change;
  const own = user.department === null ? [] : change.departments.filter((d) => d === user.department);
  if (change.assignmentIds.length === 0) return { ...change, departments: own };
  const reached = await repos.assignmentViews.reachedBy(change.assignmentIds, user.department ?? "", reach);
  if (reached.length === 0) return null;
  return { ...change, assignmentIds: reached.map((r) => r.id), measureNumbers: [...new Set(reached.map((r) => r.measureNumber))], departments: own };
}
