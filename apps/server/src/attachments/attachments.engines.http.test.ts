/**
 * Attachments (佐证材料) on the store seam, on each engine (issue 13): a real HTTP server built over the harness's store
 * (sessions by cookie, multipart uploads as a browser sends them), `attachment.list`, `attachment.supersede` and
 * `GET /attachments/:id` and `POST /attachments/comment/:assignmentId` — who may see which file, the refusals in the
 * trail, the audit events, and the audit chain after it all.
 */
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTRPCClient, httpLink } from "@trpc/client";
import { TRPCError } from "@trpc/server";
import type { FastifyInstance } from "fastify";
import type { AuditEventRow } from "@countersign/db";
import { buildApp } from "../app.js";
import { demoPassword } from "../demo/demo-accounts.js";
import { ServiceError } from "../errors.js";
import type { AppRouter } from "../router.js";
import { runSeamMutation } from "../security/idempotency.js";
import { actOnAssignment } from "../services/assignment/act-on-assignment.js";
import { checkUpload } from "../services/attachments/attachment-rules.js";
import { objectStoreReaderOf } from "../services/attachments/attachment-store.js";
import { listAttachments, readAttachment } from "../services/attachments/read-attachment.js";
import { createHarness, harnessEngines } from "../test-support/harness.js";
import type { Harness, HarnessSeeder } from "../test-support/harness.js";

/** A one-page PDF (enough for file-type: it reads the `%PDF-` header). */
const pdf = Buffer.from("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n");
/** A 1 × 1 PNG. */
const png = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64");
const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");
const uploadHeaders = { "X-Countersign-Upload": "1" };

interface Seeded {
  /** MOF's assignment handed to the tax division's handler (mof.tax). */
  handed: { id: number; version: number };
  /** MOF's assignment not handed to anyone, accepted. */
  mofOwn: { id: number; version: number };
}

/** The plan issued; two of MOF's assignments accepted, the first handed to the tax division's handler (mof.tax). */
async function seed({ planId, as }: HarnessSeeder): Promise<Seeded> {
  await as("miit").plan.issue({ planId, dueDate: "2026-06-30" });
  const admin = as("admin");
  const division = await admin.admin.createDivision({ department: "MOF", nameZh: "税政司", nameEn: null });
  const { account } = await admin.admin.create({ username: "mof.tax", role: "liaison", department: "MOF", displayNameZh: "张伟", displayNameEn: null, ssoIdentity: null });
  await admin.admin.setDepartmentPart({ id: account.id, departmentRole: "handler", divisionId: division.id });
  const mof = as("mof");
  const [first, second] = (await mof.inbox.list({ planId, limit: 200 })).rows;
  if (first === undefined || second === undefined) throw new Error("too few assignments");
  const accepted = await mof.assignment.accept({ id: first.id, expectedVersion: first.version });
  const handed = await mof.assignment.assignHandler({ id: first.id, expectedVersion: accepted.version, divisionId: division.id, handlerId: account.id, note: "税政司承办" });
  const own = await mof.assignment.accept({ id: second.id, expectedVersion: second.version });
  return { handed: { id: handed.id, version: handed.version }, mofOwn: { id: own.id, version: own.version } };
}

interface Browser {
  client: ReturnType<typeof createTRPCClient<AppRouter>>;
  fetch: (path: string, init?: RequestInit) => Promise<Response>;
}

/** The refusal code of a call that must fail. */
async function errorCode(fn: () => Promise<unknown>): Promise<string> {
  try {
    await fn();
  } catch (error) {
    if (error instanceof ServiceError) return error.code;
    if (error instanceof TRPCError && error.cause instanceof ServiceError) return error.cause.code;
    return (error as { data?: { refusalCode?: string } }).data?.refusalCode ?? "unknown";
  }
  throw new Error("expected a refusal");
}

function form(fields: Record<string, string>, files: { name: string; type: string; bytes: Buffer }[]): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  for (const file of files) f.append("file", new Blob([file.bytes], { type: file.type }), file.name);
  return f;
}

describe.each(harnessEngines)("attachments on the store seam on %s", (engine) => {
  let h: Harness;
  let seeded: Seeded;
  let app: FastifyInstance;
  let base: string;
  let mof: Browser;
  let sta: Browser;
  let miit: Browser;

  async function signIn(username: string): Promise<Browser> {
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
    await client.auth.login.mutate({ username, password: demoPassword });
    return { client, fetch: (path, init) => cookieFetch(`${base}${path}`, init) };
  }

  /** The trail's newest events of a type, newest first (read through the store: either engine). */
  const events = async (type: string): Promise<AuditEventRow[]> =>
    (await h.store.read((repos) => repos.auditTrail.page({ organisation: { id: "CN", national: true }, limit: 200 }))).filter((e) => e.type === type);

  beforeAll(async () => {
    let made: Seeded | null = null;
    h = await createHarness({
      engine,
      seed: async (seeder) => {
        made = await seed(seeder);
      },
    });
    if (made === null) throw new Error("the seed did not run");
    seeded = made;
    const { db, store, live, sessionPolicy, now, secureCookies } = h.context(null);
    app = await buildApp(
      { store, db, live, sessionPolicy, now, secureCookies },
      { allowedOrigins: [], bodyLimitBytes: 64 * 1024, webDist: null, trustProxy: false, logRequests: false },
    );
    await app.listen({ port: 0, host: "127.0.0.1" });
    const address = app.server.address();
    if (address === null || typeof address === "string") throw new Error("no port");
    base = `http://127.0.0.1:${address.port}`;
    [mof, sta, miit] = await Promise.all([signIn("mof"), signIn("sta"), signIn("miit")]);
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await h?.close();
  });

  it("lists and serves an act's files to those who may see them, supersedes one with its audit event, refuses the rest", async () => {
    // Two files with MOF's progress report, over HTTP (the assignment action with files).
    const { mofOwn } = seeded;
    const uploaded = await mof.fetch(`/attachments/assignment/${mofOwn.id}`, {
      method: "POST",
      headers: uploadHeaders,
      body: form({ action: "reportProgress", expectedVersion: String(mofOwn.version), note: "附件见后" }, [
        { name: "截图.png", type: "image/png", bytes: png },
        { name: "通知.pdf", type: "application/pdf", bytes: pdf },
      ]),
    });
    expect(uploaded.status).toBe(200);
    const { result } = (await uploaded.json()) as { result: { attachmentIds: number[] } };
    const [imageId, pdfId] = result.attachmentIds;
    if (imageId === undefined || pdfId === undefined) throw new Error("no attachment ids");

    // attachment.list: MOF and the coordinator see both; another department nothing.
    const listed = await mof.client.attachment.list.query({ assignmentId: mofOwn.id });
    expect(listed.map((a) => [a.id, a.name, a.sha256, a.supersededById])).toEqual([
      [imageId, "截图.png", sha256(png), null],
      [pdfId, "通知.pdf", sha256(pdf), null],
    ]);
    expect(listed[0]).toMatchObject({ assignmentId: mofOwn.id, ownerKind: "assignment.reportProgress", ownerId: mofOwn.id, contentType: "image/png", sizeBytes: png.length });
    expect((await miit.client.attachment.list.query({ assignmentId: mofOwn.id })).map((a) => a.id)).toEqual([imageId, pdfId]);
    expect(await sta.client.attachment.list.query({ assignmentId: mofOwn.id })).toEqual([]);
    expect(await mof.client.attachment.list.query({ assignmentId: 999_999 })).toEqual([]);

    // GET /attachments/:id: the bytes to MOF and the coordinator; not_found for another department and an unknown id.
    const download = await mof.fetch(`/attachments/${pdfId}`);
    expect(download.status).toBe(200);
    expect(download.headers.get("content-disposition")).toMatch(/^attachment;/);
    expect(download.headers.get("digest")).toBe(`sha-256=${Buffer.from(sha256(pdf), "hex").toString("base64")}`);
    expect(Buffer.from(await download.arrayBuffer()).equals(pdf)).toBe(true);
    const preview = await miit.fetch(`/attachments/${imageId}/preview`);
    expect(preview.status).toBe(200);
    expect(preview.headers.get("content-type")).toBe("image/png");
    expect(Buffer.from(await preview.arrayBuffer()).equals(png)).toBe(true);
    expect((await sta.fetch(`/attachments/${pdfId}`)).status).toBe(404);
    expect((await mof.fetch("/attachments/999999")).status).toBe(404);
    expect((await fetch(`${base}/attachments/${pdfId}`)).status).toBe(401);

    // attachment.supersede: only MOF's liaison, only by a later file; audited with both hashes and the reason.
    const refusedBefore = (await events("access.refused")).length;
    expect(await errorCode(() => sta.client.attachment.supersede.mutate({ id: imageId, byId: pdfId, reason: "x" }))).toBe("not_your_department");
    expect(await errorCode(() => sta.client.attachment.supersede.mutate({ id: 999_999, byId: pdfId, reason: "x" }))).toBe("not_your_department");
    expect(await errorCode(() => miit.client.attachment.supersede.mutate({ id: imageId, byId: pdfId, reason: "x" }))).toBe("wrong_role");
    expect(await errorCode(() => mof.client.attachment.supersede.mutate({ id: pdfId, byId: imageId, reason: "x" }))).toBe("invalid_state");
    expect(await errorCode(() => mof.client.attachment.supersede.mutate({ id: imageId, byId: pdfId, reason: "  " }))).toBe("reason_required");
    // The refused authorizations are in the trail, each with its procedure and code.
    const refused = (await events("access.refused")).slice(0, (await events("access.refused")).length - refusedBefore);
    expect(refused.map((e) => [e.actorUsername, JSON.parse(e.payload ?? "{}").procedure, JSON.parse(e.payload ?? "{}").code])).toEqual([
      ["miit", "attachment.supersede", "wrong_role"],
      ["sta", "attachment.supersede", "not_your_department"],
      ["sta", "attachment.supersede", "not_your_department"],
    ]);
    expect(await mof.client.attachment.supersede.mutate({ id: imageId, byId: pdfId, reason: "传错了文件" })).toEqual({ id: imageId, supersededById: pdfId });
    expect(await errorCode(() => mof.client.attachment.supersede.mutate({ id: imageId, byId: pdfId, reason: "again" }))).toBe("invalid_state");
    const superseded = await events("attachment.superseded");
    expect(superseded).toHaveLength(1);
    expect(superseded[0]).toMatchObject({ actorUsername: "mof", department: "MOF", planId: h.planId });
    expect(JSON.parse(superseded[0]?.payload ?? "{}")).toEqual({
      attachmentId: imageId,
      assignmentId: mofOwn.id,
      name: "截图.png",
      sha256: sha256(png),
      byAttachmentId: pdfId,
      byName: "通知.pdf",
      bySha256: sha256(pdf),
      reason: "传错了文件",
    });
    // Superseded, never deleted: still listed (with what superseded it) and still served.
    expect((await mof.client.attachment.list.query({ assignmentId: mofOwn.id })).find((a) => a.id === imageId)?.supersededById).toBe(pdfId);
    expect((await mof.fetch(`/attachments/${imageId}`)).status).toBe(200);
    expect(await h.store.verifyAuditChain()).toMatchObject({ ok: true });
  });

  it("a handler (承办人) sees and supersedes only the files of work handed to them or their division", async () => {
    const { handed, mofOwn } = seeded;
    const handler = h.user("mof.tax");
    const scope = { store: h.store, user: handler, now: () => h.clock.now };
    const files = [await checkUpload("初稿.pdf", "application/pdf", pdf), await checkUpload("定稿.png", "image/png", png)];
    const out = await runSeamMutation(scope, "assignment.reportProgress", { id: handed.id }, async (tx) => {
      const acted = await actOnAssignment(tx, handler, { id: handed.id, expectedVersion: handed.version, action: { type: "reportProgress", note: "税政司进展" }, files }, h.clock.now);
      return { value: acted.attachmentIds, change: acted.change };
    });
    const [draftId, finalId] = out;
    if (draftId === undefined || finalId === undefined) throw new Error("no attachment ids");
    const list = (username: string, assignmentId: number) => h.store.read((repos) => listAttachments(repos, h.user(username), assignmentId));
    const read = (username: string, id: number) => h.store.read((repos) => readAttachment(repos, objectStoreReaderOf(h.context(null).db), h.user(username), id));

    expect((await list("mof.tax", handed.id)).map((a) => a.id)).toEqual([draftId, finalId]);
    expect((await read("mof.tax", draftId)).bytes.equals(pdf)).toBe(true);
    // Work of the department not handed to them: refused as the assignment itself is; its files not found.
    expect(await errorCode(() => list("mof.tax", mofOwn.id))).toBe("not_your_assignment");
    const mofFiles = await list("mof", mofOwn.id);
    const mofFile = mofFiles[0];
    if (mofFile === undefined) throw new Error("the first test's files are missing");
    expect(await errorCode(() => read("mof.tax", mofFile.id))).toBe("not_found");
    // The department's liaison sees the handler's files too.
    expect((await list("mof", handed.id)).map((a) => a.id)).toEqual([draftId, finalId]);

    // Supersede: a handler supersedes the files of work they reach; a file of work not handed to them is not theirs.
    const supersede = (username: string, input: { id: number; byId: number; reason: string }) =>
      h.as(username).attachment.supersede(input);
    expect(await errorCode(() => supersede("mof.tax", { id: mofFile.id, byId: finalId, reason: "x" }))).toBe("not_your_assignment");
    expect(await errorCode(() => supersede("mof.tax", { id: draftId, byId: mofFile.id, reason: "x" }))).toBe("not_your_assignment");
    expect(await supersede("mof.tax", { id: draftId, byId: finalId, reason: "以定稿为准" })).toEqual({ id: draftId, supersededById: finalId });
    expect(await errorCode(() => supersede("mof", { id: draftId, byId: finalId, reason: "again" }))).toBe("invalid_state");
    expect(JSON.parse((await events("attachment.superseded"))[0]?.payload ?? "{}")).toMatchObject({ attachmentId: draftId, byAttachmentId: finalId, reason: "以定稿为准" });
    const refused = (await events("access.refused")).filter((e) => e.actorUsername === "mof.tax");
    expect(refused.map((e) => JSON.parse(e.payload ?? "{}").code)).toEqual(["not_your_assignment", "not_your_assignment"]);
    expect(await h.store.verifyAuditChain()).toMatchObject({ ok: true });
  });

  it("a comment with files (POST /attachments/comment): one unit of work with its event naming each file; refusals store nothing", async () => {
    const { mofOwn } = seeded;
    const current = await h.store.read((repos) => repos.assignments.find(mofOwn.id));
    if (current === undefined) throw new Error("no assignment");
    const files = [{ name: "会议纪要.pdf", type: "application/pdf", bytes: pdf }];
    const comment = (who: Browser, version: number, headers: Record<string, string> = {}) =>
      who.fetch(`/attachments/comment/${mofOwn.id}`, { method: "POST", headers: { ...uploadHeaders, ...headers }, body: form({ expectedVersion: String(version), body: "附会议纪要" }, files) });
    const stored = async () => (await h.store.read((repos) => repos.attachments.ofAssignment(mofOwn.id, null))).length;
    const before = await stored();
    const refusedBefore = (await events("access.refused")).length;

    // Another department: refused (403), in the trail; a stale version: 409 with the current state; nothing stored.
    const foreign = await comment(sta, current.version);
    expect(foreign.status).toBe(403);
    expect(await foreign.json()).toMatchObject({ error: { data: { refusalCode: "not_your_department" } } });
    const [refused] = (await events("access.refused")).slice(0, (await events("access.refused")).length - refusedBefore);
    expect(refused).toMatchObject({ actorUsername: "sta" });
    expect(JSON.parse(refused?.payload ?? "{}")).toMatchObject({ procedure: "POST /attachments/comment", code: "not_your_department" });
    expect((await comment(mof, current.version - 1)).status).toBe(409);
    expect((await comment(mof, current.version, { "X-Countersign-Upload": "0" })).status).toBe(403);
    expect(await stored()).toBe(before);

    // The comment, its file and one assignment.commented event naming the file; a retry with the key gets the same answer.
    const commentsBefore = (await events("assignment.commented")).length;
    const first = await comment(mof, current.version, { "Idempotency-Key": `comment-${engine}` });
    expect(first.status).toBe(200);
    const { result } = (await first.json()) as { result: { commentId: number; version: number; attachmentIds: number[] } };
    expect(result.version).toBe(current.version + 1);
    expect(result.attachmentIds).toHaveLength(1);
    const retried = await comment(mof, current.version, { "Idempotency-Key": `comment-${engine}` });
    expect(((await retried.json()) as { result: unknown }).result).toEqual(result);
    const commented = await events("assignment.commented");
    expect(commented).toHaveLength(commentsBefore + 1);
    expect(commented[0]).toMatchObject({ actorUsername: "mof", assignmentId: mofOwn.id, department: "MOF", planId: h.planId });
    expect(JSON.parse(commented[0]?.payload ?? "{}")).toMatchObject({
      body: "附会议纪要",
      attachments: 1,
      "attachment1.id": result.attachmentIds[0],
      "attachment1.name": "会议纪要.pdf",
      "attachment1.type": "application/pdf",
      "attachment1.size": pdf.length,
      "attachment1.sha256": sha256(pdf),
    });
    const assignment = await h.store.read((repos) => repos.assignments.find(mofOwn.id));
    expect(assignment?.version).toBe(result.version);
    const comments = await h.store.read((repos) => repos.assignmentViews.comments(mofOwn.id));
    expect(comments.find((c) => c.id === result.commentId)).toMatchObject({ body: "附会议纪要", department: "MOF" });

    // The file hangs on the comment; MOF and the coordinator fetch it, another department does not.
    const [fileId] = result.attachmentIds;
    const listed = await mof.client.attachment.list.query({ assignmentId: mofOwn.id });
    expect(listed.find((a) => a.id === fileId)).toMatchObject({ ownerKind: "comment", ownerId: result.commentId, name: "会议纪要.pdf", sha256: sha256(pdf) });
    expect(Buffer.from(await (await miit.fetch(`/attachments/${fileId}`)).arrayBuffer()).equals(pdf)).toBe(true);
    expect((await sta.fetch(`/attachments/${fileId}`)).status).toBe(404);
    expect(await h.store.verifyAuditChain()).toMatchObject({ ok: true });
  });

  it("a comment with files tells what a plain comment tells: the holding department's notice with the words, and the live change", async () => {
    const { mofOwn } = seeded;
    const current = await h.store.read((repos) => repos.assignments.find(mofOwn.id));
    if (current === undefined) throw new Error("no assignment");
    const listening = new AbortController();
    const heard: number[][] = [];
    const listener = (async () => {
      for await (const delivery of h.live.listen(listening.signal)) if (delivery.kind === "change") heard.push([...delivery.event.envelope.change.assignmentIds]);
    })();
    const unreadBefore = await mof.client.notification.unreadCount.query();
    // The lead ministry comments on MOF's assignment with a file: MOF is told, with the words, as for a plain comment.
    const response = await miit.fetch(`/attachments/comment/${mofOwn.id}`, {
      method: "POST",
      headers: uploadHeaders,
      body: form({ expectedVersion: String(current.version), body: "请补充材料" }, [{ name: "通知.pdf", type: "application/pdf", bytes: pdf }]),
    });
    expect(response.status).toBe(200);
    expect(await mof.client.notification.unreadCount.query()).toBe(unreadBefore + 1);
    const [notice] = (await mof.client.notification.list.query({ limit: 5 })).items;
    expect(notice?.read).toBe(false);
    expect(JSON.stringify(notice)).toContain("请补充材料");
    for (let waited = 0; heard.length === 0 && waited < 2000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    listening.abort();
    await listener.catch(() => undefined);
    expect(heard.some((ids) => ids.includes(mofOwn.id))).toBe(true);
  });
});
