import { afterEach, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import type { SQL } from "drizzle-orm";
import { createHarness, harnessEngines } from "../test-support/harness.js";
import type { Harness, HarnessSeeder } from "../test-support/harness.js";

// audit.verify on the store seam (issue 13): the full verification (chain, tail against the chain head, the state
// replayed from the events against the rows) is one code on SQLite and PostgreSQL, read in one snapshot. Each
// tampering below is made in the database directly, as someone with write access to it would.

/** An issued plan with an accepted assignment, a comment and a granted extension: every kind of replayed state. */
async function seedTrail({ planId, as }: HarnessSeeder): Promise<void> {
  const miit = as("miit");
  const sta = as("sta");
  await miit.plan.issue({ planId, dueDate: "2026-06-30" });
  const row = (await sta.inbox.list({ planId, limit: 1 })).rows[0];
  if (row === undefined) throw new Error("STA holds no assignment");
  const accepted = await sta.assignment.accept({ id: row.id, expectedVersion: row.version });
  const commented = await sta.assignment.comment({ id: row.id, expectedVersion: accepted.version, body: "正在起草配套文件" });
  const asked = await sta.assignment.requestExtension({ id: row.id, expectedVersion: commented.version, until: "2026-09-30", reason: "数据延迟" });
  await miit.assignment.decideExtension({ id: row.id, expectedVersion: asked.version, approve: true, note: "同意" });
}

/** Runs a statement on the callers' database, outside the server, on either engine. */
async function tamper(h: Harness, statement: string): Promise<void> {
  if (h.engine === "sqlite") {
    h.database.sqlite.exec(statement);
    return;
  }
  await h.store.transaction(async (tx) => {
    // The PostgreSQL transaction (drizzle): raw SQL, as an intruder would type it.
    const db = tx.db as { execute(query: SQL): Promise<unknown> };
    await db.execute(sql.raw(statement));
  });
}

describe.each(harnessEngines)("audit.verify on %s", (engine) => {
  let h: Harness | null = null;
  afterEach(async () => {
    await h?.close();
    h = null;
  });

  async function harness(): Promise<Harness> {
    h = await createHarness({ engine, seed: seedTrail });
    return h;
  }

  it("verifies a clean trail in full (chain, head and every assignment's state), then incrementally from its head", async () => {
    const t = await harness();
    const coordinator = t.as("miit");
    const full = await coordinator.audit.verify({ full: true });
    expect(full).toMatchObject({ ok: true, mode: "full", stateChecked: true, firstBroken: null });
    expect(full.events).toBeGreaterThan(25);
    const last = await t.store.read(async (repos) => repos.auditReplay.lastEvent());
    expect(full.head).toEqual({ seq: last?.seq, hash: last?.hash });
    expect(await coordinator.audit.verify()).toMatchObject({ ok: true, mode: "incremental", from: full.head?.seq, events: full.events, stateChecked: false });
  });

  it("finds an event rewritten in the database", async () => {
    const t = await harness();
    // Backdated: the payload stays well formed, only the hash gives it away.
    await tamper(t, "update audit_events set at = '2020-01-01T00:00:00.000Z' where seq = 2");
    const verdict = await t.as("miit").audit.verify({ full: true });
    expect(verdict).toMatchObject({ ok: false, events: 1, firstBroken: { seq: 2, reason: "hash_mismatch" } });
    expect(verdict.divergences.chain?.message).toContain("Event 2");
  });

  it("finds the newest events deleted (the chain head is past the last stored event)", async () => {
    const t = await harness();
    const last = await t.store.read(async (repos) => repos.auditReplay.lastEvent());
    if (last === undefined) throw new Error("the trail is empty");
    await tamper(t, `delete from audit_events where seq >= ${last.seq - 1}`);
    const verdict = await t.as("miit").audit.verify({ full: true });
    expect(verdict).toMatchObject({ ok: false, events: last.seq - 2, divergences: { chain: null, tail: { seq: last.seq - 1, reason: "tail_missing" } } });
  });

  it("finds an assignment whose stored state disagrees with its events, and a comment edited", async () => {
    const t = await harness();
    const first = await t.store.read(async (repos) => (await repos.auditReplay.assignmentStatesAfter(0, 1))[0]);
    if (first === undefined) throw new Error("no assignment");
    await tamper(t, `update assignments set due_date = '2031-12-31' where id = ${first.id}`);
    const verdict = await t.as("miit").audit.verify({ full: true });
    expect(verdict).toMatchObject({
      ok: false,
      divergences: { chain: null, tail: null, anchor: null, state: { reason: "state_mismatch", assignmentId: first.id } },
    });
    expect(verdict.firstBroken?.message).toContain("dueDate 2031-12-31");

    await tamper(t, `update assignments set due_date = '${first.dueDate}' where id = ${first.id}`);
    expect(await t.as("miit").audit.verify({ full: true })).toMatchObject({ ok: true });
    await tamper(t, "update comments set body = '已完成' where id = (select min(id) from comments)");
    expect(await t.as("miit").audit.verify({ full: true })).toMatchObject({ ok: false, firstBroken: { reason: "comment_mismatch" } });
  });

  it("reads one snapshot (store.readSnapshot): an act committed meanwhile is seen neither by the trail nor by the rows", async () => {
    const t = await harness();
    const sta = t.as("sta");
    const row = (await sta.inbox.list({ planId: t.planId, limit: 1 })).rows[0];
    if (row === undefined) throw new Error("STA holds no assignment");
    const seen = await t.store.readSnapshot(async (repos) => {
      const before = { last: await repos.auditReplay.lastEvent(), rows: await repos.auditReplay.assignmentStatesAfter(row.id - 1, 1) };
      // On PostgreSQL the act commits now, on its own connection; on SQLite it waits in the writer queue until the
      // snapshot ends (awaiting it here would wait for ourselves).
      const act = sta.assignment.comment({ id: row.id, expectedVersion: row.version, body: "已报送" });
      if (engine === "postgres") await act;
      const after = { last: await repos.auditReplay.lastEvent(), rows: await repos.auditReplay.assignmentStatesAfter(row.id - 1, 1) };
      return { before, after, act: act.then(() => "committed") };
    });
    expect(seen.after).toEqual(seen.before);
    expect(await seen.act).toBe("committed");
    const now = await t.store.read(async (repos) => repos.auditReplay.lastEvent());
    expect(now?.seq).toBe((seen.before.last?.seq ?? 0) + 1);
    expect(await t.as("miit").audit.verify({ full: true })).toMatchObject({ ok: true });
  });
});
