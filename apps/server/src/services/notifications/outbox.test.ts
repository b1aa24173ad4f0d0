/**
 * Notices and outbox rows written in an act's unit of work (`notifyOnSeam`), on the engine the harness runs on
 * (COUNTERSIGN_TEST_ENGINE). Their delivery (a webhook receiver that is down for a while, SMTP, two instances'
 * dispatchers) is tested on both engines in outbox.engines.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createHarness } from "../../test-support/harness.js";
import type { Harness } from "../../test-support/harness.js";
import { assignmentNotice, notifyOnSeam } from "./notify.js";
import type { Notice, OutboundChannels } from "./notify.js";
import { listNotifications } from "./list-notifications.js";
import { markNotificationsRead } from "./read-state.js";
import type { ActingUser } from "../shared/acting-user.js";

let h: Harness;

/** The account's notification centre, as `notification.list` reads it (through the store). */
const listOf = (user: ActingUser) => h.store.read((repos) => listNotifications(repos, user, 10, null));
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

const off: OutboundChannels = { webhook: false, email: false, emailTo: [] };
const webhookOn: OutboundChannels = { webhook: true, email: false, emailTo: [] };
const roundOpened = (title: string): Notice => ({ kind: "round.opened", params: { title }, link: "/rounds/1", departments: ["MOF"] });

/** The outbox as stored, in id order (the test's own look at the database). */
const outboxRows = () => h.rows<{ channel: string; type: string; payload: string }>("select channel, type, payload from outbox order by id");

describe("notices and the outbox in the act's unit of work", () => {
  it("writes nothing outbound unless a channel is on", async () => {
    await h.store.transaction((tx) => notifyOnSeam(tx.repos, roundOpened("x"), off, new Date()));
    expect(await outboxRows()).toEqual([]);
  });

  it("an outbox row is written with the act or not at all", async () => {
    await expect(
      h.store.transaction(async (tx) => {
        await notifyOnSeam(tx.repos, roundOpened("rolled back"), webhookOn, new Date());
        throw new Error("the act fails");
      }),
    ).rejects.toThrow("the act fails");
    expect(await outboxRows()).toEqual([]);
    expect((await listOf(h.user("mof"))).items).toEqual([]);
    await h.store.transaction((tx) => notifyOnSeam(tx.repos, roundOpened("kept"), webhookOn, new Date()));
    expect((await outboxRows()).map((r) => [r.channel, r.type])).toEqual([["webhook", "round.opened"]]);
  });

  it("in-app notices: one per account of the department, marked read by their owner only", async () => {
    await h.store.transaction((tx) => notifyOnSeam(tx.repos, roundOpened("Q1"), off, new Date()));
    const mof = h.user("mof");
    const sta = h.user("sta");
    const list = await listOf(mof);
    expect(list.unread).toBe(1);
    expect(list.items[0]).toMatchObject({ kind: "round.opened", link: "/rounds/1", params: { title: "Q1" }, read: false });
    expect((await listOf(sta)).items).toEqual([]);
    const id = list.items[0]?.id ?? 0;
    expect(await h.store.transaction((tx) => markNotificationsRead(tx.repos, sta, [id], new Date()))).toBe(0);
    expect((await listOf(mof)).unread).toBe(1);
    expect(await h.store.transaction((tx) => markNotificationsRead(tx.repos, mof, [id], new Date()))).toBe(0);
    expect((await listOf(mof)).items[0]?.read).toBe(true);
  });

  it("the hook for assignment events tells the department's accounts and the outbox, linking to the assignment", async () => {
    const returned = assignmentNotice(
      { type: "assignment.returned", assignmentId: 42, planId: h.planId, measureNumber: 7, department: "MOF", text: "请补充佐证材料" },
      ["MOF"],
    );
    const told = await h.store.transaction((tx) => notifyOnSeam(tx.repos, returned, webhookOn, new Date()));
    expect(told).toBe(1);
    expect((await listOf(h.user("mof"))).items[0]).toMatchObject({
      kind: "assignment.event",
      link: "/assignments/42",
      params: { event: "assignment.returned", measureNumber: 7, text: "请补充佐证材料" },
    });
    const body = JSON.parse((await outboxRows())[0]?.payload ?? "{}") as { type: string; data: Record<string, unknown> };
    expect(body).toMatchObject({ type: "assignment.event", data: { event: "assignment.returned", assignmentId: 42, link: "/assignments/42" } });
  });
});
