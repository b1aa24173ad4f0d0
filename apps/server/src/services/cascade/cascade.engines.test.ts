import { afterEach, describe, expect, it } from "vitest";
import { createHarness, harnessEngines, refusalOf } from "../../test-support/harness.js";
import type { Harness } from "../../test-support/harness.js";

// Down the levels (issue 16) on the store seam (issue 13): every cascade procedure runs on either engine with one
// service code. The national office forwards to two provinces; Guangxi derives, adds a local measure, divides, issues
// and forwards one measure to Nanning; Zhejiang, a sibling, never sees Guangxi's plans, its forwarding or Nanning's.
describe.each(harnessEngines)("the cascade on %s", (engine) => {
  let h: Harness | null = null;
  afterEach(async () => {
    await h?.close();
    h = null;
  });

  it("forwards, tells the receiving office, derives, adds a local measure, issues, forwards further; a sibling sees none of it", async () => {
    h = await createHarness({ engine });
    const harness = h;
    const national = harness.planId;
    const nation = harness.as("miit");
    const guangxi = harness.as("gx-office");
    const zhejiang = harness.as("zj-office");
    const nanning = harness.as("nn-office");

    await nation.plan.issue({ planId: national, dueDate: "2027-12-31" });
    expect((await nation.cascade.organisations()).children).toHaveLength(31);
    const forwarded = await nation.cascade.forward({ planId: national, to: ["450000", "330000"], planDeadline: "2026-06-30" });
    expect(forwarded.forwardings.map((f) => f.to)).toEqual(["450000", "330000"]);
    expect(await refusalOf(() => nation.cascade.forward({ planId: national, to: ["450000"], measureNumbers: [7], planDeadline: "2026-06-30" }))).toMatchObject({
      refusalCode: "already_forwarded",
    });

    // The receiving office's coordinator is told in the notification centre; a liaison of the office's host department is not.
    const notices = (await guangxi.notification.list({ limit: 30, before: null })).items.filter((n) => n.kind === "cascade.forwarded");
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ link: "/cascade", params: { planId: national, measures: 25, planDeadline: "2026-06-30" } });
    expect((await harness.as("gx-miit").notification.list({ limit: 30, before: null })).items.filter((n) => n.kind === "cascade.forwarded")).toEqual([]);

    const around = await guangxi.cascade.organisations();
    expect(around.own.id).toBe("450000");
    expect(around.parent?.id).toBe("CN");
    expect(around.children.map((c) => c.id)).toContain("450100");
    expect(around.members.every((m) => m.code.startsWith("450000-"))).toBe(true);

    const [pending] = await guangxi.cascade.pending();
    if (pending === undefined) throw new Error("nothing forwarded to Guangxi");
    expect(pending.measures).toHaveLength(25);
    const zjPending = await zhejiang.cascade.pending();
    expect(zjPending.map((p) => p.forwardingId)).not.toContain(pending.forwardingId);
    const parent = await guangxi.cascade.plan({ planId: national });
    expect(parent.access).toBe("read_only");
    expect(parent.forwardings.map((f) => f.to)).toEqual(["450000"]);

    // A sibling cannot take in Guangxi's forwarding.
    expect(await refusalOf(() => zhejiang.cascade.derive({ forwardingId: pending.forwardingId }))).toMatchObject({ refusalCode: "not_forwarded_here" });
    const derived = await guangxi.cascade.derive({ forwardingId: pending.forwardingId });
    expect(derived.measures).toBe(25);
    const gx = derived.planId;
    expect(await guangxi.cascade.pending()).toEqual([]);
    const local = await guangxi.cascade.addLocalMeasure({ planId: gx, title: "沿边中小企业", text: "支持沿边地区中小企业发展。", dueDate: "2026-12-31" });
    expect(local).toEqual({ planId: gx, measureNumber: 26 });
    await guangxi.plan.setResponsibilities({ planId: gx, measureNumber: 26, lead: "450000-MOFCOM", supporting: [] });
    await guangxi.plan.issue({ planId: gx, dueDate: "2026-12-31" });
    const own = await guangxi.cascade.plan({ planId: gx });
    expect(own.access).toBe("full");
    expect(own.measures).toHaveLength(26);
    expect(own.measures.find((m) => m.number === 26)?.originNumber).toBeNull();

    await guangxi.cascade.forward({ planId: gx, to: ["450100"], measureNumbers: [7], planDeadline: "2026-06-30" });
    const [cityPending] = await nanning.cascade.pending();
    expect(cityPending?.measures.map((m) => m.number)).toEqual([7]);

    const view = await nation.cascade.regionalView({ planId: national });
    expect(view.drillDown["450000"]).toEqual([gx]);
    expect(view.totals.not_forwarded).toBe(29 * 25);
    expect(view.totals.planning + view.totals.in_progress + view.totals.late + view.totals.done).toBe(50);
    expect((await nation.cascade.plan({ planId: gx })).access).toBe("progress");
    const gxView = await guangxi.cascade.regionalView({ planId: gx });
    expect(gxView.columns.map((c) => c.id)).toContain("450100");

    // Zhejiang sees none of Guangxi's: its plan, its regional view, its forwarding to Nanning.
    expect(await refusalOf(() => zhejiang.cascade.plan({ planId: gx }))).toMatchObject({ code: "FORBIDDEN", refusalCode: "not_visible" });
    expect(await refusalOf(() => zhejiang.cascade.regionalView({ planId: gx }))).toMatchObject({ code: "FORBIDDEN", refusalCode: "not_visible" });
    expect(await refusalOf(() => zhejiang.cascade.addLocalMeasure({ planId: gx, title: "x", text: "y", dueDate: "2026-12-31" }))).toMatchObject({ code: "FORBIDDEN" });
    const zjParent = await zhejiang.cascade.plan({ planId: national });
    expect(zjParent.forwardings.map((f) => f.to)).toEqual(["330000"]);
    expect((await zhejiang.notification.list({ limit: 30, before: null })).items.filter((n) => n.kind === "cascade.forwarded")).toHaveLength(1);
    expect((await harness.store.verifyAuditChain()).ok).toBe(true);
  });

  it("takes a forwarding in once and forwards a measure to a child once when two acts race", async () => {
    h = await createHarness({ engine });
    const harness = h;
    const nation = harness.as("miit");
    await nation.plan.issue({ planId: harness.planId, dueDate: "2027-12-31" });
    const forwards = await Promise.allSettled([
      nation.cascade.forward({ planId: harness.planId, to: ["450000"], measureNumbers: [7], planDeadline: "2026-06-30" }),
      nation.cascade.forward({ planId: harness.planId, to: ["450000"], measureNumbers: [7], planDeadline: "2026-06-30" }),
    ]);
    expect(forwards.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const [pending] = await harness.as("gx-office").cascade.pending();
    if (pending === undefined) throw new Error("nothing forwarded to Guangxi");
    const guangxi = harness.as("gx-office");
    const derives = await Promise.allSettled([guangxi.cascade.derive({ forwardingId: pending.forwardingId }), guangxi.cascade.derive({ forwardingId: pending.forwardingId })]);
    expect(derives.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const plans = await harness.store.read(async (repos) => (await repos.cascade.livePlans(null)).filter((p) => p.organisationId === "450000"));
    expect(plans).toHaveLength(1);
    const forwardings = await harness.store.read(async (repos) => repos.cascade.forwardingsOf([harness.planId]));
    expect(forwardings.filter((f) => f.toOrganisation === "450000")).toHaveLength(1);
    expect((await harness.store.verifyAuditChain()).ok).toBe(true);
  });
});
