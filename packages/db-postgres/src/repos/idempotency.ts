import { and, eq, lt, sql } from "drizzle-orm";
import type { IdempotencyRepo } from "@countersign/db";
import type { PostgresDb } from "../connect.js";
import { idempotencyKeysTable as k } from "../schema/idempotency-keys.js";
import type { PostgresTx } from "../store.js";

/**
 * The advisory-lock space of idempotency keys (the first argument of the two-key form): keeps its locks apart from
 * the sign-in limiter's and any other use of advisory locks on the database.
 */
const idempotencyLockSpace = 0x69646d; // "idm"

export function postgresIdempotencyRepo(db: PostgresDb | PostgresTx): IdempotencyRepo {
  return {
    async hold(userId, key) {
      // A hash collision between two keys only makes their requests take turns.
      await db.execute(sql`select pg_advisory_xact_lock(${idempotencyLockSpace}, hashtext(${`${userId}:${key}`}))`);
    },
    async find(userId, key) {
      const [row] = await db
        .select({ procedure: k.procedure, requestHash: k.requestHash, response: k.response })
        .from(k)
        .where(and(eq(k.userId, userId), eq(k.key, key)));
      return row;
    },
    async prune(userId, before) {
      await db.delete(k).where(and(eq(k.userId, userId), lt(k.createdAt, before)));
    },
    async insert(row) {
      await db.insert(k).values(row);
    },
  };
}
