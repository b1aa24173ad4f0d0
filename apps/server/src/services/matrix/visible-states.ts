import { inScope } from "@countersign/domain";
import type { InboxScope } from "@countersign/domain";

/** An assignment as the visibility of states sees it: its measure, the department holding it and where it was handed. */
export interface PlacedState {
  measureNumber: number;
  department: string;
  divisionId: number | null;
  handlerUserId: number | null;
}

/**
 * The assignments whose states a viewer may see on the responsibility matrix, on the screen (`matrix.get`) and in
 * the exports alike, given the viewer's `inboxScope` (the domain's policy): every one for `all`; for a department (its
 * liaison, its leader) every state on the measures where it holds an assignment (it sees the departments it shares a
 * measure with); for a handler only the assignments in their scope (handed to them or to their division); none for
 * `none`. The plan's division of work (who leads, who supports) is not limited here. Keeps the input's order.
 */
export function statesVisibleTo<T extends PlacedState>(scope: InboxScope, assignments: readonly T[]): T[] {
  if (scope.kind === "all") return [...assignments];
  const mine = assignments.filter((a) => inScope(scope, { department: a.department, division: a.divisionId, handler: a.handlerUserId }));
  if (scope.kind !== "department") return mine;
  const shared = new Set(mine.map((a) => a.measureNumber));
  return assignments.filter((a) => shared.has(a.measureNumber));
}
