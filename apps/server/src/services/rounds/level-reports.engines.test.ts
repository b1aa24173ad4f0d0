import { afterEach, describe, expect, it } from "vitest";
import { auditPayloadIssues } from "@countersign/domain";
import { renderRoundDocx, roundReportHtml } from "@countersign/exports";
import { compileRound } from "./compile-round.js";
import { createHarness, harnessEngines, refusalOf } from "../../test-support/harness.js";
import type { Harness, HarnessSeeder } from "../../test-support/harness.js";

// Round reports down the levels (issue 16, point 3) on both engines: the national office opens a round on the plan it
// forwarded; Guangxi (which derived and issued its plan) and Nanning (below Guangxi) get their own rounds; departments
// report into them; Nanning's office compiles, submits and signs off its report to Guangxi; Guangxi's carries it up to
// the national office, which returns it once; Zhejiang (a sibling, which derived nothing) sees none of it.

const text = { progress: "已印发实施细则", problems: "无", nextSteps: "开展督查" };
const roundInput = (planId: number) => ({
  planId,
  title: "2025年第四季度进展",
  periodStart: "2025-10-01",
  periodEnd: "2025-12-31",
  dueDate: "2026-01-10",
  measureNumbers: [7],
  departments: [],
  recurrence: "none" as const,
});

/** The national plan forwarded to Guangxi and Zhejiang; Guangxi derives and issues, forwards measure 7 to Nanning, which derives and issues. */
async function cascade(h: Harness): Promise<{ gxPlan: number; nnPlan: number }> {
  const nation = h.as("miit");
  const guangxi = h.as("gx-office");
  const nanning = h.as("nn-office");
  await nation.plan.issue({ planId: h.planId, dueDate: "2027-12-31" });
  await nation.cascade.forward({ planId: h.planId, to: ["450000", "330000"], planDeadline: "2026-06-30" });
  const [gxPending] = await guangxi.cascade.pending();
  if (gxPending === undefined) throw new Error("nothing forwarded to Guangxi");
  const gxPlan = (await guangxi.cascade.derive({ forwardingId: gxPending.forwardingId })).planId;
  await guangxi.plan.issue({ planId: gxPlan, dueDate: "2026-12-31" });
  await guangxi.cascade.forward({ planId: gxPlan, to: ["450100"], measureNumbers: [7], planDeadline: "2026-06-30" });
  const [nnPending] = await nanning.cascade.pending();
  if (nnPending === undefined) throw new Error("nothing forwarded to Nanning");
  const nnPlan = (await nanning.cascade.derive({ forwardingId: nnPending.forwardingId })).planId;
  await nanning.plan.issue({ planId: nnPlan, dueDate: "2026-12-31" });
  return { gxPlan, nnPlan };
}

/** A leader of Guangxi's office host department (广西工业和信息化厅), which requires its leader's approval. */
function seedGuangxiLeader(seeder: HarnessSeeder): void {
  const sqlite = seeder.database.sqlite;
  const hash = (sqlite.prepare("SELECT password_hash AS h FROM users WHERE username = 'gx-office'").get() as { h: string }).h;
  sqlite
    .prepare(
      "INSERT INTO users (username, display_name, role, department, department_role, password_hash, organisation_id, created_at) VALUES ('gx-leader', '广西工信厅领导', 'liaison', '450000-MIIT', 'leader', ?, '450000', '2026-01-01T00:00:00.000Z')",
    )
    .run(hash);
  sqlite.prepare("UPDATE departments SET leader_approval = 1 WHERE code = '450000-MIIT'").run();
}

/** The office's view of its report upward, which a round opened from above has. */
async function ownReport(caller: ReturnType<Harness["as"]>, roundId: number) {
  const own = await caller.round.levelReport({ roundId });
  if (own === null) throw new Error(`round ${roundId} owes no report upward`);
  return own;
}

describe.each(harnessEngines)("round reports down the levels on %s", (engine) => {
  let h: Harness | null = null;
  afterEach(async () => {
    await h?.close();
    h = null;
  });

  it("opens a round at each level below, compiles level by level, signs off, returns and resubmits; a sibling sees nothing", async () => {
    h = await createHarness({ engine, now: new Date("2026-01-02T02:00:00Z") });
    const harness = h;
    const { gxPlan, nnPlan } = await cascade(harness);
    const nation = harness.as("miit");
    const guangxi = harness.as("gx-office");
    const nanning = harness.as("nn-office");
    const zhejiang = harness.as("zj-office");

    const opened = await nation.round.open(roundInput(harness.planId));
    expect(opened.below.map((b) => b.organisation)).toEqual(["450000", "450100"]);
    const gxRound = opened.below.find((b) => b.organisation === "450000");
    const nnRound = opened.below.find((b) => b.organisation === "450100");
    if (gxRound === undefined || nnRound === undefined) throw new Error("no round below");
    const rounds = await harness.store.read(async (repos) => ({ gx: await repos.rounds.findRound(gxRound.roundId), nn: await repos.rounds.findRound(nnRound.roundId) }));
    expect(rounds.gx).toMatchObject({ planId: gxPlan, dueDate: "2026-01-10", recurrence: "none", measureNumbers: [7] });
    expect(rounds.nn).toMatchObject({ planId: nnPlan, measureNumbers: [1] });

    // Each office asked is told, with its own round's page; Zhejiang's is not.
    const notices = async (username: string) => (await harness.store.read((repos) => repos.notices.listFor(harness.user(username).id, 100))).filter((n) => n.kind.startsWith("level_report."));
    expect((await notices("gx-office")).map((n) => [n.kind, n.link])).toEqual([["level_report.asked", `/rounds/${gxRound.roundId}`]]);
    expect((await notices("nn-office")).map((n) => [n.kind, n.link])).toEqual([["level_report.asked", `/rounds/${nnRound.roundId}`]]);
    expect(await notices("zj-office")).toEqual([]);

    // The national round answers no round above; a Guangxi department's liaison neither reads nor writes the office's report.
    expect(await nation.round.levelReport({ roundId: opened.id })).toBeNull();
    const gxMof = harness.as("gx-mof");
    expect(await refusalOf(() => gxMof.round.levelReport({ roundId: gxRound.roundId }))).toMatchObject({ refusalCode: "forbidden_role" });
    expect(await refusalOf(() => gxMof.round.childReports({ roundId: gxRound.roundId }))).toMatchObject({ refusalCode: "forbidden_role" });
    expect(await refusalOf(() => gxMof.round.levelSubmit({ levelReportId: gxRound.levelReportId, expectedVersion: 1, ...text }))).toMatchObject({ refusalCode: "forbidden_role" });

    // Guangxi's departments report into Guangxi's round as into any round.
    const gxReports = await guangxi.round.get({ roundId: gxRound.roundId });
    expect(gxReports.reports.length).toBeGreaterThan(0);
    for (const r of gxReports.reports) {
      const liaison = `gx-${r.department.split("-")[1]?.toLowerCase() ?? ""}`;
      await harness.as(liaison).round.submit({ reportId: r.id, expectedVersion: r.version, ...text });
    }

    // The national office sees both provinces' slots... only Guangxi's: Zhejiang derived nothing, so it owes nothing.
    const before = await nation.round.childReports({ roundId: opened.id });
    expect(before.map((c) => [c.organisation.id, c.standing, c.submitted])).toEqual([["450000", "not_reported", null]]);

    // Nanning's office compiles, submits (awaiting its sign-off), signs off: Guangxi sees it; the nation does not.
    const nnOwn = await ownReport(nanning, nnRound.roundId);
    expect(nnOwn.report).toMatchObject({ status: "not_reported", allowedActions: ["saveDraft", "submit"] });
    expect(nnOwn.preview.departments.length).toBeGreaterThan(0);
    const draft = await nanning.round.levelSaveDraft({ levelReportId: nnOwn.report.id, expectedVersion: 1, progress: "草稿", problems: "", nextSteps: "" });
    expect(draft.status).toBe("draft");
    expect((await guangxi.round.childReports({ roundId: gxRound.roundId }))[0]).toMatchObject({ standing: "not_reported", draft: null, submitted: null });
    const waiting = await nanning.round.levelSubmit({ levelReportId: nnOwn.report.id, expectedVersion: draft.version, ...text });
    expect(waiting.status).toBe("awaiting_sign_off");
    expect((await guangxi.round.childReports({ roundId: gxRound.roundId }))[0]).toMatchObject({ standing: "not_reported", submitted: null });
    // Guangxi's office may not sign off Nanning's report; Zhejiang does not even see it.
    expect(await refusalOf(() => guangxi.round.levelSignOff({ levelReportId: nnOwn.report.id, expectedVersion: waiting.version }))).toMatchObject({
      refusalCode: "not_your_organisation",
    });
    expect(await refusalOf(() => zhejiang.round.levelSignOff({ levelReportId: nnOwn.report.id, expectedVersion: waiting.version }))).toMatchObject({ refusalCode: "not_found" });
    expect(await refusalOf(() => nation.round.levelReturn({ levelReportId: nnOwn.report.id, expectedVersion: waiting.version, reason: "x" }))).toMatchObject({
      refusalCode: "not_found",
    });
    const signed = await nanning.round.levelSignOff({ levelReportId: nnOwn.report.id, expectedVersion: waiting.version });
    expect(signed.status).toBe("submitted");
    const [nnSeen] = await guangxi.round.childReports({ roundId: gxRound.roundId });
    expect(nnSeen).toMatchObject({ standing: "reported", draft: null, allowedActions: ["return"], submitted: { progress: text.progress } });
    expect(nnSeen?.submitted?.compilation?.organisation.id).toBe("450100");

    // Guangxi compiles (its departments and Nanning's report), submits, signs off; the nation sees Nanning inside it.
    const gxOwn = await ownReport(guangxi, gxRound.roundId);
    expect(gxOwn.preview.children.map((c) => [c.organisation.id, c.standing])).toEqual([["450100", "reported"]]);
    expect(gxOwn.preview.statistics.reported).toBe(gxReports.reports.length);
    const gxWaiting = await guangxi.round.levelSubmit({ levelReportId: gxOwn.report.id, expectedVersion: 1, ...text });
    const gxSigned = await guangxi.round.levelSignOff({ levelReportId: gxOwn.report.id, expectedVersion: gxWaiting.version });
    const [gxSeen] = await nation.round.childReports({ roundId: opened.id });
    expect(gxSeen).toMatchObject({ standing: "reported", allowedActions: ["return"] });
    expect(gxSeen?.submitted?.compilation?.children.map((c) => [c.organisation.id, c.standing, c.progress])).toEqual([["450100", "reported", text.progress]]);
    expect(gxSeen?.submitted?.compilation?.departments.every((d) => d.standing === "reported" && d.progress === text.progress)).toBe(true);

    // The boundary: Nanning may not read the nation's or Guangxi's round; Zhejiang neither.
    for (const caller of [nanning, zhejiang]) {
      expect(await refusalOf(() => caller.round.childReports({ roundId: gxRound.roundId }))).toMatchObject({ code: "FORBIDDEN" });
      expect(await refusalOf(() => caller.round.childReports({ roundId: opened.id }))).toMatchObject({ code: "FORBIDDEN" });
    }
    expect(await refusalOf(() => zhejiang.round.levelReport({ roundId: gxRound.roundId }))).toMatchObject({ code: "FORBIDDEN" });

    // Returned from above, revised and submitted again through a new sign-off; while the revision waits for it, the
    // nation sees "not yet reported" and nothing of the revision.
    const returned = await nation.round.levelReturn({ levelReportId: gxOwn.report.id, expectedVersion: gxSigned.version, reason: "请补充数据" });
    expect(returned.status).toBe("returned");
    expect((await notices("gx-office")).map((n) => n.kind)).toContain("level_report.returned");
    expect((await nation.round.childReports({ roundId: opened.id }))[0]).toMatchObject({ standing: "returned", returnedReason: "请补充数据", submitted: { progress: text.progress } });
    const gxBack = await ownReport(guangxi, gxRound.roundId);
    expect(gxBack.report).toMatchObject({ status: "returned", returnedReason: "请补充数据", allowedActions: ["saveDraft", "submit"] });
    const again = await guangxi.round.levelSubmit({ levelReportId: gxOwn.report.id, expectedVersion: returned.version, ...text, progress: "已补充" });
    expect((await nation.round.childReports({ roundId: opened.id }))[0]).toMatchObject({ standing: "not_reported", submitted: null, draft: null });
    await guangxi.round.levelSignOff({ levelReportId: gxOwn.report.id, expectedVersion: again.version });
    expect((await nation.round.childReports({ roundId: opened.id }))[0]).toMatchObject({ standing: "reported", submitted: { progress: "已补充" } });
    expect(await refusalOf(() => guangxi.round.levelSignOff({ levelReportId: gxOwn.report.id, expectedVersion: again.version }))).toMatchObject({ refusalCode: "invalid_state" });

    // The national round's compiled report (定期调度汇总) carries Guangxi's signed-off report, and Nanning's standing in it.
    const compiled = await harness.store.read((repos) => compileRound(repos, harness.user("miit"), opened.id, "zh", new Date("2026-01-03T02:00:00Z")));
    expect(compiled.levels).toMatchObject([
      { organisation: { id: "450000" }, standing: "reported", progress: "已补充", below: [{ organisation: { id: "450100" }, standing: "reported" }] },
    ]);
    expect(compiled.levels?.[0]?.departments).toEqual({ reported: gxReports.reports.length, total: gxReports.reports.length });
    expect(roundReportHtml(compiled, "zh")).toContain("下级报送情况");
    expect((await renderRoundDocx(compiled, "en")).length).toBeGreaterThan(1000);

    // Each act is one audit event on the chain, with a payload its schema accepts.
    const events = await harness.store.read(async (repos) =>
      (await repos.auditTrail.page({ planId: gxPlan, organisation: { id: "450000", national: false }, limit: 200 })).filter((e) => e.type.startsWith("level_report.")),
    );
    expect(events.map((e) => e.type).reverse()).toEqual([
      "level_report.sign_off_requested",
      "level_report.submitted",
      "level_report.returned",
      "level_report.sign_off_requested",
      "level_report.submitted",
    ]);
    for (const e of events) expect(auditPayloadIssues(e.type, JSON.parse(e.payload))).toEqual([]);
    expect((await harness.store.verifyAuditChain()).ok).toBe(true);

    // The round above closed, the report no longer changes.
    const national = await harness.store.read((repos) => repos.rounds.findRound(opened.id));
    await nation.round.close({ roundId: opened.id, expectedVersion: national?.version ?? 1 });
    const last = await nation.round.childReports({ roundId: opened.id });
    expect(await refusalOf(() => nation.round.levelReturn({ levelReportId: gxOwn.report.id, expectedVersion: last[0]?.version ?? 1, reason: "x" }))).toMatchObject({
      refusalCode: "round_closed",
    });
  });

  it("where the office's host department requires its leader's approval, its leader signs off (a coordinator cannot) or sends it back", async () => {
    h = await createHarness({ engine, now: new Date("2026-01-02T02:00:00Z"), seed: seedGuangxiLeader });
    const harness = h;
    await cascade(harness);
    const opened = await harness.as("miit").round.open(roundInput(harness.planId));
    const gxRound = opened.below.find((b) => b.organisation === "450000");
    if (gxRound === undefined) throw new Error("no round for Guangxi");
    const guangxi = harness.as("gx-office");
    const leader = harness.as("gx-leader");
    const own = await ownReport(guangxi, gxRound.roundId);
    const waiting = await guangxi.round.levelSubmit({ levelReportId: own.report.id, expectedVersion: 1, ...text });
    // The leader is told it waits for them; the office's coordinator is not (they do not sign off under this rule).
    const waitingFor = async (username: string) =>
      (await harness.store.read((repos) => repos.notices.listFor(harness.user(username).id, 100))).filter((n) => n.kind === "level_report.awaiting_sign_off").map((n) => n.link);
    expect(await waitingFor("gx-leader")).toEqual([`/rounds/${gxRound.roundId}`]);
    expect(await waitingFor("gx-office")).toEqual([]);
    expect(await refusalOf(() => guangxi.round.levelSignOff({ levelReportId: own.report.id, expectedVersion: waiting.version }))).toMatchObject({ refusalCode: "wrong_role" });
    expect((await ownReport(leader, gxRound.roundId)).report.allowedActions).toEqual(["signOff", "reject"]);
    const back = await leader.round.levelReject({ levelReportId: own.report.id, expectedVersion: waiting.version, reason: "数据需核实" });
    expect(back.status).toBe("returned_in_office");
    // The office leader's reason is the office's own: the nation sees "not yet reported", no reason.
    expect((await harness.as("miit").round.childReports({ roundId: opened.id }))[0]).toMatchObject({ standing: "not_reported", returnedReason: null });
    const again = await guangxi.round.levelSubmit({ levelReportId: own.report.id, expectedVersion: back.version, ...text });
    const signed = await leader.round.levelSignOff({ levelReportId: own.report.id, expectedVersion: again.version });
    expect(signed.status).toBe("submitted");
    const stored = await harness.store.read((repos) => repos.levelReports.find(own.report.id));
    expect(stored?.signedOffByUserId).toBe(harness.user("gx-leader").id);
  });

  it("an organisation with two implementation plans of the plan (two forwardings taken in apart) owes a report for each", async () => {
    h = await createHarness({ engine, now: new Date("2026-01-02T02:00:00Z") });
    const harness = h;
    const nation = harness.as("miit");
    const guangxi = harness.as("gx-office");
    await nation.plan.issue({ planId: harness.planId, dueDate: "2027-12-31" });
    const plans: number[] = [];
    for (const measure of [7, 9]) {
      await nation.cascade.forward({ planId: harness.planId, to: ["450000"], measureNumbers: [measure], planDeadline: "2026-06-30" });
      const [pending] = await guangxi.cascade.pending();
      if (pending === undefined) throw new Error("nothing forwarded to Guangxi");
      const derived = (await guangxi.cascade.derive({ forwardingId: pending.forwardingId })).planId;
      await guangxi.plan.issue({ planId: derived, dueDate: "2026-12-31" });
      plans.push(derived);
    }
    const opened = await nation.round.open({ ...roundInput(harness.planId), measureNumbers: [] });
    expect(opened.below.map((b) => b.organisation)).toEqual(["450000", "450000"]);
    const rounds = await harness.store.read(async (repos) => Promise.all(opened.below.map(async (b) => (await repos.rounds.findRound(b.roundId))?.planId)));
    expect(rounds).toEqual(plans);
    expect((await nation.round.childReports({ roundId: opened.id })).map((c) => [c.organisation.id, c.roundId])).toEqual(opened.below.map((b) => ["450000", b.roundId]));
    // A round on measure (9) only asks the plan that implements it.
    const narrow = await nation.round.open({ ...roundInput(harness.planId), title: "第9项", measureNumbers: [9] });
    expect(narrow.below.map((b) => b.roundId)).toHaveLength(1);
    expect(await harness.store.read(async (repos) => (await repos.rounds.findRound(narrow.below[0]?.roundId ?? 0))?.planId)).toBe(plans[1]);
  });

  it("signs a report off once and returns it once when two acts race", async () => {
    h = await createHarness({ engine, now: new Date("2026-01-02T02:00:00Z") });
    const harness = h;
    await cascade(harness);
    const opened = await harness.as("miit").round.open(roundInput(harness.planId));
    const gxRound = opened.below.find((b) => b.organisation === "450000");
    if (gxRound === undefined) throw new Error("no round for Guangxi");
    const guangxi = harness.as("gx-office");
    const waiting = await guangxi.round.levelSubmit({ levelReportId: gxRound.levelReportId, expectedVersion: 1, ...text });
    const ref = { levelReportId: gxRound.levelReportId, expectedVersion: waiting.version };
    const signs = await Promise.allSettled([guangxi.round.levelSignOff(ref), guangxi.round.levelSignOff(ref)]);
    expect(signs.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const nation = harness.as("miit");
    const returns = await Promise.allSettled([
      nation.round.levelReturn({ ...ref, expectedVersion: waiting.version + 1, reason: "一" }),
      nation.round.levelReturn({ ...ref, expectedVersion: waiting.version + 1, reason: "二" }),
    ]);
    expect(returns.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const events = await harness.store.read(async (repos) => {
      const planId = (await repos.rounds.findRound(gxRound.roundId))?.planId ?? 0;
      const page = await repos.auditTrail.page({ planId, organisation: { id: "450000", national: false }, limit: 200 });
      return page.map((e) => e.type).filter((t) => t === "level_report.submitted" || t === "level_report.returned");
    });
    expect(events.sort()).toEqual(["level_report.returned", "level_report.submitted"]);
    expect((await harness.store.verifyAuditChain()).ok).toBe(true);
  });
});
