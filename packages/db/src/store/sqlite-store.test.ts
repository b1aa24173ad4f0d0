import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { count, eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import type { AuditEventInput } from "../audit.js";
import { isDatabaseBusy } from "../busy.js";
import { openDatabase, writeTransaction } from "../client.js";
import type { OpenedDatabase } from "../client.js";
import { loadDefaultPlan } from "../load-plan.js";
import { assignmentsTable } from "../schema/assignments.js";
import { auditEventsTable } from "../schema/audit-events.js";
import { measuresTable } from "../schema/measures.js";
import { NestedUnitOfWorkError, StaleVersionError } from "./ports.js";
import type { LiveEvent } from "./ports.js";
import { createSqliteStore } from "./sqlite-store.js";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

function fileDatabase(): OpenedDatabase {
  const dir = mkdtempSync(join(tmpdir(), "countersign-store-"));
  const o = openDatabase(join(dir, "countersign.sqlite"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  cleanups.push(() => o.close());
  return o;
}

function event(n: number, body = `note ${n}`): AuditEventInput {
  return {
    at: new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString(),
    type: "assignment.commented",
    actorUserId: 1,
    actorUsername: "mof",
    actorRole: "liaison",
    actorDepartment: "MOF",
    payload: { body },
  };
}

/** One issued assignment of the 2020 plan, written the synchronous way the services still use. */
function oneAssignment(o: OpenedDatabase): { id: number; version: number } {
  const { planId } = loadDefaultPlan(o.db, "2026-01-01T00:00:00Z");
  const measure = o.db.select().from(measuresTable).where(eq(measuresTable.planId, planId)).get();
  if (measure === undefined) throw new Error("no measure");
  return writeTransaction(o.db, (tx) => {
    const row = tx
      .insert(assignmentsTable)
      .values({
        planId,
        measureId: measure.id,
        measureNumber: measure.number,
        department: "MOF",
        role: "lead",
        status: "assigned",
        dueDate: "2026-12-31",
        issuedAt: "2026-01-02T00:00:00Z",
        updatedAt: "2026-01-02T00:00:00Z",
      })
      .returning()
      .get();
    return { id: row.id, version: row.version };
  });
}

const auditCount = (o: OpenedDatabase) => o.db.select({ n: count() }).from(auditEventsTable).get()?.n ?? 0;

describe("the SQLite store's unit of work", () => {
  it("commits everything when the callback resolves, and nothing when it throws after awaiting", async () => {
    const o = fileDatabase();
    const a = oneAssignment(o);
    const store = createSqliteStore(o);
    const before = auditCount(o);
    await expect(
      store.transaction(async (tx) => {
        await tx.commit({
          assignments: [{ id: a.id, expectedVersion: a.version, set: { status: "accepted", updatedAt: "2026-01-03T00:00:00Z" } }],
          auditEvents: [event(1)],
        });
        await sleep(5);
        await tx.appendAuditEvent(event(2));
        throw new Error("the service failed half-way");
      }),
    ).rejects.toThrow("half-way");
    expect(auditCount(o)).toBe(before);
    const row = o.db.select().from(assignmentsTable).where(eq(assignmentsTable.id, a.id)).get();
    expect(row).toMatchObject({ status: "assigned", version: a.version });
    expect(o.sqlite.inTransaction).toBe(false);

    const rows = await store.transaction(async (tx) =>
      tx.commit({
        assignments: [{ id: a.id, expectedVersion: a.version, set: { status: "accepted", updatedAt: "2026-01-03T00:00:00Z" } }],
        auditEvents: [event(1)],
      }),
    );
    expect(rows.map((r) => r.seq)).toEqual([before + 1]);
    expect(o.db.select().from(assignmentsTable).where(eq(assignmentsTable.id, a.id)).get()).toMatchObject({
      status: "accepted",
      version: a.version + 1,
    });
    expect(await store.verifyAuditChain()).toMatchObject({ ok: true, events: before + 1 });
  });

  it("runs two concurrent units of work one after the other, never interleaved", async () => {
    const o = fileDatabase();
    const store = createSqliteStore(o);
    const log: string[] = [];
    const work = (name: string) =>
      store.transaction(async (tx) => {
        for (let step = 0; step < 3; step += 1) {
          log.push(`${name}${step}`);
          await tx.appendAuditEvent(event(step, `${name}${step}`));
          await sleep(10); // yields to the other unit of work's callback, were it running
        }
        return name;
      });
    expect(await Promise.all([work("a"), work("b")])).toEqual(["a", "b"]);
    expect(log).toEqual(["a0", "a1", "a2", "b0", "b1", "b2"]);
    const bodies = o.db.select().from(auditEventsTable).orderBy(auditEventsTable.seq).all().map((r) => JSON.parse(r.payload).body);
    expect(bodies).toEqual(["a0", "a1", "a2", "b0", "b1", "b2"]);
    expect(await store.verifyAuditChain()).toMatchObject({ ok: true, events: 6 });
  });

  it("goes on after a failed unit of work: the queue is not stuck and the next one commits", async () => {
    const o = fileDatabase();
    const store = createSqliteStore(o);
    const failing = store.transaction(async (tx) => {
      await tx.appendAuditEvent(event(1));
      throw new Error("refused");
    });
    const next = store.transaction(async (tx) => (await tx.appendAuditEvent(event(2))).seq);
    await expect(failing).rejects.toThrow("refused");
    expect(await next).toBe(1);
  });

  it("refuses a unit of work opened inside another one instead of nesting it", async () => {
    const o = fileDatabase();
    const store = createSqliteStore(o);
    await expect(
      store.transaction(async (tx) => {
        await tx.appendAuditEvent(event(1));
        return store.transaction(async (inner) => inner.appendAuditEvent(event(2)));
      }),
    ).rejects.toBeInstanceOf(NestedUnitOfWorkError);
    expect(auditCount(o)).toBe(0);
  });

  it("rolls back the whole change set when an assignment's version moved (the lost race)", async () => {
    const o = fileDatabase();
    const a = oneAssignment(o);
    const store = createSqliteStore(o);
    const before = auditCount(o);
    const win = { id: a.id, expectedVersion: a.version, set: { status: "accepted" as const, updatedAt: "2026-01-03T00:00:00Z" } };
    const results = await Promise.allSettled([
      store.transaction(async (tx) => tx.commit({ assignments: [win], auditEvents: [event(1)] })),
      store.transaction(async (tx) => tx.commit({ assignments: [win], auditEvents: [event(2)] })),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected"]);
    expect(results[1]?.status === "rejected" && results[1].reason).toBeInstanceOf(StaleVersionError);
    expect(auditCount(o)).toBe(before + 1);
  });

  it("announces queued live events only after a commit, never after a rollback", async () => {
    const o = fileDatabase();
    const store = createSqliteStore(o);
    const heard: LiveEvent[] = [];
    const stop = await store.live.subscribe((e) => heard.push(e));
    const live = (planId: number): LiveEvent => ({
      planId,
      assignmentIds: [1],
      measureNumbers: [1],
      departments: ["MOF"],
      audience: ["MOF"],
      at: "2026-01-03T00:00:00Z",
    });
    await expect(
      store.transaction(async (tx) => {
        tx.afterCommit(live(1));
        throw new Error("rolled back");
      }),
    ).rejects.toThrow();
    let seenInside = -1;
    await store.transaction(async (tx) => {
      await tx.commit({ auditEvents: [event(1)], live: live(2) });
      seenInside = heard.length;
    });
    expect(seenInside).toBe(0);
    expect(heard.map((e) => e.planId)).toEqual([2]);
    await stop();
    await store.close();
  });

  it("checks the trigger-kept counts against a count of the rows", async () => {
    const o = fileDatabase();
    oneAssignment(o);
    const store = createSqliteStore(o);
    expect(await store.checkAssignmentCounts()).toEqual([]);
    o.sqlite.prepare("update assignment_counts set n = n + 1 where department = 'MOF' and plan_id = 0").run();
    expect(await store.checkAssignmentCounts()).toEqual([
      expect.objectContaining({ department: "MOF", planId: 0, status: "assigned", kept: 2, actual: 1 }),
    ]);
  });
});

describe("a synchronous transaction while a unit of work awaits on the same connection", () => {
  it("is refused as busy (nothing written), not turned into a savepoint that the unit of work's rollback would undo", async () => {
    const o = fileDatabase();
    loadDefaultPlan(o.db);
    const store = createSqliteStore(o);
    const measure = o.db.select({ id: measuresTable.id }).from(measuresTable).limit(1).get();
    if (measure === undefined) throw new Error("no measure");
    let attempted: unknown = null;
    // Another request's turn, scheduled outside the unit of work, coming due in the gap between its statements.
    const beside = sleep(5).then(() => {
      try {
        writeTransaction(o.db, (t) => t.update(measuresTable).set({ title: "written beside" }).where(eq(measuresTable.id, measure.id)).run());
      } catch (error) {
        attempted = error;
      }
    });
    const unit = store.transaction(async (tx) => {
      await tx.appendAuditEvent(event(1));
      await sleep(30);
      throw new Error("the unit of work fails and rolls back");
    });
    await beside;
    await expect(unit).rejects.toThrow("rolls back");
    expect(isDatabaseBusy(attempted)).toBe(true);
    expect(o.db.select({ title: measuresTable.title }).from(measuresTable).where(eq(measuresTable.id, measure.id)).get()?.title).not.toBe("written beside");
    // Once the unit of work has ended, the same write goes through.
    writeTransaction(o.db, (t) => t.update(measuresTable).set({ title: "written after" }).where(eq(measuresTable.id, measure.id)).run());
    expect(o.db.select({ title: measuresTable.title }).from(measuresTable).where(eq(measuresTable.id, measure.id)).get()?.title).toBe("written after");
    await store.close();
  });
});

describe("group commit of units of work", () => {
  it("runs the units asked for in one turn in one transaction, each in a savepoint: a failing one undone alone", async () => {
    const o = fileDatabase();
    const published: LiveEvent[] = [];
    const store = createSqliteStore(o, undefined, { groupCommit: { enabled: true, maxBatch: 64, maxWaitMs: 0 } });
    await store.live.subscribe((e) => published.push(e));
    const liveEvent = (n: number): LiveEvent => ({ planId: 1, assignmentIds: [n], measureNumbers: [], departments: [], audience: [], at: "2026-01-01T00:00:00.000Z" });
    const units = [1, 2, 3, 4, 5].map((n) =>
      store.transaction(async (tx) => {
        await tx.appendAuditEvent(event(n));
        tx.afterCommit(liveEvent(n));
        if (n === 3) throw new Error("unit 3 fails");
        return n;
      }),
    );
    const results = await Promise.allSettled(units);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled", "fulfilled"]);
    expect(store.groupCommitStats()).toEqual({ batches: 1, units: 5 });
    // Four events stored, chained in order; the failed unit's event and announcement are gone.
    const bodies = o.db.select({ payload: auditEventsTable.payload }).from(auditEventsTable).all().map((r) => JSON.parse(r.payload).body);
    expect(bodies).toEqual(["note 1", "note 2", "note 4", "note 5"]);
    expect((await store.verifyAuditChain()).ok).toBe(true);
    expect(published.map((e) => e.assignmentIds[0])).toEqual([1, 2, 4, 5]);
    // Without group commit each unit is its own transaction.
    const single = createSqliteStore(o);
    await Promise.all([1, 2, 3].map((n) => single.transaction(async (tx) => tx.appendAuditEvent(event(10 + n)))));
    expect(single.groupCommitStats()).toEqual({ batches: 3, units: 3 });
    await store.close();
    await single.close();
  });

  it("keeps a batch to maxBatch units and runs the rest in the next", async () => {
    const o = fileDatabase();
    const store = createSqliteStore(o, undefined, { groupCommit: { enabled: true, maxBatch: 2, maxWaitMs: 0 } });
    await Promise.all([1, 2, 3, 4, 5].map((n) => store.transaction(async (tx) => tx.appendAuditEvent(event(n)))));
    expect(store.groupCommitStats()).toEqual({ batches: 3, units: 5 });
    expect(o.db.select({ n: count() }).from(auditEventsTable).get()?.n).toBe(5);
    await store.close();
  });
});

describe("the write path's statements (issue 17, writes)", () => {
  /** Counts what `sqlite` is asked to parse: `prepare` (drizzle's one-time queries too) and `exec`. */
  function countParses(o: OpenedDatabase): { prepares: string[]; execs: string[] } {
    const seen = { prepares: [] as string[], execs: [] as string[] };
    const { sqlite } = o;
    const prepare = sqlite.prepare.bind(sqlite);
    const exec = sqlite.exec.bind(sqlite);
    sqlite.prepare = ((source: string) => {
      seen.prepares.push(source);
      return prepare(source);
    }) as typeof sqlite.prepare;
    sqlite.exec = ((source: string) => {
      seen.execs.push(source);
      return exec(source);
    }) as typeof sqlite.exec;
    return seen;
  }

  it("parses nothing once warm: the boundary's lookups and the unit of work's BEGIN, SAVEPOINT, RELEASE and COMMIT are prepared once", async () => {
    const o = fileDatabase();
    const a = oneAssignment(o);
    const store = createSqliteStore(o, undefined, { groupCommit: { enabled: true, maxBatch: 64, maxWaitMs: 0 } });
    // Two units of work in one turn: one batch with savepoints; the reads of the organisation boundary before them.
    const writeTwice = async (n: number) => {
      await store.read(async (repos) => {
        expect(await repos.organisations.planOfAssignment(a.id)).toBeGreaterThan(0);
        const plan = await repos.organisations.planOfAssignment(a.id);
        expect(await repos.organisations.organisationOfPlan(plan ?? 0)).toBe("CN");
      });
      await Promise.all([n, n + 1].map((i) => store.transaction(async (tx) => tx.appendAuditEvent(event(i)))));
    };
    await writeTwice(1);
    const before = auditCount(o);
    const seen = countParses(o);
    await writeTwice(3);
    await writeTwice(5);
    expect(seen).toEqual({ prepares: [], execs: [] });
    expect(auditCount(o)).toBe(before + 4);
    expect(store.groupCommitStats()).toEqual({ batches: 3, units: 6 });
  });
});

describe("group commit with the WAL synced off the event loop (syncOffLoop, issue 17)", () => {
  const grouping = { enabled: true, maxBatch: 64, maxWaitMs: 0 };

  it("settles a batch after its sync, announces in commit order, and leaves the connection at synchronous = FULL", async () => {
    const o = fileDatabase();
    const published: number[] = [];
    const store = createSqliteStore(o, undefined, { groupCommit: grouping, syncOffLoop: true });
    await store.live.subscribe((e) => {
      published.push(e.assignmentIds[0] ?? 0);
    });
    const liveEvent = (n: number): LiveEvent => ({ planId: 1, assignmentIds: [n], measureNumbers: [], departments: [], audience: [], at: "2026-01-01T00:00:00.000Z" });
    const unit = (n: number) =>
      store.transaction(async (tx) => {
        await tx.appendAuditEvent(event(n));
        tx.afterCommit(liveEvent(n));
        if (n === 3) throw new Error("unit 3 fails");
        return n;
      });
    // Two batches: the second asked for while the first's sync may still run.
    const firstBatch = [1, 2, 3].map(unit);
    await new Promise((resolve) => setImmediate(resolve));
    const secondBatch = [4, 5].map(unit);
    const results = await Promise.allSettled([...firstBatch, ...secondBatch]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled", "fulfilled"]);
    expect(published).toEqual([1, 2, 4, 5]);
    const stats = store.groupCommitStats();
    expect(stats.batches).toBe(2);
    expect(stats.syncs).toBeGreaterThanOrEqual(1);
    expect(stats.syncs).toBeLessThanOrEqual(2);
    expect(store.whenDurable?.()).toBeNull();
    // Writes outside a batch (the services not on the seam, a session's touch) still commit at FULL.
    expect(o.sqlite.pragma("synchronous", { simple: true })).toBe(2);
    expect((await store.verifyAuditChain()).ok).toBe(true);
    await store.close();
  });

  it("answers a unit of work only once its commit is on disk: nothing pending when its promise settles", async () => {
    const o = fileDatabase();
    const store = createSqliteStore(o, undefined, { groupCommit: grouping, syncOffLoop: true });
    // Read at the moment the promise settles: a unit answered before its sync would find its commit still pending.
    const pendingAtAnswer = await store.transaction(async (tx) => tx.appendAuditEvent(event(1))).then(() => store.whenDurable?.());
    expect(pendingAtAnswer).toBeNull();
    expect(store.groupCommitStats()).toEqual({ batches: 1, units: 1, syncs: 1 });
    expect(auditCount(o)).toBe(1);
    await store.close();
  });

  it("is not used where it cannot be: in memory, or without group commit (each COMMIT syncs in place)", async () => {
    const memory = openDatabase(":memory:");
    cleanups.push(() => memory.close());
    const inMemory = createSqliteStore(memory, undefined, { groupCommit: grouping, syncOffLoop: true });
    await inMemory.transaction(async (tx) => tx.appendAuditEvent(event(1)));
    expect(inMemory.groupCommitStats()).toEqual({ batches: 1, units: 1 });
    expect(inMemory.whenDurable?.()).toBeNull();
    const o = fileDatabase();
    const single = createSqliteStore(o, undefined, { syncOffLoop: true });
    await single.transaction(async (tx) => tx.appendAuditEvent(event(1)));
    expect(single.groupCommitStats()).toEqual({ batches: 1, units: 1 });
    await inMemory.close();
    await single.close();
  });
});
