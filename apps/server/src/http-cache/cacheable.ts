/**
 * The tRPC queries whose answers are served with validators and from the answer cache (issue 17): each answer is a
 * function of the data version, the signed-in user, the plan calendar day (lateness is counted in Beijing calendar
 * days, never finer) and the input, and of nothing else. A procedure that reads the clock more finely, another
 * store (attachments in S3), or data written without an audit event by other instances must not be listed.
 */
export const cacheableProcedures: ReadonlySet<string> = new Set([
  "inbox.list",
  "inbox.plans",
  "inbox.unreadCount",
  "tracking.overview",
  "tracking.overdue",
  "matrix.get",
  "audit.list",
  "catalog.departments",
  "catalog.plans",
  "catalog.planPage",
  "catalog.plan",
]);

/**
 * Whether a GET of `/trpc/<paths>` may be answered from validators or the cache: every procedure of the call (a batch
 * names several, separated by commas) is listed. `pathname` is the URL's path without the query.
 */
export function cacheableCall(pathname: string): boolean {
  if (!pathname.startsWith("/trpc/")) return false;
  const names = pathname.slice("/trpc/".length);
  if (names === "") return false;
  for (const name of names.split(",")) {
    // Procedure names are plain ASCII; an escaped one is not a call this cache serves.
    if (!cacheableProcedures.has(name)) return false;
  }
  return true;
}
