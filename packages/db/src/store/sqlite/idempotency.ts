import { and, eq, lt } from "drizzle-orm";
import type { Queryable } from "../../client.js";
import { idempotencyKeysTable as k } from "../../schema/idempotency-keys.js";
import type { IdempotencyRepo } from "../repos/idempotency.js";

export function sqliteIdempotencyRepo(db: Queryable): IdempotencyRepo {
  return {
    // better-sqlite3 runs one unit of work at a time: the twin runs after the first has committed.
    async hold() {},
    async find(userId, key) {
      return db
        .select({ procedure: k.procedure, requestHash: k.requestHash, response: k.response })
        .from(k)
        .where(and(eq(k.userId, userId), eq(k.key, key)))
        .get();
    },
    async prune(userId, before) {
      db.delete(k).where(and(eq(k.userId, userId), lt(k.createdAt, before))).run();
    },
    async insert(row) {
      db.insert(k).values(row).run();
    },
  };
}
