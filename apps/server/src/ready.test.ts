/**
 * `/health` (the process answers) and `/ready` (the database answers within a short bound, every bundled migration is
 * applied, no shutdown under way) over real HTTP, on database files in each state.
 */
import { request } from "node:http";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { createSqliteStore, bundledMigrations, migrateDatabase, migrationsFolder, openDatabase, registerSearchFunctions } from "@countersign/db";
import type { AnyStore, OpenedDatabase } from "@countersign/db";
import { buildApp } from "./app.js";
import { Lifecycle } from "./lifecycle.js";
import { LiveBus } from "./live.js";
import { defaultSessionPolicy } from "./services/auth/session-policy.js";
import { createUser } from "./services/users/create-user.js";

let dir: string;
const opened: Array<{ app: FastifyInstance; database: OpenedDatabase }> = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "countersign-ready-"));
});
afterEach(async () => {
  for (const { app, database } of opened.splice(0)) {
    await app.close();
    database.close();
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function serve(
  database: OpenedDatabase,
  lifecycle = new Lifecycle(),
  live = new LiveBus(),
  store: AnyStore = createSqliteStore(database),
): Promise<string> {
  const app = await buildApp(
    { store, db: database.db, live, sessionPolicy: defaultSessionPolicy, now: () => new Date(), secureCookies: false },
    { allowedOrigins: [], bodyLimitBytes: 64 * 1024, webDist: null, trustProxy: false, logRequests: false, lifecycle, logStream: { write: () => undefined } },
  );
  await app.listen({ port: 0, host: "127.0.0.1" });
  opened.push({ app, database });
  const address = app.server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  return `http://127.0.0.1:${address.port}`;
}

async function get(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** A database file migrated only up to the bundled journal's `keep` first migrations (as an older build left it). */
function olderDatabase(name: string, keep: number): OpenedDatabase {
  const folder = join(dir, `${name}-migrations`);
  cpSync(migrationsFolder, folder, { recursive: true });
  const journalPath = join(folder, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(journalPath, "utf8")) as { entries: unknown[] };
  writeFileSync(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, keep) }));
  const path = join(dir, `${name}.sqlite`);
  const sqlite = new Database(path);
  // The search index's migration (0014) fills it through this function, as migrateDatabase registers it.
  registerSearchFunctions(sqlite);
  migrate(drizzle({ client: sqlite }), { migrationsFolder: folder });
  sqlite.close();
  return openDatabase(path, { migrate: false });
}

describe("/ready", () => {
  it("is ready on a migrated database: 200 with the migrations applied and the latest one's name", async () => {
    const base = await serve(openDatabase(join(dir, "current.sqlite")));
    const bundled = bundledMigrations();
    const ready = await get(`${base}/ready`);
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: "ready", database: "ok", migrations: { applied: bundled.length, latest: bundled.at(-1)?.tag } });
    expect((await get(`${base}/health`)).status).toBe(200);
  });

  it("is not ready on a database an older build migrated (503 migrations_pending, naming them) until it is migrated; alive all along", async () => {
    const bundled = bundledMigrations();
    const database = olderDatabase("older", bundled.length - 2);
    const base = await serve(database);
    const before = await get(`${base}/ready`);
    expect(before.status).toBe(503);
    expect(before.body).toMatchObject({
      status: "not_ready",
      reason: "migrations_pending",
      migrations: { applied: bundled.length - 2, pending: bundled.slice(-2).map((m) => m.tag) },
    });
    expect(await get(`${base}/health`)).toMatchObject({ status: 200, body: { status: "ok" } });
    migrateDatabase(database.db);
    expect(await get(`${base}/ready`)).toMatchObject({ status: 200, body: { status: "ready" } });
  });

  it("is not ready on a database never migrated", async () => {
    const base = await serve(openDatabase(join(dir, "empty.sqlite"), { migrate: false }));
    const ready = await get(`${base}/ready`);
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ reason: "migrations_pending", migrations: { applied: 0 } });
    expect((ready.body["migrations"] as { pending: string[] }).pending).toHaveLength(bundledMigrations().length);
  });

  it("is not ready when the database cannot be read (503 database_unreachable); /health says unreachable too", async () => {
    const database = openDatabase(join(dir, "closed.sqlite"));
    const base = await serve(database);
    database.sqlite.close();
    expect(await get(`${base}/ready`)).toMatchObject({ status: 503, body: { status: "not_ready", reason: "database_unreachable" } });
    expect(await get(`${base}/health`)).toMatchObject({ status: 503, body: { database: "unreachable" } });
  });

  it("answers 503 shutting_down at once when a shutdown begins, refuses other new requests, and /health stays alive", async () => {
    const lifecycle = new Lifecycle();
    const base = await serve(openDatabase(join(dir, "draining.sqlite")), lifecycle);
    expect((await get(`${base}/ready`)).status).toBe(200);
    expect((await fetch(`${base}/health`)).headers.get("connection")).not.toBe("close");
    lifecycle.beginDrain();
    const ready = await get(`${base}/ready`);
    expect(ready).toMatchObject({ status: 503, body: { status: "not_ready", reason: "shutting_down" } });
    expect((await get(`${base}/health`)).status).toBe(200);
    // Every answer while draining closes its connection (a request in flight finishes, its socket is not reused).
    const health = await fetch(`${base}/health`);
    expect(health.status).toBe(200);
    expect(health.headers.get("connection")).toBe("close");
    const refused = await fetch(`${base}/trpc/auth.me`);
    expect(refused.status).toBe(503);
    expect(refused.headers.get("connection")).toBe("close");
    expect(await refused.json()).toMatchObject({ error: { data: { refusalCode: "shutting_down", httpStatus: 503 } } });
  });
});

describe("answers held until the database is durable", () => {
  it("wait for the store's whenDurable; a request whose client leaves meanwhile is no longer in flight, so a shutdown does not wait for it", async () => {
    const database = openDatabase(join(dir, "durable.sqlite"));
    let release = (): void => undefined;
    const durable = new Promise<void>((resolve) => {
      release = resolve;
    });
    let holding = true;
    // The real store, its whenDurable held as a sync in flight would hold it.
    const store = Object.assign(createSqliteStore(database), { whenDurable: () => (holding ? durable : null) });
    const lifecycle = new Lifecycle();
    const base = await serve(database, lifecycle, new LiveBus(), store);

    // Held: no answer until whenDurable resolves.
    let answered = false;
    const first = fetch(`${base}/trpc/auth.me`).then((r) => {
      answered = true;
      return r.status;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(answered).toBe(false);
    expect(lifecycle.requestsInFlight()).toBe(1);
    release();
    expect(await first).toBe(200);
    expect(lifecycle.requestsInFlight()).toBe(0);

    // A client that sent its whole request and went away while the answer was held.
    const held = new Promise<void>(() => undefined);
    Object.assign(store, { whenDurable: () => held });
    holding = false;
    const gone = request(`${base}/trpc/auth.me`);
    gone.on("error", () => undefined);
    gone.end();
    for (let i = 0; i < 100 && lifecycle.requestsInFlight() === 0; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(lifecycle.requestsInFlight()).toBe(1);
    gone.destroy();
    expect(await lifecycle.whenIdle(2000)).toBe(true);
  });
});

describe("live streams at a shutdown", () => {
  it("end without tRPC's return event when the live bus closes (so an EventSource reconnects), and new ones end at once", async () => {
    const database = openDatabase(join(dir, "live.sqlite"));
    await createUser(database.db, { username: "miit", role: "coordinator", department: "MIIT", password: "ready-test-password" }, null, new Date());
    const live = new LiveBus();
    const base = await serve(database, new Lifecycle(), live);
    const login = await fetch(`${base}/trpc/auth.login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "miit", password: "ready-test-password" }),
    });
    const cookie = login.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
    const open = () => fetch(`${base}/trpc/live.changes?input=${encodeURIComponent("{}")}`, { headers: { cookie, accept: "text/event-stream" } });
    const stream = await open();
    expect(stream.status).toBe(200);
    const text = stream.text();
    for (let i = 0; i < 100 && live.listeners() === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(live.listeners()).toBe(1);
    live.close();
    const received = await text;
    expect(received).toContain("event: connected");
    expect(received).not.toContain("event: return");
    expect(received).not.toContain("serialized-error");
    expect(live.listeners()).toBe(0);
    const late = await (await open()).text();
    expect(late).not.toContain("event: return");
    expect(late).not.toContain("serialized-error");
  });
});
