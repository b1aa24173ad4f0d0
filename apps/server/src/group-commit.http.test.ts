/**
 * Group commit over real HTTP (issue 17, writes): concurrent mutations of several departments share one transaction,
 * each its own savepoint, audit event, version check and idempotency record; every answer comes after the COMMIT.
 * The assignment actions moved onto the store seam (issue 13): each is now a unit of work of its own (BEGIN
 * IMMEDIATE … COMMIT on the same writer queue), not a member of a batch; the promises below hold for them still.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import type { Database as SqliteDatabase } from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { createSqliteStore, loadDefaultPlan, openDatabase, verifyAuditChain } from "@countersign/db";
import type { OpenedDatabase } from "@countersign/db";
import { buildApp } from "./app.js";
import { LiveBus } from "./live.js";
import { bridgeStoreLiveEvents } from "./live-bridge.js";
import { defaultSessionPolicy } from "./services/auth/session-policy.js";
import type { LiveEnvelope } from "./services/shared/live-change.js";
import { createUser } from "./services/users/create-user.js";

const password = "group-commit-password";
const liaisons = ["mof", "ndrc", "most", "samr", "mofcom"] as const;

/** The live bus, checking as each change is announced that another connection already sees it committed. */
class CommittedCheckingBus extends LiveBus {
  readonly announced: { assignmentIds: number[]; committed: boolean }[] = [];
  reader: SqliteDatabase | null = null;

  override publish(change: LiveEnvelope | null): void {
    if (change !== null && this.reader !== null) {
      const reader = this.reader;
      const committed = change.change.assignmentIds.every((id) => {
        const row = reader.prepare("SELECT status FROM assignments WHERE id = ?").get(id) as { status: string } | undefined;
        return row?.status === "accepted";
      });
      this.announced.push({ assignmentIds: change.change.assignmentIds, committed });
    }
    super.publish(change);
  }
}

let dir: string;
let database: OpenedDatabase;
let reader: SqliteDatabase;
let app: FastifyInstance;
let base: string;
let store: ReturnType<typeof createSqliteStore>;
const live = new CommittedCheckingBus();
const cookies = new Map<string, string>();

async function post(path: string, body: unknown, cookie: string | null, headers: Record<string, string> = {}) {
  const response = await fetch(`${base}/trpc/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(cookie === null ? {} : { cookie }), ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, json: (await response.json()) as Record<string, unknown>, setCookie: response.headers.getSetCookie() };
}

async function signIn(username: string): Promise<string> {
  const answer = await post("auth.login", { username, password }, null);
  const pair = answer.setCookie.map((c) => c.split(";")[0] ?? "").find((p) => p.startsWith("countersign_session="));
  if (pair === undefined) throw new Error(`${username} did not sign in: ${JSON.stringify(answer.json)}`);
  return pair;
}

function cookieOf(username: string): string {
  const cookie = cookies.get(username);
  if (cookie === undefined) throw new Error(`${username} is not signed in`);
  return cookie;
}

/** Open assignments (`assigned`) of a department, as committed. */
function assignedOf(department: string, count: number): { id: number; version: number }[] {
  return reader
    .prepare("SELECT id, version FROM assignments WHERE department = ? AND status = 'assigned' ORDER BY id LIMIT ?")
    .all(department, count) as { id: number; version: number }[];
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "countersign-group-commit-"));
  // A short busy timeout, as the server keeps (DATABASE_BUSY_TIMEOUT_MS): a busy BEGIN must not block for long.
  database = openDatabase(join(dir, "countersign.sqlite"), { busyTimeoutMs: 20 });
  loadDefaultPlan(database.db);
  await createUser(database.db, { username: "miit", role: "coordinator", department: "MIIT", password }, null, new Date());
  for (const name of liaisons) {
    await createUser(database.db, { username: name, role: "liaison", department: name.toUpperCase(), password }, null, new Date());
  }
  reader = new Database(join(dir, "countersign.sqlite"), { readonly: true });
  live.reader = reader;
  // A long wait, so that one burst of requests is one batch even on a loaded machine.
  store = createSqliteStore(database, undefined, { groupCommit: { enabled: true, maxBatch: 64, maxWaitMs: 1000 } });
  // The seam's changes reach the live bus as on a started server (start.ts).
  await bridgeStoreLiveEvents(store, live);
  app = await buildApp(
    { store, db: database.db, live, sessionPolicy: defaultSessionPolicy, now: () => new Date(), secureCookies: false, busyPolicy: { maxWaitMs: 300, firstDelayMs: 10, maxDelayMs: 50, retryAfterSeconds: 2 } },
    { allowedOrigins: [], bodyLimitBytes: 64 * 1024, webDist: null, trustProxy: false, logRequests: false },
  );
  await app.listen({ port: 0, host: "127.0.0.1" });
  const address = app.server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  base = `http://127.0.0.1:${address.port}`;
  for (const name of ["miit", ...liaisons]) cookies.set(name, await signIn(name));
  const planId = (reader.prepare("SELECT id FROM plans ORDER BY id LIMIT 1").get() as { id: number }).id;
  const issued = await post("plan.issue", { planId, dueDate: "2099-12-31" }, cookieOf("miit"));
  expect(issued.status).toBe(200);
});

afterAll(async () => {
  await app.close();
  reader.close();
  database.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("group commit over HTTP", () => {
  it("commits concurrent acts of several departments, each in its own unit of work of the store seam: a refusal in the middle undoes only itself, a retry with the same key gets the first answer, changes are announced after the COMMIT", async () => {
    const planned: { who: string; id: number; expectedVersion: number; key?: string; expect: "accepted" | "stale" | "forbidden" | "replayed" }[] = [];
    for (const name of liaisons) {
      for (const a of assignedOf(name.toUpperCase(), 3)) planned.push({ who: name, id: a.id, expectedVersion: a.version, expect: "accepted" });
    }
    // In the middle: a stale version (CONFLICT) and another department's assignment (FORBIDDEN).
    const [mofExtra, stale] = assignedOf("MOF", 5).slice(3);
    const foreign = assignedOf("NDRC", 4)[3];
    if (mofExtra === undefined || stale === undefined || foreign === undefined) throw new Error("the plan has too few open assignments");
    const middle = Math.floor(planned.length / 2);
    planned.splice(
      middle,
      0,
      { who: "mof", id: stale.id, expectedVersion: stale.version + 7, expect: "stale" },
      { who: "mof", id: foreign.id, expectedVersion: foreign.version, expect: "forbidden" },
      // The same request twice with one Idempotency-Key (a browser's retry): one act, one answer.
      { who: "mof", id: mofExtra.id, expectedVersion: mofExtra.version, key: "retry-1", expect: "accepted" },
      { who: "mof", id: mofExtra.id, expectedVersion: mofExtra.version, key: "retry-1", expect: "replayed" },
    );
    expect(planned.length).toBeGreaterThan(15);
    const auditBefore = (reader.prepare("SELECT count(*) AS n FROM audit_events").get() as { n: number }).n;
    const unitsBefore = store.groupCommitStats();

    const answers = await Promise.all(
      planned.map((p) =>
        post("assignment.accept", { id: p.id, expectedVersion: p.expectedVersion }, cookieOf(p.who), p.key === undefined ? {} : { "idempotency-key": p.key }),
      ),
    );

    // The store's group commit took them all, the burst sharing a few COMMITs.
    const unitsAfter = store.groupCommitStats();
    // One unit each, and one more: the trail's record of the refused foreign act (access.refused).
    expect(unitsAfter.units - unitsBefore.units).toBe(planned.length + 1);
    expect(unitsAfter.batches - unitsBefore.batches).toBeLessThan(planned.length / 2);
    planned.forEach((p, i) => {
      const answer = answers[i];
      if (answer === undefined) throw new Error("no answer");
      if (p.expect === "accepted" || p.expect === "replayed") {
        expect(answer.status, JSON.stringify(answer.json)).toBe(200);
        expect(answer.json).toMatchObject({ result: { data: { id: p.id, status: "accepted", version: p.expectedVersion + 1 } } });
        const row = reader.prepare("SELECT status, version FROM assignments WHERE id = ?").get(p.id);
        expect(row).toEqual({ status: "accepted", version: p.expectedVersion + 1 });
      } else if (p.expect === "stale") {
        expect(answer.status).toBe(409);
        expect(answer.json).toMatchObject({ error: { data: { refusalCode: "stale_version" } } });
      } else {
        expect(answer.status).toBe(403);
      }
    });
    expect(reader.prepare("SELECT status FROM assignments WHERE id = ?").get(stale.id)).toEqual({ status: "assigned" });
    expect(reader.prepare("SELECT status FROM assignments WHERE id = ?").get(foreign.id)).toEqual({ status: "assigned" });
    // The retry replayed the first answer: the same body, one act in the trail.
    const retried = planned.flatMap((p, i) => (p.key === undefined ? [] : [answers[i]?.json]));
    expect(retried[0]).toEqual(retried[1]);
    expect(
      reader.prepare("SELECT count(*) AS n FROM audit_events WHERE assignment_id = ? AND type = 'assignment.accepted'").get(mofExtra.id),
    ).toEqual({ n: 1 });

    // One audit event per act, plus the refused access; the chain verifies.
    const acts = planned.filter((p) => p.expect === "accepted").length;
    const auditAfter = (reader.prepare("SELECT count(*) AS n FROM audit_events").get() as { n: number }).n;
    expect(auditAfter - auditBefore).toBe(acts + 1);
    expect(verifyAuditChain(database.db)).toMatchObject({ ok: true });

    // Each act announced once, and only once another connection could already read it.
    const announced = live.announced.slice(-acts);
    expect(announced).toHaveLength(acts);
    expect(announced.every((a) => a.committed)).toBe(true);
  });

  it("keeps the busy-database answer: while another process holds the write lock the batch stores nothing and each request gets 503 database_busy", async () => {
    const [a, b] = assignedOf("SAMR", 10).slice(-2);
    if (a === undefined || b === undefined) throw new Error("too few open assignments");
    const other = new Database(join(dir, "countersign.sqlite"));
    other.exec("BEGIN IMMEDIATE");
    try {
      const answers = await Promise.all(
        [a, b].map((x) => post("assignment.accept", { id: x.id, expectedVersion: x.version }, cookieOf("samr"))),
      );
      for (const answer of answers) {
        expect(answer.status).toBe(503);
        expect(answer.headers.get("retry-after")).toBe("2");
        expect(answer.json).toMatchObject({ error: { data: { refusalCode: "database_busy" } } });
      }
    } finally {
      other.exec("ROLLBACK");
      other.close();
    }
    expect(assignedOf("SAMR", 10).map((x) => x.id)).toEqual(expect.arrayContaining([a.id, b.id]));
    // Once the lock is free the same requests go through.
    const again = await Promise.all([a, b].map((x) => post("assignment.accept", { id: x.id, expectedVersion: x.version }, cookieOf("samr"))));
    expect(again.map((x) => x.status)).toEqual([200, 200]);
  });
});
