/**
 * For the benchmark (packages/bench): the real router called in process, as one existing account, without HTTP or
 * a session, so that the figures are the procedures' own cost.
 */
import { eq } from "drizzle-orm";
import type { CountersignDb } from "@countersign/db";
import { usersTable } from "@countersign/db/schema";
import type { Context } from "./context.js";
import { LiveBus } from "./live.js";
import { createCaller } from "./router.js";
import { defaultSessionPolicy } from "./services/auth/session-policy.js";

export function createBenchCaller(db: CountersignDb, username: string, now: () => Date = () => new Date()): ReturnType<typeof createCaller> {
  const row = db.select().from(usersTable).where(eq(usersTable.username, username)).get();
  if (row === undefined) throw new Error(`there is no account ${username}`);
  const context: Context = {
    db,
    live: new LiveBus(),
    sessionPolicy: defaultSessionPolicy,
    now,
    secureCookies: false,
    user: { id: row.id, username: row.username, displayName: row.displayName, role: row.role, department: row.department },
    sessionId: null,
    request: { ip: "127.0.0.1", userAgent: "countersign-bench" },
    cookies: { set: () => undefined, clear: () => undefined },
  };
  return createCaller(context);
}
