import { inArray } from "drizzle-orm";
import type { Person } from "@countersign/domain";
import type { Queryable, Repositories } from "@countersign/db";
import { usersTable } from "@countersign/db/schema";
import { departmentNamesOf } from "../users/account-view.js";

/**
 * Who did it (issue 15, point 4): the people behind these account ids, as `personLabel` reads them, for histories and
 * the audit trail. The names are the account's current ones; the department is the one given (the actor's department
 * when the event was recorded), so moving a person later does not rewrite who acted for whom.
 */
export function peopleOf(
  db: Queryable,
  refs: ReadonlyArray<{ userId: number | null; department: string | null }>,
): Array<Person | null> {
  const ids = [...new Set(refs.map((r) => r.userId).filter((id): id is number => id !== null))];
  const users =
    ids.length === 0
      ? new Map<number, { username: string; displayNameZh: string | null; displayNameEn: string | null }>()
      : new Map(
          db
            .select({ id: usersTable.id, username: usersTable.username, displayNameZh: usersTable.displayNameZh, displayNameEn: usersTable.displayNameEn })
            .from(usersTable)
            .where(inArray(usersTable.id, ids))
            .all()
            .map((u) => [u.id, u]),
        );
  const departments = departmentNamesOf(db, refs.map((r) => r.department));
  return peopleFrom(refs, users, departments);
}

/** `peopleOf` through the store (either engine): the same people. */
export async function readPeople(
  repos: Repositories,
  refs: ReadonlyArray<{ userId: number | null; department: string | null }>,
): Promise<Array<Person | null>> {
  const ids = [...new Set(refs.map((r) => r.userId).filter((id): id is number => id !== null))];
  const codes = [...new Set(refs.map((r) => r.department).filter((c): c is string => c !== null))];
  const [users, departments] = await Promise.all([repos.auditTrail.people(ids), repos.departmentRegister.shortNames(codes)]);
  return peopleFrom(refs, new Map(users.map((u) => [u.id, u])), new Map(departments.map((d) => [d.code, d])));
}

/** Each ref as a person, from the accounts and department names read: the assembly both readers above share. */
function peopleFrom(
  refs: ReadonlyArray<{ userId: number | null; department: string | null }>,
  users: ReadonlyMap<number, { username: string; displayNameZh: string | null; displayNameEn: string | null }>,
  departments: ReadonlyMap<string, { code: string; shortZh: string; shortEn: string }>,
): Array<Person | null> {
  return refs.map((r) => {
    const user = r.userId === null ? undefined : users.get(r.userId);
    if (user === undefined) return null;
    const department = r.department === null ? null : (departments.get(r.department) ?? { code: r.department, shortZh: r.department, shortEn: r.department });
    return { username: user.username, displayNameZh: user.displayNameZh, displayNameEn: user.displayNameEn, department };
  });
}
