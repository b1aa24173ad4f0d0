import { describe, expect, it } from "vitest";
import { decideMeasureClosure, deriveMeasureStatus, type MeasureAssignment } from "./measure-status.js";

const a = (role: "lead" | "supporting", status: MeasureAssignment["status"]): MeasureAssignment => ({ role, status });

describe("deriveMeasureStatus", () => {
  it.each([
    ["no assignments", [], "not_started"],
    ["all newly assigned", [a("lead", "assigned"), a("supporting", "assigned")], "not_started"],
    ["assigned and declined", [a("lead", "assigned"), a("supporting", "declined")], "not_started"],
    ["one accepted", [a("lead", "accepted"), a("supporting", "assigned")], "in_progress"],
    ["supporting working", [a("lead", "in_progress"), a("supporting", "in_progress")], "in_progress"],
    ["supporting done, lead working", [a("lead", "in_progress"), a("supporting", "signed_off")], "awaiting_lead"],
    ["supporting done, lead declined", [a("lead", "declined"), a("supporting", "signed_off")], "awaiting_lead"],
    ["everyone signed off", [a("lead", "signed_off"), a("supporting", "signed_off")], "countersigned"],
    ["lead alone, working", [a("lead", "in_progress")], "in_progress"],
    ["lead alone, signed off", [a("lead", "signed_off")], "countersigned"],
    ["withdrawn supporting does not count", [a("lead", "signed_off"), a("supporting", "withdrawn")], "countersigned"],
    ["all withdrawn", [a("lead", "withdrawn")], "not_started"],
  ] as const)("%s → %s", (_name, assignments, expected) => {
    expect(deriveMeasureStatus(assignments, false)).toBe(expected);
  });

  it("closed wins", () => {
    expect(deriveMeasureStatus([a("lead", "signed_off")], true)).toBe("closed");
  });
});

describe("decideMeasureClosure", () => {
  const coordinator = { role: "coordinator", department: "MIIT" } as const;
  const signed = [a("lead", "signed_off"), a("supporting", "signed_off")];

  it("closes a countersigned measure and reopens a closed one", () => {
    expect(decideMeasureClosure({ closed: false, assignments: signed }, "close", coordinator)).toEqual({ ok: true, eventType: "measure.closed", closed: true });
    expect(decideMeasureClosure({ closed: true, assignments: signed }, "reopen", coordinator)).toEqual({ ok: true, eventType: "measure.reopened", closed: false });
  });

  it("refuses to close before the countersignature, twice, or reopen an open measure", () => {
    const working = [a("lead", "in_progress"), a("supporting", "signed_off")];
    expect(decideMeasureClosure({ closed: false, assignments: working }, "close", coordinator)).toMatchObject({ ok: false, refusal: { code: "not_countersigned" } });
    expect(decideMeasureClosure({ closed: true, assignments: signed }, "close", coordinator)).toMatchObject({ ok: false, refusal: { code: "invalid_state" } });
    expect(decideMeasureClosure({ closed: false, assignments: signed }, "reopen", coordinator)).toMatchObject({ ok: false, refusal: { code: "not_closed" } });
  });

  it.each([
    [{ role: "liaison", department: "MIIT" }, "wrong_role"],
    [{ role: "observer", department: null }, "read_only"],
    [{ role: "admin", department: null }, "read_only"],
  ] as const)("refuses %o", (actor, code) => {
    expect(decideMeasureClosure({ closed: false, assignments: signed }, "close", actor)).toMatchObject({ ok: false, refusal: { code } });
    expect(decideMeasureClosure({ closed: true, assignments: signed }, "reopen", actor)).toMatchObject({ ok: false, refusal: { code } });
  });
});
