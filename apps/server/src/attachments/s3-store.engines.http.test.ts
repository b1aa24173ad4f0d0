/**
 * The S3-compatible object store for attachments on each engine (issue 13): a real S3-compatible server (s3rver) and
 * a real HTTP server over the harness's store, the store configured for the server's `db` handle as start.ts does
 * (on PostgreSQL the engine gate's). A comment with files writes its object before the unit of work and records the
 * key; downloads read it back; the sweep reads the rows through the store and removes only the orphans.
 */
import { createHash } from "node:crypto";
import { GetObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import type { S3Client } from "@aws-sdk/client-s3";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTRPCClient, httpLink } from "@trpc/client";
import { buildApp } from "../app.js";
import { demoPassword } from "../demo/demo-accounts.js";
import type { AppRouter } from "../router.js";
import { configureAttachmentStore } from "../services/attachments/attachment-store.js";
import { orphanGraceMs, S3AttachmentStore } from "../services/attachments/s3-attachment-store.js";
import { createHarness, harnessEngines } from "../test-support/harness.js";
import { s3rverCredentials as credentials, startTestS3Server } from "../test-support/s3-server.js";
import type { TestS3Server } from "../test-support/s3-server.js";
import type { Harness, HarnessSeeder } from "../test-support/harness.js";

const bucket = "countersign";
const pdf = (text: string) => Buffer.from(`%PDF-1.4\n% ${text}\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n`);

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

/** The plan issued and MOF's first assignment accepted. */
async function seed({ planId, as }: HarnessSeeder): Promise<{ id: number; version: number }> {
  await as("miit").plan.issue({ planId, dueDate: "2026-06-30" });
  const row = (await as("mof").inbox.list({ planId, limit: 1 })).rows[0];
  if (row === undefined) throw new Error("MOF has no assignment");
  const accepted = await as("mof").assignment.accept({ id: row.id, expectedVersion: row.version });
  return { id: accepted.id, version: accepted.version };
}

describe.each(harnessEngines)("attachments in an object store on %s", (engine) => {
  const prefix = `${engine}/`;
  let h: Harness;
  let target: { id: number; version: number };
  let store: S3AttachmentStore;
  let app: FastifyInstance;
  let base: string;

  beforeAll(async () => {
    let made: { id: number; version: number } | null = null;
    h = await createHarness({
      engine,
      seed: async (seeder) => {
        made = await seed(seeder);
      },
    });
    if (made === null) throw new Error("the seed did not run");
    target = made;
    const { db, store: rows, live, sessionPolicy, now, secureCookies } = h.context(null);
    store = new S3AttachmentStore({ endpoint, region: "us-east-1", bucket, prefix, ...credentials, forcePathStyle: true });
    configureAttachmentStore(db, store);
    app = await buildApp(
      { store: rows, db, live, sessionPolicy, now, secureCookies },
      { allowedOrigins: [], bodyLimitBytes: 64 * 1024, webDist: null, trustProxy: false, logRequests: false },
    );
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
    await client.auth.login.mutate({ username, password: demoPassword });
    return { client, fetch: (path: string, init?: RequestInit) => cookieFetch(`${base}${path}`, init) };
  }

  async function objectKeys(): Promise<string[]> {
    const listed = await raw.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
    return (listed.Contents ?? []).flatMap((o) => (o.Key === undefined ? [] : [o.Key])).sort();
  }

  it("a comment's file goes to the object store, downloads from it, and the sweep removes only the orphans", async () => {
    const [mof, miit, sta] = [await signIn("mof"), await signIn("miit"), await signIn("sta")];
    const comment = (version: number, bytes: Buffer, name: string) => {
      const form = new FormData();
      form.set("expectedVersion", String(version));
      form.set("body", "附通知");
      form.append("file", new Blob([bytes], { type: "application/pdf" }), name);
      return mof.fetch(`/attachments/comment/${target.id}`, { method: "POST", headers: { "X-Countersign-Upload": "1" }, body: form });
    };

    // The object holds the bytes, the row its key; the database keeps no bytes of it.
    const notice = pdf(`财政部通知 ${engine}`);
    const ok = await comment(target.version, notice, "通知.pdf");
    expect(ok.status).toBe(200);
    const { result } = (await ok.json()) as { result: { attachmentIds: number[] } };
    const id = result.attachmentIds[0] ?? 0;
    const row = await h.store.read((repos) => repos.attachments.find(id));
    expect(row).toMatchObject({ storage: "s3", ownerKind: "comment", sha256: createHash("sha256").update(notice).digest("hex") });
    const key = row?.storageKey ?? "";
    expect(key.startsWith(prefix)).toBe(true);
    expect(await objectKeys()).toEqual([key]);
    const object = await raw.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    expect(Buffer.from((await object.Body?.transformToByteArray()) ?? []).equals(notice)).toBe(true);
    expect(await h.store.read((repos) => repos.attachments.bytesOf(id))).toBeUndefined();

    // Read back by the department and the coordinator; another department gets 404.
    for (const who of [mof, miit]) {
      const got = await who.fetch(`/attachments/${id}`);
      expect(got.status).toBe(200);
      expect(Buffer.from(await got.arrayBuffer()).equals(notice)).toBe(true);
    }
    expect((await sta.fetch(`/attachments/${id}`)).status).toBe(404);

    // A refused comment (a stale version) leaves its uploaded object an orphan; the sweep keeps it within the grace
    // period and removes it past it, keeping the object a row names.
    const stale = await comment(target.version, pdf("orphan"), "orphan.pdf");
    expect(stale.status).toBe(409);
    expect(await objectKeys()).toHaveLength(2);
    expect(await store.sweepOrphans(h.store, new Date(Date.now() - orphanGraceMs))).toEqual({ checked: 2, removed: 0 });
    expect(await store.sweepOrphans(h.store, new Date(Date.now() + 60_000))).toEqual({ checked: 2, removed: 1 });
    expect(await objectKeys()).toEqual([key]);
    expect(Buffer.from(await (await miit.fetch(`/attachments/${id}`)).arrayBuffer()).equals(notice)).toBe(true);
    expect(await h.store.verifyAuditChain()).toMatchObject({ ok: true });
  });
});
