/**
 * The API over real HTTP: a started server on a database file, a tRPC client with cookies, as a browser would.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTRPCClient, httpLink, TRPCClientError } from "@trpc/client";
import type { FastifyInstance } from "fastify";
import { desc } from "drizzle-orm";
import { createSqliteStore, loadDefaultPlan, openDatabase } from "@countersign/db";
import type { OpenedDatabase } from "@countersign/db";
import { auditEventsTable } from "@countersign/db/schema";
import { buildApp } from "./app.js";
import { LiveBus } from "./live.js";
import { bridgeStoreLiveEvents } from "./live-bridge.js";
import type { AppRouter } from "./router.js";
import { defaultSessionPolicy } from "./services/auth/session-policy.js";
import { createUser } from "./services/users/create-user.js";

let dir: string;
let database: OpenedDatabase;
let app: FastifyInstance;
let liveBus: LiveBus;
let base: string;
const password = "http-test-password";
const bodyLimitBytes = 64 * 1024;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "countersign-http-"));
  database = openDatabase(join(dir, "countersign.sqlite"));
  loadDefaultPlan(database.db);
  const accounts = [
    { username: "miit", role: "coordinator", department: "MIIT" },
    { username: "mof", role: "liaison", department: "MOF" },
    { username: "ndrc", role: "liaison", department: "NDRC" },
  ] as const;
  await Promise.all(accounts.map((a) => createUser(database.db, { ...a, password }, null, new Date())));
  const webDist = join(dir, "web");
  const { mkdirSync } = await import("node:fs");
  mkdirSync(webDist);
  writeFileSync(join(webDist, "index.html"), "<!doctype html><title>Countersign</title>");
  const store = createSqliteStore(database);
  const live = new LiveBus();
  liveBus = live;
  // The seam's changes reach the live bus as on a started server (start.ts).
  await bridgeStoreLiveEvents(store, live);
  app = await buildApp(
    { store, db: database.db, live, sessionPolicy: defaultSessionPolicy, now: () => new Date(), secureCookies: false },
    { allowedOrigins: ["http://localhost:5173"], bodyLimitBytes, webDist, trustProxy: false, logRequests: false },
  );
  await app.listen({ port: 0, host: "127.0.0.1" });
  const address = app.server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  base = `http://127.0.0.1:${address.port}`;
});

// Node's warning that an emitter gathered more than 10 listeners of one event: a listener added per request where a
// streamed answer's pipe adds its own (the shutdown's tracking did once) shows as this.
const listenerWarnings: string[] = [];
const onWarning = (warning: Error): void => {
  if (warning.name === "MaxListenersExceededWarning") listenerWarnings.push(warning.message);
};
process.on("warning", onWarning);

afterAll(async () => {
  process.off("warning", onWarning);
  expect(listenerWarnings).toEqual([]);
  await app.close();
  database.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A browser: a cookie jar and a tRPC client (no transformer) that uses it. */
function browser() {
  let cookie: string | null = null;
  const setCookies: string[] = [];
  const cookieFetch = async (input: Parameters<typeof fetch>[0], init?: RequestInit): Promise<Response> => {
    const headers = new Headers(init?.headers);
    if (cookie !== null) headers.set("cookie", cookie);
    const response = await fetch(input, { ...init, headers });
    for (const c of response.headers.getSetCookie()) {
      setCookies.push(c);
      const [pair] = c.split(";");
      // The session only (sign-in also sets the known-device cookie).
      if (pair === undefined || !pair.startsWith("countersign_session=")) continue;
      const value = pair.slice(pair.indexOf("=") + 1);
      cookie = value === "" || /Max-Age=0|Expires=Thu, 01 Jan 1970/i.test(c) ? null : pair;
    }
    return response;
  };
  const client = createTRPCClient<AppRouter>({ links: [httpLink({ url: `${base}/trpc`, fetch: cookieFetch })] });
  return { client, cookie: () => cookie, setCookies, fetch: cookieFetch };
}

async function errorOf(fn: () => Promise<unknown>): Promise<TRPCClientError<AppRouter>> {
  try {
    await fn();
  } catch (error) {
    if (error instanceof TRPCClientError) return error as TRPCClientError<AppRouter>;
    throw error;
  }
  throw new Error("expected an error");
}

describe("over HTTP", () => {
  let planId = 0;

  it("answers /health with the database reachable", async () => {
    const response = await fetch(`${base}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "ok", database: "ok" });
  });

  it("the coordinator issues the plan; mof lists MOF's inbox, accepts and signs off; is refused another department's; a stale version gets CONFLICT", async () => {
    const miit = browser();
    await miit.client.auth.login.mutate({ username: "miit", password });
    const plans = await miit.client.catalog.plans.query();
    planId = plans[0]?.id ?? 0;
    expect(await miit.client.plan.issue.mutate({ planId, dueDate: "2099-12-31" })).toMatchObject({ status: "issued" });

    const mof = browser();
    const me = await mof.client.auth.login.mutate({ username: "mof", password });
    expect(me.department).toBe("MOF");
    const sessionCookie = mof.setCookies.find((c) => c.startsWith("countersign_session="));
    expect(sessionCookie).toMatch(/^countersign_session=[A-Za-z0-9_-]{43}; .*HttpOnly/);
    expect(sessionCookie).toMatch(/SameSite=Lax/);

    const inbox = await mof.client.inbox.list.query({ planId });
    expect(inbox.rows.length).toBeGreaterThan(0);
    expect(inbox.rows.every((r) => r.department === "MOF")).toBe(true);
    expect(inbox.counts.assigned).toBe(inbox.total);
    const row = inbox.rows.find((r) => r.measureNumber === 7 && r.role === "supporting");
    if (row === undefined) throw new Error("MOF supports (7) in the proposed division");

    const accepted = await mof.client.assignment.accept.mutate({ id: row.id, expectedVersion: row.version });
    expect(accepted).toMatchObject({ status: "accepted", version: row.version + 1 });
    const signed = await mof.client.assignment.signOff.mutate({
      id: row.id,
      expectedVersion: accepted.version,
      summary: "财政部部分已完成 — MOF's part is done.",
    });
    expect(signed).toMatchObject({ status: "signed_off", version: row.version + 2 });

    // Another department's assignment on the same measure.
    const detail = await mof.client.assignment.get.query({ id: row.id });
    const other = detail.others.find((o) => o.department === "NDRC");
    if (other === undefined) throw new Error("NDRC supports (7)");
    const forbidden = await errorOf(() => mof.client.assignment.get.query({ id: other.id }));
    expect(forbidden.data).toMatchObject({ code: "FORBIDDEN", httpStatus: 403, refusalCode: "not_your_department" });
    const forbiddenAct = await errorOf(() => mof.client.assignment.accept.mutate({ id: other.id, expectedVersion: 1 }));
    expect(forbiddenAct.data?.code).toBe("FORBIDDEN");

    // The first accept, replayed.
    const stale = await errorOf(() => mof.client.assignment.accept.mutate({ id: row.id, expectedVersion: row.version }));
    expect(stale.data).toMatchObject({
      code: "CONFLICT",
      httpStatus: 409,
      refusalCode: "stale_version",
      current: { version: row.version + 2, status: "signed_off" },
    });

    const bad = await errorOf(() => mof.client.assignment.decline.mutate({ id: row.id, expectedVersion: 3, reason: "" }));
    expect(bad.data).toMatchObject({ code: "BAD_REQUEST", httpStatus: 400, field: "reason" });

    await mof.client.auth.logout.mutate();
    expect(mof.cookie()).toBeNull();
    expect(await mof.client.auth.me.query()).toBeNull();
    const signedOut = await errorOf(() => mof.client.inbox.list.query({}));
    expect(signedOut.data).toMatchObject({ code: "UNAUTHORIZED", httpStatus: 401 });
  });

  it("speaks plain JSON (no transformer)", async () => {
    const ndrc = browser();
    await ndrc.client.auth.login.mutate({ username: "ndrc", password });
    const response = await ndrc.fetch(`${base}/trpc/catalog.departments`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { result: { data: Array<{ code: string }> } };
    expect(body.result.data.map((d) => d.code).slice(0, 3)).toEqual(["MIIT", "NDRC", "MOST"]);
  });

  it("sends a complete JSON answer (one call, a batch, an error) with its Content-Length, not chunked; JSON lines still stream", async () => {
    const ndrc = browser();
    await ndrc.client.auth.login.mutate({ username: "ndrc", password });
    const framed = async (response: Response) => {
      const body = await response.text();
      expect(response.headers.get("transfer-encoding")).toBeNull();
      expect(response.headers.get("content-type")).toMatch(/^application\/json(; charset=utf-8)?$/);
      expect(response.headers.get("content-length")).toBe(String(Buffer.byteLength(body)));
      return JSON.parse(body) as unknown;
    };
    const one = await ndrc.fetch(`${base}/trpc/catalog.departments`);
    expect(one.status).toBe(200);
    expect(await framed(one)).toMatchObject({ result: { data: expect.arrayContaining([expect.objectContaining({ code: "MIIT" })]) } });
    const batch = await ndrc.fetch(`${base}/trpc/catalog.departments,auth.me?batch=1&input=${encodeURIComponent("{}")}`);
    expect(batch.status).toBe(200);
    expect(await framed(batch)).toMatchObject([{ result: {} }, { result: { data: { username: "ndrc" } } }]);
    const missing = await ndrc.fetch(`${base}/trpc/no.such.procedure`);
    expect(missing.status).toBe(404);
    expect(await framed(missing)).toMatchObject({ error: { data: { code: "NOT_FOUND" } } });
    // tRPC's streamed batch (httpBatchStreamLink asks with trpc-accept): chunked as tRPC sets it, each line as it comes.
    const streamed = await ndrc.fetch(`${base}/trpc/catalog.departments,auth.me?batch=1&input=${encodeURIComponent("{}")}`, {
      headers: { "trpc-accept": "application/jsonl" },
    });
    expect(streamed.status).toBe(200);
    expect(streamed.headers.get("transfer-encoding")).toBe("chunked");
    expect(streamed.headers.get("content-length")).toBeNull();
    const lines = (await streamed.text()).trim().split("\n");
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.join("\n")).toContain("ndrc");
    // A mutation without input, as tRPC's httpLink sends it: JSON's Content-Type and no body.
    const bare = await ndrc.fetch(`${base}/trpc/auth.logout`, { method: "POST", headers: { "content-type": "application/json" } });
    expect(bare.status).toBe(200);
    expect(await framed(bare)).not.toHaveProperty("error");
  });

  it("refuses mutations from another origin, forms (multipart, text/plain) and bodies over the limit", async () => {
    const ndrc = browser();
    await ndrc.client.auth.login.mutate({ username: "ndrc", password });
    const post = (headers: Record<string, string>, body: NonNullable<RequestInit["body"]>) =>
      ndrc.fetch(`${base}/trpc/auth.logout`, { method: "POST", headers, body });

    const crossSite = await post({ "content-type": "application/json", origin: "https://evil.example" }, "{}");
    expect(crossSite.status).toBe(403);
    expect(await crossSite.json()).toMatchObject({ error: { data: { code: "FORBIDDEN", refusalCode: "cross_origin" } } });
    const refused = database.db.select().from(auditEventsTable).orderBy(desc(auditEventsTable.id)).limit(1).get();
    expect(refused).toMatchObject({ type: "access.refused", actorUsername: "ndrc" });

    const form = new FormData();
    form.set("id", "1");
    expect((await post({}, form)).status).toBe(415);
    expect((await post({ "content-type": "text/plain" }, '{"json":1}')).status).toBe(415);
    expect((await post({ "content-type": "application/x-www-form-urlencoded" }, "a=1")).status).toBe(415);

    const huge = JSON.stringify({ username: "x".repeat(bodyLimitBytes), password: "y" });
    const tooLarge = await ndrc.fetch(`${base}/trpc/auth.login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: huge,
    });
    expect(tooLarge.status).toBe(413);
    expect(await tooLarge.json()).toMatchObject({ error: { data: { code: "PAYLOAD_TOO_LARGE" } } });

    // Still signed in: none of the refused requests reached logout. Same-origin and allowed origins pass.
    expect((await ndrc.client.auth.me.query())?.username).toBe("ndrc");
    const sameOrigin = await post({ "content-type": "application/json", origin: base }, "");
    expect(sameOrigin.status).toBe(200);
    const allowed = await ndrc.fetch(`${base}/trpc/auth.login`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: "http://localhost:5173" },
      body: JSON.stringify({ username: "ndrc", password }),
    });
    expect(allowed.status).toBe(200);
  });

  it("streams live changes over server-sent events", async () => {
    const miit = browser();
    await miit.client.auth.login.mutate({ username: "miit", password });
    const ndrc = browser();
    await ndrc.client.auth.login.mutate({ username: "ndrc", password });
    const controller = new AbortController();
    const stream = await miit.fetch(`${base}/trpc/live.changes?input=${encodeURIComponent(JSON.stringify({ planId }))}`, {
      headers: { accept: "text/event-stream" },
      signal: controller.signal,
    });
    expect(stream.status).toBe(200);
    expect(stream.headers.get("content-type")).toContain("text/event-stream");
    const reader = stream.body?.getReader();
    if (reader === undefined) throw new Error("no stream");

    const inbox = await ndrc.client.inbox.list.query({ planId, status: "assigned" });
    const row = inbox.rows[0];
    if (row === undefined) throw new Error("NDRC has nothing to accept");
    // Give the subscription a moment to attach before the change.
    await new Promise((resolve) => setTimeout(resolve, 100));
    await ndrc.client.assignment.accept.mutate({ id: row.id, expectedVersion: row.version });

    let text = "";
    const decoder = new TextDecoder();
    const deadline = Date.now() + 5000;
    while (!text.includes(`"assignmentIds":[${row.id}]`) && Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    controller.abort();
    expect(text).toContain(`"assignmentIds":[${row.id}]`);
    expect(text).toContain('"departments":["NDRC"]');

    // Each message has an id; a client that reconnects with it (the EventSource's Last-Event-ID) gets what it missed.
    const lastId = [...text.matchAll(/^id: *(\S+)$/gm)].at(-1)?.[1];
    expect(lastId).toMatch(/^[0-9a-f]+\.\d+$/);
    const next = (await ndrc.client.inbox.list.query({ planId, status: "assigned" })).rows[0];
    if (next === undefined) throw new Error("NDRC has nothing more to accept");
    await ndrc.client.assignment.accept.mutate({ id: next.id, expectedVersion: next.version });
    const again = new AbortController();
    const resumed = await miit.fetch(`${base}/trpc/live.changes?input=${encodeURIComponent(JSON.stringify({ planId }))}`, {
      headers: { accept: "text/event-stream", "last-event-id": lastId ?? "" },
      signal: again.signal,
    });
    const resumedReader = resumed.body?.getReader();
    if (resumedReader === undefined) throw new Error("no stream");
    let replay = "";
    const until = Date.now() + 5000;
    while (!replay.includes(`"assignmentIds":[${next.id}]`) && Date.now() < until) {
      const { value, done } = await resumedReader.read();
      if (done) break;
      replay += decoder.decode(value, { stream: true });
    }
    again.abort();
    expect(replay).toContain(`"assignmentIds":[${next.id}]`);
    expect(replay).not.toContain(`"assignmentIds":[${row.id}]`);
    // The clients gone, both streams stop listening (trpc-route.ts builds the fetch Request of a subscription with the
    // connection's abort signal, and the answer's stream is cancelled when its socket closes).
    for (let i = 0; i < 200 && liveBus.listeners() > 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(liveBus.listeners()).toBe(0);
  });

  it("serves the web client with an SPA fallback, and JSON 404s elsewhere", async () => {
    const page = await fetch(`${base}/inbox/42`, { headers: { accept: "text/html" } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("<title>Countersign</title>");
    expect(page.headers.get("x-content-type-options")).toBe("nosniff");
    expect(page.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    const missing = await fetch(`${base}/trpc/nothing.here`);
    expect(missing.status).toBe(404);
  });

  it("delays an account name after 5 failed sign-ins: 429 too_many_attempts, saying when to try again in words and in seconds", async () => {
    const guess = () =>
      fetch(`${base}/trpc/auth.login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username: "locked-out-name", password: "wrong" }),
      });
    for (let i = 0; i < 5; i += 1) expect((await guess()).status).toBe(401);
    const locked = await guess();
    expect(locked.status).toBe(429);
    const body = (await locked.json()) as { error: { message: string; data: Record<string, unknown> } };
    expect(body.error.message).toMatch(/try again in 1 second\.$/);
    expect(body.error.data).toMatchObject({ code: "TOO_MANY_REQUESTS", httpStatus: 429, refusalCode: "too_many_attempts" });
    // The first progressive delay (1 s after the 5th failure), not a 15-minute lock.
    expect(body.error.data["retryAfterSeconds"]).toBe(1);
    // Other refusals do not carry it.
    const wrong = await fetch(`${base}/trpc/auth.login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "another-name", password: "wrong" }),
    });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { error: { data: object } }).error.data).not.toHaveProperty("retryAfterSeconds");
  });
});
