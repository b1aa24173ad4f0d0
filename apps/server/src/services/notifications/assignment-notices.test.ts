/**
 * The assignment workflow reaches the notification centre and the webhook outbox (issue 14, point 3), in the act's
 * own transaction: new assignments, reminders, returns, extension decisions and reassignments; a department's own
 * acts tell no one.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createHarness } from "../../test-support/harness.js";
import type { Harness } from "../../test-support/harness.js";
import { listNotifications } from "./list-notifications.js";
import { configureStoreOutbound } from "./notify.js";

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
  configureStoreOutbound(h.store, { webhook: true, email: false, emailTo: [] });
});
afterEach(() => h.close());

/** The assignment events told to a liaison, oldest first: [event, assignmentId, text]. */
async function toldTo(username: string): Promise<Array<[unknown, unknown, unknown]>> {
  const list = await h.store.read((repos) => listNotifications(repos, h.user(username), 500, null));
  return list.items
    .filter((n) => n.kind === "assignment.event")
    .reverse()
    .map((n) => [n.params["event"], n.params["assignmentId"], n.params["text"]]);
}

/** How many in-app notices are stored, for everyone. */
async function noticeCount(): Promise<number> {
  return Number((await h.rows<{ n: number | string }>("select count(*) as n from notifications"))[0]?.n);
}

/** The webhook outbox's assignment events, in order: [event, assignmentId, departments, text]. */
async function webhooks(): Promise<Array<[unknown, unknown, unknown, unknown]>> {
  return (await h.rows<{ payload: string }>("select payload from outbox where channel = 'webhook' order by id")).map((r) => JSON.parse(r.payload) as { type: string; data: Record<string, unknown> })
    .filter((b) => b.type === "assignment.event")
    .map((b) => [b.data["event"], b.data["assignmentId"], b.data["departments"], b.data["text"]]);
}

describe("assignment events in the notification centre and the outbox", () => {
  it("tells a department of its new assignments, reminders, returns, extension decisions and reassignments", async () => {
    const miit = h.as("miit");
    const mof = h.as("mof");
    await miit.plan.issue({ planId: h.planId, dueDate: "2026-12-31" });
    const inbox = await mof.inbox.list({ planId: h.planId, department: "MOF", limit: 200 });
    const mofIds = inbox.rows.map((r) => r.id).sort((a, b) => a - b);
    expect(mofIds.length).toBeGreaterThan(1);
    // One notice per new assignment, linking to it; the outbox has one webhook per assignment issued.
    expect((await toldTo("mof")).map(([event, id]) => [event, id])).toEqual(mofIds.map((id) => ["assignment.issued", id]));
    const issued = (await webhooks());
    expect(issued.every(([event]) => event === "assignment.issued")).toBe(true);
    expect(issued.filter(([, , departments]) => departments === "MOF").map(([, id]) => id)).toEqual(mofIds);
    const notices = (await noticeCount());

    // MOF's own acts (accept, report progress, sign off) tell no one.
    const row = inbox.rows.find((r) => r.role === "supporting");
    if (row === undefined) throw new Error("MOF supports no measure");
    let a = await mof.assignment.accept({ id: row.id, expectedVersion: row.version });
    a = await mof.assignment.reportProgress({ id: row.id, expectedVersion: a.version, note: "起草中" });
    a = await mof.assignment.signOff({ id: row.id, expectedVersion: a.version, summary: "已印发" });
    expect((await noticeCount())).toBe(notices);
    const before = (await webhooks()).length;

    // Returned, reminded, an extension refused: each reaches MOF with the lead ministry's words.
    a = await miit.assignment.return({ id: row.id, expectedVersion: a.version, reason: "请补充佐证材料" });
    a = await miit.assignment.remind({ id: row.id, expectedVersion: a.version, message: "请于本周内报送" });
    a = await mof.assignment.requestExtension({ id: row.id, expectedVersion: a.version, until: "2027-03-31", reason: "需征求意见" });
    a = await miit.assignment.decideExtension({ id: row.id, expectedVersion: a.version, approve: false, note: "时间不能再延" });
    expect((await toldTo("mof")).slice(-3)).toEqual([
      ["assignment.returned", row.id, "请补充佐证材料"],
      ["assignment.reminded", row.id, "请于本周内报送"],
      ["assignment.extension_refused", row.id, "时间不能再延"],
    ]);
    expect((await toldTo("sta")).some(([, id]) => id === row.id)).toBe(false);

    // MOF declines another assignment (its own act: no notice); reassigned to a department not on the measure, that
    // department reads why, and MOF is told the work left it, not why.
    const other = inbox.rows.find((r) => r.id !== row.id);
    if (other === undefined) throw new Error("MOF has one assignment only");
    const declined = await mof.assignment.decline({ id: other.id, expectedVersion: other.version, reason: "不属于本部门职责" });
    const detail = await miit.assignment.get({ id: other.id });
    const onMeasure = new Set([detail.assignment.department, ...detail.others.map((o) => o.department)]);
    const to = ["NDRC", "MOST", "MOFCOM", "PBC", "SAMR"].find((d) => !onMeasure.has(d));
    if (to === undefined) throw new Error("no department free to take the measure");
    const toUser = to.toLowerCase();
    const told = (await toldTo(toUser)).length;
    await miit.assignment.reassign({ id: other.id, expectedVersion: declined.version, toDepartment: to, note: "职能调整" });
    expect((await toldTo(toUser)).slice(told)).toEqual([["assignment.reassigned", other.id, "职能调整"]]);
    expect((await toldTo("mof")).at(-1)).toEqual(["assignment.reassigned", other.id, null]);

    // The outbox carries the same events, in order, the reassignment once per audience.
    expect((await webhooks()).slice(before)).toEqual([
      ["assignment.returned", row.id, "MOF", "请补充佐证材料"],
      ["assignment.reminded", row.id, "MOF", "请于本周内报送"],
      ["assignment.extension_refused", row.id, "MOF", "时间不能再延"],
      ["assignment.reassigned", other.id, to, "职能调整"],
      ["assignment.reassigned", other.id, "MOF", null],
    ]);
  });

  it("a refused or stale act tells no one", async () => {
    const miit = h.as("miit");
    await miit.plan.issue({ planId: h.planId, dueDate: "2026-12-31" });
    const row = (await h.as("mof").inbox.list({ planId: h.planId, department: "MOF", limit: 200 })).rows[0];
    if (row === undefined) throw new Error("MOF has no assignment");
    const notices = (await noticeCount());
    const outbox = (await webhooks()).length;
    await expect(miit.assignment.remind({ id: row.id, expectedVersion: row.version + 5, message: "x" })).rejects.toThrow();
    await expect(miit.assignment.return({ id: row.id, expectedVersion: row.version, reason: "x" })).rejects.toThrow();
    expect((await noticeCount())).toBe(notices);
    expect((await webhooks()).length).toBe(outbox);
  });
});
