/**
 * Validators and the answer cache over real HTTP (issue 17, reads): a started server on a database file, signed-in
 * users with cookies, plain fetch so that the test sets If-None-Match itself.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { createSqliteStore, loadDefaultPlan, openDatabase } from "@countersign/db";
import { planCalendarDate } from "@countersign/domain";
import type { OpenedDatabase } from "@countersign/db";
import { buildApp } from "../app.js";
import { LiveBus } from "../live.js";
import { defaultSessionPolicy } from "../services/auth/session-policy.js";
import { createUser } from "../services/users/create-user.js";
import { AnswerCache } from "./answer-cache.js";

let dir: string;
let database: OpenedDatabase;
let app: FastifyInstance;
let base: string;
let clock = Date.parse("2026-03-02T02:00:00Z");
let planId = 0;
const password = "http-cache-test-password";
// Small bounds, so that the test fills them.
const cache = new AnswerCache({ maxEntries: 4, maxBytes: 160 * 1024, maxEntryBytes: 64 * 1024 });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "countersign-http-cache-"));
  database = openDatabase(join(dir, "countersign.sqlite"));
  loadDefaultPlan(database.db);
  const accounts = [
    { username: "miit", role: "coordinator", department: "MIIT" },
    { username: "mof", role: "liaison", department: "MOF" },
    { username: "most", role: "liaison", department: "MOST" },
    { username: "ndrc", role: "liaison", department: "NDRC" },
  ] as const;
  await Promise.all(accounts.map((a) => createUser(database.db, { ...a, password }, null, new Date(clock))));
  app = await buildApp(
    { store: createSqliteStore(database), db: database.db, live: new LiveBus(), sessionPolicy: defaultSessionPolicy, now: () => new Date(clock), secureCookies: false },
    { allowedOrigins: [], bodyLimitBytes: 64 * 1024, webDist: null, trustProxy: false, logRequests: false, httpCache: { cache } },
  );
  await app.listen({ port: 0, host: "127.0.0.1" });
  const address = app.server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  base = `http://127.0.0.1:${address.port}`;
});

afterAll(async () => {
  await app.close();
  database.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Answer {
  status: number;
  etag: string | null;
  headers: Headers;
  text: string;
}

/** A signed-in user's GETs and POSTs of tRPC procedures, with the session cookie. */
async function signIn(username: string) {
  const login = await fetch(`${base}/trpc/auth.login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password }),
  });
  expect(login.status).toBe(200);
  const pair = login.headers.getSetCookie().find((c) => c.startsWith("countersign_session="))?.split(";")[0];
  if (pair === undefined) throw new Error("no session cookie");
  const get = async (procedure: string, input: unknown, ifNoneMatch?: string | null, extra = ""): Promise<Answer> => {
    const headers: Record<string, string> = { cookie: pair };
    if (ifNoneMatch !== undefined && ifNoneMatch !== null) headers["if-none-match"] = ifNoneMatch;
    const query = input === undefined ? "" : procedure.includes(",") ? `?batch=1&input=${encodeURIComponent(JSON.stringify(input))}` : `?input=${encodeURIComponent(JSON.stringify(input))}`;
    // `extra` makes a URL never asked before (tRPC reads only `input` and `batch`): an answer built now.
    const response = await fetch(`${base}/trpc/${procedure}${query}${extra}`, { headers });
    return { status: response.status, etag: response.headers.get("etag"), headers: response.headers, text: await response.text() };
  };
  const post = async (procedure: string, input: unknown): Promise<unknown> => {
    const response = await fetch(`${base}/trpc/${procedure}`, {
      method: "POST",
      headers: { cookie: pair, "content-type": "application/json" },
      body: JSON.stringify(input),
    });
    const body = (await response.json()) as { result?: { data: unknown } };
    expect(response.status, JSON.stringify(body)).toBe(200);
    return body.result?.data;
  };
  return { get, post };
}

interface InboxRowShape {
  id: number;
  version: number;
  department: string;
  status: string;
  unreadNotice: string | null;
}
function rowsOf(answer: Answer): InboxRowShape[] {
  return (JSON.parse(answer.text) as { result: { data: { rows: InboxRowShape[] } } }).result.data.rows;
}

describe("HTTP validators and the answer cache", () => {
  it("answers 200 with an ETag, then 304 with no body for If-None-Match; private, no-cache; Vary: Cookie", async () => {
    const miit = await signIn("miit");
    planId = ((await miit.get("catalog.plans", undefined).then((a) => JSON.parse(a.text))) as { result: { data: { id: number }[] } })
      .result.data[0]?.id ?? 0;
    await miit.post("plan.issue", { planId, dueDate: "2099-12-31" });

    const mof = await signIn("mof");
    const first = await mof.get("inbox.list", { planId });
    expect(first.status).toBe(200);
    expect(first.etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect(first.headers.get("cache-control")).toBe("private, no-cache");
    expect(first.headers.get("vary")).toMatch(/Cookie/);
    expect(rowsOf(first).length).toBeGreaterThan(0);

    const again = await mof.get("inbox.list", { planId }, first.etag);
    expect(again.status).toBe(304);
    expect(again.text).toBe("");
    expect(again.etag).toBe(first.etag);
    expect(again.headers.get("cache-control")).toBe("private, no-cache");
    expect(again.headers.get("vary")).toMatch(/Cookie/);
    // A weak form of the same tag and a list naming it match too; another tag does not.
    expect((await mof.get("inbox.list", { planId }, `"other", W/${first.etag ?? ""}`)).status).toBe(304);
    const other = await mof.get("inbox.list", { planId }, `"other"`);
    expect(other.status).toBe(200);
    // Served again without rebuilding: the same bytes, under the same headers.
    expect(other.text).toBe(first.text);
    const shown = (h: Headers) => ["content-type", "cache-control", "vary", "etag", "x-content-type-options"].map((n) => h.get(n));
    expect(shown(other.headers)).toEqual(shown(first.headers));
  });

  it("a write by another department changes the tag, and the new answer is served, never the kept one", async () => {
    const mof = await signIn("mof");
    const ndrc = await signIn("ndrc");
    const before = await mof.get("inbox.list", { planId });
    const ndrcRow = rowsOf(await ndrc.get("inbox.list", { planId }))[0];
    if (ndrcRow === undefined) throw new Error("NDRC has work");
    await ndrc.post("assignment.accept", { id: ndrcRow.id, expectedVersion: ndrcRow.version });
    const after = await mof.get("inbox.list", { planId }, before.etag);
    expect(after.status).toBe(200);
    expect(after.etag).not.toBe(before.etag);

    // MOF's own change shows at once on the next read, with or without the old tag.
    const row = rowsOf(after).find((r) => r.status === "assigned");
    if (row === undefined) throw new Error("MOF has work to accept");
    await mof.post("assignment.accept", { id: row.id, expectedVersion: row.version });
    const mine = await mof.get("inbox.list", { planId }, after.etag);
    expect(mine.status).toBe(200);
    expect(rowsOf(mine).find((r) => r.id === row.id)?.status).toBe("accepted");
  });

  it("a write with no audit event (a notice read) still changes the tag", async () => {
    const miit = await signIn("miit");
    const mof = await signIn("mof");
    const row = rowsOf(await mof.get("inbox.list", { planId })).find((r) => r.status === "assigned");
    if (row === undefined) throw new Error("MOF has work");
    await miit.post("assignment.remind", { id: row.id, expectedVersion: row.version });
    const reminded = await mof.get("inbox.list", { planId });
    expect(rowsOf(reminded).find((r) => r.id === row.id)?.unreadNotice).toBe("assignment.reminded");
    await mof.post("inbox.markRead", { assignmentId: row.id });
    const read = await mof.get("inbox.list", { planId }, reminded.etag);
    expect(read.status).toBe(200);
    expect(rowsOf(read).find((r) => r.id === row.id)?.unreadNotice).toBeNull();
  });

  it("a different user never gets another's answer or a 304 for another's tag (MOF and MOST, the same input)", async () => {
    const mof = await signIn("mof");
    const most = await signIn("most");
    const mofAnswer = await mof.get("inbox.list", { planId });
    const mostAnswer = await most.get("inbox.list", { planId }, mofAnswer.etag);
    expect(mostAnswer.status).toBe(200);
    expect(mostAnswer.etag).not.toBe(mofAnswer.etag);
    expect(rowsOf(mostAnswer).every((r) => r.department === "MOST")).toBe(true);
    expect(rowsOf(mofAnswer).every((r) => r.department === "MOF")).toBe(true);
    // Twice more, each from the cache: still each their own.
    expect((await most.get("inbox.list", { planId })).text).toBe(mostAnswer.text);
    expect((await mof.get("inbox.list", { planId })).text).toBe(mofAnswer.text);
    // A liaison asking for another department is refused, not served MOF's kept answer.
    const refused = await most.get("inbox.list", { planId, department: "MOF" });
    expect(refused.status).toBe(403);
    expect(refused.etag).toBeNull();
  });

  it("an ended or expired session gets 401, never 304", async () => {
    const mof = await signIn("mof");
    const live = await mof.get("inbox.list", { planId });
    expect(live.status).toBe(200);
    await mof.post("auth.logout", null);
    const ended = await mof.get("inbox.list", { planId }, live.etag);
    expect(ended.status).toBe(401);
    expect(ended.etag).toBeNull();

    const most = await signIn("most");
    const before = await most.get("inbox.list", { planId });
    clock += defaultSessionPolicy.idleMs + 1000;
    const expired = await most.get("inbox.list", { planId }, before.etag);
    expect(expired.status).toBe(401);
  });

  it("the next plan calendar day changes the tag (lateness is counted in days), and nothing finer does", async () => {
    // 23:30 in Beijing (UTC+8), the next such time from now.
    const at = new Date(clock);
    clock = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate() + 1, 15, 30);
    const mof = await signIn("mof");
    let day = planCalendarDate(new Date(clock));
    let tag = (await mof.get("inbox.list", { planId })).etag;
    let changedDays = 0;
    // Steps of 20 minutes across midnight in Beijing.
    for (let step = 0; step < 4; step += 1) {
      clock += 20 * 60 * 1000;
      const answer = await mof.get("inbox.list", { planId }, tag);
      const today = planCalendarDate(new Date(clock));
      expect(answer.status).toBe(today === day ? 304 : 200);
      if (today !== day) {
        changedDays += 1;
        expect(answer.etag).not.toBe(tag);
        tag = answer.etag;
        day = today;
      }
    }
    expect(changedDays).toBe(1);
  });

  it("never holds more answers or bytes than its bounds, and a batch of cacheable queries is kept too", async () => {
    const mof = await signIn("mof");
    for (let limit = 1; limit <= 12; limit += 1) {
      const answer = await mof.get("inbox.list", { planId, limit });
      expect(answer.status).toBe(200);
      expect(rowsOf(answer).length).toBeLessThanOrEqual(limit);
      const { entries, bytes } = cache.size();
      expect(entries).toBeLessThanOrEqual(cache.bounds.maxEntries);
      expect(bytes).toBeLessThanOrEqual(cache.bounds.maxBytes);
    }
    expect(cache.size().entries).toBe(4);
    const batch = await fetch(
      `${base}/trpc/inbox.list,inbox.plans?batch=1&input=${encodeURIComponent(JSON.stringify({ 0: { planId }, 1: {} }))}`,
    );
    // Without the cookie: 401 from tRPC as before, no tag.
    expect(batch.status).toBe(401);
    expect(batch.headers.get("etag")).toBeNull();
    const signedIn = await mof.get("inbox.list,inbox.plans", { 0: { planId }, 1: {} });
    expect(signedIn.status).toBe(200);
    expect(signedIn.etag).not.toBeNull();
    expect((await mof.get("inbox.list,inbox.plans", { 0: { planId }, 1: {} }, signedIn.etag)).status).toBe(304);
    // A non-cacheable procedure is served as before: no tag.
    const me = await mof.get("auth.me", undefined);
    expect(me.status).toBe(200);
    expect(me.etag).toBeNull();
  });

  it("stays correct under racing writes: after them, the last tag gets a 304 only if its page is still the page", async () => {
    const mof = await signIn("mof");
    const others = await Promise.all(["ndrc", "most"].map((u) => signIn(u)));
    let lastTag: string | null = null;
    let lastBody = "";
    let fresh = 0;
    /** A page built now: a URL never asked before is never from the cache. */
    const built = async (): Promise<string> => {
      fresh += 1;
      return (await mof.get("inbox.list", { planId, limit: 200 }, null, `&fresh=${fresh}`)).text;
    };
    const read = async (): Promise<void> => {
      const answer = await mof.get("inbox.list", { planId, limit: 200 }, lastTag);
      if (answer.status === 200) {
        lastTag = answer.etag;
        lastBody = answer.text;
      } else expect(answer.status).toBe(304);
    };
    const writes = async (who: Awaited<ReturnType<typeof signIn>>): Promise<void> => {
      for (const row of rowsOf(await who.get("inbox.list", { planId, status: "assigned" })).slice(0, 3)) {
        await who.post("assignment.accept", { id: row.id, expectedVersion: row.version });
      }
    };
    const readLoop = async (): Promise<void> => {
      for (let i = 0; i < 15; i += 1) await read();
    };
    await Promise.all([writes(mof), ...others.map(writes), readLoop(), readLoop()]);
    // Nothing writes now: the last tag must name exactly the page built now.
    const now = await mof.get("inbox.list", { planId, limit: 200 }, lastTag);
    const page = now.status === 304 ? lastBody : now.text;
    const current = await built();
    expect(JSON.parse(page)).toEqual(JSON.parse(current));
    expect(rowsOf({ ...now, text: page }).filter((r) => r.status === "accepted").length).toBeGreaterThanOrEqual(3);
  });
});
