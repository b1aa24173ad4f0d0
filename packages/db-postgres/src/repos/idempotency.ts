import { and, eq, lt } from "drizzle-orm";
import type { IdempotencyRepo } from "@countersign/db";
import type { PostgresDb } from "../connect.js";
import { idempotencyKeysTable as k } from "../schema/idempotency-keys.js";
import type { PostgresTx } from "../store.js";

export function postgresIdempotencyRepo(db: PostgresDb | PostgresTx): IdempotencyRepo {
  return {
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
