import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { verifyAuditChain } from "@countersign/db";
import { createHarness, liaisonName } from "../test-support/harness.js";
import type { Harness } from "../test-support/harness.js";

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

describe("the whole story of a plan", () => {
  it("issue → every department accepts → supporting sign off → lead signs off → close → matrix and tracking show it closed", async () => {
    const miit = h.as("miit");
    const issued = await miit.plan.issue({ planId: h.planId, dueDate: "2026-12-31" });
    const plan = await miit.catalog.plan({ planId: h.planId });
    expect(issued.assignments).toBe(plan.responsibilities.length);

    // Every department finds its assignments in its inbox and accepts each (签收).
    const departments = [...new Set(plan.responsibilities.map((r) => r.department))];
    for (const department of departments) {
      const liaison = h.as(liaisonName(department));
      const inbox = await liaison.inbox.list({ planId: h.planId, limit: 200 });
      expect(inbox.department).toBe(department);
      expect(inbox.rows.length).toBe(plan.responsibilities.filter((r) => r.department === department).length);
      expect(inbox.counts.assigned).toBe(inbox.rows.length);
      for (const row of inbox.rows) {
        const accepted = await liaison.assignment.accept({ id: row.id, expectedVersion: row.version });
        expect(accepted).toMatchObject({ status: "accepted", version: row.version + 1 });
      }
    }

    // Measure (2): SAMR leads, NDRC and MOFCOM support.
    const m2 = plan.responsibilities.filter((r) => r.measureNumber === 2);
    const lead = m2.find((r) => r.role === "lead");
    const supporting = m2.filter((r) => r.role === "supporting");
    expect(lead?.department).toBe("SAMR");
    expect(supporting.length).toBeGreaterThan(0);
    const overview = await miit.tracking.overview({ planId: h.planId });
    const idOf = (department: string): { id: number; version: number } => {
      const a = overview.measures.find((m) => m.number === 2)?.assignments.find((x) => x.department === department);
      if (a === undefined) throw new Error(`no assignment of ${department} on (2)`);
      return { id: a.id, version: a.version };
    };

    for (const s of supporting) {
      const liaison = h.as(liaisonName(s.department));
      const ref = idOf(s.department);
      await liaison.assignment.reportProgress({ ...ref, expectedVersion: ref.version, note: "Drafting the joint notice." });
      const detail = await liaison.assignment.get({ id: ref.id });
      await liaison.assignment.signOff({
        id: ref.id,
        expectedVersion: detail.assignment.version,
        summary: `${s.department}'s part is done.`,
      });
    }
    const beforeLead = await miit.tracking.overview({ planId: h.planId });
    expect(beforeLead.measures.find((m) => m.number === 2)?.status).toBe("awaiting_lead");

    const leadRef = idOf("SAMR");
    const leadDetail = await h.as("samr").assignment.get({ id: leadRef.id });
    expect(leadDetail.allowedActions).toContain("signOff");
    await h.as("samr").assignment.signOff({
      id: leadRef.id,
      expectedVersion: leadDetail.assignment.version,
      summary: "Consolidated report (牵头汇总) submitted.",
    });
    expect((await miit.tracking.overview({ planId: h.planId })).measures.find((m) => m.number === 2)?.status).toBe(
      "countersigned",
    );

    const closed = await miit.measure.close({ planId: h.planId, measureNumber: 2, note: "办结" });
    expect(closed).toMatchObject({ closed: true, status: "closed" });

    const matrix = await miit.matrix.get({ planId: h.planId, withStatus: true });
    const row = matrix.matrix.groups.flatMap((g) => g.rows).find((r) => r.measure.number === 2);
    expect(row?.measureStatus).toBe("closed");
    expect(row?.lead).toBe("SAMR");
    expect(row?.cells.filter((c) => c.role !== null).every((c) => c.status === "signed_off")).toBe(true);

    const tracking = await miit.tracking.overview({ planId: h.planId });
    const m2Tracking = tracking.measures.find((m) => m.number === 2);
    expect(m2Tracking).toMatchObject({ status: "closed", closed: true });
    expect(tracking.totals.measuresByStatus.closed).toBe(1);

    // Every change is in the trail, and the chain verifies.
    const trail = await miit.audit.list({ planId: h.planId, limit: 200 });
    expect(trail.rows[0]?.type).toBe("measure.closed");
    expect(trail.rows.filter((e) => e.type === "assignment.signed_off")).toHaveLength(m2.length);
    expect(verifyAuditChain(h.database.db)).toMatchObject({ ok: true });
  });
});
