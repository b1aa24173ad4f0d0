/**
 * 14. Several instances on one PostgreSQL database (issue 13). Two real server processes (`node apps/server/dist/main.js`
 * with DATABASE_URL=postgres://…) on one database of the run's throw-away cluster, seeded from the template (the demo
 * and the issued drill plan) with the production copy (`copyFromSqlite`, as `cli db migrate-to-postgres`):
 * - racing accepts of one assignment sent to both instances at once: exactly one wins, the others get CONFLICT;
 * - a change made through instance A reaches a browser (Chromium, EventSource) connected to instance B within 2 s;
 * - sign-in limits hold across instances: failures through A slow attempts through B;
 * - concurrent writers on both instances: the audit chain verifies afterwards;
 * - SIGKILL of an instance under load loses no acknowledged write.
 */
import pg from "pg";
import { chromium } from "playwright-core";
import type { Browser as Chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectPostgres, createPostgresStore } from "@countersign/db-postgres";
import { chromiumLaunchOptions } from "@countersign/exports/chromium";
import { Browser as Tab, dataOf, liaisonOf, signedIn } from "./support/client.js";
import type { Answer, Browser } from "./support/client.js";
import { recordFigures } from "./support/figures.js";
import { databaseOn } from "./support/engines.js";
import { issueDrillPlan } from "./support/fixture.js";
import { startServer } from "./support/server.js";
import type { StartedServer } from "./support/server.js";

let url = "";
let dropDatabase: () => Promise<void> = async () => undefined;
let a: StartedServer;
let b: StartedServer;
let drillPlanId = 0;
let sql: pg.Pool;
let browser: Chromium | null = null;

interface Row {
  id: number;
  department: string;
  status: string;
  version: number;
}

/** The drill plan's assignments in a status, from the database (the test's own look, not through an instance). */
async function assignmentsIn(status: string): Promise<Row[]> {
  const result = await sql.query<Row>(
    "select id, department, status, version from assignments where plan_id = $1 and status = $2 order by id",
    [drillPlanId, status],
  );
  return result.rows;
}

/** At least `n` accepted assignments of the drill plan: assigned ones accepted through instance A as needed. */
async function acceptedAssignments(n: number): Promise<Row[]> {
  const accepted = await assignmentsIn("accepted");
  for (const row of (await assignmentsIn("assigned")).slice(0, Math.max(0, n - accepted.length))) {
    const tab = await signedIn(a.url, liaisonOf(row.department));
    dataOf(await tab.mutate("assignment.accept", { id: row.id, expectedVersion: row.version }));
  }
  return assignmentsIn("accepted");
}

/** A PostgreSQL database holding the template (demo + drill plan issued through a SQLite server first). */
async function seededPostgres(): Promise<void> {
  const database = await databaseOn("postgres", "postgres-instances", async (sqlitePath) => {
    const seeding = await startServer({ dbPath: sqlitePath });
    try {
      drillPlanId = await issueDrillPlan(seeding.url);
    } finally {
      await seeding.stop();
    }
  });
  url = database.url ?? "";
  dropDatabase = database.drop;
}

const onPostgres = (): { dbPath: string; env: Record<string, string> } => ({ dbPath: "", env: { DATABASE_URL: url } });

beforeAll(async () => {
  await seededPostgres();
  sql = new pg.Pool({ connectionString: url, max: 2 });
  [a, b] = await Promise.all([startServer(onPostgres()), startServer(onPostgres())]);
});

afterAll(async () => {
  await browser?.close();
  await Promise.allSettled([a?.stop(), b?.stop()]);
  await sql?.end();
  await dropDatabase();
});

describe("two instances on one PostgreSQL database", () => {
  it("both say they run on PostgreSQL and are ready", async () => {
    for (const instance of [a, b]) {
      expect(instance.output()).toMatch(/postgres/i);
      expect((await fetch(`${instance.url}/ready`)).status).toBe(200);
    }
  });

  it("racing accepts of one assignment through both instances: exactly one wins, the rest get CONFLICT", async () => {
    const issued = await assignmentsIn("assigned");
    const rounds = Math.min(10, issued.length);
    expect(rounds).toBeGreaterThan(0);
    let conflicts = 0;
    for (const target of issued.slice(0, rounds)) {
      const tabs: Browser[] = [];
      for (const base of [a.url, b.url, a.url, b.url]) tabs.push(await signedIn(base, liaisonOf(target.department)));
      const answers: Answer[] = await Promise.all(tabs.map((t) => t.mutate("assignment.accept", { id: target.id, expectedVersion: target.version })));
      const won = answers.filter((x) => x.ok);
      const lost = answers.filter((x) => !x.ok);
      expect(won).toHaveLength(1);
      for (const x of lost) expect(x.ok ? null : x.error?.code).toBe("CONFLICT");
      conflicts += lost.length;
      const after = await sql.query<{ status: string; version: number }>("select status, version from assignments where id = $1", [target.id]);
      expect(after.rows[0]).toEqual({ status: "accepted", version: target.version + 1 });
      const events = await sql.query<{ n: string }>("select count(*) as n from audit_events where assignment_id = $1 and type = 'assignment.accepted'", [target.id]);
      expect(Number(events.rows[0]?.n)).toBe(1);
    }
    recordFigures({
      area: "14a two instances on PostgreSQL: racing accepts",
      figure: "rounds / winners other than one",
      values: [rounds, 0],
      failures: 0,
      detail: `${rounds} rounds of 4 accepts (2 per instance): ${rounds} won, ${conflicts} CONFLICT`,
    });
  });

  it("a change made through instance A reaches a browser connected to instance B within 2 s", async () => {
    const [target] = await assignmentsIn("assigned");
    if (target === undefined) throw new Error("no issued assignment left");
    const coordinator = await signedIn(b.url, "miit");
    const cookie = coordinator.cookie?.split("=") ?? [];
    browser = await chromium.launch(chromiumLaunchOptions);
    const page = await (await browser.newContext()).newPage();
    await page.context().addCookies([{ name: cookie[0] ?? "", value: cookie.slice(1).join("="), url: b.url }]);
    await page.goto(`${b.url}/health`);
    // The browser's own EventSource on instance B's live stream, as the web client subscribes.
    await page.evaluate((planId) => {
      // In the page (this package's types have no DOM): the window and its EventSource.
      interface Source {
        onopen: () => void;
        onmessage: (event: { data: unknown }) => void;
      }
      const w = globalThis as unknown as { heard: Array<{ at: number; data: string }>; opened: boolean; EventSource: new (url: string) => Source };
      w.heard = [];
      w.opened = false;
      const source = new w.EventSource(`/trpc/live.changes?input=${encodeURIComponent(JSON.stringify({ planId }))}`);
      source.onopen = () => {
        w.opened = true;
      };
      source.onmessage = (event) => w.heard.push({ at: Date.now(), data: String(event.data) });
    }, drillPlanId);
    await page.waitForFunction(() => (globalThis as unknown as { opened: boolean }).opened, undefined, { timeout: 10_000 });
    const liaison = await signedIn(a.url, liaisonOf(target.department));
    const sentAt = Date.now();
    dataOf(await liaison.mutate("assignment.accept", { id: target.id, expectedVersion: target.version }));
    const heard = await page.waitForFunction(
      (id) => (globalThis as unknown as { heard: Array<{ at: number; data: string }> }).heard.find((m) => m.data.includes(`${id}`))?.at ?? null,
      target.id,
      { timeout: 2_000 },
    );
    const latencyMs = Number(await heard.jsonValue()) - sentAt;
    expect(latencyMs).toBeLessThan(2_000);
    recordFigures({
      area: "14b two instances on PostgreSQL: live A → browser on B",
      figure: "latency ms / late (> 2 s)",
      values: [latencyMs, 0],
      failures: 0,
      detail: "an accept through A, heard by Chromium's EventSource on B",
    });
  });

  it("concurrent writers on both instances: the audit chain verifies afterwards", async () => {
    const writers = (await acceptedAssignments(8)).slice(0, 8);
    expect(writers.length).toBeGreaterThan(1);
    // Signed in one at a time (sign-ins at once from one address are throttled like guesses); the writes at once.
    const tabs: Browser[] = [];
    for (const [i, row] of writers.entries()) tabs.push(await signedIn(i % 2 === 0 ? a.url : b.url, liaisonOf(row.department)));
    await Promise.all(
      writers.map(async (row, i) => {
        const tab = tabs[i];
        if (tab === undefined) throw new Error("no tab");
        let version = row.version;
        for (let n = 0; n < 10; n += 1) {
          const out = dataOf<{ version: number }>(await tab.mutate("assignment.comment", { id: row.id, expectedVersion: version, body: `writer ${i} note ${n}` }));
          version = out.version;
        }
      }),
    );
    const connection = connectPostgres(url);
    try {
      const verdict = await createPostgresStore(connection).verifyAuditChain();
      expect(verdict.ok).toBe(true);
    } finally {
      await connection.close();
    }
  });

  it("SIGKILL of an instance under load loses no acknowledged write", async () => {
    const accepted = (await acceptedAssignments(14)).slice(8, 14);
    expect(accepted.length).toBeGreaterThan(1);
    const acknowledged: string[] = [];
    let stop = false;
    const killTabs: Browser[] = [];
    for (const row of accepted) killTabs.push(await signedIn(a.url, liaisonOf(row.department)));
    const load = accepted.map(async (row, i) => {
      const tab = killTabs[i];
      if (tab === undefined) throw new Error("no tab");
      let version = row.version;
      for (let n = 0; !stop; n += 1) {
        const body = `kill-load ${row.id} ${n}`;
        const out = await tab.mutate("assignment.comment", { id: row.id, expectedVersion: version, body }).catch(() => null);
        if (out === null || !out.ok) break;
        acknowledged.push(body);
        version = (out.data as { version: number }).version;
        if (i === 0 && acknowledged.length >= 40) stop = true;
      }
    });
    // Kill while the load runs: after some writes were acknowledged, with more in flight.
    while (acknowledged.length < 20) await new Promise((r) => setTimeout(r, 20));
    await a.kill();
    stop = true;
    await Promise.all(load);
    const stored = await sql.query<{ body: string }>("select body from comments where body like 'kill-load %'");
    const kept = new Set(stored.rows.map((r) => r.body));
    const lost = acknowledged.filter((body) => !kept.has(body));
    expect(lost).toEqual([]);
    recordFigures({
      area: "14c two instances on PostgreSQL: SIGKILL under load",
      figure: "acknowledged / lost",
      values: [acknowledged.length, lost.length],
      failures: lost.length,
      detail: "comments through instance A, killed mid-load; B still ready",
    });
    // The other instance still serves; A starts again on the same database and is ready.
    expect((await fetch(`${b.url}/ready`)).status).toBe(200);
    a = await startServer(onPostgres());
    expect((await fetch(`${a.url}/ready`)).status).toBe(200);
  });
  // Last: it leaves the account and the address throttled for a while.
  it("sign-in limits hold across instances: failures through A slow the next attempt through B", async () => {
    // Six failures on one account name, three through each instance: within one process's memory neither would have
    // seen more than the free five; counted in the database, the next attempt through B waits.
    const name = "mof";
    for (let i = 0; i < 6; i += 1) {
      const failed = await new Tab(i % 2 === 0 ? a.url : b.url).login(name, "not-the-password");
      expect(failed.ok).toBe(false);
    }
    const onB = await new Tab(b.url).login(name, "not-the-password");
    expect(onB.ok ? null : onB.error?.refusalCode).toBe("too_many_attempts");
  });

});
