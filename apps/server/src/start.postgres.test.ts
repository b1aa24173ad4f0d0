/**
 * The server process on PostgreSQL (issue 13): `startServer` with DATABASE_URL on a fresh database of the test run's
 * cluster (vitest globalSetup), over real HTTP. First start seeds the default plan and the demo once; /health and
 * /ready answer; a procedure not on the store seam yet answers 501 `not_on_this_engine`; /ready says why it is not
 * ready (a migration missing, the server stopped).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import net from "node:net";
import { join } from "node:path";
import { bundledMigrations } from "@countersign/db";
import { migrationsFolder } from "@countersign/db-postgres";
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
  dir = mkdtempSync(join(tmpdir(), "countersign-start-pg-"));
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A fresh, empty PostgreSQL database, dropped after the test. */
async function emptyDatabase(): Promise<string> {
  const { url, drop } = await freshDatabaseUrl();
  cleanups.push(drop);
  return url;
}

/** Starts the real server as `main.ts` does (config from arguments and environment) on `url`; shut down after the test. */
async function start(url: string, args: string[] = [], env: Record<string, string> = {}): Promise<{ server: RunningServer; base: string }> {
  const config = readConfig(args, {
    DATABASE_URL: url,
    // Never opened on PostgreSQL: proves nothing is written beside it.
    DATABASE_PATH: join(dir, "unused.sqlite"),
    PORT: "0",
    HOST: "127.0.0.1",
    WEB_DIST: join(dir, "no-web"),
    ...env,
  });
  const server = await startServer(config, { app: { logStream: { write: () => undefined } } });
  cleanups.push(async () => {
    await server.shutdown();
  });
  return { server, base: `http://127.0.0.1:${server.port}` };
}

/** A TCP relay to the PostgreSQL server of `url`: `url` rewritten to the relay's port, and `stop`, which ends it. */
async function tcpRelay(url: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const target = new URL(url);
  const sockets = new Set<net.Socket>();
  const relay = net.createServer((client) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => undefined);
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => relay.listen(0, "127.0.0.1", resolve));
  const address = relay.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  const relayed = new URL(url);
  relayed.hostname = "127.0.0.1";
  relayed.port = String(address.port);
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    const closed = new Promise<void>((resolve) => relay.close(() => resolve()));
    for (const s of sockets) s.destroy();
    await closed;
  };
  cleanups.push(stop);
  return { url: relayed.toString(), stop };
}

async function get(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function query<T extends pg.QueryResultRow>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

const counts = async (url: string) =>
  (
    await query<{ users: number; plans: number; assignments: number; events: number }>(
      url,
      `select (select count(*)::int from users) as users, (select count(*)::int from plans) as plans,
              (select count(*)::int from assignments) as assignments, (select count(*)::int from audit_events) as events`,
    )
  )[0];

describe("startServer on PostgreSQL (DATABASE_URL)", () => {
  it("starts on an empty database: alive, ready with every PostgreSQL migration, the demo seeded once and left alone at the next start", async () => {
    const url = await emptyDatabase();
    const first = await start(url, ["--demo"]);
    expect(first.server.engine).toBe("postgres");
    expect(first.server.database).toBeNull();
    expect(first.server.demo?.seeded).toBe(true);
    expect(first.server.demo?.planId).toEqual(expect.any(Number));

    expect(await get(`${first.base}/health`)).toMatchObject({ status: 200, body: { status: "ok", database: "ok" } });
    const journal = bundledMigrations(migrationsFolder);
    expect(await get(`${first.base}/ready`)).toMatchObject({
      status: 200,
      body: { status: "ready", database: "ok", migrations: { applied: journal.length, latest: journal.at(-1)?.tag } },
    });

    const seeded = await counts(url);
    expect(seeded?.users).toBeGreaterThan(10);
    expect(seeded?.plans).toBeGreaterThanOrEqual(1);
    expect(seeded?.assignments).toBeGreaterThan(0);
    expect(seeded?.events).toBeGreaterThan(0);
    // The copy is verified as it is made; the store's own walk agrees.
    expect(await first.server.store.verifyAuditChain()).toMatchObject({ ok: true, events: seeded?.events });

    await first.server.shutdown();
    const second = await start(url, ["--demo"]);
    expect(second.server.demo).toMatchObject({ seeded: false, planId: first.server.demo?.planId });
    expect(await counts(url)).toEqual(seeded);
  });

  it("seeds only the default plan without --demo, and names no demo accounts", async () => {
    const url = await emptyDatabase();
    const { server } = await start(url);
    expect(server.demo).toBeNull();
    const seeded = await counts(url);
    expect(seeded).toMatchObject({ users: 0, plans: 1 });
    expect(server.notices.join("\n")).toContain("No administrator account yet");
  });

  it("answers the areas that moved last (cascade, rounds, exports) over HTTP as on SQLite, and names no function as missing at start-up", async () => {
    const url = await emptyDatabase();
    const { base, server } = await start(url, ["--demo"]);
    expect(server.notices.join("\n")).not.toMatch(/not (yet )?available on PostgreSQL|does not run on PostgreSQL/);
    const login = await fetch(`${base}/trpc/auth.login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "miit", password: demoPassword }),
    });
    expect(login.status).toBe(200);
    const cookie = (login.headers.getSetCookie()[0] ?? "").split(";")[0] ?? "";
    const organisations = await fetch(`${base}/trpc/cascade.organisations`, { headers: { cookie } });
    expect(organisations.status).toBe(200);
    const rounds = await fetch(`${base}/trpc/round.list?input=${encodeURIComponent(JSON.stringify({ planId: 1 }))}`, { headers: { cookie } });
    expect(rounds.status).toBe(200);
    expect(((await rounds.json()) as { result: { data: unknown } }).result.data).toEqual(expect.any(Array));
    const csv = await fetch(`${base}/export/matrix.csv?lang=zh`, { headers: { cookie } });
    expect(csv.status).toBe(200);
    expect(await csv.text()).toMatch(/^\uFEFF?序号,部分,重点任务,工信部[\s\S]*牵头/);
  });

  it("runs the reporting rounds: a report with a file uploaded over HTTP, and the server's own scheduler closing a round at its deadline", async () => {
    const url = await emptyDatabase();
    // The background work reads the process's environment (start.ts): the scheduler ticks every 0.2 s for this server.
    const before = process.env["ROUNDS_TICK_SECONDS"];
    process.env["ROUNDS_TICK_SECONDS"] = "0.2";
    const { base } = await start(url, ["--demo"]).finally(() => {
      if (before === undefined) delete process.env["ROUNDS_TICK_SECONDS"];
      else process.env["ROUNDS_TICK_SECONDS"] = before;
    });
    const signIn = async (username: string) => {
      const login = await fetch(`${base}/trpc/auth.login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username, password: demoPassword }),
      });
      expect(login.status).toBe(200);
      return (login.headers.getSetCookie()[0] ?? "").split(";")[0] ?? "";
    };
    const trpc = async <T>(cookie: string, procedure: string, input: unknown, mutation = false): Promise<T> => {
      const response = mutation
        ? await fetch(`${base}/trpc/${procedure}`, { method: "POST", headers: { cookie, "content-type": "application/json" }, body: JSON.stringify(input) })
        : await fetch(`${base}/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(input))}`, { headers: { cookie } });
      expect(response.status).toBe(200);
      return ((await response.json()) as { result: { data: T } }).result.data;
    };
    const miit = await signIn("miit");
    const mof = await signIn("mof");
    const plans = await trpc<Array<{ id: number; status: string }>>(miit, "catalog.plans", undefined);
    const planId = plans.find((p) => p.status === "issued")?.id ?? 0;
    const round = { planId, measureNumbers: [7], departments: ["MOF", "STA"] };
    // A monthly round whose next period began long ago: the scheduler (every 0.2 s here) rolls it over.
    const past = await trpc<{ id: number }>(
      miit,
      "round.open",
      { ...round, title: "上月调度", periodStart: "2020-01-01", periodEnd: "2020-01-31", dueDate: "2020-02-05", recurrence: "monthly" },
      true,
    );
    const current = await trpc<{ id: number }>(
      miit,
      "round.open",
      { ...round, title: "本季度调度", periodStart: "2026-01-01", periodEnd: "2099-03-31", dueDate: "2099-04-10", recurrence: "none" },
      true,
    );
    const report = (await trpc<{ reports: Array<{ id: number; version: number }> }>(mof, "round.get", { roundId: current.id })).reports[0];
    if (report === undefined) throw new Error("no report for MOF");
    const body = new FormData();
    for (const [name, value] of Object.entries({ action: "submit", expectedVersion: String(report.version), progress: "已印发", problems: "无", nextSteps: "督查" })) {
      body.append(name, value);
    }
    const pdf = Buffer.from("%PDF-1.4\n% 实施细则\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n");
    body.append("file", new Blob([pdf], { type: "application/pdf" }), "实施细则.pdf");
    const upload = await fetch(`${base}/attachments/round-report/${report.id}`, { method: "POST", headers: { cookie: mof, "x-countersign-upload": "1" }, body });
    expect(upload.status).toBe(200);
    const uploaded = ((await upload.json()) as { result: { status: string; attachmentIds: number[] } }).result;
    expect(uploaded.status).toBe("submitted");
    expect(uploaded.attachmentIds).toHaveLength(1);
    const file = await fetch(`${base}/attachments/${uploaded.attachmentIds[0] ?? 0}`, { headers: { cookie: miit } });
    expect(file.status).toBe(200);
    expect(Buffer.from(await file.arrayBuffer()).equals(pdf)).toBe(true);

    const deadline = Date.now() + 10_000;
    let status = "open";
    while (status === "open" && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      status = (await trpc<{ status: string }>(miit, "round.header", { roundId: past.id })).status;
    }
    expect(status).toBe("closed");
  });

  it("answers a refusal raised outside a procedure (a hook, a plain route) with its own status, never 500", async () => {
    const url = await emptyDatabase();
    const config = readConfig([], { DATABASE_URL: url, DATABASE_PATH: join(dir, "unused.sqlite"), PORT: "0", HOST: "127.0.0.1", WEB_DIST: join(dir, "no-web") });
    const server = await startServer(config, {
      app: { logStream: { write: () => undefined } },
      // A plain route that reads SQLite as the unconverted export and attachment routes do.
      extend: (app, deps) => {
        app.get("/probe/sqlite-only", async () => deps.db.select());
      },
    });
    cleanups.push(async () => {
      await server.shutdown();
    });
    const base = `http://127.0.0.1:${server.port}`;
    const plain = await fetch(`${base}/probe/sqlite-only`);
    expect(plain.status).toBe(501);
    expect(await plain.json()).toMatchObject({ error: { data: { refusalCode: "not_on_this_engine" } } });
    // With a session cookie the session is read before any procedure runs: refused as not on this engine while
    // that read is on SQLite, else (session lookup on the seam) an unknown session is simply not signed in.
    const cookie = { cookie: "countersign_session=no-such-session" };
    const query = await fetch(`${base}/trpc/catalog.plans`, { headers: cookie });
    const refusal = ((await query.json()) as { error: { data: { refusalCode: string } } }).error.data.refusalCode;
    expect([query.status, refusal]).toEqual(refusal === "not_on_this_engine" ? [501, "not_on_this_engine"] : [401, "unauthenticated"]);
    // The live stream's own hook reads the session too (its per-account limit): 501, or the stream (which then
    // refuses the unknown session inside it).
    const controller = new AbortController();
    const stream = await fetch(`${base}/trpc/live.changes`, { headers: { ...cookie, accept: "text/event-stream" }, signal: controller.signal });
    const type = stream.headers.get("content-type") ?? "";
    controller.abort();
    expect([stream.status, type.includes("text/event-stream")]).toEqual(stream.status === 501 ? [501, false] : [200, true]);
  });
});

describe("/ready on PostgreSQL", () => {
  it("is not ready on a database lacking this build's last migration (503 migrations_pending, naming it); alive all along", async () => {
    const url = await emptyDatabase();
    const { base } = await start(url);
    const journal = bundledMigrations(migrationsFolder);
    const last = journal.at(-1);
    // As an older build left it: the last migration's record gone (drizzle would apply it at the next start).
    await query(url, `delete from drizzle.__drizzle_migrations where created_at = ${last?.when}`);
    const ready = await get(`${base}/ready`);
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ status: "not_ready", reason: "migrations_pending", migrations: { pending: [last?.tag] } });
    expect((await get(`${base}/health`)).status).toBe(200);
  });

  it("is not ready when the database server stops (503 database_unreachable), and /health says unavailable", async () => {
    const url = await emptyDatabase();
    // The server reaches PostgreSQL through a TCP relay; closing the relay is, to the server, PostgreSQL stopping
    // (connections reset, new ones refused) without stopping the cluster the other tests share.
    const relay = await tcpRelay(url);
    const { base } = await start(relay.url);
    expect((await get(`${base}/ready`)).status).toBe(200);
    await relay.stop();
    const ready = await get(`${base}/ready`);
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ status: "not_ready", reason: "database_unreachable" });
    expect((await get(`${base}/health`)).status).toBe(503);
  });
});
