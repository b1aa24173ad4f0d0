import type { Person } from "@countersign/domain";
import type { Repositories } from "@countersign/db";

type PersonRef = { userId: number | null; department: string | null };
type AccountNames = { username: string; displayNameZh: string | null; displayNameEn: string | null };
type DepartmentNames = { code: string; shortZh: string; shortEn: string };

/**
 * Who did it (issue 15, point 4): the people behind these account ids, as `personLabel` reads them, for histories and
 * the audit trail. The names are the account's current ones; the department is the one given (the actor's department
 * when the event was recorded), so moving a person later does not rewrite who acted for whom.
 */
export async function peopleThrough(repos: Repositories, refs: readonly PersonRef[]): Promise<Array<Person | null>> {
  const ids = [...new Set(refs.map((r) => r.userId).filter((id): id is number => id !== null))];
  const codes = [...new Set(refs.map((r) => r.department).filter((c): c is string => c !== null))];
  const users = new Map((await repos.assignmentViews.people(ids)).map((u) => [u.id, u]));
  const departments = new Map((await repos.assignmentViews.departmentNames(codes)).map((d) => [d.code, d]));
  return peopleFrom(refs, users, departments);
}

/** The people behind `refs`, from the accounts' and departments' names read. */
function peopleFrom(
  refs: readonly PersonRef[],
  users: ReadonlyMap<number, AccountNames>,
  departments: ReadonlyMap<string, DepartmentNames>,
): Array<Person | null> {
  return refs.map((r) => {
    const user = r.userId === null ? undefined : users.get(r.userId);
    if (user === undefined) return null;
    const department = r.department === null ? null : (departments.get(r.department) ?? { code: r.department, shortZh: r.department, shortEn: r.department });
    return { username: user.username, displayNameZh: user.displayNameZh, displayNameEn: user.displayNameEn, department };
  });
}
