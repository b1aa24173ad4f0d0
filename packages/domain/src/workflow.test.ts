import { describe, expect, it } from "vitest";
import type { Actor, AssignmentAction, AssignmentActionType, AssignmentState, AssignmentStatus, MeasureContext, RefusalCode } from "./types.js";
import { assignmentActionTypes } from "./actions.js";
import { actionAvailability, allowedActions, transition } from "./workflow.js";

/*
 * The specification, written out independently of `actionRules`: who may take each action and from which statuses,
 * and where it leads. If the table in workflow.ts drifts from this, the exhaustive test below fails.
 * `member` is the department's liaison or the handler the work was given to (承办人); `leader` its department leader.
 */
type By = "liaison" | "member" | "leader" | "coordinator" | "participant";
const spec: Record<AssignmentActionType, { by: By; from: AssignmentStatus[]; to: AssignmentStatus | "same" }> = {
  accept: { by: "liaison", from: ["assigned"], to: "accepted" },
  decline: { by: "liaison", from: ["assigned"], to: "declined" },
  reportProgress: { by: "member", from: ["accepted", "in_progress"], to: "in_progress" },
  signOff: { by: "member", from: ["accepted", "in_progress"], to: "signed_off" },
  requestExtension: { by: "member", from: ["assigned", "accepted", "in_progress"], to: "same" },
  comment: { by: "participant", from: ["assigned", "accepted", "declined", "in_progress", "signed_off", "withdrawn"], to: "same" },
  assignHandler: { by: "liaison", from: ["accepted", "in_progress"], to: "same" },
  approve: { by: "leader", from: ["assigned", "accepted", "in_progress"], to: "same" },
  reject: { by: "leader", from: ["assigned", "accepted", "in_progress"], to: "same" },
  reassign: { by: "coordinator", from: ["declined"], to: "assigned" },
  reaffirm: { by: "coordinator", from: ["declined"], to: "assigned" },
  return: { by: "coordinator", from: ["signed_off"], to: "in_progress" },
  withdraw: { by: "coordinator", from: ["assigned", "accepted", "declined", "in_progress"], to: "withdrawn" },
  remind: { by: "coordinator", from: ["assigned", "accepted", "in_progress"], to: "same" },
  decideExtension: { by: "coordinator", from: ["assigned", "accepted", "in_progress"], to: "same" },
};

const statuses: AssignmentStatus[] = ["assigned", "accepted", "declined", "in_progress", "signed_off", "withdrawn"];

// MOF's assignment was handed to division 10 and its handler, account 100.
const actors = {
  coordinator: { role: "coordinator", department: "MIIT" },
  ownLiaison: { role: "liaison", department: "MOF" },
  otherLiaison: { role: "liaison", department: "STA" },
  ownHandler: { role: "liaison", department: "MOF", departmentRole: "handler", division: 10, userId: 100 },
  divisionHandler: { role: "liaison", department: "MOF", departmentRole: "handler", division: 10, userId: 101 },
  otherDivisionHandler: { role: "liaison", department: "MOF", departmentRole: "handler", division: 11, userId: 102 },
  otherDepartmentHandler: { role: "liaison", department: "STA", departmentRole: "handler", division: 10, userId: 100 },
  ownLeader: { role: "liaison", department: "MOF", departmentRole: "leader", userId: 104 },
  otherLeader: { role: "liaison", department: "STA", departmentRole: "leader", userId: 105 },
  observer: { role: "observer", department: null },
  admin: { role: "admin", department: null },
} satisfies Record<string, Actor>;
type ActorKind = keyof typeof actors;

const mofDivision = { id: 10, department: "MOF" };
const mofHandler = { id: 101, role: "liaison" as const, department: "MOF", departmentRole: "handler" as const, division: 10, disabled: false };

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
    case "assignHandler":
      return { type, note: "Your division drafts the rules.", division: mofDivision, handler: mofHandler };
    case "approve":
      return { type, note: "" };
    case "reject":
      return { type, reason: "Add the figures." };
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

/** The sub-state of the department's approval: nothing waiting, a drafted sign-off, or a drafted extension request. */
type Waiting = "none" | "signOff" | "extension";
const waitings: Waiting[] = ["none", "signOff", "extension"];

function stateFor(type: AssignmentActionType, status: AssignmentStatus, waiting: Waiting = "none"): AssignmentState {
  return {
    status,
    department: "MOF",
    role: "supporting",
    dueDate: "2026-12-31",
    // Only a decision needs a pending request; every other action is tried without one.
    pendingExtension: type === "decideExtension" ? { until: "2027-06-30", reason: "More time." } : null,
    division: 10,
    handler: 100,
    pendingApproval:
      waiting === "none"
        ? null
        : waiting === "signOff"
          ? { kind: "signOff", summary: "Rules issued.", by: 100 }
          : { kind: "extension", until: "2027-03-31", reason: "Consultation.", by: 100 },
  };
}

const openContext: MeasureContext = { measureClosed: false, others: [{ department: "STA", role: "lead", status: "accepted" }] };

const otherDepartment: ReadonlySet<ActorKind> = new Set(["otherLiaison", "otherDepartmentHandler", "otherLeader"]);

function expectedOutcome(type: AssignmentActionType, status: AssignmentStatus, actor: ActorKind, waiting: Waiting = "none"): RefusalCode | "ok" {
  const rule = spec[type];
  if (actor === "observer" || actor === "admin") return "read_only";
  if (rule.by === "coordinator" && actor !== "coordinator") return "wrong_role";
  if ((rule.by === "liaison" || rule.by === "member" || rule.by === "leader") && actor === "coordinator") return "wrong_role";
  if (otherDepartment.has(actor)) return "not_your_department";
  if (rule.by === "liaison" && actor !== "ownLiaison") return "wrong_role";
  if (rule.by === "leader" && actor !== "ownLeader") return "wrong_role";
  if (rule.by === "member" && actor === "ownLeader") return "wrong_role";
  if (rule.by === "member" && (actor === "divisionHandler" || actor === "otherDivisionHandler")) return "not_your_assignment";
  if (rule.by === "participant" && actor === "otherDivisionHandler") return "not_your_assignment";
  if (!rule.from.includes(status)) return "invalid_state";
  if ((type === "signOff" || type === "requestExtension") && waiting !== "none") return "approval_pending";
  if ((type === "approve" || type === "reject") && waiting === "none") return "no_approval_pending";
  if (type === "approve" && waiting === "signOff" && status === "assigned") return "invalid_state";
  return "ok";
}

/** The status an allowed action leads to, with the department's approval setting. */
function expectedStatus(type: AssignmentActionType, status: AssignmentStatus, waiting: Waiting, approvalOn: boolean): AssignmentStatus {
  if (type === "signOff") return approvalOn ? status : "signed_off";
  if (type === "approve") return waiting === "signOff" ? "signed_off" : status;
  const to = spec[type].to;
  return to === "same" ? status : to;
}

describe("transition: every action × status × approval sub-state × actor has a defined outcome", () => {
  const cases = assignmentActionTypes.flatMap((type) => (Object.keys(actors) as ActorKind[]).map((actor) => ({ type, actor })));

  it("covers all 15 actions × 6 statuses × 3 approval sub-states × 2 settings × 11 actors", () => {
    expect(new Set(assignmentActionTypes)).toEqual(new Set(Object.keys(spec)));
    expect(cases.length * statuses.length * waitings.length * 2).toBe(15 * 6 * 3 * 2 * 11);
  });

  it.each(cases)("$type by $actor", ({ type, actor }) => {
    for (const status of statuses) {
      for (const waiting of waitings) {
        for (const approvalOn of [false, true]) {
          const state = stateFor(type, status, waiting);
          const result = transition(state, sampleAction(type), actors[actor], { ...openContext, leaderApproval: approvalOn });
          const expected = expectedOutcome(type, status, actor, waiting);
          const where = `${status}, waiting ${waiting}, approval ${approvalOn ? "on" : "off"}`;
          if (expected !== "ok") {
            expect(result.ok, where).toBe(false);
            if (result.ok) continue;
            expect(result.refusal.code, where).toBe(expected);
            expect(result.refusal.message.length).toBeGreaterThan(10);
            continue;
          }
          expect(result.ok, where).toBe(true);
          if (!result.ok) continue;
          expect(result.next.status, where).toBe(expectedStatus(type, status, waiting, approvalOn));
          expect(result.events, where).toHaveLength(1);
          expect(result.events[0]?.from).toBe(status);
          expect(result.events[0]?.to).toBe(result.next.status);
          // What waits for the leader after the action.
          const drafted = (type === "signOff" || type === "requestExtension") && approvalOn;
          if (drafted) expect(result.next.pendingApproval?.kind, where).toBe(type === "signOff" ? "signOff" : "extension");
          else if (type === "approve" || type === "reject" || type === "withdraw" || type === "reassign" || type === "decline") expect(result.next.pendingApproval ?? null, where).toBeNull();
          else expect(result.next.pendingApproval ?? null, where).toEqual(state.pendingApproval ?? null);
          if (type === "approve" && waiting === "extension") expect(result.next.pendingExtension, where).toEqual({ until: "2027-03-31", reason: "Consultation." });
          if (type === "requestExtension") expect(result.next.pendingExtension === null, where).toBe(approvalOn);
        }
      }
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
    expect(transition(signed, { type: "return", reason: "Incomplete." }, actors.coordinator, leadSigned)).toMatchObject({
      ok: true,
      effects: [
        {
          kind: "leadReopened",
          department: "STA",
          event: { type: "assignment.lead_reopened", from: "signed_off", to: "in_progress", payload: { returnedDepartment: base.department, reason: "Incomplete." } },
        },
      ],
    });
    expect(transition(signed, { type: "return", reason: "Incomplete." }, actors.coordinator, leadWorking)).toMatchObject({ ok: true, effects: [] });
    const leadItself = { ...signed, role: "lead" as const };
    expect(transition(leadItself, { type: "return", reason: "Incomplete." }, actors.coordinator, leadSigned)).toMatchObject({ ok: true, effects: [] });
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
    expect(allowedActions(state, actors.ownLiaison, ctx).sort()).toEqual(["assignHandler", "comment", "reportProgress"]);
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
        const by = spec[type].by;
        const actor = by === "coordinator" ? actors.coordinator : by === "leader" ? actors.ownLeader : actors.ownLiaison;
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
  it("gives for each action the answer transition gives to that action filled in (no probe action of its own)", () => {
    const approvals = [null, { kind: "signOff" as const, summary: "Done.", by: 100 }, { kind: "extension" as const, until: "2027-06-30", reason: "x", by: 100 }];
    for (const status of statuses) {
      for (const role of ["lead", "supporting"] as const) {
        for (const pendingExtension of [null, { until: "2027-06-30", reason: "x" }]) {
          for (const pendingApproval of approvals) {
            const state: AssignmentState = { status, department: "MOF", role, dueDate: "2026-12-31", pendingExtension, pendingApproval, division: 10, handler: 100 };
            for (const actor of Object.values(actors)) {
              for (const ctx of contexts) {
                for (const a of actionAvailability(state, actor, ctx)) {
                  const result = transition(state, sampleAction(a.action), actor, ctx);
                  expect(result.ok ? null : result.refusal.code, `${a.action} ${status} ${JSON.stringify(actor)}`).toBe(a.refusal?.code ?? null);
                }
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

describe("inside a department: 分办, drafts and the leader's approval", () => {
  const accepted: AssignmentState = { status: "accepted", department: "MOF", role: "supporting", dueDate: "2026-12-31", pendingExtension: null };
  const approvalOn: MeasureContext = { ...openContext, leaderApproval: true };

  it("分办 records the division and handler, with the note, and a new 分办 replaces them", () => {
    const result = transition(accepted, sampleAction("assignHandler"), actors.ownLiaison, openContext);
    expect(result).toMatchObject({
      ok: true,
      next: { status: "accepted", division: 10, handler: 101 },
      events: [{ type: "assignment.handler_assigned", payload: { divisionId: "10", handlerId: "101", previousHandlerId: null, note: "Your division drafts the rules." } }],
    });
    if (!result.ok) return;
    const again = transition(result.next, { ...sampleAction("assignHandler"), note: "x" } as AssignmentAction, actors.ownLiaison, openContext);
    expect(again).toMatchObject({ ok: true, events: [{ payload: { previousHandlerId: "101" } }] });
  });

  it.each([
    ["a division of another department", { division: { id: 10, department: "STA" } }],
    ["an account of another department", { handler: { ...mofHandler, department: "STA" } }],
    ["an account that is not a handler", { handler: { ...mofHandler, departmentRole: "leader" as const } }],
    ["a handler of another division", { handler: { ...mofHandler, division: 11 } }],
    ["a disabled handler", { handler: { ...mofHandler, disabled: true } }],
    ["the coordinator's account", { handler: { ...mofHandler, role: "coordinator" as const } }],
  ])("refuses 分办 to %s", (_why, change) => {
    const action = { type: "assignHandler" as const, note: "n", division: mofDivision, handler: mofHandler, ...change };
    expect(transition(accepted, action, actors.ownLiaison, openContext)).toMatchObject({ ok: false, refusal: { code: "invalid_handler" } });
  });

  it("requires a note for 分办 and a reason to send a draft back", () => {
    expect(transition(accepted, { ...(sampleAction("assignHandler") as Extract<AssignmentAction, { type: "assignHandler" }>), note: " " }, actors.ownLiaison, openContext)).toMatchObject({
      ok: false,
      refusal: { code: "reason_required" },
    });
    const waiting = { ...accepted, pendingApproval: { kind: "signOff" as const, summary: "s", by: 100 } };
    expect(transition(waiting, { type: "reject", reason: "" }, actors.ownLeader, openContext)).toMatchObject({ ok: false, refusal: { code: "reason_required" } });
  });

  it("a handler's sign-off waits for the leader, goes out on approval, and a rejection returns it with the reason", () => {
    const given = { ...accepted, status: "in_progress" as const, division: 10, handler: 100 };
    const drafted = transition(given, { type: "signOff", summary: "Rules issued." }, actors.ownHandler, approvalOn);
    expect(drafted).toMatchObject({
      ok: true,
      next: { status: "in_progress", pendingApproval: { kind: "signOff", summary: "Rules issued.", by: 100 } },
      events: [{ type: "assignment.approval_requested", payload: { kind: "signOff", summary: "Rules issued." } }],
    });
    if (!drafted.ok) return;
    const rejected = transition(drafted.next, { type: "reject", reason: "Add the figures." }, actors.ownLeader, approvalOn);
    expect(rejected).toMatchObject({
      ok: true,
      next: { status: "in_progress", pendingApproval: null, handler: 100 },
      events: [{ type: "assignment.approval_rejected", payload: { kind: "signOff", reason: "Add the figures." } }],
    });
    const approved = transition(drafted.next, { type: "approve", note: "Send it." }, actors.ownLeader, approvalOn);
    expect(approved).toMatchObject({
      ok: true,
      next: { status: "signed_off", pendingApproval: null },
      events: [{ type: "assignment.signed_off", from: "in_progress", to: "signed_off", payload: { summary: "Rules issued.", approvedByLeader: true } }],
    });
    // A leader of another department approves nothing here.
    expect(transition(drafted.next, { type: "approve", note: "" }, actors.otherLeader, approvalOn)).toMatchObject({
      ok: false,
      refusal: { code: "not_your_department" },
    });
  });

  it("a drafted extension request reaches the lead ministry only on approval", () => {
    const drafted = transition(accepted, { type: "requestExtension", until: "2027-03-31", reason: "Consultation." }, actors.ownLiaison, approvalOn);
    expect(drafted).toMatchObject({ ok: true, next: { pendingExtension: null, pendingApproval: { kind: "extension", until: "2027-03-31" } } });
    if (!drafted.ok) return;
    // The coordinator has nothing to decide yet.
    expect(transition(drafted.next, { type: "decideExtension", approve: true, note: "" }, actors.coordinator, approvalOn)).toMatchObject({
      ok: false,
      refusal: { code: "no_extension_pending" },
    });
    const approved = transition(drafted.next, { type: "approve", note: "" }, actors.ownLeader, approvalOn);
    expect(approved).toMatchObject({
      ok: true,
      next: { pendingApproval: null, pendingExtension: { until: "2027-03-31", reason: "Consultation." } },
      events: [{ type: "assignment.extension_requested", payload: { until: "2027-03-31", approvedByLeader: true } }],
    });
  });

  it("the lead-last rule holds when the leader approves, not only when the sign-off was drafted", () => {
    const lead: AssignmentState = {
      ...accepted,
      role: "lead",
      status: "in_progress",
      pendingApproval: { kind: "signOff", summary: "Consolidated.", by: 100 },
    };
    const supportingReturned: MeasureContext = { measureClosed: false, leaderApproval: true, others: [{ department: "STA", role: "supporting", status: "in_progress" }] };
    expect(transition(lead, { type: "approve", note: "" }, actors.ownLeader, supportingReturned)).toMatchObject({
      ok: false,
      refusal: { code: "supporting_not_signed_off", waitingFor: ["STA"] },
    });
    const ready: MeasureContext = { ...supportingReturned, others: [{ department: "STA", role: "supporting", status: "signed_off" }] };
    expect(transition(lead, { type: "approve", note: "" }, actors.ownLeader, ready)).toMatchObject({ ok: true, next: { status: "signed_off" } });
  });

  it("withdrawal and reassignment drop what waits and the placement goes with the department", () => {
    const waiting: AssignmentState = { ...accepted, status: "declined", division: 10, handler: 100, pendingApproval: null };
    expect(transition(waiting, { type: "reassign", toDepartment: "NDRC", note: "Its remit." }, actors.coordinator, openContext)).toMatchObject({
      ok: true,
      next: { department: "NDRC", division: null, handler: null, pendingApproval: null },
    });
  });

  it("offers the handler given the work report, sign-off and extension; the leader only approve or reject when something waits", () => {
    const given: AssignmentState = { ...accepted, status: "in_progress", division: 10, handler: 100 };
    expect(allowedActions(given, actors.ownHandler, openContext).sort()).toEqual(["comment", "reportProgress", "requestExtension", "signOff"]);
    expect(allowedActions(given, actors.divisionHandler, openContext)).toEqual(["comment"]);
    expect(allowedActions(given, actors.otherDivisionHandler, openContext)).toEqual([]);
    expect(allowedActions(given, actors.ownLeader, openContext)).toEqual(["comment"]);
    const waiting = { ...given, pendingApproval: { kind: "signOff" as const, summary: "s", by: 100 } };
    expect(allowedActions(waiting, actors.ownLeader, openContext).sort()).toEqual(["approve", "comment", "reject"]);
    expect(allowedActions(waiting, actors.ownHandler, openContext).sort()).toEqual(["comment", "reportProgress"]);
  });
});
