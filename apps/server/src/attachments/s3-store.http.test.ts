/**
 * The S3-compatible object store for attachments (issue 14, point 1), against a real S3-compatible server started on
 * 127.0.0.1 in the test (s3rver, from npm: MinIO's server is not packaged for this machine), behind the real HTTP
 * server: files are written to the object store before the act commits, the act records their keys, downloads read
 * them back (and refuse other bytes than those recorded), and the sweep removes the objects of acts that never
 * committed, only once they are older than the grace period.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { eq, like } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import S3rver from "s3rver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTRPCClient, httpLink } from "@trpc/client";
import { createSqliteStore, loadDefaultPlan, openDatabase, verifyAuditChain } from "@countersign/db";
import type { OpenedDatabase } from "@countersign/db";
import { attachmentBlobsTable, attachmentsTable, auditEventsTable } from "@countersign/db/schema";
import { buildApp } from "../app.js";
import { LiveBus } from "../live.js";
import type { AppRouter } from "../router.js";
import { configureAttachmentStore } from "../services/attachments/attachment-store.js";
import { orphanGraceMs, S3AttachmentStore, s3StoreFromEnv } from "../services/attachments/s3-attachment-store.js";
import { defaultSessionPolicy } from "../services/auth/session-policy.js";
import { createUser } from "../services/users/create-user.js";

const password = "s3-store-test-password";
const bucket = "countersign";
const prefix = "attachments/";
const credentials = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };
const pdf = (text: string) => Buffer.from(`%PDF-1.4\n% ${text}\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n`);

let dir: string;
let s3: S3rver;
let endpoint: string;
let raw: S3Client;
let store: S3AttachmentStore;
let database: OpenedDatabase;
let app: FastifyInstance;
let base: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "countersign-s3-"));
  s3 = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory: join(dir, "s3"), configureBuckets: [{ name: bucket, configs: [] }] });
  const address = await s3.run();
  endpoint = `http://127.0.0.1:${address.port}`;
  raw = new S3Client({ endpoint, region: "us-east-1", forcePathStyle: true, credentials, requestChecksumCalculation: "WHEN_REQUIRED", responseChecksumValidation: "WHEN_REQUIRED" });
  store = new S3AttachmentStore({ endpoint, region: "us-east-1", bucket, prefix, ...credentials, forcePathStyle: true });

  database = openDatabase(join(dir, "countersign.sqlite"));
  loadDefaultPlan(database.db);
  configureAttachmentStore(database.db, store);
  for (const a of [
    { username: "miit", role: "coordinator", department: "MIIT" },
    { username: "mof", role: "liaison", department: "MOF" },
    { username: "sta", role: "liaison", department: "STA" },
  ] as const) {
    await createUser(database.db, { ...a, password }, null, new Date());
  }
  app = await buildApp(
    { store: createSqliteStore(database), db: database.db, live: new LiveBus(), sessionPolicy: defaultSessionPolicy, now: () => new Date(), secureCookies: false },
    { allowedOrigins: [], bodyLimitBytes: 64 * 1024, webDist: null, trustProxy: false, logRequests: false },
  );
  await app.listen({ port: 0, host: "127.0.0.1" });
  const listening = app.server.address();
  if (listening === null || typeof listening === "string") throw new Error("no port");
  base = `http://127.0.0.1:${listening.port}`;
});

afterAll(async () => {
  await app.close();
  store.close();
  raw.destroy();
  await s3.close();
  database.close();
  rmSync(dir, { recursive: true, force: true });
});

async function signIn(username: string) {
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
  await client.auth.login.mutate({ username, password });
  return { client, fetch: (path: string, init?: RequestInit) => cookieFetch(`${base}${path}`, init) };
}

async function objectKeys(): Promise<string[]> {
  const listed = await raw.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  return (listed.Contents ?? []).flatMap((o) => (o.Key === undefined ? [] : [o.Key])).sort();
}

describe("attachments in an S3-compatible object store", () => {
  it("writes the files before the act commits, reads them back, and sweeps the objects of acts that never committed", async () => {
    const miit = await signIn("miit");
    const mof = await signIn("mof");
    const sta = await signIn("sta");
    const planId = (await miit.client.catalog.plans.query())[0]?.id ?? 0;
    await miit.client.plan.issue.mutate({ planId, dueDate: "2027-06-30" });
    const row = (await mof.client.inbox.list.query({ planId, department: "MOF", limit: 200 })).rows[0];
    if (row === undefined) throw new Error("MOF has no assignment");
    const accepted = await mof.client.assignment.accept.mutate({ id: row.id, expectedVersion: row.version });

    const upload = (version: number, bytes: Buffer, name: string) => {
      const form = new FormData();
      form.set("action", "reportProgress");
      form.set("expectedVersion", String(version));
      form.set("note", "通知已印发");
      form.append("file", new Blob([bytes], { type: "application/pdf" }), name);
      return mof.fetch(`/attachments/assignment/${row.id}`, { method: "POST", headers: { "X-Countersign-Upload": "1" }, body: form });
    };

    // An act with a file: the object holds the bytes, the row its key; nothing in the database's own blobs.
    const notice = pdf("财政部通知");
    const ok = await upload(accepted.version, notice, "通知.pdf");
    expect(ok.status).toBe(200);
    const { result } = (await ok.json()) as { result: { attachmentIds: number[] } };
    const id = result.attachmentIds[0] ?? 0;
    const stored = database.db.select().from(attachmentsTable).where(eq(attachmentsTable.id, id)).get();
    expect(stored).toMatchObject({ storage: "s3", sha256: createHash("sha256").update(notice).digest("hex") });
    const key = stored?.storageKey ?? "";
    expect(key.startsWith(prefix)).toBe(true);
    expect(await objectKeys()).toEqual([key]);
    const object = await raw.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    expect(Buffer.from((await object.Body?.transformToByteArray()) ?? []).equals(notice)).toBe(true);
    expect(database.db.select().from(attachmentBlobsTable).all()).toEqual([]);

    // Read back through the API by the department and the coordinator; another department gets 404.
    for (const who of [mof, miit]) {
      const got = await who.fetch(`/attachments/${id}`);
      expect(got.status).toBe(200);
      expect(Buffer.from(await got.arrayBuffer()).equals(notice)).toBe(true);
    }
    const refused = await sta.fetch(`/attachments/${id}`);
    expect(refused.status).toBe(404);
    await refused.arrayBuffer();
    const sha = stored?.sha256 ?? "";
    expect(database.db.select({ type: auditEventsTable.type }).from(auditEventsTable).where(like(auditEventsTable.payload, `%${sha}%`)).all()).toEqual([
      { type: "assignment.progress_reported" },
    ]);
    expect(verifyAuditChain(database.db).ok).toBe(true);

    // A refused act (a stale version): its file was uploaded first, so it is an orphan: no row names it.
    const stale = await upload(accepted.version, pdf("orphan"), "orphan.pdf");
    expect(stale.status).toBe(409);
    await stale.arrayBuffer();
    const keys = await objectKeys();
    expect(keys).toHaveLength(2);
    expect(database.db.select().from(attachmentsTable).all()).toHaveLength(1);

    // Within the grace period the sweep keeps it (an act may be between its upload and its commit).
    expect(await store.sweepOrphans(createSqliteStore(database), new Date(Date.now() - orphanGraceMs))).toEqual({ checked: 2, removed: 0 });
    // Past it, the orphan goes; the file an act names stays, and still downloads.
    expect(await store.sweepOrphans(createSqliteStore(database), new Date(Date.now() + 60_000))).toEqual({ checked: 2, removed: 1 });
    expect(await objectKeys()).toEqual([key]);
    const again = await miit.fetch(`/attachments/${id}`);
    expect(Buffer.from(await again.arrayBuffer()).equals(notice)).toBe(true);

    // Bytes changed in the object store behind the server's back are not served as the file.
    await raw.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: pdf("altered") }));
    const altered = await miit.fetch(`/attachments/${id}`);
    expect(altered.status).toBe(500);
    await altered.arrayBuffer();
  });
});

describe("the object store's settings", () => {
  it("is off by default, needs its bucket and keys when on, and refuses an unknown store", () => {
    expect(s3StoreFromEnv({})).toBeNull();
    expect(s3StoreFromEnv({ ATTACHMENT_STORE: "database" })).toBeNull();
    expect(() => s3StoreFromEnv({ ATTACHMENT_STORE: "ftp" })).toThrow(/database or s3/);
    expect(() => s3StoreFromEnv({ ATTACHMENT_STORE: "s3", S3_ACCESS_KEY_ID: "a", S3_SECRET_ACCESS_KEY: "b" })).toThrow(/S3_BUCKET/);
    expect(() => s3StoreFromEnv({ ATTACHMENT_STORE: "s3", S3_BUCKET: "x", S3_SECRET_ACCESS_KEY: "b" })).toThrow(/S3_ACCESS_KEY_ID/);
    const configured = s3StoreFromEnv({ ATTACHMENT_STORE: "s3", S3_BUCKET: "x", S3_ACCESS_KEY_ID: "a", S3_SECRET_ACCESS_KEY: "b", S3_ENDPOINT: endpoint });
    expect(configured?.kind).toBe("s3");
    configured?.close();
  });
});
