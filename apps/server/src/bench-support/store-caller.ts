/**
 * For the benchmark on either engine (issue 13: `pnpm bench` reports the same figures for both): the real router
 * called in process through a store, as one existing account, without HTTP or a session.
 */
import type { AnyStore, CountersignDb } from "@countersign/db";
import type { Context } from "../context.js";
import { sqliteOnlyOnPostgres } from "../engine-gate.js";
import { LiveBus } from "../live.js";
import { createCaller } from "../router.js";
import { defaultSessionPolicy } from "../services/auth/session-policy.js";

/**
 * A caller of the router as `username` on `store`. `db` is the synchronous SQLite handle for the procedures not on the
 * seam yet; on PostgreSQL leave it out (they answer 501 `not_on_this_engine`, as in the server).
 * Errors: `there is no account <username>`.
 */
export async function createStoreBenchCaller(
  store: AnyStore,
  username: string,
  options: { db?: CountersignDb; now?: () => Date } = {},
): Promise<ReturnType<typeof createCaller>> {
  const row = await store.read((repos) => repos.accounts.byUsername(username));
  if (row === undefined) throw new Error(`there is no account ${username}`);
  const context: Context = {
    store,
    db: options.db ?? sqliteOnlyOnPostgres(),
    live: new LiveBus(),
    sessionPolicy: defaultSessionPolicy,
    now: options.now ?? (() => new Date()),
    secureCookies: false,
    user: {
      id: row.id,
      username: row.username,
      displayName: row.displayName,
      role: row.role,
      department: row.department,
      departmentRole: row.departmentRole,
      divisionId: row.divisionId,
    },
    sessionId: null,
    request: { ip: "127.0.0.1", userAgent: "countersign-bench" },
    cookies: { set: () => undefined, clear: () => undefined },
  };
  return createCaller(context);
}
