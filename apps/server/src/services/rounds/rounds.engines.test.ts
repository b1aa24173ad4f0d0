import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AnyStore } from "@countersign/db";
import { ServiceError } from "../../errors.js";
import { createDownloadCaller } from "../../exports/download-router.js";
import { createHarness, harnessEngines, refusalOf } from "../../test-support/harness.js";
import type { Harness } from "../../test-support/harness.js";
import { checkUpload } from "../attachments/attachment-rules.js";
import { actOnRoundReport } from "./act-on-round-report.js";
import { closeRound, tickRounds } from "./close-round.js";
import { compileRound } from "./compile-round.js";
import { startRoundsScheduler } from "./rounds-scheduler.js";

// The reporting rounds on the store seam (issue 13), the same procedures and services on SQLite and PostgreSQL:
// open, list, get, header and pages, acts on a report with its files, close, the scheduler's rollover at the next
// period and its due-soon notice, the compiled report's export, and two instances closing one round at once.

const text = { progress: "已印发实施细则", problems: "无", nextSteps: "开展督查" };
const noOutbound = { webhook: false, email: false, emailTo: [] };
const pdf = (words: string) => Buffer.from(`%PDF-1.4\n% ${words}\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n`);

describe.each(harnessEngines)("reporting rounds on %s", (engine) => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness({ engine, now: new Date("2026-01-02T02:00:00Z") });
    await h.as("miit").plan.issue({ planId: h.planId, dueDate: "2026-06-30" });
  }, 60_000);
  afterEach(() => h.close());

  const openRound = (extra: Partial<{ recurrence: "none" | "monthly" | "quarterly"; periodStart: string; periodEnd: string; dueDate: string }> = {}) =>
    h.as("miit").round.open({
      planId: h.planId,
      title: "2025年第四季度进展",
      periodStart: "2025-10-01",
      periodEnd: "2025-12-31",
      dueDate: "2026-01-10",
      measureNumbers: [7],
      departments: ["MOF", "STA"],
      recurrence: "none",
      ...extra,
    });

  /** The audit events of one type, oldest first, as stored on this engine. */
  const eventsOf = async (type: string) => {
    const page = await h.store.read((repos) => repos.auditTrail.page({ planId: h.planId, organisation: { id: "CN", national: true }, limit: 500 }));
    return page
      .filter((e) => e.type === type)
      .reverse()
      .map((e) => ({ ...e, payload: JSON.parse(e.payload) as Record<string, unknown> }));
  };
  const noticeKinds = async (username: string) =>
    (await h.store.read((repos) => repos.notices.listFor(h.user(username).id, 100))).map((n) => n.kind).filter((k) => k !== "assignment.event");
  const roundIdsOfPlan = async () => (await h.store.read((repos) => repos.rounds.roundsOfPlan(h.planId))).map((r) => r.id);

  it("opens a round (one report per assignment in scope, a notice to each department, audited); lists, gets, pages it", async () => {
    const opened = await openRound();
    expect(opened).toMatchObject({ reports: 2, departments: ["MOF", "STA"] });
    const round = await h.as("miit").round.get({ roundId: opened.id });
    expect(round.reports.map((r) => [r.department, r.role, r.status, r.standing])).toEqual([
      ["STA", "lead", "not_reported", "not_reported"],
      ["MOF", "supporting", "not_reported", "not_reported"],
    ]);
    expect(round).toMatchObject({ status: "open", measureNumbers: [7], departments: ["MOF", "STA"], version: 1 });
    expect((await h.as("miit").round.list({ planId: h.planId })).map((r) => [r.id, r.statistics.total])).toEqual([[opened.id, 2]]);
    // A liaison: its own department's reports and counts; a department not asked sees no round.
    expect((await h.as("mof").round.get({ roundId: opened.id })).reports.map((r) => r.department)).toEqual(["MOF"]);
    expect((await h.as("mof").round.list({ planId: h.planId })).map((r) => r.statistics.total)).toEqual([1]);
    expect(await h.as("ndrc").round.list({ planId: h.planId })).toEqual([]);
    expect((await refusalOf(() => h.as("ndrc").round.get({ roundId: opened.id }))).refusalCode).toBe("not_found");
    const header = await h.as("miit").round.header({ roundId: opened.id });
    expect(header).toMatchObject({ reportDepartments: ["MOF", "STA"], reportMeasures: [{ number: 7 }] });
    const first = await h.as("miit").round.reports({ roundId: opened.id, limit: 1 });
    expect(first).toMatchObject({ matching: 2 });
    expect(first.nextCursor).not.toBeNull();
    const second = await h.as("miit").round.reports({ roundId: opened.id, limit: 1, cursor: first.nextCursor ?? "" });
    expect([...first.reports, ...second.reports].map((r) => r.department)).toEqual(["STA", "MOF"]);
    expect(second).toMatchObject({ nextCursor: null, matching: null });
    expect((await h.as("miit").round.reports({ roundId: opened.id, standings: ["not_reported"], department: "MOF" })).reports).toHaveLength(1);

    expect(await noticeKinds("mof")).toEqual(["round.opened"]);
    expect(await noticeKinds("ndrc")).toEqual([]);
    expect((await eventsOf("round.opened")).map((e) => e.payload)).toEqual([expect.objectContaining({ roundId: opened.id, reports: 2, departments: "MOF,STA" })]);
    expect((await refusalOf(() => h.as("mof").round.open({ planId: h.planId, title: "x", periodStart: "2026-01-01", periodEnd: "2026-01-31", dueDate: "2026-02-05", measureNumbers: [], departments: [], recurrence: "none" }))).code).toBe("FORBIDDEN");
    expect((await refusalOf(() => openRound({ periodStart: "2026-01-01", periodEnd: "2025-12-01" }))).refusalCode).toBe("invalid_input");
  });

  it("a department saves a draft with a file and submits; the coordinator returns, reminds; files and text as each may see them", async () => {
    const opened = await openRound();
    const mine = (await h.as("mof").round.get({ roundId: opened.id })).reports[0];
    if (mine === undefined) throw new Error("no report");
    // The draft with its file in one unit of work, as POST /attachments/round-report does.
    const file = await checkUpload("草稿附件.pdf", "application/pdf", pdf("草稿附件"));
    const draft = await h.store.transaction((tx) =>
      actOnRoundReport(tx, h.user("mof"), { reportId: mine.id, expectedVersion: mine.version, action: { type: "saveDraft", ...text }, files: [file] }, h.clock.now, noOutbound),
    );
    expect(draft).toMatchObject({ status: "draft", version: 2 });
    expect(draft.attachmentIds).toHaveLength(1);
    // The draft (its text and file) is the department's own.
    const asCoordinator = async () => (await h.as("miit").round.get({ roundId: opened.id })).reports.find((r) => r.id === mine.id);
    expect(await asCoordinator()).toMatchObject({ status: "draft", progress: null, attachments: [] });
    expect((await h.as("mof").round.get({ roundId: opened.id })).reports[0]?.attachments.map((a) => a.name)).toEqual(["草稿附件.pdf"]);
    // A stale version, another department: refused, nothing written.
    expect((await refusalOf(() => h.as("mof").round.submit({ reportId: mine.id, expectedVersion: 1, ...text }))).code).toBe("CONFLICT");
    expect((await refusalOf(() => h.as("sta").round.submit({ reportId: mine.id, expectedVersion: 2, ...text }))).refusalCode).toBe("not_your_department");

    const submitted = await h.as("mof").round.submit({ reportId: mine.id, expectedVersion: 2, ...text });
    expect(submitted).toMatchObject({ status: "submitted", version: 3, late: false });
    expect(await asCoordinator()).toMatchObject({ status: "submitted", standing: "reported", progress: text.progress, attachments: [{ name: "草稿附件.pdf" }] });
    const submittedEvent = (await eventsOf("round_report.submitted"))[0];
    expect(submittedEvent?.payload).toMatchObject({ reportId: mine.id, progress: text.progress });
    expect((await eventsOf("round_report.draft_saved"))[0]?.payload).toMatchObject({ attachments: 1, "attachment1.name": "草稿附件.pdf", "attachment1.sha256": file.sha256 });

    await h.as("miit").round.return({ reportId: mine.id, expectedVersion: 3, reason: "请补充数据" });
    const sta = (await h.as("sta").round.get({ roundId: opened.id })).reports[0];
    if (sta === undefined) throw new Error("no STA report");
    await h.as("miit").round.remind({ reportId: sta.id, expectedVersion: sta.version, message: "请尽快报送" });
    expect(await noticeKinds("mof")).toEqual(["round_report.returned", "round.opened"]);
    expect(await noticeKinds("sta")).toEqual(["round_report.reminded", "round.opened"]);
    expect((await h.as("mof").round.get({ roundId: opened.id })).reports[0]).toMatchObject({ status: "returned", returnedReason: "请补充数据", version: 4 });
    expect((await h.store.verifyAuditChain()).ok).toBe(true);
  });

  it("closes a round once: the coordinator's close with its version; a closed round takes nothing more", async () => {
    const opened = await openRound();
    const before = await h.as("miit").round.get({ roundId: opened.id });
    expect((await refusalOf(() => h.as("miit").round.close({ roundId: opened.id, expectedVersion: 2 }))).code).toBe("CONFLICT");
    expect((await refusalOf(() => h.as("mof").round.close({ roundId: opened.id, expectedVersion: 1 }))).code).toBe("FORBIDDEN");
    expect(await h.as("miit").round.close({ roundId: opened.id, expectedVersion: 1 })).toEqual({ id: opened.id, nextRoundId: null });
    expect(await h.as("miit").round.get({ roundId: opened.id })).toMatchObject({ status: "closed", version: 2, closedAt: h.clock.now.toISOString() });
    expect((await refusalOf(() => h.as("miit").round.close({ roundId: opened.id, expectedVersion: 2 }))).refusalCode).toBe("round_closed");
    const report = before.reports.find((r) => r.department === "MOF");
    if (report === undefined) throw new Error("no report");
    expect((await refusalOf(() => h.as("mof").round.submit({ reportId: report.id, expectedVersion: 1, ...text }))).refusalCode).toBe("round_closed");
    expect((await eventsOf("round.closed")).map((e) => e.payload)).toEqual([{ roundId: opened.id, reports: 2, submitted: 0 }]);
  });

  it("the scheduler warns of the due date once and, at the next period, closes the round and opens the next", async () => {
    const opened = await openRound({ recurrence: "quarterly", periodStart: "2026-01-01", periodEnd: "2026-03-31", dueDate: "2026-04-10" });
    const scheduler = startRoundsScheduler(h.store, { intervalMs: 3_600_000, now: () => h.clock.now, channels: () => noOutbound });
    try {
      h.clock.now = new Date("2026-03-20T02:00:00Z");
      expect(await scheduler.tick()).toEqual({ rolledOver: [], dueSoonNotified: [] });
      h.clock.now = new Date("2026-04-08T02:00:00Z");
      expect(await scheduler.tick()).toEqual({ rolledOver: [], dueSoonNotified: [opened.id] });
      expect(await scheduler.tick()).toEqual({ rolledOver: [], dueSoonNotified: [] });
      expect((await noticeKinds("mof")).filter((k) => k === "round.due_soon")).toHaveLength(1);
      h.clock.now = new Date("2026-07-01T02:00:00Z");
      const rolled = await scheduler.tick();
      expect(rolled.rolledOver).toHaveLength(1);
      expect(rolled.rolledOver[0]?.id).toBe(opened.id);
      const nextId = rolled.rolledOver[0]?.nextRoundId ?? 0;
      expect(await h.as("miit").round.get({ roundId: opened.id })).toMatchObject({ status: "closed" });
      expect(await h.as("miit").round.get({ roundId: nextId })).toMatchObject({
        status: "open",
        periodStart: "2026-04-01",
        periodEnd: "2026-06-30",
        dueDate: "2026-07-10",
        recurrence: "quarterly",
      });
      expect(await scheduler.tick()).toEqual({ rolledOver: [], dueSoonNotified: [] });
    } finally {
      await scheduler.stop();
    }
    expect((await h.store.verifyAuditChain()).ok).toBe(true);
  });

  it("the scheduler's timer closes a round at its deadline by itself", async () => {
    const opened = await openRound({ recurrence: "monthly", periodStart: "2026-01-01", periodEnd: "2026-01-31", dueDate: "2026-02-05" });
    h.clock.now = new Date("2026-03-01T02:00:00Z");
    const scheduler = startRoundsScheduler(h.store, { intervalMs: 20, now: () => h.clock.now, channels: () => noOutbound });
    try {
      const deadline = Date.now() + 10_000;
      while ((await h.store.read((repos) => repos.rounds.findRound(opened.id)))?.status === "open" && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    } finally {
      await scheduler.stop();
    }
    expect((await h.store.read((repos) => repos.rounds.findRound(opened.id)))?.status).toBe("closed");
    expect((await eventsOf("round.closed")).filter((e) => e.payload["roundId"] === opened.id)).toHaveLength(1);
  });

  it("two instances ticking at once send the due-soon notice once, close the round once and open one next round", async () => {
    const opened = await openRound({ recurrence: "quarterly", periodStart: "2026-01-01", periodEnd: "2026-03-31", dueDate: "2026-04-10" });
    const other = await h.anotherStore();
    try {
      const soon = new Date("2026-04-08T02:00:00Z");
      const warned = await Promise.all([tickRounds(h.store, soon, noOutbound), tickRounds(other.store, soon, noOutbound), tickRounds(other.store, soon, noOutbound)]);
      expect(warned.flatMap((t) => t.dueSoonNotified)).toEqual([opened.id]);
      expect((await noticeKinds("mof")).filter((k) => k === "round.due_soon")).toHaveLength(1);
      const at = new Date("2026-07-01T02:00:00Z");
      const ticks = await Promise.all([tickRounds(h.store, at, noOutbound), tickRounds(other.store, at, noOutbound), tickRounds(h.store, at, noOutbound)]);
      expect(ticks.flatMap((t) => t.rolledOver.map((r) => r.id))).toEqual([opened.id]);
    } finally {
      await other.close();
    }
    expect(await roundIdsOfPlan()).toHaveLength(2);
    expect((await eventsOf("round.closed")).map((e) => e.payload["roundId"])).toEqual([opened.id]);
    expect((await eventsOf("round.opened")).map((e) => e.payload["previousRoundId"])).toEqual([null, opened.id]);
    expect((await h.store.verifyAuditChain()).ok).toBe(true);
  });

  it.runIf(engine === "postgres")("two units of work that both read the round open: only one close applies, the other is refused having written nothing", async () => {
    const opened = await openRound({ recurrence: "quarterly", periodStart: "2026-01-01", periodEnd: "2026-03-31", dueDate: "2026-04-10" });
    const other = await h.anotherStore();
    const at = new Date("2026-07-01T02:00:00Z");
    // Both read the round (open, version 1) before either writes; then both close it.
    let arrived = 0;
    let release: () => void = () => undefined;
    const bothRead = new Promise<void>((resolve) => {
      release = resolve;
    });
    const close = (store: AnyStore) =>
      store.transaction(async (tx) => {
        const round = await tx.repos.rounds.findRound(opened.id);
        arrived += 1;
        if (arrived === 2) release();
        await bothRead;
        return closeRound(tx, null, opened.id, round?.version ?? 0, at, noOutbound);
      });
    try {
      const outcomes = await Promise.allSettled([close(h.store), close(other.store)]);
      const won = outcomes.filter((o) => o.status === "fulfilled");
      const lost = outcomes.flatMap((o) => (o.status === "rejected" ? [o.reason] : []));
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0]).toBeInstanceOf(ServiceError);
      expect(["round_closed", "stale_version"]).toContain((lost[0] as ServiceError).code);
    } finally {
      await other.close();
    }
    expect(await roundIdsOfPlan()).toHaveLength(2);
    expect(await eventsOf("round.closed")).toHaveLength(1);
    expect((await h.store.verifyAuditChain()).ok).toBe(true);
  });

  it.runIf(engine === "postgres")("a close waits for a submission under way on another instance, and counts it", async () => {
    const opened = await openRound();
    const mof = (await h.as("mof").round.get({ roundId: opened.id })).reports[0];
    if (mof === undefined) throw new Error("no report");
    const other = await h.anotherStore();
    let submittedInTx: () => void = () => undefined;
    const submittedNotCommitted = new Promise<void>((resolve) => {
      submittedInTx = resolve;
    });
    let commitSubmission: () => void = () => undefined;
    const mayCommit = new Promise<void>((resolve) => {
      commitSubmission = resolve;
    });
    try {
      // The submission has written its report, not yet committed, when the close begins on the other instance.
      const submission = h.store.transaction(async (tx) => {
        const out = await actOnRoundReport(tx, h.user("mof"), { reportId: mof.id, expectedVersion: 1, action: { type: "submit", ...text } }, h.clock.now, noOutbound);
        submittedInTx();
        await mayCommit;
        return out;
      });
      await submittedNotCommitted;
      let closedEarly = false;
      const close = other.store
        .transaction((tx) => closeRound(tx, null, opened.id, 1, h.clock.now, noOutbound))
        .then((closed) => {
          closedEarly = true;
          return closed;
        });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(closedEarly).toBe(false);
      commitSubmission();
      expect(await submission).toMatchObject({ status: "submitted" });
      expect(await close).toEqual({ id: opened.id, nextRoundId: null });
    } finally {
      commitSubmission();
      await other.close();
    }
    expect((await eventsOf("round.closed")).map((e) => e.payload)).toEqual([{ roundId: opened.id, reports: 2, submitted: 1 }]);
  });

  it("exports the compiled report (export.round): submitted text and files only; for those who read every department", async () => {
    const opened = await openRound();
    const reports = (await h.as("miit").round.get({ roundId: opened.id })).reports;
    const mof = reports.find((r) => r.department === "MOF");
    const sta = reports.find((r) => r.department === "STA");
    if (mof === undefined || sta === undefined) throw new Error("no reports");
    const file = await checkUpload("报送附件.pdf", "application/pdf", pdf("报送附件"));
    await h.store.transaction((tx) =>
      actOnRoundReport(tx, h.user("mof"), { reportId: mof.id, expectedVersion: 1, action: { type: "submit", ...text }, files: [file] }, h.clock.now, noOutbound),
    );
    await h.as("sta").round.saveDraft({ reportId: sta.id, expectedVersion: 1, progress: "草稿", problems: "", nextSteps: "" });

    const compiled = await h.store.read((repos) => compileRound(repos, h.user("miit"), opened.id, "zh", h.clock.now));
    const printed = compiled.sections.flatMap((s) => s.measures.flatMap((m) => m.reports));
    expect(printed.map((r) => [r.department.code, r.role, r.progress, r.attachments])).toEqual([
      ["STA", "lead", null, []],
      ["MOF", "supporting", text.progress, ["报送附件.pdf"]],
    ]);
    expect(compiled.statistics).toMatchObject({ total: 2, reported: 1 });

    const download = createDownloadCaller(h.context(h.user("miit")));
    const docx = await download.export.round({ roundId: opened.id, format: "docx", lang: "zh" });
    expect(docx.contentType).toBe("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    expect(Buffer.from(docx.body).subarray(0, 2).toString("latin1")).toBe("PK");
    expect(docx.disposition).toContain(`round-${opened.id}-zh.docx`);
    const refused = await createDownloadCaller(h.context(h.user("mof")))
      .export.round({ roundId: opened.id, format: "docx", lang: "zh" })
      .then(
        () => "none",
        (error: unknown) => (error instanceof Error ? error.message : String(error)),
      );
    expect(refused).toContain("compiled report");
  });
});
