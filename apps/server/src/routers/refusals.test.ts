import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createHarness, refusalOf } from "../test-support/harness.js";
import type { Harness } from "../test-support/harness.js";
import { auditEventsOf, lastAuditEventOf } from "../test-support/store-reads.js";

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
  await h.as("miit").plan.issue({ planId: h.planId, dueDate: "2026-06-30" });
});
afterEach(() => h.close());

/** The assignment of a department on a measure, as the coordinator sees it. */
async function assignmentOf(measureNumber: number, department: string): Promise<{ id: number; version: number }> {
  const overview = await h.as("miit").tracking.overview({ planId: h.planId });
  const a = overview.measures.find((m) => m.number === measureNumber)?.assignments.find((x) => x.department === department);
  if (a === undefined) throw new Error(`no assignment of ${department} on (${measureNumber})`);
  return { id: a.id, version: a.version };
}

const lastEvent = () => lastAuditEventOf(h);

describe("a liaison reaches only their own department's work", () => {
  it("refuses reading and acting on another department's assignment, and records the refusal", async () => {
    const ndrc = await assignmentOf(2, "NDRC");
    const mof = h.as("mof");
    const read = await refusalOf(() => mof.assignment.get({ id: ndrc.id }));
    expect(read).toMatchObject({ code: "FORBIDDEN", refusalCode: "not_your_department" });
    const act = await refusalOf(() => mof.assignment.accept({ id: ndrc.id, expectedVersion: ndrc.version }));
    expect(act).toMatchObject({ code: "FORBIDDEN", refusalCode: "not_your_department" });
    expect(await lastEvent()).toMatchObject({ type: "access.refused", actorUsername: "mof", assignmentId: ndrc.id });
    // Even with a stale version, the refusal is about the department, never a CONFLICT revealing its state.
    const stale = await refusalOf(() => mof.assignment.accept({ id: ndrc.id, expectedVersion: 99 }));
    expect(stale.code).toBe("FORBIDDEN");
    expect(stale.current).toBeNull();
  });

  it("refuses another department's inbox and trail", async () => {
    expect(await refusalOf(() => h.as("mof").inbox.list({ department: "NDRC" }))).toMatchObject({
      code: "FORBIDDEN",
      refusalCode: "not_your_department",
      field: "department",
    });
    const ndrc = await assignmentOf(2, "NDRC");
    expect(await refusalOf(() => h.as("mof").audit.list({ assignmentId: ndrc.id }))).toMatchObject({ code: "FORBIDDEN" });
    const own = await h.as("mof").audit.list({});
    expect(own.rows.every((e) => e.department === "MOF")).toBe(true);
  });

  it("lets a liaison see the other departments' states on a shared measure only", async () => {
    const detail = await h.as("ndrc").assignment.get({ id: (await assignmentOf(2, "NDRC")).id });
    expect(detail.others.map((o) => o.department).sort()).toEqual(["MOFCOM", "SAMR"]);
    const tracking = await h.as("ndrc").tracking.overview({ planId: h.planId });
    expect(tracking.measures.every((m) => m.assignments.some((a) => a.department === "NDRC"))).toBe(true);
    expect(tracking.departments.map((d) => d.department)).toEqual(["NDRC"]);
  });
});

describe("roles", () => {
  it("refuses an observer any action (read_only) but lets them read", async () => {
    const ref = await assignmentOf(2, "NDRC");
    expect(await refusalOf(() => h.as("observer").assignment.accept({ ...ref, expectedVersion: ref.version }))).toMatchObject({
      code: "FORBIDDEN",
      refusalCode: "read_only",
    });
    expect((await h.as("observer").assignment.get({ id: ref.id })).assignment.id).toBe(ref.id);
    expect((await h.as("observer").inbox.list({ department: null })).total).toBeGreaterThan(0);
  });

  it("refuses a liaison the coordinator's actions and procedures, and the coordinator a liaison's", async () => {
    const ref = await assignmentOf(2, "NDRC");
    expect(
      await refusalOf(() => h.as("ndrc").assignment.remind({ id: ref.id, expectedVersion: ref.version, message: "hurry" })),
    ).toMatchObject({ code: "FORBIDDEN", refusalCode: "wrong_role" });
    expect(await refusalOf(() => h.as("ndrc").plan.issue({ planId: h.planId, dueDate: "ongoing" }))).toMatchObject({
      code: "FORBIDDEN",
      refusalCode: "forbidden_role",
    });
    expect(await refusalOf(() => h.as("ndrc").measure.close({ planId: h.planId, measureNumber: 2, note: "" }))).toMatchObject({
      code: "FORBIDDEN",
      refusalCode: "wrong_role",
    });
    expect(await refusalOf(() => h.as("miit").assignment.accept({ ...ref, expectedVersion: ref.version }))).toMatchObject({
      code: "FORBIDDEN",
      refusalCode: "wrong_role",
    });
    expect(await lastEvent()).toMatchObject({ type: "access.refused", actorUsername: "miit" });
  });

  it("refuses callers without a session", async () => {
    expect(await refusalOf(() => h.anonymous().inbox.list({}))).toMatchObject({
      code: "UNAUTHORIZED",
      refusalCode: "unauthenticated",
    });
    expect(await h.anonymous().auth.me()).toBeNull();
  });
});

describe("versions", () => {
  it("answers a stale expectedVersion with CONFLICT and the current state; of two racing accepts exactly one wins", async () => {
    const ref = await assignmentOf(2, "NDRC");
    const ndrc = h.as("ndrc");
    const results = await Promise.allSettled([
      ndrc.assignment.accept({ id: ref.id, expectedVersion: ref.version }),
      ndrc.assignment.decline({ id: ref.id, expectedVersion: ref.version, reason: "not ours" }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const replay = await refusalOf(() => ndrc.assignment.accept({ id: ref.id, expectedVersion: ref.version }));
    expect(replay).toMatchObject({ code: "CONFLICT", refusalCode: "stale_version", current: { version: ref.version + 1 } });
    const events = (await auditEventsOf(h)).filter((e) => e.assignmentId === ref.id);
    expect(events.map((e) => e.type)).toEqual(["assignment.issued", expect.stringMatching(/accepted|declined/)]);
  });
});

describe("the workflow's own refusals", () => {
  it("refuses the lead's sign-off before every supporting department's", async () => {
    const lead = await assignmentOf(2, "SAMR");
    const samr = h.as("samr");
    const accepted = await samr.assignment.accept({ ...lead, expectedVersion: lead.version });
    expect(
      await refusalOf(() => samr.assignment.signOff({ id: lead.id, expectedVersion: accepted.version, summary: "done" })),
    ).toMatchObject({ code: "PRECONDITION_FAILED", refusalCode: "supporting_not_signed_off" });
  });

  it("refuses to close a measure that is not countersigned, and to edit an issued plan", async () => {
    expect(await refusalOf(() => h.as("miit").measure.close({ planId: h.planId, measureNumber: 2, note: "" }))).toMatchObject({
      code: "PRECONDITION_FAILED",
      refusalCode: "not_countersigned",
    });
    expect(
      await refusalOf(() =>
        h.as("miit").plan.setResponsibilities({ planId: h.planId, measureNumber: 2, lead: "SAMR", supporting: [] }),
      ),
    ).toMatchObject({ code: "PRECONDITION_FAILED", refusalCode: "plan_not_draft" });
    expect(await refusalOf(() => h.as("miit").plan.issue({ planId: h.planId, dueDate: "ongoing" }))).toMatchObject({
      refusalCode: "plan_not_draft",
    });
  });

  it("refuses an action from a state that does not allow it", async () => {
    const ref = await assignmentOf(2, "NDRC");
    expect(
      await refusalOf(() => h.as("ndrc").assignment.signOff({ id: ref.id, expectedVersion: ref.version, summary: "x" })),
    ).toMatchObject({ code: "PRECONDITION_FAILED", refusalCode: "invalid_state" });
  });
});

describe("bad input", () => {
  it("answers BAD_REQUEST naming the field", async () => {
    const ref = await assignmentOf(2, "NDRC");
    const ndrc = h.as("ndrc");
    expect(
      await refusalOf(() => ndrc.assignment.decline({ id: ref.id, expectedVersion: ref.version, reason: "   " })),
    ).toMatchObject({ code: "BAD_REQUEST", refusalCode: "invalid_input", field: "reason" });
    const wrongType = await refusalOf(() =>
      ndrc.assignment.accept({ id: "seven", expectedVersion: 1 } as unknown as { id: number; expectedVersion: number }),
    );
    expect(wrongType).toMatchObject({ code: "BAD_REQUEST", field: "id" });
    expect(wrongType.message).toMatch(/^id: /);
    expect(
      await refusalOf(() =>
        ndrc.assignment.requestExtension({ id: ref.id, expectedVersion: ref.version, until: "2026-02-30", reason: "x" }),
      ),
    ).toMatchObject({ code: "BAD_REQUEST", field: "until" });
    expect(await refusalOf(() => ndrc.inbox.list({ cursor: "not-a-cursor" }))).toMatchObject({
      code: "BAD_REQUEST",
      field: "cursor",
    });
    expect(await refusalOf(() => ndrc.assignment.get({ id: 999_999 }))).toMatchObject({ code: "NOT_FOUND", field: "id" });
    expect(
      await refusalOf(() =>
        h.as("miit").plan.issue({ planId: h.planId, dueDate: "next year" as unknown as "ongoing" }),
      ),
    ).toMatchObject({ code: "BAD_REQUEST", field: "dueDate" });
  });
});

describe("required text that shows nothing", () => {
  it("is refused as missing, whatever invisible characters it is made of, and nothing is recorded", async () => {
    const ref = await assignmentOf(2, "NDRC");
    const ndrc = h.as("ndrc");
    const before = (await lastEvent())?.id;
    for (const reason of ["\u200b\u200b", "\u0000", "\ufeff \u3000", "\u2060\u200d\n"]) {
      expect(await refusalOf(() => ndrc.assignment.decline({ id: ref.id, expectedVersion: ref.version, reason }))).toMatchObject({
        code: "BAD_REQUEST",
        field: "reason",
      });
      expect(await refusalOf(() => ndrc.assignment.comment({ id: ref.id, expectedVersion: ref.version, body: reason }))).toMatchObject({
        code: "BAD_REQUEST",
        field: "body",
      });
    }
    expect((await lastEvent())?.id).toBe(before);
    // Visible text around invisible characters is stored without them at its ends.
    await ndrc.assignment.comment({ id: ref.id, expectedVersion: ref.version, body: "\u200b 已收悉 \u0000" });
    expect(await lastEvent()).toMatchObject({ type: "assignment.commented" });
    expect(JSON.parse(String((await lastEvent())?.payload))).toEqual({ body: "已收悉" });
  });
});
