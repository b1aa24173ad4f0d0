/**
 * A browser on instance B hears, over real HTTP server-sent events, a change committed through instance A (two
 * `startServer` on one PostgreSQL database, issue 13): signed in on B through `auth.login`, `live.changes` open on
 * B, a unit of work committed through A's store announcing the change (`tx.afterCommit`: NOTIFY in the commit). Then
 * A shuts down gracefully while B's stream keeps delivering.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LiveEvent } from "@countersign/db";
import { PostgresLiveEventBus } from "@countersign/db-postgres";
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
  dir = mkdtempSync(join(tmpdir(), "countersign-sse-pg-"));
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

/** Signs in over HTTP; the session cookie to send. */
async function signIn(base: string, username: string): Promise<string> {
  const response = await fetch(`${base}/trpc/auth.login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password: demoPassword }),
  });
  expect(response.status).toBe(200);
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith("countersign_session="));
  if (cookie === undefined) throw new Error("no session cookie");
  return cookie.split(";")[0] ?? "";
}

/**
 * An open `live.changes` stream (resuming after `lastEventId` when given, as an EventSource's Last-Event-ID header) and
 * a function that reads it until `text` arrives or `ms` pass; `messages` parses what was read; `stop` closes it.
 */
async function openStream(base: string, cookie: string, planId: number, lastEventId?: string) {
  const controller = new AbortController();
  cleanups.push(async () => controller.abort());
  const headers: Record<string, string> = { accept: "text/event-stream", cookie };
  if (lastEventId !== undefined) headers["last-event-id"] = lastEventId;
  const response = await fetch(`${base}/trpc/live.changes?input=${encodeURIComponent(JSON.stringify({ planId }))}`, {
    headers,
    signal: controller.signal,
  });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toContain("text/event-stream");
  const reader = response.body?.getReader();
  if (reader === undefined) throw new Error("no stream");
  const decoder = new TextDecoder();
  let text = "";
  const readUntil = async (wanted: string, ms: number): Promise<{ seen: boolean; afterMs: number }> => {
    const started = performance.now();
    const timer = setTimeout(() => controller.abort(), ms);
    try {
      while (!text.includes(wanted)) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
      }
    } catch {
      // Aborted at the deadline: not seen.
    } finally {
      clearTimeout(timer);
    }
    return { seen: text.includes(wanted), afterMs: performance.now() - started };
  };
  /** The messages read so far that carry an id (changes and resyncs; not tRPC's connection and ping events). */
  const messages = (): Array<{ id: string; type: string; at: string | null }> =>
    text
      .split(/\n\n/)
      .map((block) => ({ id: /^id: *(\S+)$/m.exec(block)?.[1], data: /^data: *(.+)$/m.exec(block)?.[1] }))
      .filter((m): m is { id: string; data: string } => m.id !== undefined && m.data !== undefined)
      .map((m) => {
        const data = JSON.parse(m.data) as { type: string; at?: string };
        return { id: m.id, type: data.type, at: data.at ?? null };
      });
  return { readUntil, messages, stop: () => controller.abort() };
}

const change = (planId: number, at: string): LiveEvent => ({ planId, assignmentIds: [1], measureNumbers: [3], departments: ["MIIT"], audience: ["MIIT"], at });

describe("a browser on instance B, a change through instance A (PostgreSQL)", () => {
  it("hears it over server-sent events within 2 s, and keeps its stream while A shuts down", async () => {
    const { url, drop } = await freshDatabaseUrl();
    cleanups.push(drop);
    const a = await start(url, ["--demo"]);
    const b = await start(url, ["--demo"]);
    const planId = a.server.demo?.planId;
    if (planId === undefined || planId === null) throw new Error("no demo plan");

    const cookie = await signIn(b.base, "miit");
    const stream = await openStream(b.base, cookie, planId);
    // The subscription attaches to B's bus once the stream has started; give it a moment.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const at = new Date(Date.UTC(2026, 0, 2, 0, 0, 1)).toISOString();
    const committed = performance.now();
    await a.server.store.transaction(async (tx) => {
      tx.afterCommit(change(planId, at));
    });
    const heard = await stream.readUntil(`"at":"${at}"`, 2000);
    expect(heard.seen).toBe(true);
    expect(performance.now() - committed).toBeLessThan(2000);

    expect((await a.server.shutdown()).drained).toBe(true);
    expect((await fetch(`${b.base}/ready`)).status).toBe(200);
    const after = new Date(Date.UTC(2026, 0, 2, 0, 0, 2)).toISOString();
    await b.server.store.transaction(async (tx) => {
      tx.afterCommit(change(planId, after));
    });
    expect((await stream.readUntil(`"at":"${after}"`, 2000)).seen).toBe(true);
  });
});

describe("a browser resuming on another instance (PostgreSQL)", () => {
  it("gets exactly the changes it missed, once each and in order, with the ids it would have had on the first", async () => {
    const { url, drop } = await freshDatabaseUrl();
    cleanups.push(drop);
    const a = await start(url, ["--demo"]);
    const b = await start(url, ["--demo"]);
    const planId = a.server.demo?.planId;
    if (planId === undefined || planId === null) throw new Error("no demo plan");
    const at = (n: number) => new Date(Date.UTC(2026, 0, 3, 0, 0, n)).toISOString();
    const through = (server: RunningServer, n: number) =>
      server.store.transaction(async (tx) => {
        tx.afterCommit(change(planId, at(n)));
      });

    const cookie = await signIn(a.base, "miit");
    const onA = await openStream(a.base, cookie, planId);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await through(a.server, 0);
    expect((await onA.readUntil(`"at":"${at(0)}"`, 2000)).seen).toBe(true);
    const seen = onA.messages();
    expect(seen.map((m) => m.at)).toEqual([at(0)]);
    const lastId = seen[0]?.id ?? "";
    expect(lastId).toMatch(/^db\.\d+$/);
    onA.stop();

    // Missed while away: through A and B in turn.
    await through(a.server, 1);
    await through(b.server, 2);
    await through(a.server, 3);
    await through(b.server, 4);

    const onB = await openStream(b.base, cookie, planId, lastId);
    expect((await onB.readUntil(`"at":"${at(4)}"`, 2000)).seen).toBe(true);
    // Then a new change, after which nothing missed may still come.
    await through(a.server, 5);
    expect((await onB.readUntil(`"at":"${at(5)}"`, 2000)).seen).toBe(true);
    const got = onB.messages();
    expect(got.map((m) => m.type)).not.toContain("resync");
    expect(got.map((m) => m.at)).toEqual([at(1), at(2), at(3), at(4), at(5)]);
    const numbers = got.map((m) => Number(m.id.slice("db.".length)));
    expect(numbers.every((n, i) => n > Number(lastId.slice("db.".length)) && (i === 0 || n > (numbers[i - 1] ?? 0)))).toBe(true);
  });
});

describe("an instance whose LISTEN connection was lost (PostgreSQL)", () => {
  it("tells its open streams to resync once it listens again, then delivers changes from every instance again", async () => {
    const { url, drop } = await freshDatabaseUrl();
    cleanups.push(drop);
    const a = await start(url, ["--demo"]);
    const b = await start(url, ["--demo"]);
    const planId = a.server.demo?.planId;
    if (planId === undefined || planId === null) throw new Error("no demo plan");
    const bus = a.server.store.live;
    if (!(bus instanceof PostgresLiveEventBus)) throw new Error("A's store has no PostgreSQL bus");
    const cookie = await signIn(a.base, "miit");
    const onA = await openStream(a.base, cookie, planId);
    await new Promise((resolve) => setTimeout(resolve, 200));

    const pid = await bus.listenerBackendPid();
    const killer = new pg.Client({ connectionString: url });
    await killer.connect();
    await killer.query("select pg_terminate_backend($1)", [pid]);
    await killer.end();
    expect((await onA.readUntil('"type":"resync"', 5000)).seen).toBe(true);
    const after = new Date(Date.UTC(2026, 0, 4, 0, 0, 0)).toISOString();
    await b.server.store.transaction(async (tx) => {
      tx.afterCommit(change(planId, after));
    });
    expect((await onA.readUntil(`"at":"${after}"`, 2000)).seen).toBe(true);
    expect(onA.messages().map((m) => m.type)).toEqual(["resync", "change"]);
  });
});
