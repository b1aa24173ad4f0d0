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
import { freshDatabaseUrl } from "@countersign/db-postgres/test-support";
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

/** An open `live.changes` stream and a function that reads it until `text` arrives or `ms` pass. */
async function openStream(base: string, cookie: string, planId: number) {
  const controller = new AbortController();
  cleanups.push(async () => controller.abort());
  const response = await fetch(`${base}/trpc/live.changes?input=${encodeURIComponent(JSON.stringify({ planId }))}`, {
    headers: { accept: "text/event-stream", cookie },
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
  return { readUntil };
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
