/**
 * The answer cache and HTTP validators on PostgreSQL with two instances (issue 17, reads, across instances): two
 * `startServer` on one database, a liaison's inbox page cached on A, a write through B (`inbox.markRead`, which
 * appends no audit event and announces no live change: only its commit notification tells A) makes A answer the new
 * page under a new ETag; with A's LISTEN connection killed A serves nothing from its cache (no ETag, fresh pages)
 * until it listens again and has re-synced, and then never the page from before.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { liveIdLockKey, PostgresLiveEventBus } from "@countersign/db-postgres";
import { freshDatabaseUrl } from "@countersign/db-postgres/test-support";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { readConfig } from "./config.js";
import { demoPassword } from "./demo/demo-accounts.js";
import { startServer } from "./start.js";
import type { RunningServer } from "./start.js";

let dir: string;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "countersign-cache-pg-"));
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function start(url: string, args: string[]): Promise<{ server: RunningServer; base: string }> {
  const config = readConfig(args, { DATABASE_URL: url, DATABASE_PATH: join(dir, "unused.sqlite"), PORT: "0", HOST: "127.0.0.1", WEB_DIST: join(dir, "no-web") });
  const server = await startServer(config, { app: { logStream: { write: () => undefined } } });
  cleanups.push(async () => {
    await server.shutdown();
  });
  return { server, base: `http://127.0.0.1:${server.port}` };
}

interface Answer {
  status: number;
  etag: string | null;
  text: string;
}

interface InboxRow {
  id: number;
  measureNumber: number;
  unreadNotice: string | null;
}

/** A signed-in liaison (one session, valid on both instances: sessions are in the database). */
async function signIn(base: string, username: string) {
  const login = await fetch(`${base}/trpc/auth.login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password: demoPassword }),
  });
  expect(login.status).toBe(200);
  const cookie = login.headers.getSetCookie().find((c) => c.startsWith("countersign_session="))?.split(";")[0];
  if (cookie === undefined) throw new Error("no session cookie");
  const inbox = async (at: string, planId: number, ifNoneMatch?: string): Promise<Answer> => {
    const headers: Record<string, string> = { cookie };
    if (ifNoneMatch !== undefined) headers["if-none-match"] = ifNoneMatch;
    const response = await fetch(`${at}/trpc/inbox.list?input=${encodeURIComponent(JSON.stringify({ planId }))}`, { headers });
    return { status: response.status, etag: response.headers.get("etag"), text: await response.text() };
  };
  const markRead = async (at: string, assignmentId: number): Promise<void> => {
    const response = await fetch(`${at}/trpc/inbox.markRead`, {
      method: "POST",
      headers: { cookie, "content-type": "application/json" },
      body: JSON.stringify({ assignmentId }),
    });
    expect(response.status).toBe(200);
  };
  return { inbox, markRead };
}

function rowsOf(answer: Answer): InboxRow[] {
  return (JSON.parse(answer.text) as { result: { data: { rows: InboxRow[] } } }).result.data.rows;
}

/** The demo's reminded (unread) row of the liaison's inbox. */
function unreadRow(answer: Answer): InboxRow {
  const row = rowsOf(answer).find((r) => r.unreadNotice !== null);
  if (row === undefined) throw new Error("the demo has no unread row for this liaison");
  return row;
}

/** Two instances on a fresh demo database, and the demo plan. */
async function twoInstances() {
  const { url, drop } = await freshDatabaseUrl();
  cleanups.push(drop);
  const a = await start(url, ["--demo"]);
  const b = await start(url, ["--demo"]);
  const planId = a.server.demo?.planId;
  if (planId === undefined || planId === null) throw new Error("no demo plan");
  return { url, a, b, planId };
}

/** Waits until `check` holds (polling), for at most `ms`; returns whether it did. */
async function eventually(check: () => Promise<boolean> | boolean, ms: number): Promise<boolean> {
  const deadline = performance.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (performance.now() > deadline) return false;
    await sleep(10);
  }
}

/** A's page, cached and validated: the same ETag twice (no commit heard between) and a 304 for it. */
async function cachedPage(liaison: Awaited<ReturnType<typeof signIn>>, base: string, planId: number): Promise<Answer> {
  let page = await liaison.inbox(base, planId);
  // The sign-in's own commit moves the version when its notification arrives: ask until two answers agree.
  expect(
    await eventually(async () => {
      const again = await liaison.inbox(base, planId);
      const same = again.etag !== null && again.etag === page.etag;
      page = again;
      return same;
    }, 5000),
  ).toBe(true);
  const revalidated = await liaison.inbox(base, planId, page.etag ?? "");
  expect(revalidated.status).toBe(304);
  expect(revalidated.text).toBe("");
  return page;
}

describe("the answer cache on PostgreSQL, two instances", () => {
  it("a write through B (no audit event, no live change) makes A answer the new page with a new ETag", async () => {
    const { a, b, planId } = await twoInstances();
    const ndrc = await signIn(a.base, "ndrc");
    const before = await cachedPage(ndrc, a.base, planId);
    expect(before.status).toBe(200);
    const row = unreadRow(before);

    await ndrc.markRead(b.base, row.id);
    // A hears B's commit (its NOTIFY) within moments; from then on its cached page and ETag are gone.
    let after: Answer = before;
    expect(
      await eventually(async () => {
        after = await ndrc.inbox(a.base, planId, before.etag ?? "");
        return after.status === 200;
      }, 2000),
    ).toBe(true);
    expect(after.etag).not.toBeNull();
    expect(after.etag).not.toBe(before.etag);
    expect(rowsOf(after).find((r) => r.id === row.id)?.unreadNotice).toBeNull();
    // And the new page is A's to validate again.
    expect((await ndrc.inbox(a.base, planId, after.etag ?? "")).status).toBe(304);
  });

  it("with A's LISTEN connection killed, A serves nothing from its cache until it has listened again and re-synced", async () => {
    const { url, a, b, planId } = await twoInstances();
    const bus = a.server.store.live;
    if (!(bus instanceof PostgresLiveEventBus)) throw new Error("A's store has no PostgreSQL bus");
    const pboc = await signIn(a.base, "pboc");
    const before = await cachedPage(pboc, a.base, planId);
    const row = unreadRow(before);

    // Holds the live ids' lock, on which A's re-sync waits: A stays without a data version while it is held.
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    cleanups.push(async () => {
      await holder.end().catch(() => undefined);
    });
    await holder.query("select pg_advisory_lock($1::bigint)", [liveIdLockKey]);
    const pid = await bus.listenerBackendPid();
    expect(pid).not.toBeNull();
    await holder.query("select pg_terminate_backend($1)", [pid]);
    expect(await eventually(async () => (await a.server.store.dataVersion()) === null, 2000)).toBe(true);

    // A write A cannot hear of: its notification is sent while A does not listen.
    await pboc.markRead(b.base, row.id);
    for (const etag of [before.etag ?? "", undefined]) {
      const off = await pboc.inbox(a.base, planId, etag);
      expect(off.status).toBe(200);
      expect(off.etag).toBeNull();
      expect(rowsOf(off).find((r) => r.id === row.id)?.unreadNotice).toBeNull();
    }

    await holder.query("select pg_advisory_unlock($1::bigint)", [liveIdLockKey]);
    expect(await eventually(async () => (await a.server.store.dataVersion()) !== null, 5000)).toBe(true);
    const back = await pboc.inbox(a.base, planId, before.etag ?? "");
    expect(back.status).toBe(200);
    expect(back.etag).not.toBeNull();
    expect(back.etag).not.toBe(before.etag);
    expect(rowsOf(back).find((r) => r.id === row.id)?.unreadNotice).toBeNull();
    expect((await pboc.inbox(a.base, planId, back.etag ?? "")).status).toBe(304);
  });
});
