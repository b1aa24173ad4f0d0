import { actionAvailability } from "@countersign/domain";
import { describe, expect, it } from "vitest";
import { unavailableLines } from "./unavailable-lines.js";

const order = ["accept", "decline", "reportProgress", "assignHandler", "signOff", "requestExtension", "comment"] as const;

describe("why actions are not offered (new-user trial, fault 7)", () => {
  it("after a sign-off, says it once for the state instead of listing every closed action", () => {
    const availability = actionAvailability(
      { status: "signed_off", department: "MOF", role: "supporting", dueDate: "2026-12-31", pendingExtension: null },
      { role: "liaison", department: "MOF" },
      { measureClosed: false, others: [] },
    );
    const { byState, others } = unavailableLines(availability, order);
    expect(byState.map((a) => a.action)).toEqual(["accept", "decline", "reportProgress", "assignHandler", "signOff", "requestExtension"]);
    expect(others).toEqual([]);
  });

  it("keeps a reason of its own on its action's line (the lead waits for the supporting departments)", () => {
    const availability = actionAvailability(
      { status: "in_progress", department: "MOF", role: "lead", dueDate: "2026-12-31", pendingExtension: null },
      { role: "liaison", department: "MOF" },
      { measureClosed: false, others: [{ department: "STA", role: "supporting", status: "accepted" }] },
    );
    const { byState, others } = unavailableLines(availability, order);
    expect(others.map((a) => [a.action, a.refusal?.code])).toEqual([["signOff", "supporting_not_signed_off"]]);
    expect(byState.map((a) => a.action)).toEqual(["accept", "decline"]);
  });
});
