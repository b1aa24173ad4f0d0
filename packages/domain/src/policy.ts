/**
 * What a signed-in user may see: one module, used by the procedures (assignment.get, audit.list, tracking), the
 * exports and the live updates. Who may act is the workflow's (`transition` in workflow.ts).
 *
 * A department's words (its comments, decline reasons, progress notes, sign-off summaries, extension reasons, and the
 * lead ministry's replies to it: everything written on an assignment while the department held it) belong to the
 * conversation between that department and the lead ministry. They are read by that department and by those who read
 * every department (coordinator, observer, admin); after a reassignment (改派) the previous department keeps its own
 * words and the new one does not see them. Source: issue 18, kind 4.
 */
import { departmentRoleOf, handlerReach } from "./department-roles.js";
import type { AssignmentPlacement } from "./department-roles.js";
import type { Actor, DepartmentCode } from "./types.js";

/** The user looking: the same two facts as an actor. */
export type Viewer = Actor;

/** Who reads every department's work and words: the lead ministry's coordinator, observers and administrators. */
export function readsEveryDepartment(viewer: Viewer): boolean {
  return viewer.role !== "liaison";
}

/**
 * Whether the viewer may read a plan's division of work (who leads and supports each measure) while the plan is a
 * draft (new-user trial, fault 4): the lead ministry's side only. A department sees a plan's division once it is
 * issued (立项交办): a draft's proposed division is the lead ministry's working paper.
 */
export function readsDraftDivision(viewer: Viewer): boolean {
  return readsEveryDepartment(viewer);
}

/**
 * Whether the viewer may read words written on an assignment while `department` held it (the `department` of the
 * audit event, the comment or the extension request). Words with no department recorded are for those who read
 * every department only.
 */
export function canSeeWordsOf(viewer: Viewer, department: DepartmentCode | null): boolean {
  if (readsEveryDepartment(viewer)) return true;
  return department !== null && viewer.department !== null && department === viewer.department;
}

/**
 * How the viewer may open an assignment: `holder` (its department holds it now, or the viewer reads every
 * department), `past_holder` (its department held it before a reassignment: it reads its own words there, nothing
 * of the others'), or null (not at all).
 *
 * Inside the department (issue 15, point 2): its liaison and its leader read all of its work; a handler reads only
 * what was handed to them or to their division (`placement`), and nothing a department held before.
 *
 * @param current the department holding the assignment now
 * @param heldBefore the departments that held it before (from its reassignment events)
 * @param placement where the department handed it (分办); absent = not handed to anyone
 */
export function assignmentAccess(
  viewer: Viewer,
  current: DepartmentCode,
  heldBefore: readonly DepartmentCode[],
  placement?: AssignmentPlacement,
): "holder" | "past_holder" | null {
  if (readsEveryDepartment(viewer)) return "holder";
  if (departmentRoleOf(viewer) === "handler") {
    if (viewer.department !== current) return null;
    return handlerReach(viewer, placement ?? { division: null, handler: null }) === null ? null : "holder";
  }
  if (viewer.department === current) return "holder";
  if (viewer.department !== null && heldBefore.includes(viewer.department)) return "past_holder";
  return null;
}

/**
 * The department whose conversation an assignment event belongs to (and so who reads its words, `canSeeWordsOf`): a
 * reassignment (改派) is addressed to the department that receives the work, whose inbox it lands in, so its note is
 * theirs; every other event belongs to the department holding the assignment when it happened.
 */
export function conversationDepartmentOf(eventType: string, heldBy: DepartmentCode, heldAfter: DepartmentCode): DepartmentCode {
  return eventType === "assignment.reassigned" ? heldAfter : heldBy;
}

/**
 * Which assignments a viewer's inbox lists: every department's, one department's (its liaison and leader: the
 * department's inbox shows everything), or a handler's own (handed to them or to their division).
 */
export type InboxScope =
  | { kind: "all" }
  | { kind: "department"; department: DepartmentCode }
  | { kind: "handler"; department: DepartmentCode; division: number | null; userId: number | null }
  | { kind: "none" };

export function inboxScope(viewer: Viewer): InboxScope {
  if (readsEveryDepartment(viewer)) return { kind: "all" };
  if (viewer.department === null) return { kind: "none" };
  if (departmentRoleOf(viewer) === "handler") {
    return { kind: "handler", department: viewer.department, division: viewer.division ?? null, userId: viewer.userId ?? null };
  }
  return { kind: "department", department: viewer.department };
}

/** An assignment as the scope sees it: the department holding it and where that department handed it (分办). */
export interface PlacedAssignment extends AssignmentPlacement {
  department: DepartmentCode;
}

/**
 * Whether an assignment is in a viewer's scope (`inboxScope`): the one rule by which every view of assignment states
 * (the inbox, the tracking overview, the overdue list, the matrix with status, the live stream) narrows a handler to
 * what was handed to them or to their division. `all` holds every assignment, `department` its department's, `none`
 * nothing. A liaison's or leader's view of the other departments on shared measures is the view's own widening, never
 * a handler's (docs/security.md 3a).
 */
export function inScope(scope: InboxScope, assignment: PlacedAssignment): boolean {
  switch (scope.kind) {
    case "all":
      return true;
    case "none":
      return false;
    case "department":
      return assignment.department === scope.department;
    case "handler":
      return (
        assignment.department === scope.department &&
        ((scope.userId !== null && assignment.handler === scope.userId) || (scope.division !== null && assignment.division === scope.division))
      );
  }
}
