import { afterEach, describe, expect, it } from "vitest";
import { createHarness, harnessEngines, refusalOf } from "../test-support/harness.js";
import type { Harness } from "../test-support/harness.js";
import { issuedPlanReadyToClose } from "../test-support/seeds.js";

// measure.close and measure.reopen on the store seam (issue 13): one unit of work (the measure's conditional update
// and its audit event) on either engine.
describe.each(harnessEngines)("closing and reopening a measure on %s", (engine) => {
  let h: Harness | null = null;
  afterEach(async () => {
    await h?.close();
    h = null;
  });

  it("closes (9), reopens it, and the history and the trail say who and when; the chain verifies", async () => {
    h = await createHarness({ engine, seed: issuedPlanReadyToClose });
    const { planId, live } = h;
    h.clock.now = new Date("2026-03-04T01:00:00Z");
    // The live stream hears of the closing once committed (ids to refetch), on either engine's bus.
    const listening = new AbortController();
    const heard = (async () => {
      for await (const delivery of live.listen(listening.signal)) if (delivery.kind === "change") return delivery.event.envelope;
      return null;
    })();
    const closed = await h.as("miit").measure.close({ planId, measureNumber: 9, note: "办结 closed" });
    const envelope = await heard;
    listening.abort();
    expect(envelope?.change).toMatchObject({ planId, measureNumbers: [9] });
    expect(envelope?.audience).toEqual(expect.arrayContaining(["PBOC", "CBIRC"]));
    expect(closed).toMatchObject({ planId, measureNumber: 9, closed: true, status: "closed", closedAt: "2026-03-04T01:00:00.000Z", version: 2 });
    h.clock.now = new Date("2026-03-05T01:00:00Z");
    const reopened = await h.as("miit").measure.reopen({ planId, measureNumber: 9, note: "补充材料 more to do" });
    expect(reopened).toMatchObject({ closed: false, version: 3, reopenedAt: "2026-03-05T01:00:00.000Z" });
    expect(reopened.status).not.toBe("closed");

    const history = await h.as("observer").measure.history({ planId, measureNumber: 9 });
    expect(history.closure).toMatchObject({
      closed: false,
      closeNote: "办结 closed",
      closedBy: { username: "miit" },
      reopenNote: "补充材料 more to do",
      reopenedBy: { username: "miit" },
    });
    expect(history.events.slice(-2).map((e) => [e.type, e.from, e.to])).toEqual([
      ["measure.closed", "countersigned", "closed"],
      ["measure.reopened", "closed", "countersigned"],
    ]);
    expect((await h.store.verifyAuditChain()).ok).toBe(true);
  });

  it("refuses a liaison, a measure not countersigned, a province's office; of two racing closes one wins", async () => {
    const harness = await createHarness({ engine, seed: issuedPlanReadyToClose });
    h = harness;
    const planId = harness.planId;
    const close = (username: string, measureNumber: number) => () => harness.as(username).measure.close({ planId, measureNumber, note: "" });
    expect(await refusalOf(close("pboc", 9))).toMatchObject({ code: "FORBIDDEN" });
    // (7) is not countersigned.
    expect(await refusalOf(close("miit", 7))).toMatchObject({ code: "PRECONDITION_FAILED" });
    expect(await refusalOf(close("zj-office", 9))).toMatchObject({ code: "FORBIDDEN", refusalCode: "not_visible" });
    const miit = harness.as("miit");
    const results = await Promise.allSettled([
      miit.measure.close({ planId, measureNumber: 9, note: "first" }),
      miit.measure.close({ planId, measureNumber: 9, note: "second" }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const trail = await miit.audit.list({ planId, limit: 20 });
    expect(trail.rows.filter((r) => r.type === "measure.closed")).toHaveLength(1);
    expect((await harness.store.verifyAuditChain()).ok).toBe(true);
  });
});
