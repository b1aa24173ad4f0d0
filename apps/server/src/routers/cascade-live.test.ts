// Down the levels (issue 16) in the live stream: a change below reaches the offices above it (the roll-up they follow,
// the grid refetches), a forwarding reaches the office it is addressed to, and a sibling hears nothing of either.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createCaller } from "../router.js";
import type { LiveMessage } from "../services/shared/live-change.js";
import { createHarness } from "../test-support/harness.js";
import type { Harness } from "../test-support/harness.js";

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

type Tracked = readonly [string, LiveMessage, symbol];

async function subscribe(name: string) {
  const row = {
    id: `test-session-${name}`,
    userId: h.user(name).id,
    createdAt: h.clock.now.toISOString(),
    lastSeenAt: h.clock.now.toISOString(),
    expiresAt: new Date(h.clock.now.getTime() + 3_600_000).toISOString(),
    ip: null,
    userAgent: null,
  };
  await h.store.transaction((tx) => tx.repos.sessions.open(row));
  const controller = new AbortController();
  const caller = createCaller(h.context(h.user(name)), { signal: controller.signal });
  const iterable = (await caller.live.changes({})) as AsyncIterable<Tracked>;
  const plans: number[] = [];
  const done = (async () => {
    for await (const [, message] of iterable) if (message.type === "change") plans.push(message.planId);
  })();
  return { plans, stop: async () => {
    controller.abort();
    await done.catch(() => undefined);
  } };
}

/** Waits (at most 3 s) until `ready()`: events arrive when they arrive on a loaded machine, not after a fixed pause. */
async function until(ready: () => boolean): Promise<void> {
  const end = Date.now() + 3000;
  while (!ready() && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe("the live stream down the levels", () => {
  it("tells the offices above of a change below and an office of a forwarding to it; a sibling hears neither", async () => {
    await h.as("miit").plan.issue({ planId: h.planId, dueDate: "2027-12-31" });
    const nation = await subscribe("miit");
    const guangxi = await subscribe("gx-office");
    const zhejiang = await subscribe("zj-office");
    const nanning = await subscribe("nn-office");
    await h.as("miit").cascade.forward({ planId: h.planId, to: ["450000"], measureNumbers: [7], planDeadline: "2026-06-30" });
    await until(() => guangxi.plans.length > 0);
    expect(guangxi.plans).toEqual([h.planId]);
    expect(zhejiang.plans).toEqual([]);
    const [pending] = await h.as("gx-office").cascade.pending();
    if (pending === undefined) throw new Error("nothing pending");
    const { planId: gx } = await h.as("gx-office").cascade.derive({ forwardingId: pending.forwardingId });
    await h.as("gx-office").plan.issue({ planId: gx, dueDate: "2026-12-31" });
    await until(() => nation.plans.includes(gx) && guangxi.plans.includes(gx));
    // Guangxi's issue: heard by Guangxi and the nation above it; Nanning not yet (nothing forwarded to it); Zhejiang nothing.
    expect(nation.plans).toContain(gx);
    expect(guangxi.plans).toContain(gx);
    expect(nanning.plans).toEqual([]);
    await h.as("gx-office").cascade.forward({ planId: gx, to: ["450100"], measureNumbers: [1], planDeadline: "2026-05-31" });
    await until(() => nanning.plans.length > 0);
    expect(nanning.plans).toEqual([gx]);
    expect(zhejiang.plans).toEqual([]);
    for (const s of [nation, guangxi, zhejiang, nanning]) await s.stop();
  });
});
