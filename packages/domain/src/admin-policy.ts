/**
 * Who may administer accounts and the installation's departments, and what an account must look like (issue 15,
 * point 1; issue 11, point 2). One place for every permission of the administration and own-account procedures: the
 * server's routers, the command line and the web's navigation all ask here.
 */
import type { ActorRole, DepartmentRole } from "./types.js";

/** Acts on other people's accounts: only an administrator. */
export type AdminAct =
  | "list_accounts"
  | "create_account"
  | "edit_account"
  | "disable_account"
  | "enable_account"
  | "reset_password"
  | "list_sessions"
  | "end_session"
  // The installation's departments (issue 11): add from the register or by hand, rename, retire; never delete.
  | "list_departments"
  | "add_department"
  | "rename_department"
  | "retire_department"
  /** Divisions (处室) of a department and each department account's part in it (issue 15, point 2). */
  | "manage_divisions";

/** Acts on one's own account: everyone signed in. */
export type OwnAccountAct = "view_own_account" | "change_own_password" | "list_own_sessions" | "end_own_session";

export const adminActs = [
  "list_accounts",
  "create_account",
  "edit_account",
  "disable_account",
  "enable_account",
  "reset_password",
  "list_sessions",
  "end_session",
  "list_departments",
  "add_department",
  "rename_department",
  "retire_department",
  "manage_divisions",
] as const satisfies readonly AdminAct[];

export const ownAccountActs = ["view_own_account", "change_own_password", "list_own_sessions", "end_own_session"] as const satisfies readonly OwnAccountAct[];

export type AccountRefusalCode =
  | "admin_only" // the act is an administrator's
  | "own_account" // an administrator may not disable their own account or take away their own admin role
  | "last_admin" // the last enabled administrator may not be disabled or lose the role
  | "department_required" // a liaison or coordinator belongs to a department
  | "display_name_required" // an account has a display name in at least one language
  | "display_name_mixed" // a display name mixes languages
  | "department_role_not_allowed" // only a department's account (role liaison) has a part in a department
  | "division_required" // a handler belongs to a division
  | "division_mismatch"; // the division is another department's

export type AccountDecision = { ok: true } | { ok: false; code: AccountRefusalCode; message: string };

const allowed: AccountDecision = { ok: true };

/** Whether the actor may do an act on accounts. Every signed-in role may do the own-account acts. */
export function mayDoAccountAct(role: ActorRole, act: AdminAct | OwnAccountAct): AccountDecision {
  if ((ownAccountActs as readonly string[]).includes(act)) return allowed;
  if (role === "admin") return allowed;
  return { ok: false, code: "admin_only", message: `Only an administrator may ${adminActLabel[act as AdminAct]}; an account with the role ${role} may not.` };
}

const adminActLabel: Record<AdminAct, string> = {
  list_accounts: "list accounts",
  create_account: "create accounts",
  edit_account: "edit accounts",
  disable_account: "disable accounts",
  enable_account: "re-enable accounts",
  reset_password: "reset passwords",
  list_sessions: "see another account's sessions",
  end_session: "end another account's sessions",
  list_departments: "administer the departments",
  add_department: "add departments",
  rename_department: "rename departments",
  retire_department: "retire departments",
  manage_divisions: "manage divisions and people's parts in a department",
};

/** What a change of an account's standing touches. */
export interface AccountStanding {
  id: number;
  role: ActorRole;
  disabled: boolean;
}

/**
 * Whether an administrator may change an account's role or disable it: not their own (an administrator locked out
 * by their own hand needs the command line to get back), and never the last enabled administrator.
 * `enabledAdmins` counts the enabled administrator accounts before the change.
 */
export function mayChangeStanding(
  actorId: number | null,
  target: AccountStanding,
  change: { role: ActorRole; disabled: boolean },
  enabledAdmins: number,
): AccountDecision {
  const losesAdmin = target.role === "admin" && !target.disabled && (change.role !== "admin" || change.disabled);
  if (!losesAdmin) return allowed;
  if (actorId === target.id) {
    return {
      ok: false,
      code: "own_account",
      message: "You may not disable your own account or remove your own administrator role; ask another administrator.",
    };
  }
  if (enabledAdmins <= 1) {
    return { ok: false, code: "last_admin", message: "This is the last enabled administrator account; create or enable another first." };
  }
  return allowed;
}

const hasHan = /\p{Script=Han}/u;
const hasLatin = /\p{Script=Latin}/u;

/**
 * Whether an account's role, department and display names fit together: a liaison or coordinator belongs to a
 * department; at least one display name; the Chinese one without Latin letters, the English one without Chinese
 * characters (a display name never mixes languages).
 */
export function checkAccountShape(account: {
  role: ActorRole;
  department: string | null;
  displayNameZh: string | null;
  displayNameEn: string | null;
  /** The account's part in its department (only for role liaison); absent/null = liaison. */
  departmentRole?: DepartmentRole | null;
  /** The account's division and the department it belongs to, or null. */
  division?: { id: number; department: string } | null;
}): AccountDecision & { field?: string } {
  if ((account.role === "liaison" || account.role === "coordinator") && account.department === null) {
    return { ok: false, code: "department_required", message: `A ${account.role} belongs to a department; choose one.`, field: "department" };
  }
  const part = checkDepartmentPart(account);
  if (!part.ok) return part;
  const zh = account.displayNameZh?.trim() ?? "";
  const en = account.displayNameEn?.trim() ?? "";
  if (zh === "" && en === "") {
    return { ok: false, code: "display_name_required", message: "Give a display name in Chinese, in English, or both.", field: "displayNameZh" };
  }
  if (hasLatin.test(zh)) {
    return {
      ok: false,
      code: "display_name_mixed",
      message: "The Chinese display name has Latin letters; write it in Chinese only and put the English name in its own field.",
      field: "displayNameZh",
    };
  }
  if (hasHan.test(en)) {
    return {
      ok: false,
      code: "display_name_mixed",
      message: "The English display name has Chinese characters; put the Chinese name in its own field.",
      field: "displayNameEn",
    };
  }
  return allowed;
}

/**
 * Whether an account's part in its department fits (issue 15, point 2): only a department's account (role liaison)
 * has a part or a division; a handler belongs to a division; the division is of the account's own department.
 */
export function checkDepartmentPart(account: {
  role: ActorRole;
  department: string | null;
  departmentRole?: DepartmentRole | null;
  division?: { id: number; department: string } | null;
}): AccountDecision & { field?: string } {
  const part = account.departmentRole ?? null;
  const division = account.division ?? null;
  if (account.role !== "liaison" && ((part !== null && part !== "liaison") || division !== null)) {
    return {
      ok: false,
      code: "department_role_not_allowed",
      message: `Only a department's account (role liaison) is a handler or a department leader or belongs to a division; this one is ${account.role}.`,
      field: "departmentRole",
    };
  }
  if (part === "handler" && division === null) {
    return { ok: false, code: "division_required", message: "A handler (承办人) belongs to a division (处室); choose one.", field: "division" };
  }
  if (division !== null && division.department !== account.department) {
    return { ok: false, code: "division_mismatch", message: `That division belongs to ${division.department}, not to the account's department.`, field: "division" };
  }
  return allowed;
}
