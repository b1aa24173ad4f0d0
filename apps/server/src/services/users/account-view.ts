import type { Person } from "@countersign/domain";
import type { ActorRole, DepartmentCode } from "@countersign/domain";
import type { Repositories } from "@countersign/db";
import type { usersTable } from "@countersign/db/schema";

/** One account as the administration pages show it. Never the password hash. */
export interface AccountView {
  id: number;
  username: string;
  displayNameZh: string | null;
  displayNameEn: string | null;
  role: ActorRole;
  department: DepartmentCode | null;
  /** For `personLabel`: the names and the department's short names. */
  person: Person;
  ssoIdentity: string | null;
  disabled: boolean;
  disabledAt: string | null;
  createdAt: string;
  /** Sessions not yet expired (absolute expiry; idle ones end at their next use). */
  openSessions: number;
  /** A reset code issued and neither used nor expired. */
  resetPending: boolean;
}

type UserRow = typeof usersTable.$inferSelect;


/** A person as `personLabel` reads them, from an account row and the department names. */
export function personOf(
  row: Pick<UserRow, "username" | "displayNameZh" | "displayNameEn" | "department">,
  departments: ReadonlyMap<string, { code: string; shortZh: string; shortEn: string }>,
): Person {
  return {
    username: row.username,
    displayNameZh: row.displayNameZh,
    displayNameEn: row.displayNameEn,
    department: row.department === null ? null : (departments.get(row.department) ?? { code: row.department, shortZh: row.department, shortEn: row.department }),
  };
}

/** The account fields a view is made of (a `users` row, or the store's `AccountRecord`). */
type ViewedAccount = Pick<UserRow, "id" | "username" | "displayNameZh" | "displayNameEn" | "role" | "department" | "ssoIdentity" | "disabledAt" | "createdAt">;

/**
 * The accounts as the administration shows them, from what was read: the accounts (in the order to show), open
 * sessions per account, the accounts with a pending reset, and the department short names. One rule for the store
 * seam's `accountViewsOf`.
 */
export function assembleAccountViews(
  users: readonly ViewedAccount[],
  openSessions: ReadonlyMap<number, number>,
  pendingResets: ReadonlySet<number>,
  departments: ReadonlyMap<string, { code: string; shortZh: string; shortEn: string }>,
): AccountView[] {
  return users.map((u) => ({
    id: u.id,
    username: u.username,
    displayNameZh: u.displayNameZh,
    displayNameEn: u.displayNameEn,
    role: u.role,
    department: u.department as DepartmentCode | null,
    person: personOf(u, departments),
    ssoIdentity: u.ssoIdentity,
    disabled: u.disabledAt !== null,
    disabledAt: u.disabledAt,
    createdAt: u.createdAt,
    openSessions: openSessions.get(u.id) ?? 0,
    resetPending: pendingResets.has(u.id),
  }));
}

/** The accounts with these ids (or every account), ordered by user name, on either engine. */
export async function accountViewsOf(repos: Repositories, now: Date, ids?: readonly number[]): Promise<AccountView[]> {
  const users = await repos.accounts.list(ids);
  const at = now.toISOString();
  const sessions = new Map((await repos.accounts.openSessionCounts(at)).map((r) => [r.userId, r.sessions]));
  const resets = new Set(await repos.accounts.withPendingReset(at));
  const departments = new Map((await repos.departmentRegister.shortNames([...new Set(users.flatMap((u) => (u.department === null ? [] : [u.department])))])).map((d) => [d.code, d]));
  return assembleAccountViews(users, sessions, resets, departments);
}

/** One account by id, or null, on either engine. */
export async function accountViewOf(repos: Repositories, id: number, now: Date): Promise<AccountView | null> {
  return (await accountViewsOf(repos, now, [id]))[0] ?? null;
}



