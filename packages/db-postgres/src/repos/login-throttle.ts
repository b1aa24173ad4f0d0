import { and, eq, inArray, lt, notLike, sql } from "drizzle-orm";
import type { LoginThrottleRepo } from "@countersign/db";
import type { PostgresDb } from "../connect.js";
import { loginThrottleTable as t } from "../schema/login-throttle.js";
import type { PostgresTx } from "../store.js";

/**
 * The advisory-lock space of the sign-in limiter's keys (the first argument of the two-key form): keeps its locks
 * apart from any other use of advisory locks on the database.
 */
const throttleLockSpace = 0x6c6f67; // "log"

export function postgresLoginThrottleRepo(db: PostgresDb | PostgresTx): LoginThrottleRepo {
  return {
    async hold(keys) {
      // Sorted, so two units of work holding overlapping keys take them in the same order (no deadlock). A hash
      // collision between two keys only makes their attempts take turns.
      for (const key of [...new Set(keys)].sort()) {
        await db.execute(sql`select pg_advisory_xact_lock(${throttleLockSpace}, hashtext(${key}))`);
      }
    },
    async counts(keys) {
      if (keys.length === 0) return [];
      return db.select().from(t).where(inArray(t.key, [...keys]));
    },
    async addFailure(key, at) {
      const [row] = await db
        .insert(t)
        .values({ key, failures: 1, lastFailureAt: at })
        .onConflictDoUpdate({ target: t.key, set: { failures: sql`${t.failures} + 1`, lastFailureAt: at } })
        .returning({ failures: t.failures });
      return row?.failures ?? 1;
    },
    async takeBackFailure(key) {
      await db
        .update(t)
        .set({ failures: sql`greatest(${t.failures} - 1, 0)` })
        .where(eq(t.key, key));
    },
    async clear(key) {
      const [row] = await db.delete(t).where(eq(t.key, key)).returning({ failures: t.failures });
      return row?.failures ?? 0;
    },
    async forgetBefore(before, keepPrefix) {
      await db.delete(t).where(and(lt(t.lastFailureAt, before), notLike(t.key, `${keepPrefix}%`)));
    },
  };
}
