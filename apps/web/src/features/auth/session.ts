import type { ActorRole, DepartmentCode, DepartmentRole, Person } from "@countersign/domain";
import { useQuery } from "@tanstack/react-query";
import type { QueryClient } from "@tanstack/react-query";
import { trpc } from "../../trpc.js";
import type { RouterOutputs } from "../../trpc.js";

export interface SessionUser {
  username: string;
  displayName: string;
  role: ActorRole;
  department: DepartmentCode | null;
  /** A department account's part in it (issue 15, point 2): liaison, handler or leader; null for other roles. */
  departmentRole: DepartmentRole | null;
  /** For `personLabel`: the names per language and the department's short names. */
  person: Person;
}

export function meQueryOptions() {
  return trpc.auth.me.queryOptions(undefined, { staleTime: Number.POSITIVE_INFINITY, retry: false });
}

/** The signed-in user; `undefined` while loading, `null` when nobody is signed in. */
export function useSession(): { user: SessionUser | null | undefined; error: unknown } {
  const query = useQuery(meQueryOptions());
  if (query.isPending) return { user: query.isError ? null : undefined, error: null };
  if (query.isError) return { user: null, error: query.error };
  const me = query.data;
  if (!me) return { user: null, error: null };
  return {
    user: {
      username: me.username,
      displayName: me.displayName ?? me.username,
      role: me.role,
      department: me.department ?? null,
      departmentRole: me.role === "liaison" ? (me.departmentRole ?? "liaison") : null,
      person: {
        username: me.username,
        displayNameZh: me.displayNameZh ?? null,
        displayNameEn: me.displayNameEn ?? null,
        department:
          me.department === null || me.departmentName === null
            ? null
            : { code: me.department, shortZh: me.departmentName.shortZh, shortEn: me.departmentName.shortEn },
      },
    },
    error: null,
  };
}

/** Coordinators and observers read every department; a liaison only their own. */
export function canReadAnyDepartment(user: SessionUser): boolean {
  return user.role === "coordinator" || user.role === "observer" || user.role === "admin";
}

export function homePath(user: SessionUser): string {
  return user.role === "liaison" ? "/inbox" : "/tracking";
}

/**
 * Forgets everything cached for the previous account and records who is signed in now. (`clear()` would also
 * drop the session query that the app is observing, so it would never hear of the change.)
 */
export function switchAccount(queryClient: QueryClient, me: RouterOutputs["auth"]["me"]): void {
  const meKey = meQueryOptions().queryKey;
  queryClient.removeQueries({ predicate: (query) => JSON.stringify(query.queryKey) !== JSON.stringify(meKey) });
  queryClient.setQueryData(meKey, me);
}
