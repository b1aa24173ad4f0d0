/**
 * A level report's files in the S3-compatible object store (issue 16 follow-up) on each engine: a real S3-compatible
 * server (s3rver) and a real HTTP server, the store configured for the server's `db` handle as start.ts does. Guangxi's
 * office drafts its report with a file and replaces it by a new version: both objects are written before the unit of
 * work and their keys recorded (no bytes in level_report_file_blobs); the office downloads both from the object store;
 * the orphan sweep keeps the objects a level report file names and removes the one of a refused act.
 */
import { createHash } from "node:crypto";
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import type { S3Client } from "@aws-sdk/client-s3";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../app.js";
import { demoPassword } from "../demo/demo-accounts.js";
import { configureAttachmentStore } from "../services/attachments/attachment-store.js";
import { S3AttachmentStore } from "../services/attachments/s3-attachment-store.js";
import { createHarness, harnessEngines } from "../test-support/harness.js";
import { s3rverCredentials as credentials, startTestS3Server } from "../test-support/s3-server.js";
import type { TestS3Server } from "../test-support/s3-server.js";
import type { Harness } from "../test-support/harness.js";

const bucket = "countersign";
const pdf = (text: string) => Buffer.from(`%PDF-1.4\n% ${text}\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n`);
const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");
const text = { progress: "已印发实施方案", problems: "无", nextSteps: "开展督查" };

let s3: TestS3Server;
let endpoint: string;
let raw: S3Client;

beforeAll(async () => {
  s3 = await startTestS3Server(bucket);
  ({ endpoint, raw } = s3);
});

afterAll(async () => {
  await s3.close();
});

describe.each(harnessEngines)("a level report's files in an object store on %s", (engine) => {
  const prefix = `level-${engine}/`;
  let h: Harness;
  let store: S3AttachmentStore;
  let app: FastifyInstance;
  let base: string;
  let levelReportId = 0;

  beforeAll(async () => {
    h = await createHarness({
      engine,
      now: new Date("2026-01-02T02:00:00Z"),
      seed: async ({ planId, as }) => {
        await as("miit").plan.issue({ planId, dueDate: "2027-12-31" });
        await as("miit").cascade.forward({ planId, to: ["450000"], planDeadline: "2026-06-30" });
        const [pending] = await as("gx-office").cascade.pending();
        if (pending === undefined) throw new Error("nothing forwarded to Guangxi");
        const gxPlan = (await as("gx-office").cascade.derive({ forwardingId: pending.forwardingId })).planId;
        await as("gx-office").plan.issue({ planId: gxPlan, dueDate: "2026-12-31" });
        const opened = await as("miit").round.open({
          planId,
          title: "2025年第四季度进展",
          periodStart: "2025-10-01",
          periodEnd: "2025-12-31",
          dueDate: "2026-01-10",
          measureNumbers: [7],
          departments: [],
          recurrence: "none",
        });
        levelReportId = opened.below.find((b) => b.organisation === "450000")?.levelReportId ?? 0;
      },
    });
    if (levelReportId === 0) throw new Error("no level report for Guangxi");
    const { db, store: rows, live, sessionPolicy, now, secureCookies } = h.context(null);
    store = new S3AttachmentStore({ endpoint, region: "us-east-1", bucket, prefix, ...credentials, forcePathStyle: true });
    configureAttachmentStore(db, store);
    app = await buildApp({ store: rows, db, live, sessionPolicy, now, secureCookies }, { allowedOrigins: [], bodyLimitBytes: 64 * 1024, webDist: null, trustProxy: false, logRequests: false });
    await app.listen({ port: 0, host: "127.0.0.1" });
    const listening = app.server.address();
    if (listening === null || typeof listening === "string") throw new Error("no port");
    base = `http://127.0.0.1:${listening.port}`;
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    store?.close();
    await h?.close();
  });

  async function objectKeys(): Promise<string[]> {
    const listed = await raw.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
    return (listed.Contents ?? []).flatMap((o) => (o.Key === undefined ? [] : [o.Key])).sort();
  }

  it("go to the object store with the act and its replacement, download from it, and survive the orphan sweep", async () => {
    const login = await fetch(`${base}/trpc/auth.login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: "gx-office", password: demoPassword }) });
    const cookie = login.headers.getSetCookie().map((c) => c.split(";")[0] ?? "").find((c) => c.startsWith("countersign_session=")) ?? "";
    const post = (path: string, fields: Record<string, string>, name: string, bytes: Buffer) => {
      const form = new FormData();
      for (const [k, v] of Object.entries(fields)) form.set(k, v);
      form.append("file", new Blob([bytes], { type: "application/pdf" }), name);
      return fetch(`${base}${path}`, { method: "POST", headers: { cookie, "X-Countersign-Upload": "1" }, body: form });
    };
    const download = async (id: number) => Buffer.from(await (await fetch(`${base}/attachments/level-report-files/${id}`, { headers: { cookie } })).arrayBuffer());

    const first = pdf(`广西督查报告 ${engine}`);
    const drafted = await post(`/attachments/level-report/${levelReportId}`, { action: "saveDraft", expectedVersion: "1", ...text }, "督查报告.pdf", first);
    expect(drafted.status).toBe(200);
    const d = ((await drafted.json()) as { result: { version: number; fileIds: number[] } }).result;
    const fileId = d.fileIds[0] ?? 0;
    const row = await h.store.read((repos) => repos.levelReports.findFile(fileId));
    expect(row).toMatchObject({ storage: "s3", sha256: sha256(first) });
    const key = row?.storageKey ?? "";
    expect(key.startsWith(prefix)).toBe(true);
    expect(await objectKeys()).toEqual([key]);
    expect(await h.store.read((repos) => repos.levelReports.fileBytes(fileId))).toBeUndefined();
    expect((await download(fileId)).equals(first)).toBe(true);

    // The replacement goes there too; a refused replacement (a stale version) leaves an orphan object.
    const second = pdf(`广西督查报告（修订） ${engine}`);
    const replaced = await post(`/attachments/level-report-files/${fileId}/replace`, { expectedVersion: String(d.version) }, "督查报告（修订）.pdf", second);
    expect(replaced.status).toBe(200);
    const r = ((await replaced.json()) as { result: { replacementId: number } }).result;
    const newRow = await h.store.read((repos) => repos.levelReports.findFile(r.replacementId));
    expect(newRow).toMatchObject({ storage: "s3", sha256: sha256(second) });
    expect((await download(r.replacementId)).equals(second)).toBe(true);
    expect((await download(fileId)).equals(first)).toBe(true);
    const stale = await post(`/attachments/level-report-files/${r.replacementId}/replace`, { expectedVersion: String(d.version) }, "过期.pdf", pdf("orphan"));
    expect(stale.status).toBe(409);
    expect(await objectKeys()).toHaveLength(3);

    // Past the grace period the sweep removes only the orphan: both objects a level report file names stay.
    expect(await store.sweepOrphans(h.store, new Date(Date.now() + 60_000))).toEqual({ checked: 3, removed: 1 });
    expect(await objectKeys()).toEqual([key, newRow?.storageKey ?? ""].sort());
    expect((await download(fileId)).equals(first)).toBe(true);
    expect(await h.store.verifyAuditChain()).toMatchObject({ ok: true });
  });
});
