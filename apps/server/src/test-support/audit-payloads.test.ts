import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { appendAuditEvent, writeTransaction } from "@countersign/db";
import { createHarness } from "./harness.js";
import type { Harness } from "./harness.js";
import { auditPayloadProblems } from "./audit-payloads.js";

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(async () => {
  // The events written on purpose below do not fit; they are removed so that the harness's own check passes.
  h.database.sqlite.exec("DELETE FROM audit_events WHERE seq > (SELECT MIN(seq) FROM audit_events)");
  await h.close();
});

describe("the check of written audit payloads", () => {
  it("passes the events a real act writes, and names an undeclared key, a missing one and a wrong type", async () => {
    await h.as("miit").plan.issue({ planId: h.planId, dueDate: "2026-06-30" });
    expect(auditPayloadProblems(h.database)).toEqual([]);
    const actor = { actorUserId: null, actorUsername: null, actorRole: null, actorDepartment: null };
    writeTransaction(h.database.db, (tx) => {
      appendAuditEvent(tx, { at: new Date().toISOString(), type: "measure.closed", ...actor, payload: { note: "x", fromDueDate: "2026-01-01" } });
      appendAuditEvent(tx, { at: new Date().toISOString(), type: "assignment.declined", ...actor, payload: {} });
      appendAuditEvent(tx, { at: new Date().toISOString(), type: "plan.issued", ...actor, payload: { dueDate: "x", assignments: "3", measures: 1, backdated: false } });
    });
    const problems = auditPayloadProblems(h.database);
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/measure\.closed.*fromDueDate/);
    expect(problems[1]).toMatch(/assignment\.declined reason/);
    expect(problems[2]).toMatch(/plan\.issued assignments/);
  });
});
