/**
 * One unread count (new-user trial, fault 1): the inbox's unread marks and the notification centre read together,
 * and every event that marks an inbox row unread is also a notice in the centre.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createHarness } from "../../test-support/harness.js";
import type { Harness } from "../../test-support/harness.js";

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
  await h.as("miit").plan.issue({ planId: h.planId, dueDate: "2026-12-31" });
});
afterEach(() => h.close());

async function ref(department: string, measureNumber: number): Promise<{ id: number; expectedVersion: number }> {
  const page = await h.as(department.toLowerCase()).inbox.list({ planId: h.planId, limit: 200 });
  const row = page.rows.find((r) => r.measureNumber === measureNumber);
  if (row === undefined) throw new Error(`no (${measureNumber}) for ${department}`);
  return { id: row.id, expectedVersion: row.version };
}

/** The caller's unread notices of one assignment in the notification centre. */
async function unreadNoticesOf(username: string, assignmentId: number): Promise<number[]> {
  const list = await h.as(username).notification.list({ limit: 100 });
  return list.items.filter((n) => !n.read && n.link === `/assignments/${assignmentId}`).map((n) => n.id);
}

describe("one unread state for the inbox and the notification centre", () => {
  it("opening an assignment reads its notices in the centre and its inbox mark: the navigation's count drops", async () => {
    const sta = h.as("sta");
    const seven = await ref("STA", 7);
    await h.as("miit").assignment.remind({ ...seven, message: "Please acknowledge." });
    expect((await sta.inbox.unreadCount()).unread).toBe(1);
    expect(await unreadNoticesOf("sta", seven.id)).toHaveLength(2); // assigned, then reminded
    const before = await sta.notification.unreadCount();

    const after = await sta.inbox.markRead({ assignmentId: seven.id });
    expect(after.unread).toBe(before - 2);
    expect(await sta.notification.unreadCount()).toBe(before - 2);
    expect(await unreadNoticesOf("sta", seven.id)).toEqual([]);
    expect((await sta.inbox.unreadCount()).unread).toBe(0);
  });

  it("marking a notice of an assignment read in the centre clears the inbox's mark of that assignment only", async () => {
    const sta = h.as("sta");
    const seven = await ref("STA", 7);
    await h.as("miit").assignment.remind({ ...seven, message: "Please acknowledge." });
    const other = (await sta.inbox.list({ planId: h.planId, limit: 200 })).rows.find((r) => r.measureNumber !== 7);
    if (other === undefined) throw new Error("STA has one assignment only");
    await h.as("miit").assignment.remind({ id: other.id, expectedVersion: other.version, message: "And this one." });
    expect((await sta.inbox.unreadCount()).unread).toBe(2);

    await sta.notification.markRead({ ids: await unreadNoticesOf("sta", seven.id) });
    const rows = (await sta.inbox.list({ planId: h.planId, limit: 200 })).rows;
    expect(rows.find((r) => r.id === seven.id)?.unreadNotice).toBeNull();
    expect(rows.find((r) => r.id === other.id)?.unreadNotice).toBe("assignment.reminded");

    await sta.notification.markRead({ ids: null });
    expect((await sta.inbox.unreadCount()).unread).toBe(0);
    expect(await sta.notification.unreadCount()).toBe(0);
  });

  it("every change that marks an inbox row unread is a notice too (deadline, comment from outside, reaffirmation)", async () => {
    const sta = h.as("sta");
    const seven = await ref("STA", 7);
    await sta.notification.markRead({ ids: null });
    await h.as("miit").assignment.comment({ ...seven, body: "请先与财政部沟通。" });
    expect((await sta.inbox.unreadCount()).unread).toBe(1);
    const notices = (await sta.notification.list({ limit: 10 })).items.filter((n) => !n.read);
    expect(notices.map((n) => [n.params["event"], n.params["text"], n.link])).toEqual([["assignment.commented", "请先与财政部沟通。", `/assignments/${seven.id}`]]);
    // The department's own comment is no notice to itself, in either view.
    await sta.inbox.markRead({ assignmentId: seven.id });
    await sta.assignment.comment({ ...(await ref("STA", 7)), body: "收到。" });
    expect((await sta.inbox.unreadCount()).unread).toBe(0);
    expect(await sta.notification.unreadCount()).toBe(0);
  });

  it("the coordinator opening a department's assignment leaves the department's unread state alone", async () => {
    const seven = await ref("STA", 7);
    await h.as("miit").assignment.remind({ ...seven, message: "Please acknowledge." });
    const before = await h.as("sta").notification.unreadCount();
    await h.as("miit").inbox.markRead({ assignmentId: seven.id });
    expect((await h.as("sta").inbox.unreadCount()).unread).toBe(1);
    expect(await h.as("sta").notification.unreadCount()).toBe(before);
  });
});
