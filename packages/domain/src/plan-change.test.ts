import { describe, expect, it } from "vitest";
import {
  addSupportingDepartment,
  changeLead,
  changeMeasureDeadline,
  deadlineRefusal,
  issueDeadlinesRefusal,
  issueDueDates,
  removeSupportingDepartment,
  withdrawPlan,
} from "./plan-change.js";
import type { MeasureAssignmentState, PlanChangeContext, PlanStatus } from "./plan-change.js";
import type { AssignmentStatus } from "./types.js";

const statuses: AssignmentStatus[] = ["assigned", "accepted", "declined", "in_progress", "signed_off", "withdrawn"];
const ctx: PlanChangeContext = { planStatus: "issued", measureClosed: false, today: "2026-06-01" };
const a = (id: number, department: string, role: "lead" | "supporting", status: AssignmentStatus, dueDate = "2026-12-31"): MeasureAssignmentState => ({
  id,
  department,
  role,
  status,
  dueDate,
});

describe("deadlineRefusal", () => {
  it("accepts ongoing, today and later dates; refuses non-dates; refuses the past unless back-dated", () => {
    expect(deadlineRefusal("ongoing", "2026-06-01", false)).toBeNull();
    expect(deadlineRefusal("2026-06-01", "2026-06-01", false)).toBeNull();
    expect(deadlineRefusal("2027-01-01", "2026-06-01", false)).toBeNull();
    expect(deadlineRefusal("2026-05-31", "2026-06-01", false)?.code).toBe("deadline_in_past");
    expect(deadlineRefusal("2026-05-31", "2026-06-01", true)).toBeNull();
    expect(deadlineRefusal("2026-05-31", null, false)).toBeNull();
    for (const wrong of ["2026-02-30", "2026/06/01", "", "soon"]) expect(deadlineRefusal(wrong, "2026-06-01", true)?.code).toBe("invalid_deadline");
  });
});

describe("issueDeadlinesRefusal", () => {
  it("names the field at fault: the default deadline, or the per-measure one", () => {
    expect(issueDeadlinesRefusal("2026-12-31", [{ measureNumber: 3, dueDate: "ongoing" }], "2026-06-01", false)).toBeNull();
    expect(issueDeadlinesRefusal("2020-12-31", [], "2026-06-01", false)).toMatchObject({ field: "dueDate", refusal: { code: "deadline_in_past" } });
    const perMeasure = issueDeadlinesRefusal(
      "2026-12-31",
      [
        { measureNumber: 3, dueDate: "2027-01-01" },
        { measureNumber: 7, dueDate: "2021-01-01" },
      ],
      "2026-06-01",
      false,
    );
    expect(perMeasure).toMatchObject({ field: "dueDates[1].dueDate", refusal: { code: "deadline_in_past" } });
    expect(perMeasure?.refusal.message).toContain("(7)");
    expect(issueDeadlinesRefusal("2020-12-31", [{ measureNumber: 7, dueDate: "2021-01-01" }], "2026-06-01", true)).toBeNull();
  });

  it("checks a deadline the document states unless the measure is given another at issue", () => {
    const stated = [
      { measureNumber: 2, deadline: { dueDate: "2030-12-31", stated: "2030年底前" } },
      { measureNumber: 5, deadline: { dueDate: "2021-12-31", stated: "2021年底前" } },
    ];
    const past = issueDeadlinesRefusal("2026-12-31", [], "2026-06-01", false, stated);
    expect(past).toMatchObject({ field: "dueDates", refusal: { code: "deadline_in_past" } });
    expect(past?.refusal.message).toContain("(5)");
    expect(past?.refusal.message).toContain("2021年底前");
    expect(issueDeadlinesRefusal("2026-12-31", [{ measureNumber: 5, dueDate: "ongoing" }], "2026-06-01", false, stated)).toBeNull();
    expect(issueDeadlinesRefusal("2026-12-31", [], "2026-06-01", true, stated)).toBeNull();
  });
});

describe("issueDueDates", () => {
  it("a measure takes the deadline given at issue, else the one its document states; others take the plan's (absent)", () => {
    const due = issueDueDates(
      [{ measureNumber: 3, dueDate: "2028-01-31" }, { measureNumber: 9, dueDate: "ongoing" }],
      [
        { measureNumber: 1, deadline: { dueDate: "2030-12-31", stated: "2030年底前" } },
        { measureNumber: 3, deadline: { dueDate: "2029-06-30", stated: "2029年6月底前" } },
        { measureNumber: 4, deadline: { dueDate: "ongoing", stated: "持续推进" } },
      ],
    );
    expect([...due].sort(([a], [b]) => a - b)).toEqual([
      [1, "2030-12-31"],
      [3, "2028-01-31"],
      [4, "ongoing"],
      [9, "ongoing"],
    ]);
    expect(issueDueDates([], []).size).toBe(0);
  });
});

describe("every change after issue refuses a draft plan, a withdrawn plan and a closed measure", () => {
  const measure = [a(1, "MOF", "lead", "in_progress"), a(2, "STA", "supporting", "accepted")];
  const cases: Array<[string, PlanChangeContext, string]> = [
    ["draft", { ...ctx, planStatus: "draft" }, "plan_not_issued"],
    ["withdrawn", { ...ctx, planStatus: "withdrawn" }, "plan_withdrawn"],
    ["closed", { ...ctx, measureClosed: true }, "measure_closed"],
  ];
  for (const [name, c, code] of cases) {
    it(name, () => {
      expect(changeMeasureDeadline(c, measure, "2027-01-01", "", false)).toMatchObject({ ok: false, refusal: { code } });
      expect(addSupportingDepartment(c, measure, "NBS", null, "")).toMatchObject({ ok: false, refusal: { code } });
      expect(removeSupportingDepartment(c, measure, "STA", "x")).toMatchObject({ ok: false, refusal: { code } });
      expect(changeLead(c, measure, "STA", "x", null)).toMatchObject({ ok: false, refusal: { code } });
    });
  }
});

describe("changeMeasureDeadline", () => {
  it("changes every assignment not signed off or withdrawn, from any such status, and records old and new dates", () => {
    const measure = statuses.map((s, i) => a(i + 1, `D${i}X`, i === 0 ? "lead" : "supporting", s));
    const result = changeMeasureDeadline(ctx, measure, "2027-03-31", "Budget cycle.", false);
    if (!result.ok) throw new Error(result.refusal.message);
    expect(result.changes.updates.map((u) => u.id)).toEqual([1, 2, 3, 4]);
    for (const u of result.changes.updates) {
      expect(u.dueDate).toBe("2027-03-31");
      expect(u.status).toBeUndefined();
      expect(u.event).toMatchObject({ type: "assignment.deadline_changed", payload: { previousDueDate: "2026-12-31", dueDate: "2027-03-31", note: "Budget cycle." } });
    }
    expect(result.changes.inserts).toEqual([]);
  });
  it("refuses the past unless back-dated, and a change that changes nothing", () => {
    const measure = [a(1, "MOF", "lead", "in_progress")];
    expect(changeMeasureDeadline(ctx, measure, "2026-01-01", "", false)).toMatchObject({ ok: false, refusal: { code: "deadline_in_past" } });
    expect(changeMeasureDeadline(ctx, measure, "2026-01-01", "", true).ok).toBe(true);
    expect(changeMeasureDeadline(ctx, measure, "2026-12-31", "", false)).toMatchObject({ ok: false, refusal: { code: "invalid_state" } });
    expect(changeMeasureDeadline(ctx, [a(1, "MOF", "lead", "signed_off")], "2027-01-01", "", false)).toMatchObject({ ok: false });
  });
});

describe("addSupportingDepartment", () => {
  it("adds an assigned supporting assignment due with the lead by default, or at the date given", () => {
    const measure = [a(1, "MOF", "lead", "in_progress", "2026-09-30")];
    expect(addSupportingDepartment(ctx, measure, "NBS", null, "Statistics.")).toMatchObject({
      ok: true,
      changes: { updates: [], inserts: [{ department: "NBS", role: "supporting", dueDate: "2026-09-30", event: { type: "assignment.issued" } }] },
    });
    expect(addSupportingDepartment(ctx, measure, "NBS", "ongoing", "")).toMatchObject({ ok: true, changes: { inserts: [{ dueDate: "ongoing" }] } });
    expect(addSupportingDepartment(ctx, measure, "NBS", "2020-01-01", "")).toMatchObject({ ok: false, refusal: { code: "deadline_in_past" } });
  });
  it("reopens a lead that has signed off, for every other lead status leaves it alone", () => {
    for (const status of statuses.filter((s) => s !== "withdrawn")) {
      const result = addSupportingDepartment(ctx, [a(1, "MOF", "lead", status)], "NBS", null, "");
      if (!result.ok) throw new Error(result.refusal.message);
      if (status === "signed_off") {
        expect(result.changes.updates).toEqual([
          expect.objectContaining({ id: 1, status: "in_progress", event: expect.objectContaining({ type: "assignment.lead_reopened" }) }),
        ]);
      } else expect(result.changes.updates).toEqual([]);
    }
  });
  it("refuses a department already responsible, but takes back one whose assignment was withdrawn", () => {
    const measure = [a(1, "MOF", "lead", "in_progress"), a(2, "STA", "supporting", "accepted"), a(3, "NBS", "supporting", "withdrawn")];
    expect(addSupportingDepartment(ctx, measure, "STA", null, "")).toMatchObject({ ok: false, refusal: { code: "already_responsible" } });
    expect(addSupportingDepartment(ctx, measure, "MOF", null, "")).toMatchObject({ ok: false, refusal: { code: "already_responsible" } });
    expect(addSupportingDepartment(ctx, measure, "NBS", null, "").ok).toBe(true);
  });
});

describe("removeSupportingDepartment", () => {
  it("withdraws the supporting assignment from every active status, signed-off work included", () => {
    for (const status of statuses.filter((s) => s !== "withdrawn")) {
      const result = removeSupportingDepartment(ctx, [a(1, "MOF", "lead", "in_progress"), a(2, "STA", "supporting", status)], "STA", "Not its remit.");
      expect(result).toMatchObject({
        ok: true,
        changes: { updates: [{ id: 2, status: "withdrawn", event: { type: "assignment.withdrawn", from: status, to: "withdrawn" } }], inserts: [] },
      });
    }
  });
  it("refuses the lead, a department not responsible (or already withdrawn), and a blank reason", () => {
    const measure = [a(1, "MOF", "lead", "in_progress"), a(2, "STA", "supporting", "withdrawn")];
    expect(removeSupportingDepartment(ctx, measure, "MOF", "x")).toMatchObject({ ok: false, refusal: { code: "lead_cannot_be_removed" } });
    expect(removeSupportingDepartment(ctx, measure, "STA", "x")).toMatchObject({ ok: false, refusal: { code: "not_responsible" } });
    expect(removeSupportingDepartment(ctx, measure, "NBS", "x")).toMatchObject({ ok: false, refusal: { code: "not_responsible" } });
    expect(removeSupportingDepartment(ctx, [...measure, a(3, "NBS", "supporting", "accepted")], "NBS", "  ")).toMatchObject({
      ok: false,
      refusal: { code: "reason_required" },
    });
  });
});

describe("changeLead", () => {
  it("promotes a supporting department; the former lead becomes supporting with its status kept", () => {
    for (const leadStatus of statuses.filter((s) => s !== "withdrawn")) {
      for (const supportingStatus of statuses.filter((s) => s !== "withdrawn")) {
        const result = changeLead(ctx, [a(1, "MOF", "lead", leadStatus), a(2, "STA", "supporting", supportingStatus)], "STA", "Its remit.", null);
        if (!result.ok) throw new Error(result.refusal.message);
        const [former, promoted] = result.changes.updates;
        expect(former).toMatchObject({ id: 1, role: "supporting", event: { type: "assignment.role_changed", from: leadStatus, to: leadStatus } });
        expect(former?.status).toBeUndefined();
        // A supporting sign-off is not the consolidated one the lead owes: reopened.
        const expected = supportingStatus === "signed_off" ? "in_progress" : supportingStatus;
        expect(promoted).toMatchObject({ id: 2, role: "lead", event: { from: supportingStatus, to: expected, payload: { reopened: supportingStatus === "signed_off" } } });
        expect(promoted?.status).toBe(supportingStatus === "signed_off" ? "in_progress" : undefined);
        expect(result.changes.inserts).toEqual([]);
      }
    }
  });
  it("engages a department new to the measure as an assigned lead, due with the former lead by default", () => {
    expect(changeLead(ctx, [a(1, "MOF", "lead", "signed_off", "2026-10-31")], "NDRC", "Reform.", null)).toMatchObject({
      ok: true,
      changes: {
        updates: [{ id: 1, role: "supporting" }],
        inserts: [{ department: "NDRC", role: "lead", dueDate: "2026-10-31", event: { type: "assignment.issued", payload: { formerLead: "MOF" } } }],
      },
    });
    expect(changeLead(ctx, [a(1, "MOF", "lead", "accepted")], "NDRC", "Reform.", "2020-01-01")).toMatchObject({ ok: false, refusal: { code: "deadline_in_past" } });
  });
  it("refuses the current lead and a blank reason", () => {
    expect(changeLead(ctx, [a(1, "MOF", "lead", "accepted")], "MOF", "x", null)).toMatchObject({ ok: false, refusal: { code: "already_responsible" } });
    expect(changeLead(ctx, [a(1, "MOF", "lead", "accepted")], "STA", " ", null)).toMatchObject({ ok: false, refusal: { code: "reason_required" } });
  });
});

describe("withdrawPlan", () => {
  it("withdraws every assignment not signed off or withdrawn; signed-off work stays", () => {
    const all = statuses.map((s, i) => a(i + 1, `D${i}X`, "supporting", s));
    const result = withdrawPlan("issued", all, "Superseded by the 2026 opinions.");
    if (!result.ok) throw new Error(result.refusal.message);
    expect(result.changes.updates.map((u) => [u.id, u.status, u.event.from])).toEqual([
      [1, "withdrawn", "assigned"],
      [2, "withdrawn", "accepted"],
      [3, "withdrawn", "declined"],
      [4, "withdrawn", "in_progress"],
    ]);
  });
  it("refuses a draft, a withdrawn plan and a blank reason", () => {
    const cases: Array<[PlanStatus, string, string]> = [
      ["draft", "x", "plan_not_issued"],
      ["withdrawn", "x", "plan_withdrawn"],
      ["issued", "", "reason_required"],
    ];
    for (const [status, reason, code] of cases) expect(withdrawPlan(status, [], reason)).toMatchObject({ ok: false, refusal: { code } });
  });
});
