/**
 * Evidence files (佐证材料), issue 14 point 1: a file is never changed or deleted once stored; a file attached by
 * mistake is superseded by a later one of the same department on the same assignment, and the supersession is
 * audited. Who may do it is decided here.
 */
import type { Actor, AssignmentActionType, DepartmentCode } from "./types.js";

/**
 * The assignment actions that take files (佐证材料), issue 14 point 1: what a department reports or signs off with
 * (the notice issued, the minutes), what it asks an extension with, what the lead ministry returns work with (the
 * points to rework), and comments. The others (accept, decline, reminders, decisions, reassignment, withdrawal) are
 * decisions or notices whose words suffice.
 */
export const actionsTakingFiles = ["reportProgress", "signOff", "requestExtension", "return", "comment"] as const satisfies readonly AssignmentActionType[];

export type ActionTakingFiles = (typeof actionsTakingFiles)[number];

/** Whether the action of this type may carry files. */
export function actionTakesFiles(type: AssignmentActionType): type is ActionTakingFiles {
  return (actionsTakingFiles as readonly string[]).includes(type);
}

export interface StoredFile {
  id: number;
  assignmentId: number;
  /** The department whose words the file is (who held the assignment when it was attached). */
  department: DepartmentCode;
  supersededById: number | null;
}

export type SupersedeRefusal =
  | { code: "wrong_role"; message: string }
  | { code: "not_your_department"; message: string }
  | { code: "invalid_state"; message: string };

/**
 * Whether `actor` may mark `file` superseded by `replacement`: a liaison of the file's department, the replacement
 * later (a higher id) on the same assignment and of the same department, neither already superseded.
 */
export function decideSupersede(actor: Actor, file: StoredFile, replacement: StoredFile): { ok: true } | { ok: false; refusal: SupersedeRefusal } {
  if (actor.role !== "liaison") return { ok: false, refusal: { code: "wrong_role", message: "Only the department's liaison supersedes its files." } };
  if (actor.department === null || actor.department !== file.department) {
    return { ok: false, refusal: { code: "not_your_department", message: "This file belongs to another department." } };
  }
  if (file.supersededById !== null) return { ok: false, refusal: { code: "invalid_state", message: "This file is already superseded." } };
  if (replacement.supersededById !== null) return { ok: false, refusal: { code: "invalid_state", message: "The replacement is itself superseded." } };
  if (replacement.id <= file.id || replacement.assignmentId !== file.assignmentId || replacement.department !== file.department) {
    return { ok: false, refusal: { code: "invalid_state", message: "The replacement must be a later file of your department on the same assignment." } };
  }
  return { ok: true };
}
