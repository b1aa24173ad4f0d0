import { describe, expect, it } from "vitest";
import type { Actor, AssignmentAction, AssignmentActionType, AssignmentState, AssignmentStatus, MeasureContext, RefusalCode } from "./types.js";
import { actionAvailability, allowedActions, assignmentActionTypes, transition } from "./workflow.js";

/*
 * The specification, written out independently of `actionRules`: who may take each action and from which statuses,
 * and where it leads. If the table in workflow.ts drifts from this, the exhaustive test below fails.
 */
const spec: Record<AssignmentActionType, { by: "liaison" | "coordinator" | "participant"; from: AssignmentStatus[]; to: AssignmentStatus | "same" }> = {
  accept: { by: "liaison", from: ["assigned"], to: "accepted" },
  decline: { by: "liaison", from: ["assigned"], to: "declined" },
  reportProgress: { by: "liaison", from: ["accepted", "in_progress"], to: "in_progress" },
  signOff: { by: "liaison", from: ["accepted", "in_progress"], to: "signed_off" },
  requestExtension: { by: "liaison", from: ["assigned", "accepted", "in_progress"], to: "same" },
  comment: { by: "participant", from: ["assigned", "accepted", "declined", "in_progress", "signed_off", "withdrawn"], to: "same" },
  reassign: { by: "coordinator", from: ["declined"], to: "assigned" },
  reaffirm: { by: "coordinator", from: ["declined"], to: "assigned" },
  return: { by: "coordinator", from: ["signed_off"], to: "in_progress" },
  withdraw: { by: "coordinator", from: ["assigned", "accepted", "declined", "in_progress"], to: "withdrawn" },
  remind: { by: "coordinator", from: ["assigned", "accepted", "in_progress"], to: "same" },
  decideExtension: { by: "coordinator", from: ["assigned", "accepted", "in_progress"], to: "same" },
};

const statuses: AssignmentStatus[] = ["assigned", "accepted", "declined", "in_progress", "signed_off", "withdrawn"];

const actors = {
  coordinator: { role: "coordinator", department: "MIIT" },
  ownLiaison: { role: "liaison", department: "MOF" },
  otherLiaison: { role: "liaison", department: "STA" },
  observer: { role: "observer", department: null },
  admin: { role: "admin", department: null },
} satisfies Record<string, Actor>;
type ActorKind = keyof typeof actors;

function sampleAction(type: AssignmentActionType): AssignmentAction {
  switch (type) {
    case "accept":
      return { type };
    case "decline":
      return { type, reason: "Outside our remit." };
    case "reportProgress":
      return { type, note: "Drafting the rules." };
    case "signOff":
      return { type, summary: "Rules issued." };
    case "requestExtension":
      return { type, until: "2027-06-30", reason: "Consultation takes longer." };
    case "comment":
      return { type, body: "See the attached draft." };
    case "reassign":
      return { type, toDepartment: "NDRC", note: "Its remit." };
    case "reaffirm":
      return { type, note: "The measure names your remit." };
    case "return":
      return { type, reason: "The summary lacks figures." };
    case "withdraw":
      return { type, reason: "Duplicate assignment." };
    case "remind":
      return { type, message: "Due next week." };
    case "decideExtension":
      return { type, approve: true, note: "" };
  }
}

function stateFor(type: AssignmentActionType, status: AssignmentStatus): AssignmentState {
  return {
    status,
    department: "MOF",
    role: "supporting",
    dueDate: "2026-12-31",
    // Only a decision needs a pending request; every other action is tried without one.
    pendingExtension: type === "decideExtension" ? { until: "2027-06-30", reason: "More time." } : null,
  };
}

const openContext: MeasureContext = { measureClosed: false, others: [{ department: "STA", role: "lead", status: "accepted" }] };

function expectedOutcome(type: AssignmentActionType, status: AssignmentStatus, actor: ActorKind): RefusalCode | "ok" {
  const rule = spec[type];
  if (actor === "observer" || actor === "admin") return "read_only";
  if (rule.by === "liaison" && actor === "coordinator") return "wrong_role";
  if (rule.by === "coordinator" && actor !== "coordinator") return "wrong_role";
  if (actor === "otherLiaison") return "not_your_department";
  return rule.from.includes(status) ? "ok" : "invalid_state";
}

describe("transition: every action × status × actor has a defined outcome", () => {
  const cases = assignmentActionTypes.flatMap((type) =>
    statuses.flatMap((status) => (Object.keys(actors) as ActorKind[]).map((actor) => ({ type, status, actor }))),
  );

  it("covers all 12 actions × 6 statuses × 5 actors", () => {
    expect(new Set(assignmentActionTypes)).toEqual(new Set(Object.keys(spec)));
    expect(cases).toHaveLength(12 * 6 * 5);
  });

  it.each(cases)("$type from $status by $actor", ({ type, status, actor }) => {
    const result = transition(stateFor(type, status), sampleAction(type), actors[actor], openContext);
    const expected = expectedOutcome(type, status, actor);
    if (expected === "ok") {
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      const to = spec[type].to;
      expect(result.next.status).toBe(to === "same" ? status : to);
      expect(result.events).toHaveLength(1);
      expect(result.events[0]?.from).toBe(status);
      expect(result.events[0]?.to).toBe(result.next.status);
    } else {
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.refusal.code).toBe(expected);
      expect(result.refusal.message.length).toBeGreaterThan(10);
    }
  });
});

describe("transition: guards beyond the status", () => {
  const liaison = actors.ownLiaison;
  const base: AssignmentState = { status: "in_progress", department: "MOF", role: "lead", dueDate: "2026-12-31", pendingExtension: null };

  it("refuses the lead's sign-off until every supporting department has signed off (牵头汇总)", () => {
    const waiting: MeasureContext = {
      measureClosed: false,
      others: [
        { department: "STA", role: "supporting", status: "signed_off" },
        { department: "NBS", role: "supporting", status: "in_progress" },
      ],
    };
    const refused = transition(base, { type: "signOff", summary: "Done." }, liaison, waiting);
    expect(refused).toMatchObject({ ok: false, refusal: { code: "supporting_not_signed_off" } });
    if (!refused.ok) expect(refused.refusal.message).toContain("NBS");

    const ready: MeasureContext = {
      measureClosed: false,
      others: [
        { department: "STA", role: "supporting", status: "signed_off" },
        { department: "NBS", role: "supporting", status: "withdrawn" },
      ],
    };
    expect(transition(base, { type: "signOff", summary: "Done." }, liaison, ready)).toMatchObject({ ok: true, next: { status: "signed_off" } });
  });

  it("lets a supporting department sign off whatever the lead's state", () => {
    const supporting = { ...base, role: "supporting" as const };
    const ctx: MeasureContext = { measureClosed: false, others: [{ department: "STA", role: "lead", status: "assigned" }] };
    expect(transition(supporting, { type: "signOff", summary: "Done." }, liaison, ctx).ok).toBe(true);
  });

  it("returning a supporting sign-off reopens a signed-off lead, and only then", () => {
    const signed = { ...base, role: "supporting" as const, status: "signed_off" as const };
    const leadSigned: MeasureContext = { measureClosed: false, others: [{ department: "STA", role: "lead", status: "signed_off" }] };
    const leadWorking: MeasureContext = { measureClosed: false, others: [{ department: "STA", role: "lead", status: "in_progress" }] };
    expect(transition(signed, { type: "return", reason: "Incomplete." }, actors.coordinator, leadSigned)).toMatchObject({ ok: true, reopenLead: true });
    expect(transition(signed, { type: "return", reason: "Incomplete." }, actors.coordinator, leadWorking)).toMatchObject({ ok: true, reopenLead: false });
    const leadItself = { ...signed, role: "lead" as const };
    expect(transition(leadItself, { type: "return", reason: "Incomplete." }, actors.coordinator, leadSigned)).toMatchObject({ ok: true, reopenLead: false });
  });

  it.each([
    ["decline", { type: "decline", reason: "   " }, "assigned"],
    ["reportProgress", { type: "reportProgress", note: "" }, "in_progress"],
    ["signOff", { type: "signOff", summary: "\n\t" }, "in_progress"],
    ["requestExtension", { type: "requestExtension", until: "2027-01-31", reason: " " }, "in_progress"],
    ["comment", { type: "comment", body: "" }, "in_progress"],
  ] as const)("requires text for %s", (_name, action, status) => {
    const result = transition({ ...base, role: "supporting", status }, action, liaison, openContext);
    expect(result).toMatchObject({ ok: false, refusal: { code: "reason_required" } });
  });

  it.each([
    ["reaffirm", { type: "reaffirm", note: " " }, "declined"],
    ["return", { type: "return", reason: "" }, "signed_off"],
    ["withdraw", { type: "withdraw", reason: "" }, "accepted"],
  ] as const)("requires text for the coordinator's %s", (_name, action, status) => {
    const result = transition({ ...base, status }, action, actors.coordinator, openContext);
    expect(result).toMatchObject({ ok: false, refusal: { code: "reason_required" } });
  });

  it("a reminder needs no message", () => {
    expect(transition(base, { type: "remind", message: "" }, actors.coordinator, openContext)).toMatchObject({ ok: true, events: [{ type: "assignment.reminded" }] });
  });

  it("refuses everything but comments on a closed measure", () => {
    const closed: MeasureContext = { measureClosed: true, others: [] };
    const signed = { ...base, status: "signed_off" as const };
    expect(transition(signed, { type: "return", reason: "x" }, actors.coordinator, closed)).toMatchObject({ ok: false, refusal: { code: "measure_closed" } });
    expect(transition(signed, { type: "comment", body: "For the record." }, liaison, closed).ok).toBe(true);
    // Who may act is checked before the closure, so a stranger learns nothing about the measure.
    expect(transition(signed, { type: "comment", body: "x" }, actors.otherLiaison, closed)).toMatchObject({ ok: false, refusal: { code: "not_your_department" } });
  });

  describe("extension requests", () => {
    it("records a request and keeps the status", () => {
      const result = transition(base, { type: "requestExtension", until: "2027-03-31", reason: "Consultation." }, liaison, openContext);
      expect(result).toMatchObject({ ok: true, next: { status: "in_progress", dueDate: "2026-12-31", pendingExtension: { until: "2027-03-31" } } });
    });
    it.each([
      ["not a date", "2027-02-30"],
      ["not after the due date", "2026-12-31"],
      ["earlier", "2026-06-01"],
      ["free text", "next spring"],
    ])("refuses a new date that is %s", (_why, until) => {
      expect(transition(base, { type: "requestExtension", until, reason: "r" }, liaison, openContext)).toMatchObject({
        ok: false,
        refusal: { code: "invalid_extension" },
      });
    });
    it("refuses on an ongoing assignment", () => {
      expect(transition({ ...base, dueDate: "ongoing" }, { type: "requestExtension", until: "2027-03-31", reason: "r" }, liaison, openContext)).toMatchObject({
        ok: false,
        refusal: { code: "invalid_extension" },
      });
    });
    it("refuses a second request while one is pending", () => {
      const pending = { ...base, pendingExtension: { until: "2027-01-31", reason: "r" } };
      expect(transition(pending, { type: "requestExtension", until: "2027-03-31", reason: "r" }, liaison, openContext)).toMatchObject({
        ok: false,
        refusal: { code: "extension_pending" },
      });
    });
    it("approval moves the due date; refusal keeps it and needs a reason", () => {
      const pending = { ...base, pendingExtension: { until: "2027-01-31", reason: "r" } };
      expect(transition(pending, { type: "decideExtension", approve: true, note: "" }, actors.coordinator, openContext)).toMatchObject({
        ok: true,
        next: { dueDate: "2027-01-31", pendingExtension: null },
        events: [{ type: "assignment.extension_approved" }],
      });
      expect(transition(pending, { type: "decideExtension", approve: false, note: " " }, actors.coordinator, openContext)).toMatchObject({
        ok: false,
        refusal: { code: "reason_required" },
      });
      expect(transition(pending, { type: "decideExtension", approve: false, note: "Keep the date." }, actors.coordinator, openContext)).toMatchObject({
        ok: true,
        next: { dueDate: "2026-12-31", pendingExtension: null },
        events: [{ type: "assignment.extension_refused" }],
      });
    });
    it("refuses a decision with nothing pending", () => {
      expect(transition(base, { type: "decideExtension", approve: true, note: "" }, actors.coordinator, openContext)).toMatchObject({
        ok: false,
        refusal: { code: "no_extension_pending" },
      });
    });
  });

  describe("reassignment", () => {
    const declined = { ...base, status: "declined" as const, role: "supporting" as const };
    const ctx: MeasureContext = {
      measureClosed: false,
      others: [
        { department: "STA", role: "lead", status: "accepted" },
        { department: "NBS", role: "supporting", status: "withdrawn" },
      ],
    };
    it("moves the assignment to the new department, to be accepted anew", () => {
      expect(transition(declined, { type: "reassign", toDepartment: "NDRC", note: "Its remit." }, actors.coordinator, ctx)).toMatchObject({
        ok: true,
        next: { status: "assigned", department: "NDRC" },
        events: [{ type: "assignment.reassigned", payload: { fromDepartment: "MOF", toDepartment: "NDRC", note: "Its remit." } }],
      });
    });
    it("refuses the same department or one already responsible; a withdrawn one may take it", () => {
      for (const toDepartment of ["MOF", "STA"]) {
        expect(transition(declined, { type: "reassign", toDepartment, note: "Its remit." }, actors.coordinator, ctx)).toMatchObject({
          ok: false,
          refusal: { code: "already_responsible" },
        });
      }
      expect(transition(declined, { type: "reassign", toDepartment: "NBS", note: "Its remit." }, actors.coordinator, ctx).ok).toBe(true);
    });
  });
});

describe("allowedActions", () => {
  it("offers a liaison exactly accept, decline, extension request and comment on a new assignment", () => {
    const state: AssignmentState = { status: "assigned", department: "MOF", role: "supporting", dueDate: "2026-12-31", pendingExtension: null };
    expect(allowedActions(state, actors.ownLiaison, openContext).sort()).toEqual(["accept", "comment", "decline", "requestExtension"]);
    expect(allowedActions(state, actors.otherLiaison, openContext)).toEqual([]);
    expect(allowedActions(state, actors.observer, openContext)).toEqual([]);
    expect(allowedActions(state, actors.coordinator, openContext).sort()).toEqual(["comment", "remind", "withdraw"]);
  });
  it("hides the lead's sign-off while a supporting department is still working", () => {
    const state: AssignmentState = { status: "in_progress", department: "MOF", role: "lead", dueDate: "ongoing", pendingExtension: null };
    const ctx: MeasureContext = { measureClosed: false, others: [{ department: "STA", role: "supporting", status: "in_progress" }] };
    expect(allowedActions(state, actors.ownLiaison, ctx).sort()).toEqual(["comment", "reportProgress"]);
  });
  it("offers reassign and reaffirm on a declined assignment", () => {
    const state: AssignmentState = { status: "declined", department: "MOF", role: "supporting", dueDate: "2026-12-31", pendingExtension: null };
    expect(allowedActions(state, actors.coordinator, openContext).sort()).toEqual(["comment", "reaffirm", "reassign", "withdraw"]);
  });
});

describe("reassign with a note and a deadline", () => {
  const declined: AssignmentState = { status: "declined", department: "MOF", role: "supporting", dueDate: "2026-12-31", pendingExtension: null };
  const ctx: MeasureContext = { measureClosed: false, others: [{ department: "STA", role: "lead", status: "accepted" }], today: "2026-06-01" };
  it("requires the note", () => {
    for (const note of ["", "   "]) {
      expect(transition(declined, { type: "reassign", toDepartment: "NDRC", note }, actors.coordinator, ctx)).toMatchObject({
        ok: false,
        refusal: { code: "reason_required" },
      });
    }
  });
  it("sets the new department's deadline, or keeps the current one", () => {
    const moved = transition(declined, { type: "reassign", toDepartment: "NDRC", note: "Its remit.", dueDate: "2026-09-30" }, actors.coordinator, ctx);
    expect(moved).toMatchObject({
      ok: true,
      next: { department: "NDRC", dueDate: "2026-09-30" },
      events: [{ payload: { dueDate: "2026-09-30", previousDueDate: "2026-12-31", note: "Its remit." } }],
    });
    const kept = transition(declined, { type: "reassign", toDepartment: "NDRC", note: "Its remit." }, actors.coordinator, ctx);
    expect(kept).toMatchObject({ ok: true, next: { dueDate: "2026-12-31" } });
    expect(transition(declined, { type: "reassign", toDepartment: "NDRC", note: "x", dueDate: "ongoing" }, actors.coordinator, ctx)).toMatchObject({
      ok: true,
      next: { dueDate: "ongoing" },
    });
  });
  it("refuses a deadline before today or not a date", () => {
    expect(transition(declined, { type: "reassign", toDepartment: "NDRC", note: "x", dueDate: "2026-05-31" }, actors.coordinator, ctx)).toMatchObject({
      ok: false,
      refusal: { code: "deadline_in_past" },
    });
    expect(transition(declined, { type: "reassign", toDepartment: "NDRC", note: "x", dueDate: "2026-02-30" }, actors.coordinator, ctx)).toMatchObject({
      ok: false,
      refusal: { code: "invalid_deadline" },
    });
  });
});

describe("approving an extension with another date", () => {
  const pending: AssignmentState = {
    status: "in_progress",
    department: "MOF",
    role: "lead",
    dueDate: "2026-12-31",
    pendingExtension: { until: "2027-06-30", reason: "Consultation." },
  };
  const ctx: MeasureContext = { measureClosed: false, others: [], today: "2026-06-01" };
  it("grants the date asked for by default, or another date after the current deadline", () => {
    expect(transition(pending, { type: "decideExtension", approve: true, note: "" }, actors.coordinator, ctx)).toMatchObject({
      ok: true,
      next: { dueDate: "2027-06-30", pendingExtension: null },
      events: [{ type: "assignment.extension_approved", payload: { until: "2027-06-30", requested: "2027-06-30" } }],
    });
    expect(transition(pending, { type: "decideExtension", approve: true, note: "Three months.", until: "2027-03-31" }, actors.coordinator, ctx)).toMatchObject({
      ok: true,
      next: { dueDate: "2027-03-31", pendingExtension: null },
      events: [{ type: "assignment.extension_approved", payload: { until: "2027-03-31", requested: "2027-06-30" } }],
    });
  });
  it("refuses a granted date not after the current deadline, or not a date", () => {
    for (const until of ["2026-12-31", "2026-07-01", "2027-02-30"]) {
      expect(transition(pending, { type: "decideExtension", approve: true, note: "", until }, actors.coordinator, ctx)).toMatchObject({
        ok: false,
        refusal: { code: "invalid_extension" },
      });
    }
  });
  it("refuses a granted date before today (an overdue assignment extended into the past)", () => {
    const overdue: AssignmentState = { ...pending, dueDate: "2026-01-31", pendingExtension: { until: "2026-12-31", reason: "x" } };
    expect(transition(overdue, { type: "decideExtension", approve: true, note: "", until: "2026-03-31" }, actors.coordinator, ctx)).toMatchObject({
      ok: false,
      refusal: { code: "deadline_in_past" },
    });
  });
  it("ignores a date on a refusal", () => {
    expect(transition(pending, { type: "decideExtension", approve: false, note: "No.", until: "2027-03-31" }, actors.coordinator, ctx)).toMatchObject({
      ok: true,
      next: { dueDate: "2026-12-31" },
      events: [{ type: "assignment.extension_refused" }],
    });
  });
});

describe("a withdrawn plan", () => {
  it("takes comments and refuses every other action with plan_withdrawn", () => {
    const ctx: MeasureContext = { measureClosed: false, others: [], planWithdrawn: true };
    for (const status of statuses) {
      const state: AssignmentState = { status, department: "MOF", role: "supporting", dueDate: "2026-12-31", pendingExtension: null };
      for (const type of assignmentActionTypes) {
        const actor = spec[type].by === "coordinator" ? actors.coordinator : actors.ownLiaison;
        const result = transition(state, sampleAction(type), actor, ctx);
        if (type === "comment") expect(result.ok).toBe(true);
        else expect(result).toMatchObject({ ok: false, refusal: { code: "plan_withdrawn" } });
      }
    }
  });
});

describe("actionAvailability", () => {
  const contexts: MeasureContext[] = [
    openContext,
    { measureClosed: true, others: [] },
    { measureClosed: false, others: [{ department: "STA", role: "supporting", status: "in_progress" }] },
    { measureClosed: false, others: [], planWithdrawn: true },
  ];
  it("agrees with allowedActions for every status, actor and context, and gives a refusal for each action not allowed", () => {
    for (const status of statuses) {
      for (const role of ["lead", "supporting"] as const) {
        for (const pendingExtension of [null, { until: "2027-06-30", reason: "x" }]) {
          const state: AssignmentState = { status, department: "MOF", role, dueDate: "2026-12-31", pendingExtension };
          for (const actor of Object.values(actors)) {
            for (const ctx of contexts) {
              const availability = actionAvailability(state, actor, ctx);
              expect(availability.map((a) => a.action)).toEqual(assignmentActionTypes);
              expect(availability.filter((a) => a.allowed).map((a) => a.action)).toEqual(allowedActions(state, actor, ctx));
              for (const a of availability) {
                if (a.allowed) expect(a.refusal).toBeNull();
                else expect(a.refusal?.message.length ?? 0).toBeGreaterThan(10);
              }
            }
          }
        }
      }
    }
  });
  it("tells a lead why it cannot sign off yet, naming the supporting departments it waits for", () => {
    const state: AssignmentState = { status: "in_progress", department: "MOF", role: "lead", dueDate: "ongoing", pendingExtension: null };
    const ctx: MeasureContext = {
      measureClosed: false,
      others: [
        { department: "STA", role: "supporting", status: "in_progress" },
        { department: "NBS", role: "supporting", status: "signed_off" },
        { department: "PBOC", role: "supporting", status: "withdrawn" },
        { department: "CSRC", role: "supporting", status: "assigned" },
      ],
    };
    const signOff = actionAvailability(state, actors.ownLiaison, ctx).find((a) => a.action === "signOff");
    expect(signOff).toMatchObject({ allowed: false, refusal: { code: "supporting_not_signed_off", waitingFor: ["STA", "CSRC"] } });
    expect(signOff?.refusal?.message).toContain("STA, CSRC");
  });
  it("tells a liaison why an accepted assignment cannot be accepted again", () => {
    const state: AssignmentState = { status: "accepted", department: "MOF", role: "supporting", dueDate: "2026-12-31", pendingExtension: null };
    expect(actionAvailability(state, actors.ownLiaison, openContext).find((a) => a.action === "accept")).toMatchObject({
      allowed: false,
      refusal: { code: "invalid_state" },
    });
  });
});
