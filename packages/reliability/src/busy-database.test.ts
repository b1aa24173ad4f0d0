/**
 * 8. A busy database. Another process (a child opening the same file) holds the database's write lock with BEGIN
 * IMMEDIATE for longer than the server's write wait. Meanwhile reads, `/health` and other requests must go on: none
 * stalls past `stallBoundMs`. The write sent while the lock is held is refused after the server's bound
 * (DATABASE_BUSY_WAIT_MS, 2 s here) with a 503, Retry-After and refusalCode `database_busy`, and a log line naming
 * its request id; a write sent shortly before the lock is released waits (asynchronously) and succeeds; after the
 * release, the refused write succeeds when sent again, and every acknowledged write is in the file, the refused one
 * exactly once.
 *
 * The PostgreSQL counterpart of the same promise (issue 13): another session holds a lock on the assignments table
 * (LOCK TABLE … IN EXCLUSIVE MODE: plain reads go on, every write to it waits). The write sent meanwhile is refused
 * after the server's bound (its `lock_timeout`, DATABASE_BUSY_WAIT_MS) with the same 503 `database_busy`, nothing
 * of it written (no comment, no event, the version unchanged); reads go on; a write sent shortly before the release
 * waits and succeeds; the refused one succeeds when sent again.
 */
import { spawn } from "node:child_process";
import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { createRequire } from "node:module";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dataOf, signedIn } from "./support/client.js";
import type { Answer, Browser } from "./support/client.js";
import { recordFigures } from "./support/figures.js";
import { databaseOn } from "./support/engines.js";
import type { EngineDatabase } from "./support/engines.js";
import { freshDatabase } from "./support/fixture.js";
import { startServer } from "./support/server.js";
import type { StartedServer } from "./support/server.js";

/** The server's total wait for a busy write before its 503 (DATABASE_BUSY_WAIT_MS). */
const busyWaitMs = 2000;
/** No read, /health or other request may take longer than this while the lock is held (a stall is 5 s and more). */
const stallBoundMs = 1000;

let server: StartedServer;
let mof: Browser;
let miit: Browser;
let holder: ChildProcessWithoutNullStreams | null = null;

interface InboxPage {
  rows: Array<{ id: number }>;
}
interface AssignmentView {
  assignment: { id: number; version: number };
  comments: Array<{ body: string }>;
}

/** A child process that opens the database file and holds its write lock until told to release it. */
async function holdWriteLock(dbPath: string): Promise<{ release: () => Promise<void> }> {
  const betterSqlite = createRequire(import.meta.url).resolve("better-sqlite3");
  const script = `
    const Database = require(${JSON.stringify(betterSqlite)});
    const db = new Database(${JSON.stringify(dbPath)});
    db.exec("BEGIN IMMEDIATE");
    process.stdout.write("locked\\n");
    process.stdin.on("data", () => { db.exec("ROLLBACK"); db.close(); process.stdout.write("released\\n"); process.exit(0); });
  `;
  const child = spawn(process.execPath, ["-e", script], { stdio: ["pipe", "pipe", "pipe"] });
  holder = child;
  let out = "";
  const saw = (word: string): Promise<void> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        if (out.includes(word)) resolve();
      };
      child.stdout.on("data", (c: Buffer) => {
        out += c.toString("utf8");
        check();
      });
      child.stderr.on("data", (c: Buffer) => {
        out += c.toString("utf8");
      });
      child.once("exit", () => (out.includes(word) ? resolve() : reject(new Error(`lock holder exited: ${out}`))));
      check();
    });
  await saw("locked");
  return {
    release: async () => {
      const released = saw("released");
      child.stdin.write("release\n");
      await released;
      holder = null;
    },
  };
}

async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await run();
  return { ms: performance.now() - started, value };
}

async function assignmentNow(id: number): Promise<AssignmentView> {
  return dataOf<AssignmentView>(await mof.query("assignment.get", { id }));
}

async function comment(id: number, body: string): Promise<Answer> {
  const now = await assignmentNow(id);
  return mof.mutate("assignment.comment", { id, expectedVersion: now.assignment.version, body });
}

describe("8 busy database", () => {
  beforeAll(async () => {
    server = await startServer({ dbPath: freshDatabase("busy"), env: { DATABASE_BUSY_WAIT_MS: String(busyWaitMs) } });
    mof = await signedIn(server.url, "mof");
    miit = await signedIn(server.url, "miit");
  });

  afterAll(async () => {
    holder?.kill("SIGKILL");
    await server?.stop();
  });

  it("keeps serving while another process holds the write lock, refuses the blocked write with 503, loses nothing", async () => {
    const inbox = dataOf<InboxPage>(await mof.query("inbox.list", {}));
    const target = inbox.rows[0]?.id;
    if (target === undefined) throw new Error(`mof has no assignment in the demo: ${JSON.stringify(inbox).slice(0, 500)}`);
    expect((await comment(target, "before the lock")).ok).toBe(true);

    const lock = await holdWriteLock(server.dbPath);
    const lockedAt = performance.now();

    // The write that meets the lock, sent now; reads and /health go on while it waits.
    const blocked = timed(() => comment(target, "sent while locked"));
    const latencies: number[] = [];
    const healthStates: string[] = [];
    while (performance.now() - lockedAt < busyWaitMs + 500) {
      const round = await Promise.all([
        timed(() => fetch(`${server.url}/health`).then(async (r) => ({ status: r.status, body: (await r.json()) as { database: string } }))),
        timed(() => mof.query("inbox.list", {})),
        timed(() => miit.query("catalog.plans")),
      ]);
      const [health, list, plans] = round;
      latencies.push(health.ms, list.ms, plans.ms);
      healthStates.push(`${health.value.status} ${health.value.body.database}`);
      expect(list.value.ok).toBe(true);
      expect(plans.value.ok).toBe(true);
      await new Promise((r) => setTimeout(r, 100));
    }
    const refusal = await blocked;
    expect(refusal.value.ok).toBe(false);
    expect(refusal.value.status).toBe(503);
    if (refusal.value.ok) throw new Error("unreachable");
    expect(refusal.value.error?.refusalCode).toBe("database_busy");
    expect(Number(refusal.value.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(refusal.ms).toBeGreaterThanOrEqual(busyWaitMs - 100);
    expect(refusal.ms).toBeLessThan(busyWaitMs + stallBoundMs);
    const requestId = refusal.value.headers.get("x-request-id");
    expect(requestId).not.toBeNull();
    const logLine = server
      .output()
      .split("\n")
      .find((line) => line.includes("database busy") && line.includes(`"reqId":"${requestId}"`));
    expect(logLine, server.output().slice(-2000)).toBeDefined();

    expect(Math.max(...latencies)).toBeLessThan(stallBoundMs);
    expect(healthStates.every((s) => s === "503 busy")).toBe(true);

    // A write sent shortly before the release waits without blocking, and then succeeds.
    const waiting = timed(() => comment(target, "sent before the release"));
    await new Promise((r) => setTimeout(r, 600));
    const during = await timed(() => fetch(`${server.url}/health`));
    expect(during.ms).toBeLessThan(stallBoundMs);
    await lock.release();
    const waited = await waiting;
    expect(waited.value.ok, JSON.stringify(waited.value)).toBe(true);
    expect(waited.ms).toBeGreaterThanOrEqual(500);

    // After the release: the refused write, sent again, succeeds; /health is ok again.
    expect((await comment(target, "sent while locked")).ok).toBe(true);
    const health = await fetch(`${server.url}/health`);
    expect(health.status).toBe(200);

    const check = new Database(server.dbPath, { readonly: true });
    const bodies = (check.prepare("select body from comments where assignment_id = ? order by id").pluck().all(target) as string[]).filter(
      (b) => b.startsWith("before the lock") || b.startsWith("sent "),
    );
    check.close();
    expect(bodies).toEqual(["before the lock", "sent before the release", "sent while locked"]);

    recordFigures({
      area: "10 busy database",
      figure: "reads+health during the lock / slowest (ms) / refused writes / lost",
      values: [latencies.length, Math.round(Math.max(...latencies)), 1, 0],
      failures: latencies.filter((ms) => ms >= stallBoundMs).length,
      detail: `lock held ${Math.round(performance.now() - lockedAt)} ms by another process; write refused after ${Math.round(refusal.ms)} ms with 503 (bound ${busyWaitMs} ms); a waiting write succeeded after ${Math.round(waited.ms)} ms`,
    });
  });
});

describe("8 busy database on PostgreSQL", () => {
  let database: EngineDatabase;
  let locker: pg.Client | null = null;
  beforeAll(async () => {
    database = await databaseOn("postgres", "busy");
    server = await database.start({ env: { DATABASE_BUSY_WAIT_MS: String(busyWaitMs) } });
    mof = await signedIn(server.url, "mof");
    miit = await signedIn(server.url, "miit");
  });

  afterAll(async () => {
    await locker?.end();
    await server?.stop();
    await database?.drop();
  });

  it("a lock another session holds on the assignments table: reads go on, the write gets 503 within the bound and leaves nothing, then succeeds", async () => {
    const inbox = dataOf<InboxPage>(await mof.query("inbox.list", {}));
    const target = inbox.rows[0]?.id;
    if (target === undefined) throw new Error("mof has no assignment in the demo");
    expect((await comment(target, "before the lock")).ok).toBe(true);
    const versionBefore = (await assignmentNow(target)).assignment.version;

    const client = new pg.Client({ connectionString: database.url ?? "" });
    locker = client;
    await client.connect();
    await client.query("begin");
    await client.query("lock table assignments in exclusive mode");
    const lockedAt = performance.now();

    const blocked = timed(() => mof.mutate("assignment.comment", { id: target, expectedVersion: versionBefore, body: "sent while locked" }));
    const latencies: number[] = [];
    while (performance.now() - lockedAt < busyWaitMs + 500) {
      const round = await Promise.all([
        timed(() => fetch(`${server.url}/health`)),
        timed(() => mof.query("inbox.list", {})),
        timed(() => miit.query("catalog.plans")),
      ]);
      const [health, list, plans] = round;
      latencies.push(health.ms, list.ms, plans.ms);
      expect(list.value.ok).toBe(true);
      expect(plans.value.ok).toBe(true);
      await new Promise((r) => setTimeout(r, 100));
    }
    const refusal = await blocked;
    expect(refusal.value.ok, JSON.stringify(refusal.value).slice(0, 500)).toBe(false);
    expect(refusal.value.status).toBe(503);
    if (refusal.value.ok) throw new Error("unreachable");
    expect(refusal.value.error?.refusalCode).toBe("database_busy");
    expect(Number(refusal.value.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(refusal.ms).toBeGreaterThanOrEqual(busyWaitMs - 100);
    expect(refusal.ms).toBeLessThan(busyWaitMs + stallBoundMs);
    const requestId = refusal.value.headers.get("x-request-id");
    const logLine = server
      .output()
      .split("\n")
      .find((line) => line.includes("database busy") && line.includes(`"reqId":"${requestId}"`));
    expect(logLine, server.output().slice(-2000)).toBeDefined();
    expect(Math.max(...latencies)).toBeLessThan(stallBoundMs);

    // Nothing of the refused write, read beside the server while the lock is still held (plain reads pass it).
    const look = database.look();
    const halfWritten = {
      comments: (await look.row<{ n: number }>("select count(*) as n from comments where body = ?", ["sent while locked"]))?.n,
      events: (await look.row<{ n: number }>("select count(*) as n from audit_events where payload like ?", ["%sent while locked%"]))?.n,
      version: (await look.row<{ version: number }>("select version from assignments where id = ?", [target]))?.version,
    };
    expect(halfWritten).toEqual({ comments: 0, events: 0, version: versionBefore });

    // A write sent shortly before the release waits (asynchronously), then succeeds.
    const waiting = timed(() => comment(target, "sent before the release"));
    await new Promise((r) => setTimeout(r, 600));
    const during = await timed(() => fetch(`${server.url}/health`));
    expect(during.ms).toBeLessThan(stallBoundMs);
    await client.query("rollback");
    await client.end();
    locker = null;
    const waited = await waiting;
    expect(waited.value.ok, JSON.stringify(waited.value)).toBe(true);
    expect(waited.ms).toBeGreaterThanOrEqual(500);

    // After the release: the refused write, sent again, succeeds.
    expect((await comment(target, "sent while locked")).ok).toBe(true);
    const bodies = (await look.rows<{ body: string }>("select body from comments where assignment_id = ? order by id", [target]))
      .map((r) => r.body)
      .filter((b) => b.startsWith("before the lock") || b.startsWith("sent "));
    await look.close();
    expect(bodies).toEqual(["before the lock", "sent before the release", "sent while locked"]);
    expect(await database.chainVerifies()).toBe(true);

    recordFigures({
      area: "10 busy database, PostgreSQL",
      figure: "reads+health during the lock / slowest (ms) / refused writes / lost",
      values: [latencies.length, Math.round(Math.max(...latencies)), 1, 0],
      failures: latencies.filter((ms) => ms >= stallBoundMs).length,
      detail: `LOCK TABLE assignments IN EXCLUSIVE MODE held ${Math.round(performance.now() - lockedAt)} ms by another session; write refused after ${Math.round(refusal.ms)} ms with 503 (lock_timeout ${busyWaitMs} ms), nothing written; a waiting write succeeded after ${Math.round(waited.ms)} ms`,
    });
  });
});
