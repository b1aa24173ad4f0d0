import { revalidatedQueries } from "@countersign/domain";

/**
 * Whether a GET of `/trpc/<paths>` may be answered from validators or the cache: every procedure of the call (a batch
 * names several, separated by commas) is one of the domain's `revalidatedQueries`. `pathname` is the URL's path without the query.
 */
export function cacheableCall(pathname: string): boolean {
  if (!pathname.startsWith("/trpc/")) return false;
  const names = pathname.slice("/trpc/".length);
  if (names === "") return false;
  for (const name of names.split(/,|%2C/i)) {
    // Procedure names are plain ASCII; an escaped one is not a call this cache serves.
    if (!revalidatedQueries.has(name)) return false;
  }
  return true;
}
