/**
 * Two server processes' worth of instances (two `startServer`) on one PostgreSQL database (issue 13): they start
 * together on an empty database (one seeds, the other finds the data), a change committed through instance A's
 * store reaches instance B's live streams within 2 s (PostgreSQL LISTEN/NOTIFY, live-bridge.ts), and one instance
 * shuts down gracefully while the other keeps serving and hearing changes.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LiveEvent } from "@countersign/db";
import { freshDatabaseUrl } from "@countersign/db-postgres/test-support";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { readConfig } from "./config.js";
import type { LiveBus, LiveDelivery } from "./live.js";
import { startServer } from "./start.js";
import type { RunningServer } from "./start.js";

let dir: string;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "countersign-instances-pg-"));
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function start(url: string): Promise<{ server: RunningServer; base: string }> {
  const config = readConfig([], { DATABASE_URL: url, DATABASE_PATH: join(dir, "unused.sqlite"), PORT: "0", HOST: "127.0.0.1", WEB_DIST: join(dir, "no-web") });
  const server = await startServer(config, { app: { logStream: { write: () => undefined } } });
  cleanups.push(async () => {
    await server.shutdown();
  });
  return { server, base: `http://127.0.0.1:${server.port}` };
}

/** The first change `live` delivers whose planId and `at` match, within `ms` milliseconds (else rejects). */
function nextChange(live: LiveBus, at: string, ms: number): Promise<{ delivery: LiveDelivery; afterMs: number }> {
  const started = performance.now();
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), ms);
  return (async () => {
    try {
      for await (const delivery of live.listen(abort.signal)) {
        if (delivery.kind === "change" && delivery.event.envelope.change.at === at) return { delivery, afterMs: performance.now() - started };
      }
      throw new Error(`no change at ${at} within ${ms} ms`);
    } finally {
      clearTimeout(timer);
      abort.abort();
    }
  })();
}

/** Commits a unit of work through `server`'s store that announces `event` (tx.afterCommit: NOTIFY in the commit). */
async function commitThrough(server: RunningServer, event: LiveEvent): Promise<void> {
  await server.store.transaction(async (tx) => {
    tx.afterCommit(event);
  });
}

const change = (planId: number, at: string): LiveEvent => ({ planId, assignmentIds: [1], measureNumbers: [3], departments: ["MIIT"], audience: ["MIIT"], at });

describe("two instances on one PostgreSQL database", () => {
  it("start together on an empty database (seeded once), share live changes both ways, and one shuts down while the other serves on", async () => {
    const { url, drop } = await freshDatabaseUrl();
    cleanups.push(drop);
    const [a, b] = await Promise.all([start(url), start(url)]);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const plans = await client.query<{ n: number }>("select count(*)::int as n from plans");
    await client.end();
    // Both ran the first-start seed; the advisory lock let one copy and the other find the data.
    expect(plans.rows[0]?.n).toBe(1);

    // A → B: what a browser connected to B listens to (its LiveBus, which live.changes iterates).
    const atAB = new Date(Date.UTC(2026, 0, 1, 0, 0, 1)).toISOString();
    const heardOnB = nextChange(b.server.live, atAB, 2000);
    const heardOnA = nextChange(a.server.live, atAB, 2000);
    await commitThrough(a.server, change(1, atAB));
    const onB = await heardOnB;
    expect(onB.afterMs).toBeLessThan(2000);
    expect(onB.delivery).toMatchObject({ kind: "change", event: { envelope: { change: { planId: 1, assignmentIds: [1], at: atAB }, audience: ["MIIT"] } } });
    // The committing instance hears its own change once, through the same bus.
    await heardOnA;

    // B → A.
    const atBA = new Date(Date.UTC(2026, 0, 1, 0, 0, 4)).toISOString();
    const heardBack = nextChange(a.server.live, atBA, 2000);
    await commitThrough(b.server, change(1, atBA));
    expect((await heardBack).delivery).toMatchObject({ kind: "change", event: { envelope: { change: { at: atBA } } } });

    // A rolled-back unit of work announces nothing to either.
    const atRollback = new Date(Date.UTC(2026, 0, 1, 0, 0, 2)).toISOString();
    const silentOnB = nextChange(b.server.live, atRollback, 500);
    await expect(
      b.server.store.transaction(async (tx) => {
        tx.afterCommit(change(1, atRollback));
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    await expect(silentOnB).rejects.toThrow("no change");

    // A shuts down gracefully; B keeps serving, and still hears changes committed through it.
    const report = await a.server.shutdown();
    expect(report.drained).toBe(true);
    await expect(fetch(`${a.base}/health`)).rejects.toThrow();
    expect((await fetch(`${b.base}/ready`)).status).toBe(200);
    const atB = new Date(Date.UTC(2026, 0, 1, 0, 0, 3)).toISOString();
    const heardAfter = nextChange(b.server.live, atB, 2000);
    await commitThrough(b.server, change(1, atB));
    expect((await heardAfter).delivery.kind).toBe("change");
  });
});
