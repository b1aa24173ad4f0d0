/**
 * A level report's own evidence files (佐证材料, issue 16 point 3) on each engine, over a real HTTP server: Guangxi's
 * office submits its report to the national round with a file (`POST /attachments/level-report/:id`, one unit of work
 * with the act's audit event naming the file and its SHA-256); the office reads it at once, the national office only
 * once signed off, Zhejiang (a sibling) never; a file added after a return stays the office's own until the next
 * sign-off; the compiled report names the files sent up. Nanning (below Guangxi) reports with a file too: Guangxi
 * downloads it, the nation (a grandparent) does not, though its name goes up in Guangxi's signed-off compilation.
 */
import { createHash } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { createTRPCClient, httpLink } from "@trpc/client";
import type { FastifyInstance } from "fastify";
import { auditPayloadIssues } from "@countersign/domain";
import { roundReportHtml } from "@countersign/exports";
import { buildApp } from "../app.js";
import { demoPassword } from "../demo/demo-accounts.js";
import type { AppRouter } from "../router.js";
import { compileRound } from "../services/rounds/compile-round.js";
import { createHarness, harnessEngines } from "../test-support/harness.js";
import type { Harness } from "../test-support/harness.js";

/** A one-page PDF (enough for file-type: it reads the `%PDF-` header). */
const pdf = Buffer.from("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n");
/** A 1 × 1 PNG. */
const png = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64");
const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");
const text = { progress: "已印发实施方案", problems: "无", nextSteps: "开展督查" };

interface Browser {
  client: ReturnType<typeof createTRPCClient<AppRouter>>;
  fetch: (path: string, init?: RequestInit) => Promise<Response>;
}

function form(fields: Record<string, string>, files: { name: string; type: string; bytes: Buffer }[]): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  for (const file of files) f.append("file", new Blob([file.bytes], { type: file.type }), file.name);
  return f;
}

describe.each(harnessEngines)("a level report's evidence files on %s", (engine) => {
  let h: Harness | null = null;
  let app: FastifyInstance | null = null;
  afterEach(async () => {
    await app?.close();
    await h?.close();
    app = null;
    h = null;
  });

  it("go up with the report's acts, are read by the office and, once signed off, by the level above; never by a sibling", async () => {
    h = await createHarness({ engine, now: new Date("2026-01-02T02:00:00Z") });
    const harness = h;
    const nationCaller = harness.as("miit");
    const gxCaller = harness.as("gx-office");
    // The national plan forwarded to Guangxi and Zhejiang; Guangxi derives and issues its plan; the nation opens a round.
    await nationCaller.plan.issue({ planId: harness.planId, dueDate: "2027-12-31" });
    await nationCaller.cascade.forward({ planId: harness.planId, to: ["450000", "330000"], planDeadline: "2026-06-30" });
    const [pending] = await gxCaller.cascade.pending();
    if (pending === undefined) throw new Error("nothing forwarded to Guangxi");
    const gxPlan = (await gxCaller.cascade.derive({ forwardingId: pending.forwardingId })).planId;
    await gxCaller.plan.issue({ planId: gxPlan, dueDate: "2026-12-31" });
    // Guangxi forwards measure 7 to Nanning, which derives and issues its own plan.
    await gxCaller.cascade.forward({ planId: gxPlan, to: ["450100"], measureNumbers: [7], planDeadline: "2026-06-30" });
    const nnCaller = harness.as("nn-office");
    const [nnPending] = await nnCaller.cascade.pending();
    if (nnPending === undefined) throw new Error("nothing forwarded to Nanning");
    const nnPlan = (await nnCaller.cascade.derive({ forwardingId: nnPending.forwardingId })).planId;
    await nnCaller.plan.issue({ planId: nnPlan, dueDate: "2026-12-31" });
    const opened = await nationCaller.round.open({
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
    const nnRound = opened.below.find((b) => b.organisation === "450100");
    if (gxRound === undefined || nnRound === undefined) throw new Error("no round for Guangxi or Nanning");

    const { db, store, live, sessionPolicy, now, secureCookies } = harness.context(null);
    const server = await buildApp({ store, db, live, sessionPolicy, now, secureCookies }, { allowedOrigins: [], bodyLimitBytes: 64 * 1024, webDist: null, trustProxy: false, logRequests: false });
    app = server;
    await server.listen({ port: 0, host: "127.0.0.1" });
    const address = server.server.address();
    if (address === null || typeof address === "string") throw new Error("no port");
    const base = `http://127.0.0.1:${address.port}`;
    const signIn = async (username: string): Promise<Browser> => {
      let cookie: string | null = null;
      const cookieFetch = async (input: Parameters<typeof fetch>[0], init?: RequestInit): Promise<Response> => {
        const headers = new Headers(init?.headers);
        if (cookie !== null) headers.set("cookie", cookie);
        const response = await fetch(input, { ...init, headers });
        for (const c of response.headers.getSetCookie()) {
          const [pair] = c.split(";");
          if (pair?.startsWith("countersign_session=")) cookie = pair;
        }
        return response;
      };
      const client = createTRPCClient<AppRouter>({ links: [httpLink({ url: `${base}/trpc`, fetch: cookieFetch })] });
      const answer = await client.auth.login.mutate({ username, password: demoPassword });
      if (cookie === null) throw new Error(`${username} got no session: ${JSON.stringify(answer)}`);
      return { client, fetch: (path, init) => cookieFetch(`${base}${path}`, init) };
    };
    const [guangxi, nation, zhejiang, nanning] = await Promise.all([signIn("gx-office"), signIn("miit"), signIn("zj-office"), signIn("nn-office")]);
    const upload = (who: Browser, fields: Record<string, string>, files: { name: string; type: string; bytes: Buffer }[]) =>
      who.fetch(`/attachments/level-report/${gxRound.levelReportId}`, { method: "POST", headers: { "X-Countersign-Upload": "1" }, body: form(fields, files) });

    // A file whose bytes are not what its name says is refused; nothing is stored, the report unchanged.
    const refused = await upload(guangxi, { action: "submit", expectedVersion: "1", ...text }, [{ name: "督查报告.pdf", type: "application/pdf", bytes: Buffer.from("MZ not a pdf") }]);
    expect(refused.status).toBe(415);
    expect(await harness.store.read((repos) => repos.levelReports.filesOf([gxRound.levelReportId]))).toEqual([]);

    // Nanning reports to Guangxi with a file of its own and signs off: Guangxi (its parent) downloads it; the nation
    // (a grandparent) and Zhejiang do not, though Guangxi's compilation will carry its name up.
    const nnSubmit = await nanning.fetch(`/attachments/level-report/${nnRound.levelReportId}`, {
      method: "POST",
      headers: { "X-Countersign-Upload": "1" },
      body: form({ action: "submit", expectedVersion: "1", ...text }, [{ name: "南宁台账.png", type: "image/png", bytes: png }]),
    });
    expect(nnSubmit.status).toBe(200);
    const nnResult = ((await nnSubmit.json()) as { result: { version: number; fileIds: number[] } }).result;
    const nnFile = nnResult.fileIds[0] ?? 0;
    await nanning.client.round.levelSignOff.mutate({ levelReportId: nnRound.levelReportId, expectedVersion: nnResult.version });
    expect((await guangxi.client.round.childReports.query({ roundId: gxRound.roundId }))[0]?.files.map((f) => f.name)).toEqual(["南宁台账.png"]);
    expect((await guangxi.fetch(`/attachments/level-report-files/${nnFile}`)).status).toBe(200);
    expect((await nation.fetch(`/attachments/level-report-files/${nnFile}`)).status).toBe(404);
    expect((await zhejiang.fetch(`/attachments/level-report-files/${nnFile}`)).status).toBe(404);
    expect((await guangxi.client.round.levelReport.query({ roundId: gxRound.roundId }))?.preview.children.map((c) => c.files)).toEqual([["南宁台账.png"]]);

    // The submission with its file: one act, its audit event names the file and its hash.
    const submitted = await upload(guangxi, { action: "submit", expectedVersion: "1", ...text }, [{ name: "督查报告.pdf", type: "application/pdf", bytes: pdf }]);
    expect(submitted.status).toBe(200);
    const result = ((await submitted.json()) as { result: { status: string; version: number; fileIds: number[] } }).result;
    expect(result.status).toBe("awaiting_sign_off");
    expect(result.fileIds).toHaveLength(1);
    const pdfId = result.fileIds[0] ?? 0;
    const trail = async () =>
      (await harness.store.read((repos) => repos.auditTrail.page({ planId: gxPlan, organisation: { id: "450000", national: false }, limit: 200 }))).filter((e) =>
        e.type.startsWith("level_report."),
      );
    const [requested] = await trail();
    expect(requested?.type).toBe("level_report.sign_off_requested");
    const payload = JSON.parse(requested?.payload ?? "{}") as Record<string, unknown>;
    expect(payload).toMatchObject({ attachments: 1, "attachment1.name": "督查报告.pdf", "attachment1.sha256": sha256(pdf), "attachment1.id": pdfId });
    expect(auditPayloadIssues("level_report.sign_off_requested", payload)).toEqual([]);

    // The office sees it at once; the nation not before the sign-off (listed nowhere, and its download is "not found").
    const own = await guangxi.client.round.levelReport.query({ roundId: gxRound.roundId });
    expect(own?.report.files.map((f) => [f.id, f.name, f.sha256, f.sizeBytes])).toEqual([[pdfId, "督查报告.pdf", sha256(pdf), pdf.length]]);
    expect((await nation.client.round.childReports.query({ roundId: opened.id }))[0]?.files).toEqual([]);
    expect((await nation.fetch(`/attachments/level-report-files/${pdfId}`)).status).toBe(404);
    const ownDownload = await guangxi.fetch(`/attachments/level-report-files/${pdfId}`);
    expect(ownDownload.status).toBe(200);
    expect(Buffer.from(await ownDownload.arrayBuffer()).equals(pdf)).toBe(true);

    // Signed off: the nation lists and downloads it; Zhejiang (a sibling) gets "not found", as for no file at all.
    await guangxi.client.round.levelSignOff.mutate({ levelReportId: gxRound.levelReportId, expectedVersion: result.version });
    const [seen] = await nation.client.round.childReports.query({ roundId: opened.id });
    expect(seen?.files.map((f) => f.name)).toEqual(["督查报告.pdf"]);
    expect(seen?.submitted?.compilation?.children.map((c) => [c.organisation.id, c.files])).toEqual([["450100", ["南宁台账.png"]]]);
    const download = await nation.fetch(`/attachments/level-report-files/${pdfId}`);
    expect(download.status).toBe(200);
    expect(download.headers.get("content-disposition")).toContain("attachment");
    expect(download.headers.get("digest")).toBe(`sha-256=${Buffer.from(sha256(pdf), "hex").toString("base64")}`);
    expect(Buffer.from(await download.arrayBuffer()).equals(pdf)).toBe(true);
    const sibling = await zhejiang.fetch(`/attachments/level-report-files/${pdfId}`);
    expect(sibling.status).toBe(404);
    expect(await sibling.text()).not.toContain("督查报告");
    expect((await zhejiang.fetch(`/attachments/level-report-files/999999`)).status).toBe(404);
    // A Guangxi department's liaison is no reader of the office's reports.
    const gxMof = await signIn("gx-mof");
    expect((await gxMof.fetch(`/attachments/level-report-files/${pdfId}`)).status).toBe(403);

    // The compiled national report names the file under the level below.
    const compiled = await harness.store.read((repos) => compileRound(repos, harness.user("miit"), opened.id, "zh", new Date("2026-01-03T02:00:00Z")));
    expect(compiled.levels?.[0]?.files).toEqual(["督查报告.pdf"]);
    expect(roundReportHtml(compiled, "zh")).toContain("佐证材料：督查报告.pdf");

    // Returned: the nation still reads what was sent up, file included. While the office revises (a draft with a new
    // file), the level above sees "not yet reported" and none of its files, as with the text; the next sign-off sends
    // both files up.
    harness.clock.now = new Date("2026-01-02T02:01:00Z");
    const stored = await harness.store.read((repos) => repos.levelReports.find(gxRound.levelReportId));
    const back = await nation.client.round.levelReturn.mutate({ levelReportId: gxRound.levelReportId, expectedVersion: stored?.version ?? 0, reason: "请补充台账" });
    expect((await nation.client.round.childReports.query({ roundId: opened.id }))[0]?.files.map((f) => f.name)).toEqual(["督查报告.pdf"]);
    const draft = await upload(guangxi, { action: "saveDraft", expectedVersion: String(back.version), ...text }, [{ name: "台账.png", type: "image/png", bytes: png }]);
    expect(draft.status).toBe(200);
    const drafted = ((await draft.json()) as { result: { version: number; fileIds: number[] } }).result;
    const pngId = drafted.fileIds[0] ?? 0;
    expect((await guangxi.client.round.levelReport.query({ roundId: gxRound.roundId }))?.report.files.map((f) => f.name)).toEqual(["督查报告.pdf", "台账.png"]);
    expect((await nation.client.round.childReports.query({ roundId: opened.id }))[0]).toMatchObject({ standing: "not_reported", files: [] });
    expect((await nation.fetch(`/attachments/level-report-files/${pngId}`)).status).toBe(404);
    expect((await guangxi.fetch(`/attachments/level-report-files/${pngId}`)).status).toBe(200);
    const again = await guangxi.client.round.levelSubmit.mutate({ levelReportId: gxRound.levelReportId, expectedVersion: drafted.version, ...text });
    await guangxi.client.round.levelSignOff.mutate({ levelReportId: gxRound.levelReportId, expectedVersion: again.version });
    expect((await nation.client.round.childReports.query({ roundId: opened.id }))[0]?.files.map((f) => f.name)).toEqual(["督查报告.pdf", "台账.png"]);
    expect((await nation.fetch(`/attachments/level-report-files/${pngId}`)).status).toBe(200);
    expect((await zhejiang.fetch(`/attachments/level-report-files/${pngId}`)).status).toBe(404);

    const types = (await trail()).map((e) => e.type);
    expect(types).toContain("level_report.draft_saved");
    for (const e of await trail()) expect(auditPayloadIssues(e.type, JSON.parse(e.payload))).toEqual([]);
    expect((await harness.store.verifyAuditChain()).ok).toBe(true);
  }, 60_000);
});
