import type { AssignmentActionType, RefusalCode } from "@countersign/domain";

/** The server's `actionAvailability` entry: one action and, when it is not open now, the domain's refusal. */
export interface Availability {
  action: AssignmentActionType;
  allowed: boolean;
  refusal: { code: RefusalCode; message: string; waitingFor?: string[] | undefined } | null;
}

/** Refusals that only say the action belongs to another role: not offered, and nothing to explain. */
const otherRoles: ReadonlySet<string> = new Set(["wrong_role", "read_only", "not_your_department"]);

/**
 * The actions of the caller's role not offered now, in `order`: those closed by the assignment's state (`byState`,
 * shown as one sentence on the state and what can be done, not one line per action: after a sign-off the list read
 * like a table of action names) and the others, each with its own reason.
 */
export function unavailableLines(
  availability: readonly Availability[],
  order: readonly AssignmentActionType[],
): { byState: Availability[]; others: Availability[] } {
  const shown = order
    .map((action) => availability.find((a) => a.action === action))
    .filter((a): a is Availability => a !== undefined && !a.allowed && a.refusal !== null && !otherRoles.has(a.refusal.code));
  return { byState: shown.filter((a) => a.refusal?.code === "invalid_state"), others: shown.filter((a) => a.refusal?.code !== "invalid_state") };
}

