// The store port's contract, run against both adapters: the SQLite store (better-sqlite3, a file in a temporary
// folder) and the PostgreSQL store (a real server: see test-support/global-setup.ts).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { desc, eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { departments } from "@countersign/domain";
import type { AssignmentStatus } from "@countersign/domain";
import {
  createSqliteStore,
  loadDepartments,
  NestedUnitOfWorkError,
  openDatabase,
  schema as sqliteSchema,
  StaleVersionError,
  writeTransaction,
} from "@countersign/db";
import type { AuditEventInput, Engine, LiveEvent, LiveEventBus, Store } from "@countersign/db";
import { PostgresLiveEventBus } from "./live-bus.js";
import * as pgSchema from "./schema/index.js";
import { createPostgresStore } from "./store.js";
import { migratedDatabase } from "./test-support/databases.js";

interface Seeded {
  plans: { id: number; measures: { id: number; number: number }[] }[];
}

interface NewAssignment {
  planId: number;
  measureId: number;
  measureNumber: number;
  department: string;
  status: AssignmentStatus;
}

/** What differs per engine: seeding, the writes the port has no verb for yet, tampering, a second listener. */
interface Fixture {
  store: Store<unknown>;
  seed(): Promise<Seeded>;
  insertAssignment(a: NewAssignment): Promise<{ id: number; version: number }>;
  deleteAssignment(id: number): Promise<void>;
  auditEventCount(): Promise<number>;
  assignment(id: number): Promise<{ status: string; version: number } | undefined>;
  /** Adds one to a kept count (every department, every plan, assigned) behind the triggers' back. */
  tamperWithACount(): Promise<void>;
  /** Deletes the newest audit event behind the store's back. */
  deleteNewestAuditEvent(): Promise<void>;
  /** A bus another server instance would have (PostgreSQL: another connection; SQLite: the same process's). */
  otherInstanceBus(): LiveEventBus;
  dispose(): Promise<void>;
}

const statuses: AssignmentStatus[] = ["assigned", "accepted", "in_progress", "declined", "signed_off"];
const departmentCodes = departments.map((d) => d.code);

function planRow(n: number) {
  return {
    key: `test-plan-${n}`,
    titleEn: `Plan ${n}`,
    titleZh: `方案${n}`,
    documentNumber: `No. ${n}`,
    issuedOn: "2026-01-01",
    publishedOn: "2026-01-01",
    leadDepartment: "MIIT",
    createdAt: "2026-01-01T00:00:00.000Z",
  };
}
function measureRow(planId: number, number: number) {
  return { planId, number, sectionNumber: 1, title: `措施${number}`, text: `第${number}条`, textCut: false };
}
function assignmentRow(a: NewAssignment) {
  return { ...a, role: "supporting" as const, dueDate: "2026-12-31", issuedAt: "2026-01-02T00:00:00.000Z", updatedAt: "2026-01-02T00:00:00.000Z" };
}

async function sqliteFixture(): Promise<Fixture> {
  const dir = mkdtempSync(join(tmpdir(), "countersign-contract-"));
  const opened = openDatabase(join(dir, "countersign.sqlite"));
  const store = createSqliteStore(opened);
  const { db } = opened;
  const t = sqliteSchema;
  return {
    store,
    async seed() {
      return writeTransaction(db, (tx) => {
        loadDepartments(tx, departments);
        return {
          plans: [1, 2].map((n) => {
            const plan = tx.insert(t.plansTable).values(planRow(n)).returning().get();
            const measures = [1, 2, 3].map((m) => tx.insert(t.measuresTable).values(measureRow(plan.id, m)).returning().get());
            return { id: plan.id, measures };
          }),
        };
      });
    },
    async insertAssignment(a) {
      const row = db.insert(t.assignmentsTable).values(assignmentRow(a)).returning().get();
      return { id: row.id, version: row.version };
    },
    async deleteAssignment(id) {
      db.delete(t.assignmentsTable).where(eq(t.assignmentsTable.id, id)).run();
    },
    async auditEventCount() {
      return db.select().from(t.auditEventsTable).all().length;
    },
    async assignment(id) {
      return db.select().from(t.assignmentsTable).where(eq(t.assignmentsTable.id, id)).get();
    },
    async tamperWithACount() {
      opened.sqlite.prepare("update assignment_counts set n = n + 1 where department = '*' and plan_id = 0 and status = 'assigned'").run();
    },
    async deleteNewestAuditEvent() {
      opened.sqlite.prepare("delete from audit_events where seq = (select max(seq) from audit_events)").run();
    },
    otherInstanceBus: () => store.live,
    async dispose() {
      await store.close();
      opened.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function postgresFixture(): Promise<Fixture> {
  const database = await migratedDatabase();
  const { db, pool } = database.connection;
  const store = createPostgresStore(database.connection);
  const t = pgSchema;
  const buses: PostgresLiveEventBus[] = [];
  return {
    store,
    async seed() {
      return db.transaction(async (tx) => {
        await tx.insert(t.departmentsTable).values(
          departments.map((d) => ({
            code: d.code,
            nameEn: d.nameEn,
            nameZh: d.nameZh,
            shortEn: d.shortEn,
            shortZh: d.shortZh,
            signatureOrder: d.order,
            successor: d.successor,
          })),
        );
        const plans: Seeded["plans"] = [];
        for (const n of [1, 2]) {
          const [plan] = await tx.insert(t.plansTable).values(planRow(n)).returning();
          if (plan === undefined) throw new Error("no plan");
          const measures = await tx.insert(t.measuresTable).values([1, 2, 3].map((m) => measureRow(plan.id, m))).returning();
          plans.push({ id: plan.id, measures });
        }
        return { plans };
      });
    },
    async insertAssignment(a) {
      const [row] = await db.insert(t.assignmentsTable).values(assignmentRow(a)).returning();
      if (row === undefined) throw new Error("not inserted");
      return { id: row.id, version: row.version };
    },
    async deleteAssignment(id) {
      await db.delete(t.assignmentsTable).where(eq(t.assignmentsTable.id, id));
    },
    async auditEventCount() {
      return (await db.select().from(t.auditEventsTable)).length;
    },
    async assignment(id) {
      const [row] = await db.select().from(t.assignmentsTable).where(eq(t.assignmentsTable.id, id));
      return row;
    },
    async tamperWithACount() {
      await pool.query("update assignment_counts set n = n + 1 where department = '*' and plan_id = 0 and status = 'assigned'");
    },
    async deleteNewestAuditEvent() {
      const [newest] = await db.select().from(t.auditEventsTable).orderBy(desc(t.auditEventsTable.seq)).limit(1);
      if (newest !== undefined) await db.delete(t.auditEventsTable).where(eq(t.auditEventsTable.id, newest.id));
    },
    otherInstanceBus() {
      // Its own pool and its own LISTEN connection: what a second server instance would have.
      const bus = new PostgresLiveEventBus(database.url, pool);
      buses.push(bus);
      return bus;
    },
    async dispose() {
      for (const bus of buses) await bus.close();
      await store.close();
      await database.dispose();
    },
  };
}

const engines: { engine: Engine; make: () => Promise<Fixture> }[] = [
  { engine: "sqlite", make: sqliteFixture },
  { engine: "postgres", make: postgresFixture },
];

function auditEvent(n: number, body: string): AuditEventInput {
  return {
    at: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
    type: "assignment.commented",
    actorUserId: 1,
    actorUsername: "mof",
    actorRole: "liaison",
    actorDepartment: "MOF",
    payload: { body },
  };
}

function liveEvent(planId: number, assignmentIds: number[]): LiveEvent {
  return { planId, assignmentIds, measureNumbers: [1], departments: ["MOF"], audience: ["MOF", "NDRC"], at: "2026-01-03T00:00:00.000Z" };
}

/** Resolves with the first `n` events `bus` hears, or rejects after `ms`. */
async function hear(bus: LiveEventBus, n: number, ms: number): Promise<{ events: LiveEvent[]; stop: () => Promise<void> }> {
  const events: LiveEvent[] = [];
  let done: () => void = () => undefined;
  const enough = new Promise<void>((resolve) => (done = resolve));
  const stop = await bus.subscribe((e) => {
    events.push(e);
    if (events.length >= n) done();
  });
  return {
    events,
    stop: async () => {
      await Promise.race([enough, sleep(ms)]);
      await stop();
    },
  };
}

describe.each(engines)("the store port on $engine", ({ engine, make }) => {
  const fixtures: Fixture[] = [];
  afterEach(async () => {
    for (const f of fixtures.splice(0)) await f.dispose();
  });
  async function fixture(): Promise<Fixture> {
    const f = await make();
    fixtures.push(f);
    return f;
  }

  it("is the engine it says", async () => {
    expect((await fixture()).store.engine).toBe(engine);
  });

  it("rolls back every write of a unit of work that throws, and commits one that resolves", async () => {
    const f = await fixture();
    const { plans } = await f.seed();
    const plan = plans[0];
    const measure = plan?.measures[0];
    if (plan === undefined || measure === undefined) throw new Error("not seeded");
    const a = await f.insertAssignment({ planId: plan.id, measureId: measure.id, measureNumber: measure.number, department: "MOF", status: "assigned" });
    const change = { id: a.id, expectedVersion: a.version, set: { status: "accepted" as const, updatedAt: "2026-01-03T00:00:00.000Z" } };
    await expect(
      f.store.transaction(async (tx) => {
        await tx.commit({ assignments: [change], auditEvents: [auditEvent(1, "accepted")] });
        await sleep(5);
        await tx.appendAuditEvent(auditEvent(2, "and more"));
        throw new Error("failed half-way");
      }),
    ).rejects.toThrow("failed half-way");
    expect(await f.auditEventCount()).toBe(0);
    expect(await f.assignment(a.id)).toMatchObject({ status: "assigned", version: a.version });
    expect(await f.store.checkAssignmentCounts()).toEqual([]);

    const rows = await f.store.transaction(async (tx) => tx.commit({ assignments: [change], auditEvents: [auditEvent(1, "accepted")] }));
    expect(rows.map((r) => r.seq)).toEqual([1]);
    expect(await f.assignment(a.id)).toMatchObject({ status: "accepted", version: a.version + 1 });
    expect(await f.store.verifyAuditChain()).toMatchObject({ ok: true, events: 1 });
  });

  it("gives a data version that a commit moves and a rolled-back unit of work does not", async () => {
    const f = await fixture();
    await f.seed();
    // PostgreSQL: the version is what this instance's LISTEN connection heard, known once it listens (a server
    // instance's live bridge subscribes at start); a commit moves it when its notification arrives.
    const stop = await f.store.live.subscribe(() => undefined);
    const settled = async (): Promise<string | null> => {
      if (engine === "postgres") await sleep(300);
      return f.store.dataVersion();
    };
    const first = await settled();
    expect(first).not.toBeNull();
    expect(await f.store.dataVersion()).toBe(first);
    await f.store.transaction(async (tx) => tx.appendAuditEvent(auditEvent(1, "one")));
    const second = await settled();
    expect(second).not.toBe(first);
    await expect(
      f.store.transaction(async (tx) => {
        await tx.appendAuditEvent(auditEvent(2, "rolled back"));
        throw new Error("no");
      }),
    ).rejects.toThrow("no");
    expect(await settled()).toBe(second);
    await f.store.transaction(async (tx) => tx.appendAuditEvent(auditEvent(2, "two")));
    const third = await settled();
    expect(third).not.toBe(second);
    if (engine === "postgres") {
      // A unit of work that only read moves nothing; one that wrote without an audit event or a live event does.
      await f.store.transaction(async (tx) => tx.repos.idempotency.find(1, "nothing"));
      expect(await settled()).toBe(third);
      const a = await f.insertAssignment({ planId: 1, measureId: 1, measureNumber: 1, department: "MOF", status: "assigned" });
      await f.store.transaction(async (tx) =>
        tx.commit({ assignments: [{ id: a.id, expectedVersion: a.version, set: { status: "accepted", updatedAt: "2026-01-03T00:00:00.000Z" } }] }),
      );
      expect(await settled()).not.toBe(third);
    }
    await stop();
    // Not listening: unknown (nothing may be served from a cache), on PostgreSQL only.
    if (engine === "postgres") expect(await f.store.dataVersion()).toBeNull();
  });

  it("keeps the audit chain whole under concurrent writers, and notices its newest event deleted", async () => {
    const f = await fixture();
    const writers = 6;
    const perWriter = 5;
    await Promise.all(
      Array.from({ length: writers }, (_, w) =>
        f.store.transaction(async (tx) => {
          for (let i = 0; i < perWriter; i += 1) {
            await tx.appendAuditEvent(auditEvent(i, `writer ${w} event ${i}`));
            await sleep(Math.random() * 5);
          }
        }),
      ),
    );
    const verdict = await f.store.verifyAuditChain();
    expect(verdict).toMatchObject({ ok: true, events: writers * perWriter });
    await f.deleteNewestAuditEvent();
    expect(await f.store.verifyAuditChain()).toMatchObject({ ok: false, reason: "tail_missing" });
  });

  it("lets exactly one of two racing changes of one assignment win", async () => {
    const f = await fixture();
    const { plans } = await f.seed();
    const plan = plans[0];
    const measure = plan?.measures[0];
    if (plan === undefined || measure === undefined) throw new Error("not seeded");
    const a = await f.insertAssignment({ planId: plan.id, measureId: measure.id, measureNumber: measure.number, department: "MOF", status: "assigned" });
    const race = (status: "accepted" | "declined") =>
      f.store.transaction(async (tx) => {
        await sleep(5);
        return tx.commit({
          assignments: [{ id: a.id, expectedVersion: a.version, set: { status, updatedAt: "2026-01-03T00:00:00.000Z" } }],
          auditEvents: [auditEvent(1, status)],
        });
      });
    const results = await Promise.allSettled([race("accepted"), race("declined")]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const lost = results.find((r) => r.status === "rejected");
    expect(lost?.status === "rejected" && lost.reason).toBeInstanceOf(StaleVersionError);
    expect(await f.auditEventCount()).toBe(1);
    expect(await f.assignment(a.id)).toMatchObject({ version: a.version + 1 });
    expect(await f.store.verifyAuditChain()).toMatchObject({ ok: true, events: 1 });
  });

  it("refuses a unit of work opened inside another one", async () => {
    const f = await fixture();
    await expect(
      f.store.transaction(async (tx) => {
        await tx.appendAuditEvent(auditEvent(1, "outer"));
        return f.store.transaction(async (inner) => inner.appendAuditEvent(auditEvent(2, "inner")));
      }),
    ).rejects.toBeInstanceOf(NestedUnitOfWorkError);
    expect(await f.auditEventCount()).toBe(0);
  });

  it("keeps the assignment counts equal to a count of the rows through random changes", async () => {
    const f = await fixture();
    const { plans } = await f.seed();
    const live: { id: number; version: number }[] = [];
    // A fixed seed: a failure can be replayed.
    let state = 13;
    const random = (n: number) => {
      state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
      return state % n;
    };
    const pick = <T>(xs: readonly T[]): T => {
      const x = xs[random(xs.length)];
      if (x === undefined) throw new Error("empty");
      return x;
    };
    for (let step = 0; step < 120; step += 1) {
      const what = live.length === 0 ? 0 : random(4);
      if (what === 0) {
        const plan = pick(plans);
        const measure = pick(plan.measures);
        live.push(
          await f.insertAssignment({ planId: plan.id, measureId: measure.id, measureNumber: measure.number, department: pick(departmentCodes), status: pick(statuses) }),
        );
      } else if (what === 3) {
        const i = random(live.length);
        const [gone] = live.splice(i, 1);
        if (gone !== undefined) await f.deleteAssignment(gone.id);
      } else {
        const a = pick(live);
        const set = what === 1 ? { status: pick(statuses) } : { department: pick(departmentCodes) };
        await f.store.transaction(async (tx) =>
          tx.commit({ assignments: [{ id: a.id, expectedVersion: a.version, set: { ...set, updatedAt: "2026-01-04T00:00:00.000Z" } }] }),
        );
        a.version += 1;
      }
    }
    expect(await f.store.checkAssignmentCounts()).toEqual([]);
    await f.tamperWithACount();
    expect(await f.store.checkAssignmentCounts()).toEqual([
      expect.objectContaining({ department: "*", planId: 0, status: "assigned" }),
    ]);
  });

  it("announces what a unit of work queued after it commits, to another instance within 2 s, and never after a rollback", async () => {
    const f = await fixture();
    const listener = await hear(f.otherInstanceBus(), 2, 2000);
    const started = Date.now();
    await expect(
      f.store.transaction(async (tx) => {
        tx.afterCommit(liveEvent(99, [1]));
        throw new Error("rolled back");
      }),
    ).rejects.toThrow();
    await f.store.transaction(async (tx) => {
      await tx.commit({ auditEvents: [auditEvent(1, "x")], live: liveEvent(1, [1, 2]) });
      tx.afterCommit(liveEvent(2, [3]));
    });
    await listener.stop();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(listener.events.map((e) => e.planId)).toEqual([1, 2]);
    const [first, second] = listener.events;
    if (engine === "sqlite") {
      // One process numbers its own changes (apps/server LiveBus): the store's events carry no id.
      expect(first).toEqual(liveEvent(1, [1, 2]));
    } else {
      // Ids assigned at commit, consecutive within one unit of work; the rolled-back one's id was never taken.
      expect(first).toEqual({ ...liveEvent(1, [1, 2]), id: expect.any(Number) });
      expect(second?.id).toBe((first?.id ?? 0) + 1);
    }
  });

  it("refuses a live event too large for a NOTIFY (8,000 bytes) on every engine", async () => {
    const f = await fixture();
    const huge = liveEvent(1, Array.from({ length: 2000 }, (_, i) => 1_000_000 + i));
    await expect(f.store.live.publish(huge)).rejects.toBeInstanceOf(RangeError);
  });
});
