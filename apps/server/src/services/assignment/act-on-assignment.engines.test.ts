/**
 * The assignment actions on the store seam (issue 13), on SQLite and on PostgreSQL alike: one service, one router,
 * the same answers, the audit chain intact, a stale or racing act refused with CONFLICT.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import type { OpenedDatabase } from "@countersign/db";
import { assignmentsTable, outboxTable, usersTable } from "@countersign/db/schema";
import { ServiceError } from "../../errors.js";
import { createCaller } from "../../router.js";
import { createHarness, harnessEngines, refusalOf } from "../../test-support/harness.js";
import type { Harness } from "../../test-support/harness.js";
import { checkUpload } from "../attachments/attachment-rules.js";
import { configureStoreOutbound } from "../notifications/notify.js";
import { issuePlan } from "../plan/issue-plan.js";
import type { ActingUser } from "../shared/acting-user.js";
import { actOnAssignment } from "./act-on-assignment.js";

function seedUser(database: OpenedDatabase, username: string): ActingUser {
  const row = database.db.select().from(usersTable).where(eq(usersTable.username, username)).get();
  if (row === undefined) throw new Error(`no account ${username}`);
  return { id: row.id, username: row.username, displayName: row.displayName, role: row.role, department: row.department, departmentRole: row.departmentRole, divisionId: row.divisionId };
}

/** A one-page PDF (file-type reads the `%PDF-` header). */
const pdf = Buffer.from("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n");

describe.each(harnessEngines)("the assignment actions on %s", (engine) => {
  let h: Harness;
  beforeEach(async () => {
    // The plan issued in the seed (plan.issue is not on the seam yet), so that both engines start from it.
    h = await createHarness({
      engine,
      seed: ({ database, planId, now }) => {
        issuePlan(database.db, seedUser(database, "miit"), { planId, dueDate: "2026-06-30" }, now);
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
});
