import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sessionsTable } from "@countersign/db/schema";
import { createCaller } from "../router.js";
import type { LiveChange } from "../services/shared/live-change.js";
import { createHarness } from "../test-support/harness.js";
import type { Harness } from "../test-support/harness.js";

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
  await h.as("miit").plan.issue({ planId: h.planId, dueDate: "2026-06-30" });
});
afterEach(() => h.close());

/** Collects what a subscription yields until `stop` aborts it. */
function collect(iterable: AsyncIterable<LiveChange>): { received: LiveChange[]; done: Promise<void> } {
  const received: LiveChange[] = [];
  const done = (async () => {
    for await (const change of iterable) received.push(change);
  })();
  return { received, done };
}

describe("live.changes", () => {
  it("announces committed changes to those who may see them", async () => {
    const subscribe = async (name: string) => {
      const controller = new AbortController();
      const iterable = (await createCaller(h.context(h.user(name)), { signal: controller.signal }).live.changes({})) as AsyncIterable<LiveChange>;
      return { ...collect(iterable), stop: () => controller.abort() };
    };
    // Sessions must exist for the subscription to keep running.
    for (const name of ["miit", "samr", "most"]) {
      h.database.db
        .insert(sessionsTable)
        .values({
          id: `test-session-${name}`,
          userId: h.user(name).id,
          createdAt: h.clock.now.toISOString(),
          lastSeenAt: h.clock.now.toISOString(),
          expiresAt: new Date(h.clock.now.getTime() + 3_600_000).toISOString(),
        })
        .run();
    }
    const coordinator = await subscribe("miit");
    const samr = await subscribe("samr"); // leads (2) with NDRC and MOFCOM
    const most = await subscribe("most"); // not on (2)
    await new Promise((resolve) => setImmediate(resolve));
    expect(h.live.listeners()).toBe(3);

    const overview = await h.as("miit").tracking.overview({ planId: h.planId });
    const ndrc = overview.measures.find((m) => m.number === 2)?.assignments.find((a) => a.department === "NDRC");
    if (ndrc === undefined) throw new Error("no NDRC assignment on (2)");
    await h.as("ndrc").assignment.accept({ id: ndrc.id, expectedVersion: ndrc.version });
    await new Promise((resolve) => setTimeout(resolve, 20));

    const expected = { planId: h.planId, assignmentIds: [ndrc.id], measureNumbers: [2], departments: ["NDRC"] };
    expect(coordinator.received).toMatchObject([expected]);
    expect(samr.received).toMatchObject([expected]);
    expect(most.received).toEqual([]);

    for (const s of [coordinator, samr, most]) s.stop();
    await Promise.allSettled([coordinator.done, samr.done, most.done]);
    expect(h.live.listeners()).toBe(0);
  });
});
