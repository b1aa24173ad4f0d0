/**
 * Inside a department (issue 15, point 2): divisions (处室) and each department account's part in it (liaison 联络员,
 * handler 承办人, department leader 部门领导). Measure (24) of the 2020 document asks every member unit to "establish
 * an internal responsibility system"; this is its data. The workflow (workflow.ts) and the visibility rule
 * (policy.ts) ask here what part an actor plays.
 */
import type { Actor, DepartmentCode, DepartmentRole } from "./types.js";

/** A department account's part in it: absent means the liaison (every department account before divisions). Null for other roles. */
export function departmentRoleOf(actor: Actor): DepartmentRole | null {
  if (actor.role !== "liaison") return null;
  return actor.departmentRole ?? "liaison";
}

/** Where an assignment was handed inside its department (分办): the division and the handler's account id, or null. */
export interface AssignmentPlacement {
  division: number | null;
  handler: number | null;
}

/**
 * How far a handler reaches an assignment of their department: `given` (handed to them), `division` (handed to
 * their division, to someone else), or null. Only the named handler reports on it and drafts its sign-off; the
 * division's handlers read it and comment.
 */
export function handlerReach(actor: Actor, placement: AssignmentPlacement): "given" | "division" | null {
  if (actor.userId !== undefined && actor.userId !== null && placement.handler === actor.userId) return "given";
  if (actor.division !== undefined && actor.division !== null && placement.division === actor.division) return "division";
  return null;
}

export type DivisionRefusalCode = "name_required" | "name_mixed" | "department_required";

/**
 * Whether a division's names fit: at least one, the Chinese one without Latin letters, the English one without
 * Chinese characters (as for a person's display name, a name never mixes languages), and a department.
 */
export function checkDivisionShape(division: {
  department: DepartmentCode | null;
  nameZh: string | null;
  nameEn: string | null;
}): { ok: true } | { ok: false; code: DivisionRefusalCode; message: string; field: string } {
  if (division.department === null || division.department.trim() === "") {
    return { ok: false, code: "department_required", message: "A division (处室) belongs to a department; choose one.", field: "department" };
  }
  const zh = division.nameZh?.trim() ?? "";
  const en = division.nameEn?.trim() ?? "";
  if (zh === "" && en === "") return { ok: false, code: "name_required", message: "Give the division's name in Chinese, in English, or both.", field: "nameZh" };
  if (/\p{Script=Latin}/u.test(zh)) {
    return { ok: false, code: "name_mixed", message: "The Chinese name has Latin letters; put the English name in its own field.", field: "nameZh" };
  }
  if (/\p{Script=Han}/u.test(en)) {
    return { ok: false, code: "name_mixed", message: "The English name has Chinese characters; put the Chinese name in its own field.", field: "nameEn" };
  }
  return { ok: true };
}
