import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createCaller } from "../router.js";
import { LiveBus } from "../live.js";
import type { LiveEnvelope, LiveMessage } from "../services/shared/live-change.js";
import { createHarness } from "../test-support/harness.js";
import type { Harness } from "../test-support/harness.js";

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
  await h.as("miit").plan.issue({ planId: h.planId, dueDate: "2026-06-30" });
});
afterEach(() => h.close());

/** What `tracked(id, data)` yields through createCaller: `[id, data, symbol]`. */
type Tracked = readonly [string, LiveMessage, symbol];

/** Collects what a subscription yields (messages and their ids) until `stop` aborts it. */
function collect(iterable: AsyncIterable<Tracked>): { received: LiveMessage[]; ids: string[]; done: Promise<void> } {
  const received: LiveMessage[] = [];
  const ids: string[] = [];
  const done = (async () => {
    for await (const [id, message] of iterable) {
      ids.push(id);
      received.push(message);
    }
  })();
  return { received, ids, done };
}

/** Gives every named user a live session: the subscription ends at the first change after a session has ended. */
async function startSessions(names: readonly string[]): Promise<void> {
  for (const name of names) {
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
  }
}

async function subscribe(name: string, lastEventId?: string) {
  const controller = new AbortController();
  const caller = createCaller(h.context(h.user(name)), { signal: controller.signal });
  const iterable = (await caller.live.changes(lastEventId === undefined ? {} : { lastEventId })) as AsyncIterable<Tracked>;
  return { ...collect(iterable), stop: () => controller.abort() };
}

/** Lets the subscriptions run: the published changes reach them. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

/**
 * Waits (at most 3 s) until `ready()`, then settles once more: on PostgreSQL a change reaches the bus through
 * LISTEN/NOTIFY, when it arrives on a loaded machine rather than after a fixed pause.
 */
async function until(ready: () => boolean): Promise<void> {
  const end = Date.now() + 3000;
  while (!ready() && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 10));
  await settle();
}

/** Accepts the assignment of `department` on measure `measureNumber` as its liaison. */
async function accept(measureNumber: number, department: string, liaison: string): Promise<number> {
  const overview = await h.as("miit").tracking.overview({ planId: h.planId });
  const a = overview.measures.find((m) => m.number === measureNumber)?.assignments.find((x) => x.department === department);
  if (a === undefined) throw new Error(`no ${department} assignment on (${measureNumber})`);
  await h.as(liaison).assignment.accept({ id: a.id, expectedVersion: a.version });
  return a.id;
}

describe("live.changes", () => {
  it("announces committed changes to those who may see them", async () => {
    await startSessions(["miit", "samr", "most"]);
    const coordinator = await subscribe("miit");
    const samr = await subscribe("samr"); // leads (2) with NDRC and MOFCOM
    const most = await subscribe("most"); // not on (2)
    await new Promise((resolve) => setImmediate(resolve));
    expect(h.live.listeners()).toBe(3);

    const overview = await h.as("miit").tracking.overview({ planId: h.planId });
    const ndrc = overview.measures.find((m) => m.number === 2)?.assignments.find((a) => a.department === "NDRC");
    if (ndrc === undefined) throw new Error("no NDRC assignment on (2)");
    await h.as("ndrc").assignment.accept({ id: ndrc.id, expectedVersion: ndrc.version });
    await until(() => coordinator.received.length > 0 && samr.received.length > 0);

    const expected = { type: "change", planId: h.planId, assignmentIds: [ndrc.id], measureNumbers: [2], departments: ["NDRC"] };
    expect(coordinator.received).toMatchObject([expected]);
    expect(samr.received).toMatchObject([expected]);
    expect(most.received).toEqual([]);

    for (const s of [coordinator, samr, most]) s.stop();
    await Promise.allSettled([coordinator.done, samr.done, most.done]);
    expect(h.live.listeners()).toBe(0);
  });
});

describe("live.changes resumes from the last event id", () => {
  it("replays the changes a client missed while away, and only those", async () => {
    await startSessions(["miit"]);
    const first = await subscribe("miit");
    await until(() => h.live.listeners() === 1);
    const idOn2 = await accept(2, "NDRC", "ndrc");
    await until(() => first.received.length > 0);
    expect(first.received.map((m) => m.type === "change" && m.assignmentIds)).toEqual([[idOn2]]);
    const lastSeen = first.ids.at(-1);
    if (lastSeen === undefined) throw new Error("no event id");
    // The connection drops; two changes happen meanwhile.
    first.stop();
    await first.done;
    const missed = [await accept(2, "SAMR", "samr"), await accept(7, "STA", "sta")];

    const resumed = await subscribe("miit", lastSeen);
    await until(() => resumed.received.length >= missed.length);
    const after = await accept(2, "MOFCOM", "mofcom");
    await until(() => resumed.received.length > missed.length);
    expect(resumed.received.map((m) => m.type === "change" && m.assignmentIds[0])).toEqual([...missed, after]);
    // Ids grow, and none repeats what the first connection saw.
    expect(new Set([...first.ids, ...resumed.ids]).size).toBe(first.ids.length + resumed.ids.length);
    resumed.stop();
    await resumed.done;
  });

  it("a liaison resuming gets only the missed changes it may see", async () => {
    await startSessions(["miit", "most"]);
    const coordinator = await subscribe("miit");
    await until(() => h.live.listeners() === 1);
    await accept(2, "NDRC", "ndrc");
    await until(() => coordinator.received.length > 0);
    const lastSeen = coordinator.ids.at(-1) ?? "";
    coordinator.stop();
    await coordinator.done;
    const missed = await accept(2, "SAMR", "samr"); // MOST is not on (2)
    // The coordinator resuming from the same id is given the missed change: it has reached the bus to be replayed.
    const control = await subscribe("miit", lastSeen);
    await until(() => control.received.length > 0);
    expect(control.received.map((m) => m.type === "change" && m.assignmentIds[0])).toEqual([missed]);
    const most = await subscribe("most", lastSeen);
    await settle();
    expect(most.received).toEqual([]);
    for (const s of [control, most]) s.stop();
    await Promise.allSettled([control.done, most.done]);
  });

  it("asks for a refetch of everything (resync) when the id is unknown: another process's, too old, or garbage", async () => {
    await startSessions(["miit"]);
    for (const lastEventId of ["0123abcd.1", "not-an-id", "x.99999999"]) {
      const s = await subscribe("miit", lastEventId);
      await settle();
      expect(s.received).toEqual([{ type: "resync" }]);
      s.stop();
      await s.done;
    }
  });
});

describe("LiveBus", () => {
  const change = (n: number): LiveEnvelope => ({
    change: { planId: 1, assignmentIds: [n], measureNumbers: [1], departments: ["MOF"], at: "2026-03-02T00:00:00.000Z" },
    audience: ["MOF"],
  });
  const take = async (bus: LiveBus, lastEventId: string | null, count: number) => {
    const controller = new AbortController();
    const out: string[] = [];
    for await (const d of bus.listen(controller.signal, lastEventId)) {
      out.push(d.kind === "resync" ? "resync" : String(d.event.envelope.change.assignmentIds[0]));
      if (out.length === count) break;
    }
    controller.abort();
    return out;
  };

  it("keeps a bounded ring: an id still in it resumes, one that fell out resyncs", async () => {
    const bus = new LiveBus(3);
    bus.publish(change(1));
    const afterOne = bus.headId();
    for (let n = 2; n <= 4; n++) bus.publish(change(n));
    // Kept: 2, 3, 4. After 1 nothing is lost yet; after 0 change 1 is.
    expect(await take(bus, afterOne, 3)).toEqual(["2", "3", "4"]);
    bus.publish(change(5));
    expect(await take(bus, afterOne, 1)).toEqual(["resync"]);
    expect(await take(bus, bus.headId().replace(/\d+$/, "3"), 2)).toEqual(["4", "5"]);
  });

  it("loses no change published while a listener catches up", async () => {
    const bus = new LiveBus();
    bus.publish(change(1));
    const start = bus.headId().replace(/\d+$/, "0");
    const listening = take(bus, start, 3);
    bus.publish(change(2));
    bus.publish(change(3));
    expect(await listening).toEqual(["1", "2", "3"]);
    expect(bus.listeners()).toBe(0);
  });

  describe("with ids from the database (PostgreSQL: the same on every instance)", () => {
    it("resumes from any id at or above what it knows completely, across gaps, and resyncs below it or before its first sync", async () => {
      const bus = new LiveBus(2, { kind: "database" });
      expect(await take(bus, "db.0", 1)).toEqual(["resync"]);
      bus.synced(2);
      // Ids grow with gaps (a failed commit leaves one).
      for (const id of [3, 5, 9]) bus.publishCommitted(change(id), id);
      expect(bus.headId()).toBe("db.9");
      // The ring holds 5 and 9: complete above 3.
      expect(await take(bus, "db.3", 2)).toEqual(["5", "9"]);
      expect(await take(bus, "db.4", 2)).toEqual(["5", "9"]);
      expect(await take(bus, "db.2", 1)).toEqual(["resync"]);
      // Another process's id, or a process id here: unknown.
      expect(await take(bus, "0123abcd.5", 1)).toEqual(["resync"]);
      expect(() => bus.publish(change(10))).toThrow(/publishCommitted/);
      // An id heard before, or below the head, is dropped.
      bus.publishCommitted(change(99), 9);
      bus.publishCommitted(change(98), 4);
      expect(await take(bus, "db.3", 2)).toEqual(["5", "9"]);
    });

    it("resyncs every open listener at a re-sync, and knows nothing below its watermark afterwards", async () => {
      const bus = new LiveBus(8, { kind: "database" });
      bus.synced(0);
      bus.publishCommitted(change(1), 1);
      const open = take(bus, "db.0", 3);
      await new Promise((resolve) => setImmediate(resolve));
      // The LISTEN connection was lost and is back: what committed up to 20 may have passed unheard.
      bus.synced(20);
      bus.publishCommitted(change(15), 15);
      bus.publishCommitted(change(21), 21);
      expect(await open).toEqual(["1", "resync", "21"]);
      expect(await take(bus, "db.1", 1)).toEqual(["resync"]);
      expect(await take(bus, "db.20", 1)).toEqual(["21"]);
    });

    it("an id the database assigned but this instance has not heard yet resumes after it; one never assigned resyncs", async () => {
      let assigned = 30;
      const bus = new LiveBus(8, { kind: "database", lastAssignedId: async () => assigned });
      bus.synced(20);
      bus.publishCommitted(change(21), 21);
      const ahead = take(bus, "db.25", 1);
      await new Promise((resolve) => setTimeout(resolve, 10));
      // 25 reaches this instance after the client saw it elsewhere: not again; 26 is new to the client.
      bus.publishCommitted(change(25), 25);
      bus.publishCommitted(change(26), 26);
      expect(await ahead).toEqual(["26"]);
      assigned = 26;
      expect(await take(bus, "db.27", 1)).toEqual(["resync"]);
      const unasked = new LiveBus(8, { kind: "database" });
      unasked.synced(20);
      expect(await take(unasked, "db.25", 1)).toEqual(["resync"]);
    });
  });
});
