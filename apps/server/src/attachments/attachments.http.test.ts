/**
 * Attachments over real HTTP (issue 14, point 1): a started server on a database file, sessions by cookie, multipart
 * uploads as a browser sends them.
 */
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTRPCClient, httpLink } from "@trpc/client";
import type { FastifyInstance } from "fastify";
import { eq, like } from "drizzle-orm";
import { createSqliteStore, loadDefaultPlan, openDatabase, verifyAuditChain } from "@countersign/db";
import { assertAuditPayloadsTyped } from "../test-support/audit-payloads.js";
import type { OpenedDatabase } from "@countersign/db";
import { attachmentBlobsTable, attachmentsTable, auditEventsTable } from "@countersign/db/schema";
import { closePdfRenderer } from "@countersign/exports";
import { buildApp } from "../app.js";
import { dbCommand } from "../cli/db-backup.js";
import { LiveBus } from "../live.js";
import type { AppRouter } from "../router.js";
import { defaultSessionPolicy } from "../services/auth/session-policy.js";
import { createUser } from "../services/users/create-user.js";
import { maxAttachmentBytes } from "../services/attachments/attachment-rules.js";

let dir: string;
let database: OpenedDatabase;
let app: FastifyInstance;
let base: string;
const password = "attachments-test-password";

/** A one-page PDF (enough for file-type: it reads the `%PDF-` header). */
const pdf = Buffer.from("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n");
/** A 1 × 1 PNG. */
const png = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64");

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "countersign-attachments-"));
  database = openDatabase(join(dir, "countersign.sqlite"));
  loadDefaultPlan(database.db);
  const accounts = [
    { username: "miit", role: "coordinator", department: "MIIT" },
    { username: "mof", role: "liaison", department: "MOF" },
    { username: "sta", role: "liaison", department: "STA" },
    { username: "ndrc", role: "liaison", department: "NDRC" },
  ] as const;
  await Promise.all(accounts.map((a) => createUser(database.db, { ...a, password }, null, new Date())));
  app = await buildApp(
    { store: createSqliteStore(database), db: database.db, live: new LiveBus(), sessionPolicy: defaultSessionPolicy, now: () => new Date(), secureCookies: false },
    { allowedOrigins: [], bodyLimitBytes: 64 * 1024, webDist: null, trustProxy: false, logRequests: false },
  );
  await app.listen({ port: 0, host: "127.0.0.1" });
  const address = app.server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  base = `http://127.0.0.1:${address.port}`;
});

afterAll(async () => {
  await app.close();
  await closePdfRenderer();
  try {
    // Acts with files add their files' keys to the act's event: they must fit its schema too.
    assertAuditPayloadsTyped(database);
  } finally {
    database.close();
  }
  rmSync(dir, { recursive: true, force: true });
});

interface Browser {
  client: ReturnType<typeof createTRPCClient<AppRouter>>;
  fetch: (path: string, init?: RequestInit) => Promise<Response>;
}

async function signIn(username: string | null): Promise<Browser> {
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
  if (username !== null) await client.auth.login.mutate({ username, password });
  return { client, fetch: (path, init) => cookieFetch(`${base}${path}`, init) };
}

/** The refusal code of a tRPC call that must fail. */
async function errorCode(fn: () => Promise<unknown>): Promise<string> {
  try {
    await fn();
  } catch (error) {
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

const text = { progress: "已印发通知", problems: "无", nextSteps: "开展督查" };
const uploadHeaders = { "X-Countersign-Upload": "1" };

let miit: Browser;
let mof: Browser;
let sta: Browser;
let ndrc: Browser;
let anonymous: Browser;
let mofReport: { id: number; version: number };

const count = () => ({
  attachments: database.db.select().from(attachmentsTable).all().length,
  blobs: database.db.select().from(attachmentBlobsTable).all().length,
});

describe("attachments over HTTP", () => {
  beforeAll(async () => {
    [miit, mof, sta, ndrc, anonymous] = await Promise.all([signIn("miit"), signIn("mof"), signIn("sta"), signIn("ndrc"), signIn(null)]);
    const plans = await miit.client.catalog.plans.query();
    const planId = plans[0]?.id ?? 0;
    await miit.client.plan.issue.mutate({ planId, dueDate: "2027-06-30" });
    const today = new Date().toISOString().slice(0, 10);
    const opened = await miit.client.round.open.mutate({
      planId,
      title: "Q",
      periodStart: "2025-01-01",
      periodEnd: "2025-03-31",
      dueDate: today < "2099-01-01" ? "2099-01-01" : today,
      measureNumbers: [7],
      departments: ["MOF", "STA"],
      recurrence: "none",
    });
    const round = await mof.client.round.get.query({ roundId: opened.id });
    const r = round.reports[0];
    if (r === undefined) throw new Error("no report for MOF");
    mofReport = { id: r.id, version: r.version };
  });

  let attachmentId = 0;

  it("a liaison uploads a PDF with its report; the same department and the coordinator fetch it; others cannot", async () => {
    const response = await mof.fetch(`/attachments/round-report/${mofReport.id}`, {
      method: "POST",
      headers: uploadHeaders,
      body: form({ action: "submit", expectedVersion: String(mofReport.version), ...text }, [{ name: "关于印发实施细则的通知.pdf", type: "application/pdf", bytes: pdf }]),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { result: { attachmentIds: number[]; status: string; version: number } };
    expect(body.result.status).toBe("submitted");
    expect(body.result.attachmentIds).toHaveLength(1);
    attachmentId = body.result.attachmentIds[0] ?? 0;
    mofReport.version = body.result.version;

    for (const who of [mof, miit]) {
      const got = await who.fetch(`/attachments/${attachmentId}`);
      expect(got.status).toBe(200);
      expect(got.headers.get("content-disposition")).toContain("attachment;");
      expect(Buffer.from(await got.arrayBuffer()).equals(pdf)).toBe(true);
    }
    const preview = await miit.fetch(`/attachments/${attachmentId}/preview`);
    expect(preview.status).toBe(200);
    expect(preview.headers.get("content-type")).toBe("application/pdf");
    expect(preview.headers.get("content-disposition")).toMatch(/^inline;/);
    expect(preview.headers.get("content-security-policy")).toContain("default-src 'none'");
    await preview.arrayBuffer();

    // Another department (even one in the same round, on the same measure) and anyone signed out: refused, by id
    // or by guessing the next one.
    for (const who of [sta, ndrc]) {
      for (const id of [attachmentId, attachmentId + 1]) {
        const refused = await who.fetch(`/attachments/${id}`);
        expect(refused.status).toBe(404);
        await refused.arrayBuffer();
      }
    }
    const anon = await anonymous.fetch(`/attachments/${attachmentId}`);
    expect(anon.status).toBe(401);
    // The round's grid lists it for the coordinator, not for STA.
    const grid = await miit.client.round.get.query({ roundId: (await mof.client.round.list.query({ planId: 1 }))[0]?.id ?? 0 });
    expect(grid.reports.find((r) => r.department === "MOF")?.attachments.map((a) => a.name)).toEqual(["关于印发实施细则的通知.pdf"]);
  });

  it("the audit chain verifies and the act's event names the file's hash, size, type and name", () => {
    const sha = createHash("sha256").update(pdf).digest("hex");
    const events = database.db.select().from(auditEventsTable).where(like(auditEventsTable.payload, `%${sha}%`)).all();
    expect(events.map((e) => e.type)).toEqual(["round_report.submitted"]);
    const payload = JSON.parse(events[0]?.payload ?? "{}") as Record<string, unknown>;
    expect(payload).toMatchObject({ attachments: 1, "attachment1.sha256": sha, "attachment1.size": pdf.length, "attachment1.type": "application/pdf" });
    expect(verifyAuditChain(database.db).ok).toBe(true);
  });

  it("refuses, with a clear 4xx and nothing stored: mismatched bytes, over-size, a path in the name, no upload header, signed out", async () => {
    const before = count();
    const attempt = async (who: Browser, files: { name: string; type: string; bytes: Buffer }[], headers: Record<string, string> = uploadHeaders) => {
      // A revision until the due date: a real act that would succeed but for the files.
      const response = await who.fetch(`/attachments/round-report/${mofReport.id}`, {
        method: "POST",
        headers,
        body: form({ action: "submit", expectedVersion: String(mofReport.version), ...text }, files),
      });
      const body = (await response.json()) as { error?: { message: string; data: { refusalCode: string } } };
      return { status: response.status, code: body.error?.data.refusalCode, message: body.error?.message ?? "" };
    };
    const mismatch = await attempt(mof, [{ name: "notice.pdf", type: "application/pdf", bytes: png }]);
    expect(mismatch).toMatchObject({ status: 415, code: "attachment_type_mismatch" });
    expect(mismatch.message).toContain("image/png");
    const renamed = await attempt(mof, [{ name: "notice.pdf", type: "application/octet-stream", bytes: png }]);
    expect(renamed).toMatchObject({ status: 415, code: "attachment_type_mismatch" });
    const script = await attempt(mof, [{ name: "x.html", type: "text/html", bytes: Buffer.from("<script>alert(1)</script>") }]);
    expect(script).toMatchObject({ status: 415, code: "attachment_type_not_allowed" });
    const big = Buffer.concat([pdf, Buffer.alloc(maxAttachmentBytes)]);
    expect(await attempt(mof, [{ name: "big.pdf", type: "application/pdf", bytes: big }])).toMatchObject({ status: 413, code: "attachment_too_large" });
    for (const name of ["../../etc/passwd.pdf", "C:\\Windows\\notice.pdf", "dir/notice.pdf"]) {
      expect(await attempt(mof, [{ name, type: "application/pdf", bytes: pdf }])).toMatchObject({ status: 400, code: "bad_file_name" });
    }
    expect(await attempt(mof, [{ name: "ok.pdf", type: "application/pdf", bytes: pdf }], {})).toMatchObject({ status: 403, code: "cross_origin" });
    expect(await attempt(anonymous, [{ name: "ok.pdf", type: "application/pdf", bytes: pdf }])).toMatchObject({ status: 401, code: "unauthenticated" });
    // Another department cannot write MOF's report.
    expect(await attempt(sta, [{ name: "ok.pdf", type: "application/pdf", bytes: pdf }])).toMatchObject({ status: 403, code: "not_your_department" });
    expect(count()).toEqual(before);
    const report = (await mof.client.round.get.query({ roundId: 1 })).reports[0];
    expect(report?.version).toBe(mofReport.version);
  });

  it("a comment with files: the department's own words; another department cannot list or fetch them", async () => {
    const inbox = await mof.client.inbox.list.query({ planId: 1, department: "MOF", limit: 200 });
    const row = inbox.rows.find((r) => r.measureNumber === 7);
    if (row === undefined) throw new Error("MOF has no assignment on (7)");
    const response = await mof.fetch(`/attachments/comment/${row.id}`, {
      method: "POST",
      headers: uploadHeaders,
      body: form({ expectedVersion: String(row.version), body: "附：会议纪要" }, [
        { name: "minutes.png", type: "image/png", bytes: png },
        { name: "notice.pdf", type: "application/pdf", bytes: pdf },
      ]),
    });
    expect(response.status).toBe(200);
    const { result } = (await response.json()) as { result: { attachmentIds: number[]; version: number } };
    expect(result.attachmentIds).toHaveLength(2);
    expect(result.version).toBe(row.version + 1);
    const listed = await mof.client.attachment.list.query({ assignmentId: row.id });
    expect(listed.map((a) => a.name)).toEqual(["关于印发实施细则的通知.pdf", "minutes.png", "notice.pdf"]);
    expect((await miit.client.attachment.list.query({ assignmentId: row.id })).length).toBe(3);
    expect(await sta.client.attachment.list.query({ assignmentId: row.id })).toEqual([]);
    const image = await sta.fetch(`/attachments/${result.attachmentIds[0]}/preview`);
    expect(image.status).toBe(404);
    const own = await mof.fetch(`/attachments/${result.attachmentIds[0]}/preview`);
    expect(own.headers.get("content-type")).toBe("image/png");
    expect(own.headers.get("content-security-policy")).toContain("sandbox");
    expect(verifyAuditChain(database.db).ok).toBe(true);

    // The image was a mistake: superseded by the PDF (never deleted), audited with both hashes.
    const [imageId, pdfId] = result.attachmentIds as [number, number];
    expect((await errorCode(() => sta.client.attachment.supersede.mutate({ id: imageId, byId: pdfId, reason: "x" })))).toBe("not_your_department");
    expect((await errorCode(() => sta.client.attachment.supersede.mutate({ id: 999_999, byId: pdfId, reason: "x" })))).toBe("not_your_department");
    expect((await errorCode(() => miit.client.attachment.supersede.mutate({ id: imageId, byId: pdfId, reason: "x" })))).toBe("wrong_role");
    expect((await errorCode(() => mof.client.attachment.supersede.mutate({ id: pdfId, byId: imageId, reason: "x" })))).toBe("invalid_state");
    expect(await mof.client.attachment.supersede.mutate({ id: imageId, byId: pdfId, reason: "传错了文件" })).toEqual({ id: imageId, supersededById: pdfId });
    expect((await errorCode(() => mof.client.attachment.supersede.mutate({ id: imageId, byId: pdfId, reason: "again" })))).toBe("invalid_state");
    const superseded = database.db.select().from(auditEventsTable).where(eq(auditEventsTable.type, "attachment.superseded")).all();
    expect(superseded).toHaveLength(1);
    expect(JSON.parse(superseded[0]?.payload ?? "{}")).toMatchObject({ sha256: createHash("sha256").update(png).digest("hex"), bySha256: createHash("sha256").update(pdf).digest("hex"), reason: "传错了文件" });
    // Still there, marked.
    expect((await mof.client.attachment.list.query({ assignmentId: row.id })).find((a) => a.id === imageId)?.supersededById).toBe(pdfId);
    expect((await mof.fetch(`/attachments/${imageId}`)).status).toBe(200);
    expect(verifyAuditChain(database.db).ok).toBe(true);
  });

  it("an assignment's acts take files: a sign-off with a PDF, a return with the points to rework; access follows the assignment", async () => {
    const inbox = await mof.client.inbox.list.query({ planId: 1, department: "MOF", limit: 200 });
    const row = inbox.rows.find((r) => r.role === "supporting" && r.status === "assigned" && r.measureNumber !== 7);
    if (row === undefined) throw new Error("MOF has no supporting assignment to sign off");
    const accepted = await mof.client.assignment.accept.mutate({ id: row.id, expectedVersion: row.version });
    const act = async (who: Browser, fields: Record<string, string>, files: { name: string; type: string; bytes: Buffer }[]) => {
      const response = await who.fetch(`/attachments/assignment/${row.id}`, { method: "POST", headers: uploadHeaders, body: form(fields, files) });
      return { status: response.status, body: (await response.json()) as { result?: { assignment: { version: number; status: string }; attachmentIds: number[] }; error?: { data: { refusalCode: string } } } };
    };

    // Files on an action that takes none, and another department's sign-off: refused, nothing stored.
    const before = count();
    expect((await act(mof, { action: "accept", expectedVersion: String(accepted.version) }, [{ name: "a.pdf", type: "application/pdf", bytes: pdf }])).status).toBe(400);
    const foreign = await act(sta, { action: "signOff", expectedVersion: String(accepted.version), summary: "x" }, [{ name: "a.pdf", type: "application/pdf", bytes: pdf }]);
    expect(foreign).toMatchObject({ status: 403, body: { error: { data: { refusalCode: "not_your_department" } } } });
    expect(count()).toEqual(before);

    const notice = Buffer.concat([pdf, Buffer.from("% the notice MOF issued\n")]);
    const signed = await act(mof, { action: "signOff", expectedVersion: String(accepted.version), summary: "已印发通知，见附件" }, [{ name: "财政部通知.pdf", type: "application/pdf", bytes: notice }]);
    expect(signed.status).toBe(200);
    expect(signed.body.result?.assignment.status).toBe("signed_off");
    const [fileId] = signed.body.result?.attachmentIds ?? [];
    if (fileId === undefined) throw new Error("no file stored");

    // The coordinator downloads it; another department cannot, by id or in the assignment's listing.
    const got = await miit.fetch(`/attachments/${fileId}`);
    expect(got.status).toBe(200);
    expect(Buffer.from(await got.arrayBuffer()).equals(notice)).toBe(true);
    expect((await mof.fetch(`/attachments/${fileId}`)).status).toBe(200);
    const refused = await sta.fetch(`/attachments/${fileId}`);
    expect(refused.status).toBe(404);
    await refused.arrayBuffer();
    expect(await sta.client.attachment.list.query({ assignmentId: row.id })).toEqual([]);

    // The history shows the act's file; the chain verifies and the sign-off's event names its hash.
    const sha = createHash("sha256").update(notice).digest("hex");
    const detail = await miit.client.assignment.get.query({ id: row.id });
    const signOffEvent = detail.history.find((e) => e.type === "assignment.signed_off");
    expect(signOffEvent?.files.map((f) => [f.name, f.sha256])).toEqual([["财政部通知.pdf", sha]]);
    expect(signOffEvent?.payload).toMatchObject({ attachments: 1, "attachment1.sha256": sha, "attachment1.size": notice.length, "attachment1.name": "财政部通知.pdf" });
    expect(verifyAuditChain(database.db).ok).toBe(true);
    const named = database.db.select().from(auditEventsTable).where(like(auditEventsTable.payload, `%${sha}%`)).all();
    expect(named.map((e) => [e.type, e.department])).toEqual([["assignment.signed_off", "MOF"]]);

    // The coordinator returns it with the points to rework: MOF's conversation, so MOF reads the file, STA does not.
    const returned = await act(miit, { action: "return", expectedVersion: String(signed.body.result?.assignment.version), reason: "请补充文件" }, [{ name: "修改意见.png", type: "image/png", bytes: png }]);
    expect(returned.status).toBe(200);
    const [returnFile] = returned.body.result?.attachmentIds ?? [];
    const mofView = await mof.client.assignment.get.query({ id: row.id });
    expect(mofView.history.find((e) => e.type === "assignment.returned")?.files.map((f) => f.id)).toEqual([returnFile]);
    const notTheirs = await sta.fetch(`/attachments/${returnFile}`);
    expect(notTheirs.status).toBe(404);
    await notTheirs.arrayBuffer();
    expect(verifyAuditChain(database.db).ok).toBe(true);
  });

  it("the compiled report downloads as DOCX and PDF in both languages for the coordinator, not for a liaison", { timeout: 60_000 }, async () => {
    for (const lang of ["zh", "en"]) {
      const docx = await miit.fetch(`/export/round/1.docx?lang=${lang}`);
      expect(docx.status).toBe(200);
      expect(docx.headers.get("content-type")).toContain("wordprocessingml");
      expect(Buffer.from(await docx.arrayBuffer()).subarray(0, 2).toString()).toBe("PK");
      const pdfFile = await miit.fetch(`/export/round/1.pdf?lang=${lang}`);
      expect(pdfFile.status).toBe(200);
      const bytes = Buffer.from(await pdfFile.arrayBuffer());
      const target = join(dir, `round-${lang}.pdf`);
      writeFileSync(target, bytes);
      const content = execFileSync("pdftotext", [target, "-"], { encoding: "utf8" }).replace(/\s+/g, "");
      expect(content).toContain(text.progress);
      expect(content).toContain("关于印发实施细则的通知.pdf");
    }
    const refused = await mof.fetch("/export/round/1.pdf?lang=zh");
    expect(refused.status).toBe(403);
    expect((await anonymous.fetch("/export/round/1.docx")).status).toBe(401);
  });

  it("cli db backup carries the files (they are in the database)", async () => {
    const target = join(dir, "backup.sqlite");
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const code = await dbCommand.run(["backup", target], { stdin: Readable.from([]), stdout, stderr, env: { DATABASE_PATH: database.path } });
    expect(code).toBe(0);
    const copy = openDatabase(target, { migrate: false });
    try {
      const blob = copy.db.select().from(attachmentBlobsTable).where(eq(attachmentBlobsTable.attachmentId, attachmentId)).get();
      expect(blob?.bytes.equals(pdf)).toBe(true);
    } finally {
      copy.close();
    }
  });
});
