/**
 * Removing or replacing a level report's file attached by mistake (issue 16 follow-up), on each engine over a real
 * HTTP server: Guangxi's office drafts its report to the national round with two files, removes one
 * (`round.levelRemoveFile`) and replaces the other by a new version (`POST /attachments/level-report-files/:id/replace`);
 * both old files are kept (the office still downloads them, listed apart as withdrawn), the audit events name them;
 * once submitted for sign-off and once signed off the files are frozen; returned, the office may change them again
 * while the nation keeps reading what was sent up. A sibling and the level above cannot touch them.
 */
import { createHash } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { auditPayloadIssues } from "@countersign/domain";
import { buildApp } from "../app.js";
import { demoPassword } from "../demo/demo-accounts.js";
import { createHarness, harnessEngines } from "../test-support/harness.js";
import type { Harness } from "../test-support/harness.js";

const pdf = Buffer.from("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n");
const pdf2 = Buffer.from("%PDF-1.4\n% the corrected version\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n");
const png = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64");
const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");
const text = { progress: "已印发实施方案", problems: "无", nextSteps: "开展督查" };
type File = { name: string; type: string; bytes: Buffer };

function form(fields: Record<string, string>, files: File[]): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  for (const file of files) f.append("file", new Blob([file.bytes], { type: file.type }), file.name);
  return f;
}

describe.each(harnessEngines)("removing and replacing a level report's file on %s", (engine) => {
  let h: Harness | null = null;
  let app: FastifyInstance | null = null;
  afterEach(async () => {
    await app?.close();
    await h?.close();
    app = null;
    h = null;
  });

  it("is the office's while a draft or returned, keeps the old files, and is refused once submitted or signed off", async () => {
    h = await createHarness({ engine, now: new Date("2026-01-02T02:00:00Z") });
    const harness = h;
    const nation = harness.as("miit");
    const gx = harness.as("gx-office");
    await nation.plan.issue({ planId: harness.planId, dueDate: "2027-12-31" });
    await nation.cascade.forward({ planId: harness.planId, to: ["450000", "330000"], planDeadline: "2026-06-30" });
    const [pending] = await gx.cascade.pending();
    if (pending === undefined) throw new Error("nothing forwarded to Guangxi");
    const gxPlan = (await gx.cascade.derive({ forwardingId: pending.forwardingId })).planId;
    await gx.plan.issue({ planId: gxPlan, dueDate: "2026-12-31" });
    const opened = await nation.round.open({
      planId: harness.planId,
      title: "2025年第四季度进展",
      periodStart: "2025-10-01",
      periodEnd: "2025-12-31",
      dueDate: "2026-01-10",
      measureNumbers: [7],
      departments: [],
      recurrence: "none",
    });
    const gxRound = opened.below.find((b) => b.organisation === "450000");
    if (gxRound === undefined) throw new Error("no round for Guangxi");

    const { db, store, live, sessionPolicy, now, secureCookies } = harness.context(null);
    const server = await buildApp({ store, db, live, sessionPolicy, now, secureCookies }, { allowedOrigins: [], bodyLimitBytes: 64 * 1024, webDist: null, trustProxy: false, logRequests: false });
    app = server;
    await server.listen({ port: 0, host: "127.0.0.1" });
    const address = server.server.address();
    if (address === null || typeof address === "string") throw new Error("no port");
    const base = `http://127.0.0.1:${address.port}`;
    const signIn = async (username: string) => {
      const login = await fetch(`${base}/trpc/auth.login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username, password: demoPassword }),
      });
      const cookie = login.headers.getSetCookie().map((c) => c.split(";")[0] ?? "").find((c) => c.startsWith("countersign_session="));
      if (cookie === undefined) throw new Error(`${username} got no session`);
      return (path: string, init: RequestInit = {}) => fetch(`${base}${path}`, { ...init, headers: { ...(init.headers as Record<string, string>), cookie } });
    };
    const [guangxi, national, zhejiang] = await Promise.all([signIn("gx-office"), signIn("miit"), signIn("zj-office")]);
    const post = (who: typeof guangxi, path: string, fields: Record<string, string>, files: File[]) =>
      who(path, { method: "POST", headers: { "X-Countersign-Upload": "1" }, body: form(fields, files) });
    const replace = (who: typeof guangxi, fileId: number, expectedVersion: number, file: File) =>
      post(who, `/attachments/level-report-files/${fileId}/replace`, { expectedVersion: String(expectedVersion) }, [file]);
    const own = async () => {
      const view = await gx.round.levelReport({ roundId: gxRound.roundId });
      if (view === null) throw new Error("no level report");
      return view.report;
    };

    // A draft with two files.
    const drafted = await post(guangxi, `/attachments/level-report/${gxRound.levelReportId}`, { action: "saveDraft", expectedVersion: "1", ...text }, [
      { name: "督查报告.pdf", type: "application/pdf", bytes: pdf },
      { name: "误传.png", type: "image/png", bytes: png },
    ]);
    expect(drafted.status).toBe(200);
    const d = ((await drafted.json()) as { result: { version: number; fileIds: number[] } }).result;
    const [pdfId = 0, pngId = 0] = d.fileIds;

    // Only the office's coordinator, on the current version: a sibling and the level above do not find it; a department
    // liaison is the wrong role; a stale version is a conflict.
    await expect(harness.as("zj-office").round.levelRemoveFile({ fileId: pngId, expectedVersion: d.version })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(nation.round.levelRemoveFile({ fileId: pngId, expectedVersion: d.version })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(harness.as("gx-mof").round.levelRemoveFile({ fileId: pngId, expectedVersion: d.version })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(gx.round.levelRemoveFile({ fileId: pngId, expectedVersion: d.version - 1 })).rejects.toMatchObject({ code: "CONFLICT" });
    expect((await replace(zhejiang, pdfId, d.version, { name: "x.pdf", type: "application/pdf", bytes: pdf2 })).status).toBe(404);

    // Removed: no longer current, kept (listed apart, still downloadable by the office).
    const removed = await gx.round.levelRemoveFile({ fileId: pngId, expectedVersion: d.version });
    expect(removed).toMatchObject({ id: gxRound.levelReportId, version: d.version + 1, fileId: pngId, replacementId: null });
    let report = await own();
    expect(report.files.map((f) => f.name)).toEqual(["督查报告.pdf"]);
    expect(report.withdrawnFiles.map((f) => [f.id, f.supersededById])).toEqual([[pngId, null]]);
    expect((await guangxi(`/attachments/level-report-files/${pngId}`)).status).toBe(200);
    await expect(gx.round.levelRemoveFile({ fileId: pngId, expectedVersion: removed.version })).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });

    // Replaced by a new version: the old one superseded by the new.
    const replaced = await replace(guangxi, pdfId, removed.version, { name: "督查报告（修订）.pdf", type: "application/pdf", bytes: pdf2 });
    expect(replaced.status).toBe(200);
    const r = ((await replaced.json()) as { result: { version: number; replacementId: number } }).result;
    report = await own();
    expect(report.files.map((f) => [f.id, f.name, f.sha256])).toEqual([[r.replacementId, "督查报告（修订）.pdf", sha256(pdf2)]]);
    expect(report.withdrawnFiles.map((f) => [f.id, f.supersededById])).toEqual([
      [pdfId, r.replacementId],
      [pngId, null],
    ]);
    const old = await guangxi(`/attachments/level-report-files/${pdfId}`);
    expect(Buffer.from(await old.arrayBuffer()).equals(pdf)).toBe(true);

    // Submitted for sign-off: frozen (a clear refusal), nothing changed.
    const submitted = await gx.round.levelSubmit({ levelReportId: gxRound.levelReportId, expectedVersion: r.version, ...text });
    await expect(gx.round.levelRemoveFile({ fileId: r.replacementId, expectedVersion: submitted.version })).rejects.toThrow(/frozen/);
    const frozen = await replace(guangxi, r.replacementId, submitted.version, { name: "再改.pdf", type: "application/pdf", bytes: pdf });
    expect(frozen.status).toBe(412);
    expect(await frozen.text()).toContain("frozen");
    // Signed off: frozen too; the nation sees the current file only, not the withdrawn ones.
    const signed = await gx.round.levelSignOff({ levelReportId: gxRound.levelReportId, expectedVersion: submitted.version });
    await expect(gx.round.levelRemoveFile({ fileId: r.replacementId, expectedVersion: signed.version })).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
    expect((await nation.round.childReports({ roundId: opened.id }))[0]?.files.map((f) => f.id)).toEqual([r.replacementId]);
    expect((await national(`/attachments/level-report-files/${pdfId}`)).status).toBe(404);
    expect((await national(`/attachments/level-report-files/${pngId}`)).status).toBe(404);
    expect((await gx.round.levelReport({ roundId: gxRound.roundId }))?.report.files).toHaveLength(1);

    // Returned: the office may remove it again; the nation keeps reading what was sent up until the next sign-off.
    harness.clock.now = new Date("2026-01-02T02:01:00Z");
    const back = await nation.round.levelReturn({ levelReportId: gxRound.levelReportId, expectedVersion: signed.version, reason: "请补充台账" });
    const again = await gx.round.levelRemoveFile({ fileId: r.replacementId, expectedVersion: back.version });
    expect((await own()).files).toEqual([]);
    const [seen] = await nation.round.childReports({ roundId: opened.id });
    expect(seen?.files.map((f) => [f.id, f.withdrawnAt])).toEqual([[r.replacementId, null]]);
    expect((await national(`/attachments/level-report-files/${r.replacementId}`)).status).toBe(200);
    expect(again.version).toBe(back.version + 1);

    // The audit trail: each withdrawal with both files' names and hashes, in its schema; the chain intact.
    const trail = (await harness.store.read((repos) => repos.auditTrail.page({ planId: gxPlan, organisation: { id: "450000", national: false }, limit: 200 }))).filter((e) =>
      e.type.startsWith("level_report.file_"),
    );
    const payloads = trail.map((e) => [e.type, JSON.parse(e.payload) as Record<string, unknown>] as const);
    const replacedEvent = payloads.find(([t]) => t === "level_report.file_replaced")?.[1];
    expect(replacedEvent).toMatchObject({ fileId: pdfId, name: "督查报告.pdf", sha256: sha256(pdf), byFileId: r.replacementId, bySha256: sha256(pdf2) });
    expect(payloads.filter(([t]) => t === "level_report.file_removed").map(([, p]) => p["fileId"]).sort()).toEqual([pngId, r.replacementId].sort());
    for (const [type, payload] of payloads) expect(auditPayloadIssues(type, payload)).toEqual([]);
    expect((await harness.store.verifyAuditChain()).ok).toBe(true);
  }, 60_000);
});
