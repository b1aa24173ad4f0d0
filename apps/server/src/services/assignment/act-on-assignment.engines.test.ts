/**
 * The assignment actions on the store seam (issue 13), on SQLite and on PostgreSQL alike: one service, one router,
 * the same answers, the audit chain intact, a stale or racing act refused with CONFLICT.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { assignmentsTable, departmentsTable, divisionsTable, measuresTable, outboxTable, usersTable } from "@countersign/db/schema";
import { ServiceError } from "../../errors.js";
import { createCaller } from "../../router.js";
import { createHarness, harnessEngines, refusalOf } from "../../test-support/harness.js";
import type { Harness } from "../../test-support/harness.js";
import { checkUpload } from "../attachments/attachment-rules.js";
import { configureStoreOutbound } from "../notifications/notify.js";
import { actOnAssignment } from "./act-on-assignment.js";

/** A one-page PDF (file-type reads the `%PDF-` header). */
const pdf = Buffer.from("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n");

describe.each(harnessEngines)("the assignment actions on %s", (engine) => {
  let h: Harness;
  let handler: { id: number; division: number };
  beforeEach(async () => {
    // The plan issued in the seed (through plan.issue on SQLite), so that both engines start from it; MOF gets a
    // division and a handler in it, for 分办.
    h = await createHarness({
      engine,
      seed: async ({ database, planId, now, as }) => {
        await as("miit").plan.issue({ planId, dueDate: "2026-06-30" });
        const at = now.toISOString();
        const division = database.db.insert(divisionsTable).values({ department: "MOF", nameZh: "税政司", createdAt: at }).returning().get();
        const account = database.db
          .insert(usersTable)
          .values({ username: "mof.tax", displayName: "税政司承办人", role: "liaison", department: "MOF", departmentRole: "handler", divisionId: division.id, passwordHash: "x", createdAt: at })
          .returning()
          .get();
        handler = { id: account.id, division: division.id };
      },
    });
  });
  afterEach(() => h.close());

  /** The assignment of `department` on measure `measureNumber`: its id (as seeded) and its version (as stored now). */
  async function ref(measureNumber: number, department: string): Promise<{ id: number; expectedVersion: number }> {
    const seeded = h.database.db
      .select({ id: assignmentsTable.id })
      .from(assignmentsTable)
      .where(and(eq(assignmentsTable.planId, h.planId), eq(assignmentsTable.measureNumber, measureNumber), eq(assignmentsTable.department, department)))
      .get();
    if (seeded === undefined) throw new Error(`no assignment of ${department} on (${measureNumber})`);
    const row = await h.store.read((repos) => repos.assignments.find(seeded.id));
    if (row === undefined) throw new Error(`assignment ${seeded.id} is not in the store`);
    return { id: row.id, expectedVersion: row.version };
  }

  async function auditEvents(): Promise<number> {
    const verdict = await h.store.verifyAuditChain();
    expect(verdict.ok).toBe(true);
    return verdict.events;
  }

  it("accept → progress → sign-off (报结): each act one audit event, the chain verified, the answers as before", async () => {
    // (9): PBOC leads, CBIRC supports.
    const cbirc = h.as("cbirc");
    const before = await auditEvents();
    const accepted = await cbirc.assignment.accept(await ref(9, "CBIRC"));
    expect(accepted).toMatchObject({ status: "accepted", department: "CBIRC", measureNumber: 9, version: 2 });
    const progressed = await cbirc.assignment.reportProgress({ ...(await ref(9, "CBIRC")), note: "担保费率数据已汇总。" });
    expect(progressed).toMatchObject({ status: "in_progress", version: 3 });
    const signedOff = await cbirc.assignment.signOff({ ...(await ref(9, "CBIRC")), summary: "已为各银行设定普惠型小微企业贷款目标。" });
    expect(signedOff).toMatchObject({ status: "signed_off", version: 4 });
    expect(await auditEvents()).toBe(before + 3);
    const stored = await h.store.read((repos) => repos.assignments.find(signedOff.id));
    expect(stored).toMatchObject({ status: "signed_off", version: 4 });
  });

  it("refuses a stale version with CONFLICT and the current state, writing nothing", async () => {
    const target = await ref(9, "CBIRC");
    await h.as("cbirc").assignment.accept(target);
    const before = await auditEvents();
    const refusal = await refusalOf(() => h.as("cbirc").assignment.reportProgress({ ...target, note: "late" }));
    expect(refusal).toMatchObject({ code: "CONFLICT", refusalCode: "stale_version", current: { version: 2, status: "accepted" } });
    expect(await auditEvents()).toBe(before);
  });

  it("answers a retry with the same Idempotency-Key with the first answer, once in the trail; refuses the key for another request", async () => {
    const target = await ref(9, "CBIRC");
    const caller = createCaller(h.context(h.user("cbirc"), { idempotencyKey: "accept-9-cbirc" }));
    const before = await auditEvents();
    const first = await caller.assignment.accept(target);
    const again = await caller.assignment.accept(target);
    expect(again).toEqual(first);
    expect(await auditEvents()).toBe(before + 1);
    const reused = await refusalOf(async () => caller.assignment.decline({ ...(await ref(9, "CBIRC")), reason: "not ours" }));
    expect(reused).toMatchObject({ refusalCode: "idempotency_key_reused" });
  });

  it("of two accepts of one assignment racing through the store, exactly one wins; the other gets CONFLICT; the chain verifies", async () => {
    const target = await ref(9, "CBIRC");
    const before = await auditEvents();
    const results = await Promise.allSettled([h.as("cbirc").assignment.accept(target), h.as("cbirc").assignment.accept(target)]);
    const won = results.filter((r) => r.status === "fulfilled");
    const lost = results.filter((r) => r.status === "rejected");
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    const refusal = await refusalOf(() => Promise.reject((lost[0] as PromiseRejectedResult).reason));
    expect(refusal).toMatchObject({ code: "CONFLICT", refusalCode: "stale_version", current: { version: 2, status: "accepted" } });
    expect(await auditEvents()).toBe(before + 1);
  });

  it("a conditional update that lost the race to a committed one changes nothing (updateIfVersion)", async () => {
    const { id, expectedVersion } = await ref(9, "CBIRC");
    const at = h.clock.now.toISOString();
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let updatedA: () => void = () => undefined;
    const aUpdated = new Promise<void>((resolve) => {
      updatedA = resolve;
    });
    // A's update is made first and held open; B's, of the same version, starts only then (on PostgreSQL it waits for
    // A's row lock; on SQLite for A's unit of work) and runs once A has committed.
    const a = h.store.transaction(async (tx) => {
      const row = await tx.repos.assignments.updateIfVersion(id, expectedVersion, { status: "accepted", updatedAt: at });
      updatedA();
      await held;
      return row;
    });
    await aUpdated;
    const b = h.store.transaction(async (tx) => tx.repos.assignments.updateIfVersion(id, expectedVersion, { status: "declined", updatedAt: at }));
    setTimeout(release, 50);
    const [wonRow, lostRow] = await Promise.all([a, b]);
    expect(wonRow).toMatchObject({ id, version: expectedVersion + 1, status: "accepted" });
    expect(lostRow).toBeUndefined();
    expect(await h.store.read((repos) => repos.assignments.find(id))).toMatchObject({ version: expectedVersion + 1, status: "accepted" });
  });

  it("tells the department of a reminder in the act's unit of work: notices and a webhook outbox row on either engine", async () => {
    configureStoreOutbound(h.store, { webhook: true, email: false, emailTo: [] });
    const target = await ref(9, "CBIRC");
    const reminded = await h.as("miit").assignment.remind({ ...target, message: "请尽快签收。" });
    expect(reminded).toMatchObject({ status: "assigned", version: target.expectedVersion + 1 });
    const accounts = await h.store.read((repos) => repos.notices.enabledAccountsIn(["CBIRC"]));
    expect(accounts).toContain(h.user("cbirc").id);
    for (const userId of accounts) {
      // Newest first: the reminder, once, after the notices of the plan's issue (written in the seed).
      const notices = await h.store.read((repos) => repos.notices.listFor(userId, 50));
      expect(notices.filter((n) => n.params.includes("assignment.reminded"))).toHaveLength(1);
      expect(notices[0]).toMatchObject({ kind: "assignment.event", link: `/assignments/${target.id}`, readAt: null });
      expect(JSON.parse(notices[0]?.params ?? "{}")).toMatchObject({ event: "assignment.reminded", text: "请尽快签收。" });
    }
    // The coordinator's own act tells the coordinator nothing.
    const coordinators = await h.store.read((repos) => repos.notices.listFor(h.user("miit").id, 50));
    expect(coordinators.filter((n) => n.params.includes("assignment.reminded"))).toEqual([]);
    if (engine === "sqlite") expect(h.database.db.select().from(outboxTable).all()).toHaveLength(1);
  });

  it("files on an act (佐证材料): stored with the act, bytes and all; a refused act stores none", async () => {
    await h.as("cbirc").assignment.accept(await ref(9, "CBIRC"));
    const target = await ref(9, "CBIRC");
    const file = await checkUpload("进展.pdf", "application/pdf", pdf);
    const before = await auditEvents();
    // A stale act with a file: refused, and its file with it.
    await expect(
      h.store.transaction((tx) =>
        actOnAssignment(tx, h.user("cbirc"), { ...target, expectedVersion: 1, action: { type: "reportProgress", note: "旧版本。" }, files: [file] }, h.clock.now),
      ),
    ).rejects.toSatisfy((e: unknown) => e instanceof ServiceError && e.code === "stale_version");
    const out = await h.store.transaction((tx) =>
      actOnAssignment(tx, h.user("cbirc"), { ...target, action: { type: "reportProgress", note: "附件见后。" }, files: [file] }, h.clock.now),
    );
    expect(out.value).toMatchObject({ status: "in_progress", version: target.expectedVersion + 1 });
    expect(out.attachmentIds).toHaveLength(1);
    expect(await auditEvents()).toBe(before + 1);
    const [id] = out.attachmentIds;
    if (id === undefined) throw new Error("no attachment id");
    const bytes = await h.store.read((repos) => repos.attachments.bytesOf(id));
    expect(bytes?.equals(pdf)).toBe(true);
    // The refused act's row and bytes were rolled back: only this act's file is stored.
    expect(await h.store.read((repos) => repos.attachments.bytesOf(id - 1))).toBeUndefined();
  });

  it("改派, 延期审批, the lead reopened and 分办: each act's side records and second row written on the engine", async () => {
    const miit = h.as("miit");
    // 申请调整 then 改派: the assignment and its responsibility move to MOF with a new deadline.
    await h.as("sta").assignment.decline({ ...(await ref(10, "STA")), reason: "不在职责范围内" });
    const moved = await miit.assignment.reassign({ ...(await ref(10, "STA")), toDepartment: "MOF", note: "税政", dueDate: "2026-12-31" });
    expect(moved).toMatchObject({ department: "MOF", status: "assigned", dueDate: "2026-12-31" });
    // 延期申请 then 延期审批: the pending extension kept on the row until decided, then the due date moved.
    await h.as("sta").assignment.accept(await ref(7, "STA"));
    const requested = await h.as("sta").assignment.requestExtension({ ...(await ref(7, "STA")), until: "2026-09-30", reason: "数据下月发布" });
    expect(requested.pendingExtension).toEqual({ until: "2026-09-30", reason: "数据下月发布" });
    const decided = await miit.assignment.decideExtension({ ...(await ref(7, "STA")), approve: true, note: "" });
    expect(decided).toMatchObject({ dueDate: "2026-09-30", pendingExtension: null });
    // (9): returning CBIRC's supporting sign-off reopens PBOC's lead sign-off, an event on each.
    await h.as("cbirc").assignment.accept(await ref(9, "CBIRC"));
    await h.as("pboc").assignment.accept(await ref(9, "PBOC"));
    await h.as("cbirc").assignment.signOff({ ...(await ref(9, "CBIRC")), summary: "已完成" });
    await h.as("pboc").assignment.signOff({ ...(await ref(9, "PBOC")), summary: "已汇总" });
    const before = await auditEvents();
    const returned = await miit.assignment.return({ ...(await ref(9, "CBIRC")), reason: "缺少数据" });
    expect(returned.status).toBe("in_progress");
    const lead = await ref(9, "PBOC");
    expect(await h.store.read((repos) => repos.assignments.find(lead.id))).toMatchObject({ status: "in_progress" });
    expect(await auditEvents()).toBe(before + 2);
    // 分办: MOF's liaison accepts (10) and hands it to the handler in its division (the moved row: its id is kept).
    const mof = h.as("mof");
    const acceptedByMof = await mof.assignment.accept({ id: moved.id, expectedVersion: moved.version });
    const handed = await mof.assignment.assignHandler({ id: moved.id, expectedVersion: acceptedByMof.version, divisionId: handler.division, handlerId: handler.id, note: "税政司承办" });
    expect(handed).toMatchObject({ department: "MOF" });
    expect(await h.store.read((repos) => repos.assignments.find(handed.id))).toMatchObject({ divisionId: handler.division, handlerUserId: handler.id });
    // A handler from no division of the department is refused by the domain.
    const refusal = await refusalOf(() => mof.assignment.assignHandler({ id: moved.id, expectedVersion: handed.version, divisionId: 999, handlerId: handler.id, note: "x" }));
    expect(refusal.code).not.toBe("INTERNAL_SERVER_ERROR");
    expect(refusal.refusalCode).not.toBe("stale_version");
    expect((await h.store.verifyAuditChain()).ok).toBe(true);
  });
});

describe.each(harnessEngines)("what an act reads about its assignment, in one read, on %s", (engine) => {
  it("gives the row, its measure, its plan's status and its department's leader approval as the four reads did", async () => {
    // NDRC's sign-offs go through its leader; the measure of one MOF assignment is closed.
    let ids = { ndrc: 0, mof: 0, closed: 0 };
    const h = await createHarness({
      engine,
      seed: async ({ database, planId, as }) => {
        await as("miit").plan.issue({ planId, dueDate: "2026-06-30" });
        const db = database.db;
        db.update(departmentsTable).set({ leaderApproval: true }).where(eq(departmentsTable.code, "NDRC")).run();
        const of = (department: string) =>
          db.select().from(assignmentsTable).where(and(eq(assignmentsTable.planId, planId), eq(assignmentsTable.department, department))).orderBy(assignmentsTable.id).all();
        const [ndrc] = of("NDRC");
        const [mof, closed] = of("MOF");
        if (ndrc === undefined || mof === undefined || closed === undefined) throw new Error("the seed has no NDRC or MOF assignments");
        db.update(measuresTable).set({ closed: true }).where(eq(measuresTable.id, closed.measureId)).run();
        ids = { ndrc: ndrc.id, mof: mof.id, closed: closed.id };
      },
    });
    try {
      const read = (id: number) =>
        h.store.read(async (repos) => {
          const row = await repos.assignments.find(id);
          if (row === undefined) throw new Error(`no assignment ${id}`);
          return {
            one: await repos.assignments.forAct(id),
            four: {
              row,
              measure: await repos.assignments.measureOf(row.measureId),
              planStatus: await repos.assignments.planStatus(row.planId),
              leaderApproval: await repos.assignments.needsLeaderApproval(row.department),
            },
          };
        });
      const ndrc = await read(ids.ndrc);
      expect(ndrc.one).toEqual(ndrc.four);
      expect(ndrc.one).toMatchObject({ row: { id: ids.ndrc, department: "NDRC" }, planStatus: "issued", leaderApproval: true, measure: { closed: false } });
      const mof = await read(ids.mof);
      expect(mof.one).toEqual(mof.four);
      expect(mof.one).toMatchObject({ leaderApproval: false, measure: { closed: false } });
      const closed = await read(ids.closed);
      expect(closed.one).toEqual(closed.four);
      expect(closed.one?.measure?.closed).toBe(true);
      expect(closed.one?.measure?.title.length).toBeGreaterThan(0);
      expect(await h.store.read((repos) => repos.assignments.forAct(999_999_999))).toBeUndefined();
    } finally {
      await h.close();
    }
  });
});
