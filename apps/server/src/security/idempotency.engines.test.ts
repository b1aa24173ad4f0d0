import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AnyStoreTransaction } from "@countersign/db";
import { ServiceError } from "../errors.js";
import { createHarness, harnessEngines } from "../test-support/harness.js";
import type { Harness } from "../test-support/harness.js";
import type { Outcome } from "../services/shared/live-change.js";
import { runSeamMutation } from "./idempotency.js";
import type { SeamMutationScope } from "./idempotency.js";

// runSeamMutation (issue 13): the Idempotency-Key kept in the mutation's own unit of work, on each engine.
describe.each(harnessEngines)("runSeamMutation on %s", (engine) => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness({ engine });
  });
  afterEach(() => h.close());

  const scope = (idempotencyKey: string | null): SeamMutationScope => ({ store: h.store, user: h.user("mof"), now: () => h.clock.now, idempotencyKey });

  /** A service that writes one row (a session of mof's, with a new id each run) and answers with its id. */
  let runs = 0;
  const openOne = async (tx: AnyStoreTransaction): Promise<Outcome<{ id: string; run: number }>> => {
    runs += 1;
    const id = randomUUID();
    const at = h.clock.now.toISOString();
    await tx.repos.sessions.open({ id, userId: h.user("mof").id, createdAt: at, lastSeenAt: at, expiresAt: at, ip: null, userAgent: null });
    return { value: { id, run: runs }, change: null };
  };
  /** The service's refusal code (runSeamMutation is called directly here, not through tRPC). */
  const refusalOf = async (fn: () => Promise<unknown>): Promise<{ refusalCode: string }> => {
    try {
      await fn();
    } catch (error) {
      if (error instanceof ServiceError) return { refusalCode: error.code };
      throw error;
    }
    throw new Error("expected a refusal, but the call succeeded");
  };
  const rowsWritten = () => h.store.read((repos) => repos.sessions.listOf(h.user("mof").id));

  it("answers a retry with the same key with the first answer, and writes nothing twice", async () => {
    const first = await runSeamMutation(scope("key-1"), "test.open", { n: 1 }, openOne);
    const again = await runSeamMutation(scope("key-1"), "test.open", { n: 1 }, openOne);
    expect(again).toEqual(first);
    expect((await rowsWritten()).map((r) => r.id)).toEqual([first.id]);
    // Another key is another request.
    const other = await runSeamMutation(scope("key-2"), "test.open", { n: 1 }, openOne);
    expect(other.id).not.toBe(first.id);
    expect(await rowsWritten()).toHaveLength(2);
  });

  it("refuses the same key on a different request (input or procedure) and writes nothing", async () => {
    await runSeamMutation(scope("key-1"), "test.open", { n: 1 }, openOne);
    const otherInput = await refusalOf(() => runSeamMutation(scope("key-1"), "test.open", { n: 2 }, openOne));
    const otherProcedure = await refusalOf(() => runSeamMutation(scope("key-1"), "test.other", { n: 1 }, openOne));
    expect(otherInput).toMatchObject({ refusalCode: "idempotency_key_reused" });
    expect(otherProcedure).toMatchObject({ refusalCode: "idempotency_key_reused" });
    expect(await rowsWritten()).toHaveLength(1);
  });

  it("stores nothing for a service that fails: neither its writes nor the key, so a retry runs again", async () => {
    const failing = async (tx: AnyStoreTransaction): Promise<Outcome<{ id: string; run: number }>> => {
      await openOne(tx);
      throw new ServiceError("stale_version", "refused after writing");
    };
    expect(await refusalOf(() => runSeamMutation(scope("key-1"), "test.open", { n: 1 }, failing))).toMatchObject({ refusalCode: "stale_version" });
    expect(await rowsWritten()).toHaveLength(0);
    expect(await h.store.read((repos) => repos.idempotency.find(h.user("mof").id, "key-1"))).toBeUndefined();
    const retried = await runSeamMutation(scope("key-1"), "test.open", { n: 1 }, openOne);
    expect((await rowsWritten()).map((r) => r.id)).toEqual([retried.id]);
  });

  it("refuses a malformed key before running the service", async () => {
    expect(await refusalOf(() => runSeamMutation(scope("no spaces allowed"), "test.open", {}, openOne))).toMatchObject({ refusalCode: "invalid_input" });
    expect(await rowsWritten()).toHaveLength(0);
  });
});
