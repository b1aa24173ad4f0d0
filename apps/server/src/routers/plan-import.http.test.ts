/**
 * plan.import over real HTTP with the server's default body limit: the largest text the schema accepts fits in a
 * request, so a text over the limit gets the schema's clear BAD_REQUEST rather than a bare 413.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { createSqliteStore, loadDefaultPlan, openDatabase } from "@countersign/db";
import type { OpenedDatabase } from "@countersign/db";
import { maxImportTextBytes } from "@countersign/domain";
import { buildApp } from "../app.js";
import { readConfig } from "../config.js";
import { LiveBus } from "../live.js";
import { defaultSessionPolicy } from "../services/auth/session-policy.js";
import { createUser } from "../services/users/create-user.js";

let dir: string;
let database: OpenedDatabase;
let app: FastifyInstance;
let base: string;
let cookie = "";
const password = "import-http-test-password";

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "countersign-import-http-"));
  database = openDatabase(join(dir, "countersign.sqlite"));
  loadDefaultPlan(database.db);
  await createUser(database.db, { username: "miit", role: "coordinator", department: "MIIT", password }, null, new Date());
  const { bodyLimitBytes } = readConfig([], {});
  app = await buildApp(
    { store: createSqliteStore(database), db: database.db, live: new LiveBus(), sessionPolicy: defaultSessionPolicy, now: () => new Date(), secureCookies: false },
    { allowedOrigins: [], bodyLimitBytes, webDist: null, trustProxy: false, logRequests: false },
  );
  await app.listen({ port: 0, host: "127.0.0.1" });
  const address = app.server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  base = `http://127.0.0.1:${address.port}`;
  const login = await post("auth.login", { username: "miit", password });
  expect(login.status).toBe(200);
});

afterAll(async () => {
  await app.close();
  database.close();
  rmSync(dir, { recursive: true, force: true });
});

async function post(path: string, input: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${base}/trpc/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", cookie },
    body: JSON.stringify(input),
  });
  const set = response.headers.getSetCookie()[0];
  if (set !== undefined) cookie = set.split(";")[0] ?? "";
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("plan.import over HTTP", () => {
  it("accepts a Chinese text of the largest size, and refuses a larger one with BAD_REQUEST on the field text", async () => {
    // About 1,700 measures: as many as a plan may hold (2,000) fit in the largest text.
    const line = "（一）落实税收优惠政策，加强统计监测，完善中小企业服务体系，优化发展环境。\n";
    const text = line.repeat(Math.floor(maxImportTextBytes / Buffer.byteLength(line)));
    const ok = await post("plan.import", { text });
    expect(ok.status).toBe(200);
    expect((ok.body["result"] as { data: { measures: unknown[] } }).data.measures.length).toBeGreaterThan(1000);

    const tooMany = await post("plan.import", { text: "（一）税。\n".repeat(2001) });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body["error"]).toMatchObject({ data: { code: "BAD_REQUEST", refusalCode: "invalid_input", field: "text" } });
    expect((tooMany.body["error"] as { message: string }).message).toMatch(/2001 measures; a plan holds at most 2000/);

    const over = await post("plan.import", { text: `${text}${"x".repeat(maxImportTextBytes - Buffer.byteLength(text) + 1)}` });
    expect(over.status).toBe(400);
    expect(over.body["error"]).toMatchObject({ data: { code: "BAD_REQUEST", refusalCode: "invalid_input", field: "text" } });
  });

  it("takes a file bigger than the normal body limit on plan.import only; every other procedure keeps the limit", async () => {
    // A text file of 2,000 measures, about 270 KB (360 KB of base64): over the 256 KiB limit, under plan.import's.
    const line = "（一）落实税收优惠政策，加强统计监测，完善中小企业服务体系，优化发展环境。（财政部负责）\n";
    const file = { name: "big.txt", contentBase64: Buffer.from(line.repeat(2000)).toString("base64") };
    expect(JSON.stringify({ file }).length).toBeGreaterThan(256 * 1024);
    const ok = await post("plan.import", { file });
    expect(ok.status).toBe(200);

    const padding = "x".repeat(300 * 1024);
    const other = await post("auth.login", { username: "miit", password: padding });
    expect(other.status).toBe(413);
    // Streamed, without a declared length: counted as it comes.
    const streamed = await fetch(`${base}/trpc/auth.login`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie },
      body: new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(JSON.stringify({ username: "miit", password: padding })));
          controller.close();
        },
      }),
      duplex: "half",
    } as RequestInit);
    expect(streamed.status).toBe(413);
    // A batch that names plan.import among others is not plan.import.
    const batch = await fetch(`${base}/trpc/plan.import,auth.login?batch=1`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie },
      body: JSON.stringify({ 0: { file }, 1: {} }),
    });
    expect(batch.status).toBe(413);
  });

  it("takes such a file on the two procedures that read an office's own document too (issue 16), and not on cascade.derive", async () => {
    const line = "（一）落实税收优惠政策，加强统计监测，完善中小企业服务体系，优化发展环境。（财政部负责）\n";
    const file = { name: "big.txt", contentBase64: Buffer.from(line.repeat(2000)).toString("base64") };
    // Read in full, then refused for what it asks (no forwarding 999 to the caller), not for its size.
    for (const path of ["cascade.matchDocument", "cascade.deriveFromDocument"]) {
      const read = await post(path, { forwardingId: 999, file });
      expect(read.status).toBe(403);
      expect(read.body["error"]).toMatchObject({ data: { refusalCode: "not_forwarded_here" } });
    }
    const derive = await post("cascade.derive", { forwardingId: 999, padding: "x".repeat(300 * 1024) });
    expect(derive.status).toBe(413);
  });
});
