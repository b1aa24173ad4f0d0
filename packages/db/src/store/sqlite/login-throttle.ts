import { and, eq, inArray, lt, notLike, sql } from "drizzle-orm";
import type { Queryable } from "../../client.js";
import { loginThrottleTable as t } from "../../schema/login-throttle.js";
import type { LoginThrottleRepo } from "../repos/login-throttle.js";

export function sqliteLoginThrottleRepo(db: Queryable): LoginThrottleRepo {
  return {
    // A unit of work holds the database's write lock (BEGIN IMMEDIATE): no other writer runs until it ends.
    async hold() {},
    async counts(keys) {
      if (keys.length === 0) return [];
      return db.select().from(t).where(inArray(t.key, [...keys])).all();
    },
    async addFailure(key, at) {
      const [row] = db
        .insert(t)
        .values({ key, failures: 1, lastFailureAt: at })
        .onConflictDoUpdate({ target: t.key, set: { failures: sql`${t.failures} + 1`, lastFailureAt: at } })
        .returning({ failures: t.failures })
        .all();
      return row?.failures ?? 1;
    },
    async takeBackFailure(key) {
      db.update(t)
        .set({ failures: sql`case when ${t.failures} > 0 then ${t.failures} - 1 else 0 end` })
        .where(eq(t.key, key))
        .run();
    },
    async clear(key) {
      const [row] = db.delete(t).where(eq(t.key, key)).returning({ failures: t.failures }).all();
      return row?.failures ?? 0;
    },
    async forgetBefore(before, keepPrefix) {
      db.delete(t)
        .where(and(lt(t.lastFailureAt, before), notLike(t.key, `${keepPrefix}%`)))
        .run();
    },
  };
}
