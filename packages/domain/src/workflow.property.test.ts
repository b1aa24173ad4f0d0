import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decideMeasureClosure, deriveMeasureStatus } from "./measure-status.js";
import type { Actor, AssignmentAction, AssignmentState, AssignmentStatus, MeasureContext } from "./types.js";
import { allowedActions, transition } from "./workflow.js";

/** Every status change the workflow may ever make, written out by hand (self-loops are always allowed). */
const allowedEdges = new Set([
  "assigned>accepted",
  "assigned>declined",
  "assigned>withdrawn",
  "accepted>in_progress",
  "accepted>signed_off",
  "accepted>withdrawn",
  "in_progress>signed_off",
  "in_progress>withdrawn",
  "declined>assigned",
  "declined>withdrawn",
  "signed_off>in_progress",
]);

const pool = ["MOF", "STA", "NBS", "PBOC", "CSRC", "NDRC"];
// Mostly real text, sometimes blank, so that sequences both progress and meet the "reason required" refusals.
const textArb = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom("", "  ") },
  { weight: 6, arbitrary: fc.string({ minLength: 1, maxLength: 8 }).filter((t) => t.trim() !== "") },
);
const dateArb = fc.oneof(fc.constant("2027-01-31"), fc.constant("2026-01-01"), fc.constant("not a date"), fc.constant("ongoing"));

const actionArb: fc.Arbitrary<AssignmentAction> = fc.oneof(
  fc.constant({ type: "accept" as const }),
  textArb.map((reason) => ({ type: "decline" as const, reason })),
  textArb.map((note) => ({ type: "reportProgress" as const, note })),
  textArb.map((summary) => ({ type: "signOff" as const, summary })),
  fc.tuple(dateArb, textArb).map(([until, reason]) => ({ type: "requestExtension" as const, until, reason })),
  textArb.map((body) => ({ type: "comment" as const, body })),
  fc.tuple(fc.constantFrom(...pool), textArb).map(([toDepartment, note]) => ({ type: "reassign" as const, toDepartment, note })),
  textArb.map((note) => ({ type: "reaffirm" as const, note })),
  textArb.map((reason) => ({ type: "return" as const, reason })),
  textArb.map((reason) => ({ type: "withdraw" as const, reason })),
  textArb.map((message) => ({ type: "remind" as const, message })),
  fc.tuple(fc.boolean(), textArb).map(([approve, note]) => ({ type: "decideExtension" as const, approve, note })),
  // 分办 to the department's handler 1 of division 1 (or, sometimes, to handler 2 of division 2).
  fc.tuple(fc.constantFrom(1, 2), textArb).map(([n, note]) => ({
    type: "assignHandler" as const,
    note,
    division: { id: n, department: "__TARGET__" },
    handler: { id: n, role: "liaison" as const, department: "__TARGET__", departmentRole: "handler" as const, division: n, disabled: false },
  })),
  textArb.map((note) => ({ type: "approve" as const, note })),
  textArb.map((reason) => ({ type: "reject" as const, reason })),
);

/** The random 分办 names the acted-on department, filled in when the target is known. */
function forTarget(action: AssignmentAction, target: AssignmentState): AssignmentAction {
  if (action.type !== "assignHandler") return action;
  return {
    ...action,
    division: { ...action.division, department: target.department },
    handler: { ...action.handler, department: target.department },
  };
}

/** Who acts, relative to the target: mostly the people entitled to, so that sequences reach sign-offs and closure. */
type ActorKind = "owner" | "coordinator" | "otherLiaison" | "observer" | "handler" | "otherHandler" | "leader" | "otherLeader";
const actorKindArb = fc.oneof(
  { weight: 6, arbitrary: fc.constant<ActorKind>("owner") },
  { weight: 4, arbitrary: fc.constant<ActorKind>("coordinator") },
  { weight: 1, arbitrary: fc.constant<ActorKind>("otherLiaison") },
  { weight: 1, arbitrary: fc.constant<ActorKind>("observer") },
  { weight: 3, arbitrary: fc.constant<ActorKind>("handler") },
  { weight: 1, arbitrary: fc.constant<ActorKind>("otherHandler") },
  { weight: 3, arbitrary: fc.constant<ActorKind>("leader") },
  { weight: 1, arbitrary: fc.constant<ActorKind>("otherLeader") },
);

function actorFor(kind: ActorKind, target: AssignmentState): Actor {
  switch (kind) {
    case "owner":
      return { role: "liaison", department: target.department };
    case "coordinator":
      return { role: "coordinator", department: "MIIT" };
    case "otherLiaison":
      return { role: "liaison", department: pool.find((d) => d !== target.department) ?? "CNIPA" };
    case "observer":
      return { role: "observer", department: null };
    // Every department has handler 1 in division 1 and handler 2 in division 2 (ids per department are enough here).
    case "handler":
      return { role: "liaison", department: target.department, departmentRole: "handler", division: 1, userId: 1 };
    case "otherHandler":
      return { role: "liaison", department: target.department, departmentRole: "handler", division: 2, userId: 2 };
    case "leader":
      return { role: "liaison", department: target.department, departmentRole: "leader", userId: 9 };
    case "otherLeader":
      return { role: "liaison", department: pool.find((d) => d !== target.department) ?? "CNIPA", departmentRole: "leader", userId: 9 };
  }
}

type Step =
  | { kind: "act"; target: number; action: AssignmentAction; actor: ActorKind }
  | { kind: "close" | "reopen"; actor: ActorKind }
  /** One of the moves allowed right now, picked by index: keeps sequences moving towards sign-off and closure. */
  | { kind: "guided"; choice: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 12, arbitrary: fc.record({ kind: fc.constant("guided" as const), choice: fc.nat() }) },
  { weight: 12, arbitrary: fc.record({ kind: fc.constant("act" as const), target: fc.nat(3), action: actionArb, actor: actorKindArb }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constantFrom("close" as const, "reopen" as const),
      actor: fc.oneof({ weight: 4, arbitrary: fc.constant<ActorKind>("coordinator") }, { weight: 1, arbitrary: actorKindArb }),
    }),
  },
);

function contextFor(assignments: AssignmentState[], index: number, closed: boolean, leaderApproval = false): MeasureContext {
  return {
    measureClosed: closed,
    leaderApproval,
    others: assignments.filter((_, i) => i !== index).map((a) => ({ department: a.department, role: a.role, status: a.status })),
  };
}

/** Resolve a guided step into a concrete move that the workflow allows now (or a closure by the coordinator). */
function guide(choice: number, assignments: AssignmentState[], closed: boolean, approval: boolean): Exclude<Step, { kind: "guided" }> {
  // A countersigned measure is closed on every other guided step: as one move among a dozen, closing was reached
  // in too few of the runs for the "every status reached" check below to hold on every seed.
  if (!closed && choice % 2 === 0 && deriveMeasureStatus(assignments, false) === "countersigned") return { kind: "close", actor: "coordinator" };
  const moves: Exclude<Step, { kind: "guided" }>[] = [{ kind: closed ? "reopen" : "close", actor: "coordinator" }];
  assignments.forEach((state, target) => {
    for (const actor of ["owner", "coordinator", "handler", "leader"] as const) {
      for (const type of allowedActions(state, actorFor(actor, state), contextFor(assignments, target, closed, approval))) {
        const action = concrete(type, state);
        if (action) moves.push({ kind: "act", target, action, actor });
      }
    }
  });
  // Supporting departments' sign-offs are likewise favoured on every fourth guided step: without it, "all supporting
  // signed off, the lead not yet" (awaiting_lead) was reached on too few runs and the coverage check failed on 4 seeds of 100.
  const supportingSignOffs = moves.filter(
    (m) => m.kind === "act" && assignments[m.target]?.role === "supporting" && (m.action.type === "signOff" || m.action.type === "approve"),
  );
  const favoured = choice % 4 === 1 ? supportingSignOffs[Math.floor(choice / 4) % Math.max(1, supportingSignOffs.length)] : undefined;
  if (favoured) return favoured;
  const move = moves[choice % moves.length];
  if (!move) throw new Error("unreachable: there is always the closure move");
  return move;
}

function concrete(type: AssignmentAction["type"], state: AssignmentState): AssignmentAction | null {
  switch (type) {
    case "accept":
      return { type };
    case "decline":
    case "return":
    case "withdraw":
      return { type, reason: "because" };
    case "reportProgress":
    case "reaffirm":
      return { type, note: "note" };
    case "signOff":
      return { type, summary: "done" };
    case "comment":
      return { type, body: "fyi" };
    case "remind":
      return { type, message: "" };
    case "requestExtension":
      return { type, until: "2027-06-30", reason: "more time" };
    case "decideExtension":
      return { type, approve: true, note: "" };
    case "reassign": {
      const free = pool.find((d) => d !== state.department);
      return free ? { type, toDepartment: free, note: "closer to its remit" } : null;
    }
    case "assignHandler":
      return {
        type,
        note: "yours",
        division: { id: 1, department: state.department },
        handler: { id: 1, role: "liaison", department: state.department, departmentRole: "handler", division: 1, disabled: false },
      };
    case "approve":
      return { type, note: "" };
    case "reject":
      return { type, reason: "add figures" };
  }
}

function checkInvariants(assignments: AssignmentState[], closed: boolean): void {
    const active = assignments.filter((a) => a.status !== "withdrawn");
    const lead = active.find((a) => a.role === "lead");
    const supporting = active.filter((a) => a.role === "supporting");
    // The lead signs off last (牵头汇总).
    if (lead?.status === "signed_off") expect(supporting.every((s) => s.status === "signed_off")).toBe(true);
    // Something waits for the department leader only on open work, and never beside a request the lead ministry holds.
    for (const a of assignments) {
      if (a.pendingApproval) expect(["assigned", "accepted", "in_progress"]).toContain(a.status);
      if (a.pendingApproval?.kind === "extension") expect(a.pendingExtension).toBeNull();
    }
    // One department per measure at most once.
    expect(new Set(active.map((a) => a.department)).size).toBe(active.length);

    const status = deriveMeasureStatus(assignments, closed);
    const allSigned = active.length > 0 && active.every((a) => a.status === "signed_off");
    if (closed) expect(status).toBe("closed");
    else expect(status === "countersigned").toBe(allSigned);
    if (status === "awaiting_lead") {
      expect(lead?.status).not.toBe("signed_off");
      expect(supporting.length).toBeGreaterThan(0);
      expect(supporting.every((s) => s.status === "signed_off")).toBe(true);
    }
    if (status === "not_started") {
      const started: AssignmentStatus[] = ["accepted", "in_progress", "signed_off"];
      expect(active.some((a) => started.includes(a.status))).toBe(false);
    }
}

describe("workflow properties over random action sequences", () => {
  const reached = new Set<string>();
  const moves = new Set<string>();
  it("never makes a move outside the table, keeps the lead last, and the derived measure status agrees", { timeout: 60_000 }, () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3 }), fc.boolean(), fc.array(stepArb, { maxLength: 60 }), (supportingCount, approval, steps) => {
        const assignments: AssignmentState[] = pool.slice(0, supportingCount + 1).map((department, i) => ({
          status: "assigned",
          department,
          role: i === 0 ? "lead" : "supporting",
          dueDate: "2026-12-31",
          pendingExtension: null,
        }));
        let closed = false;

        for (const original of steps) {
          const step = original.kind === "guided" ? guide(original.choice, assignments, closed, approval) : original;
          const before = assignments.map((a) => ({ ...a }));
          if (step.kind !== "act") {
            const lead = assignments[0];
            if (!lead) throw new Error("unreachable: a measure always has its lead");
            const result = decideMeasureClosure({ closed, assignments }, step.kind, actorFor(step.actor, lead));
            if (result.ok) {
              // Closing is only possible on a countersigned measure.
              if (step.kind === "close") expect(deriveMeasureStatus(assignments, false)).toBe("countersigned");
              closed = result.closed;
            }
            reached.add(deriveMeasureStatus(assignments, closed));
            continue;
          }
          const index = step.target % assignments.length;
          const current = assignments[index];
          if (!current) throw new Error("unreachable: index is in range");
          const actor = actorFor(step.actor, current);
          const action = forTarget(step.action, current);
          const result = transition(current, action, actor, contextFor(assignments, index, closed, approval));
          if (!result.ok) {
            expect(result.refusal.message).not.toBe("");
            continue;
          }
          const edge = `${current.status}>${result.next.status}`;
          expect(current.status === result.next.status || allowedEdges.has(edge), edge).toBe(true);
          for (const e of result.events) expect(e.from === e.to || allowedEdges.has(`${e.from}>${e.to}`)).toBe(true);
          if (closed) expect(action.type).toBe("comment");
          // Only the actor's own department (or the coordinator) can move an assignment.
          if (actor.role === "liaison") expect(actor.department).toBe(current.department);
          expect(actor.role === "observer").toBe(false);
          // A handler acts only on what was given to them (comments: also their division's work).
          if (actor.departmentRole === "handler" && action.type !== "comment") expect(current.handler).toBe(actor.userId);
          if (actor.departmentRole === "handler" && action.type === "comment") {
            expect(current.handler === actor.userId || current.division === actor.division).toBe(true);
          }
          // Only the department's leader decides on a draft, and a leader does nothing else but comment.
          if (action.type === "approve" || action.type === "reject") expect(actor.departmentRole).toBe("leader");
          if (actor.departmentRole === "leader") expect(["approve", "reject", "comment"]).toContain(action.type);
          // Where the department requires its leader's approval, a sign-off goes out only through it.
          if (approval && result.next.status === "signed_off" && current.status !== "signed_off") expect(action.type).toBe("approve");
          if (approval && result.next.pendingExtension !== null && current.pendingExtension === null) expect(action.type).toBe("approve");
          if (action.type === "approve" || action.type === "reject" || action.type === "assignHandler") moves.add(action.type);
          if (action.type === "signOff") moves.add(approval ? "signOff:approval" : "signOff:direct");
          assignments[index] = result.next;
          const reopen = result.effects.find((e) => e.kind === "leadReopened");
          if (reopen !== undefined) {
            const lead = assignments.findIndex((a) => a.role === "lead" && a.department === reopen.department);
            const leadState = assignments[lead];
            if (leadState) assignments[lead] = { ...leadState, status: "in_progress" };
          }
          if (closed) expect(assignments).toEqual(before);
          reached.add(deriveMeasureStatus(assignments, closed));
          checkInvariants(assignments, closed);
        }

        checkInvariants(assignments, closed);
      }),
      { numRuns: 3000 },
    );
    // The generator must actually reach every measure status, or the properties above prove little.
    expect([...reached].sort()).toEqual(["awaiting_lead", "closed", "countersigned", "in_progress", "not_started"]);
    // ... and every new move of the department's people.
    expect([...moves].sort()).toEqual(["approve", "assignHandler", "reject", "signOff:approval", "signOff:direct"]);
  });
});
