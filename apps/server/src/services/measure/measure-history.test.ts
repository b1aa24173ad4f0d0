import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createHarness, refusalOf } from "../../test-support/harness.js";
import type { Harness } from "../../test-support/harness.js";

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
  await h.as("miit").plan.issue({ planId: h.planId, dueDate: "2026-06-30" });
});
afterEach(() => h.close());

async function ref(measureNumber: number, department: string): Promise<{ id: number; expectedVersion: number }> {
  const overview = await h.as("observer").tracking.overview({ planId: h.planId });
  const a = overview.measures.find((m) => m.number === measureNumber)?.assignments.find((x) => x.department === department);
  if (a === undefined) throw new Error(`no assignment of ${department} on (${measureNumber})`);
  return { id: a.id, expectedVersion: a.version };
}

describe("say why, and a measure's own history", () => {
  it("tells a lead why it cannot sign off yet, naming the supporting department", async () => {
    // (9): PBOC leads, CBIRC supports.
    await h.as("pboc").assignment.accept(await ref(9, "PBOC"));
    const lead = await h.as("pboc").assignment.get({ id: (await ref(9, "PBOC")).id });
    expect(lead.allowedActions).not.toContain("signOff");
    expect(lead.actionAvailability.find((a) => a.action === "signOff")).toMatchObject({
      allowed: false,
      refusal: { code: "supporting_not_signed_off", waitingFor: ["CBIRC"] },
    });
  });

  it("shows who closed a measure, when, and the note, and the measure's events", async () => {
    for (const d of ["CBIRC", "PBOC"]) await h.as(d.toLowerCase()).assignment.accept(await ref(9, d));
    await h.as("cbirc").assignment.signOff({ ...(await ref(9, "CBIRC")), summary: "done" });
    await h.as("pboc").assignment.signOff({ ...(await ref(9, "PBOC")), summary: "consolidated" });
    await h.as("miit").measure.close({ planId: h.planId, measureNumber: 9, note: "All reported; filed." });

    const history = await h.as("observer").measure.history({ planId: h.planId, measureNumber: 9 });
    expect(history.closure).toMatchObject({ closed: true, closeNote: "All reported; filed.", closedBy: { username: "miit" } });
    expect(history.closure.closedAt).toBe(h.clock.now.toISOString());
    const types = history.events.map((e) => e.type);
    expect(types.filter((t) => t === "assignment.signed_off")).toHaveLength(2);
    expect(types.at(-1)).toBe("measure.closed");

    // A liaison of the measure reads its own department's events and the measure's, not the others' words.
    const cbirc = await h.as("cbirc").measure.history({ planId: h.planId, measureNumber: 9 });
    expect(cbirc.events.every((e) => e.assignmentId === null || e.department === "CBIRC")).toBe(true);
    expect(cbirc.events.some((e) => e.type === "measure.closed")).toBe(true);
    // …and none of a measure it has no part in.
    expect(await refusalOf(() => h.as("cnipa").measure.history({ planId: h.planId, measureNumber: 9 }))).toMatchObject({
      refusalCode: "not_your_department",
    });
  });

  it("names each actor as a person and says to which department each assignment was issued", async () => {
    await h.as("pboc").assignment.accept(await ref(9, "PBOC"));
    const history = await h.as("observer").measure.history({ planId: h.planId, measureNumber: 9 });
    // (9): PBOC leads, CBIRC supports; the coordinator issued one assignment to each.
    const issued = history.events.filter((e) => e.type === "assignment.issued");
    expect(issued.map((e) => e.department).sort()).toEqual(["CBIRC", "PBOC"]);
    for (const e of issued) {
      expect(e.actor.person).toMatchObject({ username: "miit", department: { code: "MIIT" } });
      expect(e.actor.person?.displayNameZh ?? e.actor.person?.displayNameEn).toBeTruthy();
    }
    const accepted = history.events.find((e) => e.type === "assignment.accepted");
    expect(accepted?.actor.person).toMatchObject({ username: "pboc", department: { code: "PBOC" } });
  });
});
