import { decideMeasureClosure, deriveMeasureStatus, planCalendarDate, transition } from "@countersign/domain";
import type {
  Actor,
  AssignmentAction,
  AssignmentState,
  DepartmentCode,
  DueDate,
  Role,
} from "@countersign/domain";
import type { AuditEventType, AuditPayload } from "@countersign/db";
import type { assignmentsTable, commentsTable, extensionRequestsTable } from "@countersign/db/schema";
import type { Random } from "../random.js";
import {
  closeNotes,
  commentBodies,
  declineReasons,
  extensionDecisionNotes,
  extensionReasons,
  progressNotes,
  reaffirmNotes,
  remindMessages,
  returnReasons,
  signOffSummaries,
  withdrawReasons,
} from "./texts.js";

export const dayMs = 86_400_000;

export type AssignmentRow = typeof assignmentsTable.$inferInsert;
export type CommentRow = typeof commentsTable.$inferInsert;
export type ExtensionRequestRow = typeof extensionRequestsTable.$inferInsert;

export interface SeedUser {
  id: number;
  username: string;
  role: "coordinator" | "liaison" | "observer" | "admin";
  department: DepartmentCode | null;
}

/** An audit event waiting for its turn in the one global, time-ordered chain. */
export interface PlannedEvent {
  atMs: number;
  type: AuditEventType;
  actor: SeedUser | null;
  planId: number | null;
  measureNumber: number | null;
  assignmentId: number | null;
  department: DepartmentCode | null;
  fromStatus: string | null;
  toStatus: string | null;
  payload: AuditPayload;
}

/** Ids handed out in insertion order, so that rows can name each other before they are written. */
export interface IdCounters {
  assignment: number;
  comment: number;
  extensionRequest: number;
}

export interface MeasureToSimulate {
  id: number;
  number: number;
  dueDate: DueDate;
  /** Lead first, then supporting, in the order of the division of work. */
  responsibilities: ReadonlyArray<{ department: DepartmentCode; role: Role }>;
}

export interface PlanToSimulate {
  id: number;
  issuedAtMs: number;
  departments: readonly DepartmentCode[];
  measures: readonly MeasureToSimulate[];
}

export interface SimulatedMeasure {
  number: number;
  closedAtMs: number | null;
  closeNote: string | null;
  /** The department of each responsibility now (a reassignment moves it), in the order given. */
  departments: DepartmentCode[];
}

export interface SimulatedPlan {
  assignments: AssignmentRow[];
  comments: CommentRow[];
  extensionRequests: ExtensionRequestRow[];
  measures: SimulatedMeasure[];
  /** Ordered by time (stable: events of one instant keep the order they were recorded in). */
  events: PlannedEvent[];
}

export interface SimulationEnv {
  random: Random;
  nowMs: number;
  coordinator: SeedUser;
  liaisons: ReadonlyMap<DepartmentCode, SeedUser>;
  ids: IdCounters;
}

/** How one department will behave on one assignment, drawn when it is issued. */
interface Behaviour {
  declines: boolean;
  respondAfterDays: number;
  /** Days from the due date (or from acceptance when ongoing) to the sign-off; Infinity for work never finished. */
  finishOffsetDays: number;
  progressReports: number;
  asksExtension: boolean;
  comments: boolean;
  returned: boolean;
  withdrawn: boolean;
}

interface Sim {
  row: AssignmentRow & { id: number; version: number };
  state: AssignmentState;
  behaviour: Behaviour;
  responsibilityIndex: number;
  signOffs: number;
  waitingForSupporting: boolean;
  pendingExtensionRequest: ExtensionRequestRow | null;
}

type StepKind =
  | "respond"
  | "resolveDecline"
  | "progress"
  | "signOff"
  | "remind"
  | "requestExtension"
  | "decideExtension"
  | "comment"
  | "return"
  | "withdraw"
  | "close";

interface Step {
  atMs: number;
  kind: StepKind;
  sim: Sim | null;
}

/** A time on the working day `days` after `fromMs` (09:00–17:30 in Beijing). */
function workTime(random: Random, fromMs: number, days: number): number {
  const day = Math.floor((fromMs + days * dayMs) / dayMs) * dayMs;
  const at = day + random.int(1 * 60, 9 * 60 + 30) * 60_000 + random.int(0, 59_999);
  return Math.max(at, fromMs + 1);
}

/** The instant a due date has passed (end of that day in Beijing). */
function dueInstant(dueDate: string): number {
  return Date.parse(`${dueDate}T00:00:00Z`) + dayMs - 8 * 3_600_000;
}

function drawBehaviour(random: Random, role: Role, dueDate: DueDate): Behaviour {
  let finishOffsetDays: number;
  if (dueDate === "ongoing") {
    finishOffsetDays = random.chance(0.6) ? random.int(120, 900) : Number.POSITIVE_INFINITY;
  } else {
    const lateness = random.weighted([70, 18, 7, 5]);
    finishOffsetDays =
      lateness === 0
        ? -random.int(1, 120)
        : lateness === 1
          ? random.int(0, 60)
          : lateness === 2
            ? random.int(61, 400)
            : Number.POSITIVE_INFINITY;
  }
  return {
    // The lead was chosen by the division of work; a supporting department contests its part more often.
    declines: random.chance(role === "lead" ? 0.02 : 0.05),
    respondAfterDays: random.weighted([30, 40, 20, 10]) * 4 + random.int(0, 4),
    finishOffsetDays,
    progressReports: random.int(0, 3),
    asksExtension: random.chance(0.06),
    comments: random.chance(0.08),
    returned: random.chance(0.04),
    withdrawn: random.chance(0.01),
  };
}

/**
 * Plays one issued plan forward from its issue date to `now` through the domain's own `transition` (and
 * `decideMeasureClosure`), so that every stored state and event is one the server could have produced. Departments
 * accept or decline, report progress, ask for extensions, are reminded and sign off, early or late or never; the
 * lead signs off after its supporting departments (牵头汇总); the lead ministry closes countersigned measures.
 */
export function simulatePlan(env: SimulationEnv, plan: PlanToSimulate): SimulatedPlan {
  const { random, coordinator } = env;
  const out: SimulatedPlan = { assignments: [], comments: [], extensionRequests: [], measures: [], events: [] };
  const issuedAt = new Date(plan.issuedAtMs).toISOString();
  const coordinatorActor: Actor = { role: "coordinator", department: coordinator.department };
  const liaisonOf = (department: DepartmentCode): SeedUser => {
    const user = env.liaisons.get(department);
    if (user === undefined) throw new Error(`no liaison for ${department}`);
    return user;
  };
  const record = (atMs: number, event: Omit<PlannedEvent, "atMs" | "planId">): void => {
    out.events.push({ atMs, planId: plan.id, ...event });
  };

  const measureRuns: Array<{ measure: MeasureToSimulate; sims: Sim[] }> = [];
  for (const measure of plan.measures) {
    const sims: Sim[] = measure.responsibilities.map((r, responsibilityIndex) => {
      env.ids.assignment += 1;
      const row = {
        id: env.ids.assignment,
        planId: plan.id,
        measureId: measure.id,
        measureNumber: measure.number,
        department: r.department,
        role: r.role,
        status: "assigned" as const,
        dueDate: measure.dueDate,
        pendingExtensionUntil: null,
        pendingExtensionReason: null,
        version: 1,
        issuedAt,
        updatedAt: issuedAt,
        lastRemindedAt: null,
      };
      record(plan.issuedAtMs, {
        type: "assignment.issued",
        actor: coordinator,
        measureNumber: measure.number,
        assignmentId: row.id,
        department: r.department,
        fromStatus: null,
        toStatus: "assigned",
        payload: { role: r.role, dueDate: measure.dueDate },
      });
      return {
        row,
        state: { status: "assigned", department: r.department, role: r.role, dueDate: measure.dueDate, pendingExtension: null },
        behaviour: drawBehaviour(random, r.role, measure.dueDate),
        responsibilityIndex,
        signOffs: 0,
        waitingForSupporting: false,
        pendingExtensionRequest: null,
      };
    });
    measureRuns.push({ measure, sims });
  }
  record(plan.issuedAtMs, {
    type: "plan.issued",
    actor: coordinator,
    measureNumber: null,
    assignmentId: null,
    department: null,
    fromStatus: null,
    toStatus: null,
    payload: {
      dueDate: plan.measures[0]?.dueDate ?? "ongoing",
      assignments: measureRuns.reduce((n, m) => n + m.sims.length, 0),
      measures: plan.measures.length,
    },
  });

  for (const { measure, sims } of measureRuns) {
    const result = simulateMeasure(env, plan, measure, sims, out, record, coordinatorActor, liaisonOf);
    out.measures.push(result);
    for (const sim of sims) out.assignments.push(sim.row);
  }
  out.events.sort((a, b) => a.atMs - b.atMs);
  return out;
}

function simulateMeasure(
  env: SimulationEnv,
  plan: PlanToSimulate,
  measure: MeasureToSimulate,
  sims: Sim[],
  out: SimulatedPlan,
  record: (atMs: number, event: Omit<PlannedEvent, "atMs" | "planId">) => void,
  coordinatorActor: Actor,
  liaisonOf: (department: DepartmentCode) => SeedUser,
): SimulatedMeasure {
  const { random, nowMs, coordinator } = env;
  const queue: Step[] = [];
  const schedule = (atMs: number, kind: StepKind, sim: Sim | null): void => {
    if (atMs <= nowMs) queue.push({ atMs, kind, sim });
  };
  let closedAtMs: number | null = null;
  let closeNote: string | null = null;
  let closeScheduled = false;

  for (const sim of sims) schedule(workTime(random, plan.issuedAtMs, sim.behaviour.respondAfterDays), "respond", sim);

  const others = (sim: Sim) =>
    sims.filter((s) => s !== sim).map((s) => ({ department: s.state.department, role: s.state.role, status: s.state.status }));

  /** The work after acceptance: progress, reminders, an extension request, a comment, the sign-off. */
  const planWork = (sim: Sim, acceptedMs: number): void => {
    const b = sim.behaviour;
    const due = sim.state.dueDate;
    const dueMs = due === "ongoing" ? null : dueInstant(due);
    let finishMs = dueMs === null ? acceptedMs + b.finishOffsetDays * dayMs : dueMs + b.finishOffsetDays * dayMs;
    if (Number.isFinite(finishMs)) finishMs = Math.max(finishMs, acceptedMs + random.int(7, 30) * dayMs);
    const workSpan = Number.isFinite(finishMs) ? finishMs - acceptedMs : random.int(60, 700) * dayMs;
    for (let i = 1; i <= b.progressReports; i += 1) {
      schedule(workTime(random, acceptedMs + (workSpan * i) / (b.progressReports + 1), 0), "progress", sim);
    }
    if (Number.isFinite(finishMs)) schedule(workTime(random, finishMs, 0), "signOff", sim);
    if (dueMs !== null) {
      if (finishMs > dueMs + 3 * dayMs) schedule(workTime(random, dueMs, 3), "remind", sim);
      if (finishMs > dueMs + 33 * dayMs) schedule(workTime(random, dueMs, 33), "remind", sim);
      if (b.asksExtension && finishMs > dueMs - 7 * dayMs && dueMs - 7 * dayMs > acceptedMs) {
        schedule(workTime(random, dueMs, -7), "requestExtension", sim);
      }
    }
    if (b.comments) schedule(acceptedMs + random.next() * Math.min(workSpan, 365 * dayMs), "comment", sim);
    if (b.withdrawn && sim.state.role === "supporting") schedule(acceptedMs + random.next() * Math.min(workSpan, 365 * dayMs), "withdraw", sim);
  };

  const actionFor = (step: Step, sim: Sim): { action: AssignmentAction; actor: SeedUser } => {
    const liaison = liaisonOf(sim.state.department);
    switch (step.kind) {
      case "respond":
        return sim.behaviour.declines
          ? { action: { type: "decline", reason: random.pick(declineReasons) }, actor: liaison }
          : { action: { type: "accept" }, actor: liaison };
      case "resolveDecline": {
        // The lead ministry does not withdraw a measure's lead: it reaffirms or finds another.
        const choice = random.weighted(sim.state.role === "lead" ? [60, 40, 0] : [50, 35, 15]);
        if (choice === 1) {
          const taken = new Set(sims.map((s) => s.state.department));
          const free = plan.departments.filter((d) => !taken.has(d));
          if (free.length > 0) return { action: { type: "reassign", toDepartment: random.pick(free), note: "Closer to its remit." }, actor: coordinator };
        }
        if (choice === 2) return { action: { type: "withdraw", reason: random.pick(withdrawReasons) }, actor: coordinator };
        return { action: { type: "reaffirm", note: random.pick(reaffirmNotes) }, actor: coordinator };
      }
      case "progress":
        return { action: { type: "reportProgress", note: random.pick(progressNotes) }, actor: liaison };
      case "signOff":
        return { action: { type: "signOff", summary: random.pick(signOffSummaries) }, actor: liaison };
      case "remind":
        return { action: { type: "remind", message: random.pick(remindMessages) }, actor: coordinator };
      case "requestExtension": {
        const due = sim.state.dueDate === "ongoing" ? planCalendarDate(new Date(step.atMs)) : sim.state.dueDate;
        const until = planCalendarDate(new Date(dueInstant(due) + random.int(30, 120) * dayMs));
        return { action: { type: "requestExtension", until, reason: random.pick(extensionReasons) }, actor: liaison };
      }
      case "decideExtension": {
        const approve = random.chance(0.7);
        return {
          action: { type: "decideExtension", approve, note: approve ? extensionDecisionNotes[0] : extensionDecisionNotes[1] },
          actor: coordinator,
        };
      }
      case "comment":
        return { action: { type: "comment", body: random.pick(commentBodies) }, actor: liaison };
      case "return":
        return { action: { type: "return", reason: random.pick(returnReasons) }, actor: coordinator };
      case "withdraw":
      case "close":
        return { action: { type: "withdraw", reason: random.pick(withdrawReasons) }, actor: coordinator };
    }
  };

  const countersigned = (): boolean => deriveMeasureStatus(sims.map((s) => s.state), false) === "countersigned";

  while (queue.length > 0) {
    let first = 0;
    for (let i = 1; i < queue.length; i += 1) if ((queue[i]?.atMs ?? 0) < (queue[first]?.atMs ?? 0)) first = i;
    const [step] = queue.splice(first, 1);
    if (step === undefined) break;

    if (step.kind === "close") {
      const decision = decideMeasureClosure(
        { closed: closedAtMs !== null, assignments: sims.map((s) => s.state) },
        "close",
        coordinatorActor,
      );
      if (!decision.ok) continue;
      closedAtMs = step.atMs;
      closeNote = random.pick(closeNotes);
      record(step.atMs, {
        type: "measure.closed",
        actor: coordinator,
        measureNumber: measure.number,
        assignmentId: null,
        department: null,
        fromStatus: "countersigned",
        toStatus: "closed",
        payload: { note: closeNote },
      });
      continue;
    }

    const sim = step.sim;
    if (sim === null) continue;
    // A supporting sign-off returned after the lead's would reopen the lead too; this history keeps to simpler returns.
    if (step.kind === "return" && sim.state.role === "supporting") {
      const lead = sims.find((s) => s.state.role === "lead");
      if (lead?.state.status === "signed_off") continue;
    }
    const { action, actor } = actionFor(step, sim);
    const actorRole: Actor = actor.role === "coordinator" ? coordinatorActor : { role: "liaison", department: actor.department };
    const result = transition(sim.state, action, actorRole, { measureClosed: closedAtMs !== null, others: others(sim) });
    if (!result.ok) {
      if (result.refusal.code === "supporting_not_signed_off") sim.waitingForSupporting = true;
      continue;
    }

    const before = sim.state;
    const at = new Date(step.atMs).toISOString();
    for (const e of result.events) {
      record(step.atMs, {
        type: e.type,
        actor,
        measureNumber: measure.number,
        assignmentId: sim.row.id,
        department: before.department,
        fromStatus: e.from,
        toStatus: e.to,
        payload: e.payload,
      });
    }
    sim.state = result.next;
    sim.row.status = result.next.status;
    sim.row.department = result.next.department;
    sim.row.dueDate = result.next.dueDate;
    sim.row.pendingExtensionUntil = result.next.pendingExtension?.until ?? null;
    sim.row.pendingExtensionReason = result.next.pendingExtension?.reason ?? null;
    sim.row.version += 1;
    sim.row.updatedAt = at;

    const settleExtension = (status: "approved" | "refused" | "cancelled", note: string): void => {
      const request = sim.pendingExtensionRequest;
      if (request === null) return;
      request.status = status;
      request.decidedByUserId = coordinator.id;
      request.decidedAt = at;
      request.decisionNote = note;
      sim.pendingExtensionRequest = null;
    };

    switch (action.type) {
      case "accept":
        planWork(sim, step.atMs);
        break;
      case "decline":
        schedule(workTime(random, step.atMs, random.int(2, 10)), "resolveDecline", sim);
        break;
      case "reaffirm":
      case "reassign":
        if (action.type === "reassign") settleExtension("cancelled", `reassigned to ${action.toDepartment}`);
        sim.behaviour.declines = false;
        schedule(workTime(random, step.atMs, random.int(1, 7)), "respond", sim);
        break;
      case "withdraw":
        settleExtension("cancelled", action.reason);
        break;
      case "remind":
        sim.row.lastRemindedAt = at;
        break;
      case "requestExtension": {
        env.ids.extensionRequest += 1;
        const request: ExtensionRequestRow = {
          id: env.ids.extensionRequest,
          assignmentId: sim.row.id,
          planId: plan.id,
          department: before.department,
          requestedByUserId: actor.id,
          previousDueDate: before.dueDate,
          until: action.until,
          reason: action.reason,
          status: "pending",
          decidedByUserId: null,
          decidedAt: null,
          decisionNote: null,
          createdAt: at,
        };
        out.extensionRequests.push(request);
        sim.pendingExtensionRequest = request;
        schedule(workTime(random, step.atMs, random.int(3, 10)), "decideExtension", sim);
        break;
      }
      case "decideExtension":
        settleExtension(action.approve ? "approved" : "refused", action.note);
        break;
      case "comment":
        env.ids.comment += 1;
        out.comments.push({
          id: env.ids.comment,
          assignmentId: sim.row.id,
          planId: plan.id,
          authorUserId: actor.id,
          authorDepartment: actor.department,
          department: sim.row.department,
          body: action.body,
          createdAt: at,
        });
        break;
      case "signOff":
        sim.signOffs += 1;
        if (sim.behaviour.returned && sim.signOffs === 1) {
          schedule(workTime(random, step.atMs, random.int(3, 15)), "return", sim);
        }
        if (sim.state.role === "supporting") {
          const lead = sims.find((s) => s.state.role === "lead" && s.waitingForSupporting);
          if (lead !== undefined) {
            lead.waitingForSupporting = false;
            schedule(workTime(random, step.atMs, random.int(3, 20)), "signOff", lead);
          }
        }
        break;
      case "return":
        schedule(workTime(random, step.atMs, random.int(10, 40)), "signOff", sim);
        break;
      default:
        break;
    }
    // A supporting department withdrawn may leave the lead free to sign off.
    if (action.type === "withdraw") {
      const lead = sims.find((s) => s.state.role === "lead" && s.waitingForSupporting);
      if (lead !== undefined) {
        lead.waitingForSupporting = false;
        schedule(workTime(random, step.atMs, random.int(3, 20)), "signOff", lead);
      }
    }
    if (!closeScheduled && closedAtMs === null && countersigned() && random.chance(0.85)) {
      closeScheduled = true;
      schedule(workTime(random, step.atMs, random.int(5, 40)), "close", null);
    }
  }

  return {
    number: measure.number,
    closedAtMs,
    closeNote,
    departments: sims.map((s) => s.state.department),
  };
}
