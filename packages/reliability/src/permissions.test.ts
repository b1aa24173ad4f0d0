/**
 * 4. Permissions matrix. Every procedure of the router (enumerated from the router itself, so a new procedure without
 * an expectation fails this test) × role (coordinator, liaison, observer, admin, anonymous) × department (the caller's
 * own, another), over HTTP, against the expected answer. A leak is a call that should have been refused but was
 * answered (or answered with another department's data); a refused call of a signed-in user must be in the trail.
 * The whole matrix, and the sibling organisations' one below it, run on each engine (issue 13: "the permissions matrix
 * runs on both"): a server on a SQLite file, then one on a PostgreSQL database holding a copy of the same template.
 */
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter } from "@countersign/server/router";
import { Browser, dataOf, demoPassword, signedIn } from "./support/client.js";
import type { Answer } from "./support/client.js";
import { recordFigures } from "./support/figures.js";
import { demoPlanId, drillPlanKey, freshDatabase, measuresOf } from "./support/fixture.js";
import type { PlanRow, TrackedAssignment } from "./support/fixture.js";
import { engines, postgresCopyOf } from "./support/engines.js";
import type { Engine } from "./support/engines.js";
import { startServer } from "./support/server.js";
import type { StartedServer } from "./support/server.js";

/**
 * Inside a department (issue 15, point 2): `handler` is MOF's handler given MOF's open work (division A);
 * `otherHandler` a handler of MOF's division B, given none of it; `leader` MOF's department leader. On the `other`
 * side they act on NDRC's work: a handler or leader of another department.
 */
type Role = "coordinator" | "liaison" | "observer" | "admin" | "anonymous" | "handler" | "otherHandler" | "leader";
type Side = "own" | "other";
/**
 * ok: must succeed. permitted: passes every access check (may still be refused by the workflow: 400, 409, 412).
 * absent: passes the role's checks and finds nothing it may see (404): the national level has no level report of its
 * own to act on (issue 16, point 3), and a sibling's is not found.
 */
type Expected = "ok" | "permitted" | "absent" | "forbidden" | "unauthorized";

const roles: Role[] = ["coordinator", "liaison", "observer", "admin", "anonymous", "handler", "otherHandler", "leader"];
const accountOf: Record<Exclude<Role, "anonymous">, string> = {
  coordinator: "miit",
  liaison: "mof",
  observer: "observer",
  admin: "admin",
  handler: "mof.handler",
  otherHandler: "mof.other",
  leader: "mof.leader",
};
/** The caller's own department: the coordinator's is the lead ministry; observers, admins and anonymous have none, MOF stands in. */
const ownDepartment: Record<Role, string> = {
  coordinator: "MIIT",
  liaison: "MOF",
  observer: "MOF",
  admin: "MOF",
  anonymous: "MOF",
  handler: "MOF",
  otherHandler: "MOF",
  leader: "MOF",
};
/** A department's accounts (role liaison): its liaison, handlers and leader. */
const inDepartment = (role: Role): boolean => role === "liaison" || role === "handler" || role === "otherHandler" || role === "leader";
/** The accounts made in the test sign in with the drill password. */
const passwordOf = (role: Exclude<Role, "anonymous">): string =>
  role === "handler" || role === "otherHandler" || role === "leader" ? drillPassword : demoPassword;
/** MOF's divisions A (its handler's) and B (the other handler's), and the handler's id, made in the test. */
const inside = { divisionA: 0, divisionB: 0, handlerId: 0 };
const otherDepartment = "NDRC";

interface Target {
  department: string;
  assignment: TrackedAssignment;
  measureNumber: number;
}

interface Combo {
  role: Role;
  side: Side;
  target: Target;
  demoPlan: number;
  drillPlan: number;
  /** An observer account made for the drill (administration procedures act on it, never on the demo accounts). */
  drillUserId: number;
  /** What the spec's `prepare` answered, if it has one. */
  prepared: Record<string, string>;
}

interface Spec {
  /** The procedure's input for this combination. */
  input(c: Combo): unknown;
  expect(role: Role, side: Side): Expected;
  /** For an answered read: another department's data that the caller should not see, described, or null. */
  leak?(data: unknown, c: Combo): string | null;
  /** Run before the call (e.g. open a session to end); its answer is `prepared` in the combination. */
  prepare?(c: Combo): Promise<Record<string, string>>;
}

const signedInOk = (role: Role): Expected => (role === "anonymous" ? "unauthorized" : "ok");
/** A department's account reads only its own department's; everyone else signed in reads every department's. */
const ownForLiaison = (role: Role, side: Side): Expected =>
  role === "anonymous" ? "unauthorized" : inDepartment(role) && side === "other" ? "forbidden" : "ok";
/** One assignment's words: as above, and a handler only the work handed to them or their division. */
const assignmentRead = (role: Role, side: Side): Expected => (role === "otherHandler" ? "forbidden" : ownForLiaison(role, side));
const liaisonAction = (role: Role, side: Side): Expected =>
  role === "anonymous" ? "unauthorized" : role === "liaison" && side === "own" ? "permitted" : "forbidden";
/** Reporting, sign-off, extension request: the department's liaison or the handler given the work. */
const memberAction = (role: Role, side: Side): Expected =>
  role === "anonymous" ? "unauthorized" : (role === "liaison" || role === "handler") && side === "own" ? "permitted" : "forbidden";
/** 审核/签发 or return to the handler: the department's leader only. */
const leaderAction = (role: Role, side: Side): Expected =>
  role === "anonymous" ? "unauthorized" : role === "leader" && side === "own" ? "permitted" : "forbidden";
/** Round reports and files are the department's: its liaison, handlers and leader (not narrowed to a division). */
const departmentAction = (role: Role, side: Side): Expected =>
  role === "anonymous" ? "unauthorized" : inDepartment(role) && side === "own" ? "permitted" : "forbidden";
const coordinatorAction = (role: Role): Expected =>
  role === "anonymous" ? "unauthorized" : role === "coordinator" ? "permitted" : "forbidden";
const adminOnly = (role: Role): Expected => (role === "anonymous" ? "unauthorized" : role === "admin" ? "ok" : "forbidden");
const drillPassword = "drill account passphrase";
/** A new session of the drill account, named by the reference the administration page shows. */
async function drillSession(): Promise<Record<string, string>> {
  const before = dataOf<Array<{ ref: string }>>(await (await browserOf("admin")).query("admin.sessions", { id: drillUserId })).map((s) => s.ref);
  await signedIn(server.url, "drill.observer", drillPassword);
  const after = dataOf<Array<{ ref: string }>>(await (await browserOf("admin")).query("admin.sessions", { id: drillUserId })).map((s) => s.ref);
  const fresh = after.find((r) => !before.includes(r));
  if (fresh === undefined) throw new Error("the drill account's sign-in opened no session");
  return { session: fresh };
}
const ref = (c: Combo) => ({ id: c.target.assignment.id, expectedVersion: c.target.assignment.version });
let drillDepartments = 0;
/**
 * A department made by hand for one call (DRILL_<n>), so that an administrator's rename and retire each act once on
 * a department of their own, never on a demo department.
 */
async function drillDepartment(): Promise<Record<string, string>> {
  drillDepartments += 1;
  const code = `DRILL_${drillDepartments}`;
  dataOf(await (await browserOf("admin")).mutate("admin.addDepartment", { code, nameZh: "演练部门", nameEn: "Drill department" }));
  return { code };
}

/** A reporting round asking MOF and NDRC (opened in the test), and another one to close; their report per department. */
const rounds = { main: 0, drill: 0 };
/**
 * Round reports down the levels (issue 16, point 3): the sibling matrix points the level procedures at Guangxi's
 * round and its report upward (set there); the main matrix, at the national round, which answers no round above,
 * and at a level report the national level does not have.
 */
const levels = { round: 0, report: 0, file: 0 };
const levelRound = () => ({ roundId: levels.round > 0 ? levels.round : rounds.main });
const levelRef = () => ({ levelReportId: levels.report > 0 ? levels.report : 999_999, expectedVersion: 1 });
const levelText = { progress: "进展", problems: "无", nextSteps: "继续" };
/** A file of that level report (Guangxi's, in the sibling matrix; none in the main one). */
const levelFileRef = () => ({ fileId: levels.file > 0 ? levels.file : 999_999, expectedVersion: 1 });
/** The reports between levels: read by those who read every department (and the host department's leader, not MOF's). */
const levelReader = (role: Role): Expected => (role === "anonymous" ? "unauthorized" : inDepartment(role) ? "forbidden" : "ok");
/** An act on a level report: its office's coordinator (and for a sign-off, a department leader) passes the role check, then finds none. */
const levelAct =
  (leaderToo: boolean) =>
  (role: Role): Expected =>
    role === "anonymous" ? "unauthorized" : role === "coordinator" || (leaderToo && role === "leader") ? "absent" : "forbidden";
const roundReports = new Map<string, { id: number; version: number }>();
const reportRef = (c: Combo) => {
  const r = roundReports.get(c.target.department) ?? roundReports.get("MOF");
  return { reportId: r?.id ?? 0, expectedVersion: r?.version ?? 1 };
};
const reportText = { progress: "进展", problems: "无", nextSteps: "继续推进" };
/** Two files per department (uploaded with a comment in the test): the first to supersede by the second. */
const files = new Map<string, { id: number; byId: number }>();
const filesOf = (c: Combo) => files.get(c.target.department) ?? files.get("MOF") ?? { id: 0, byId: 0 };
const pdfBytes = Buffer.from("%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n");

function departmentsIn(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) departmentsIn(v, found);
  else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (k === "department" && typeof v === "string") found.add(v);
      else departmentsIn(v, found);
    }
  }
  return found;
}
const onlyOwn = (data: unknown, c: Combo, pick: (d: unknown) => unknown): string | null => {
  if (!inDepartment(c.role)) return null;
  const others = [...departmentsIn(pick(data))].filter((d) => d !== ownDepartment.liaison);
  return others.length === 0 ? null : `sees ${others.join(",")}`;
};
/** A handler's rows: only what was handed to them or to their division. */
const onlyReached = (rows: Array<{ handlerUserId: number | null; divisionId: number | null }>, c: Combo): string | null => {
  if (c.role !== "handler" && c.role !== "otherHandler") return null;
  const division = c.role === "handler" ? inside.divisionA : inside.divisionB;
  const mine = c.role === "handler" ? inside.handlerId : -1;
  const beyond = rows.filter((r) => r.handlerUserId !== mine && r.divisionId !== division);
  return beyond.length === 0 ? null : `sees ${beyond.length} assignments not handed to them`;
};

/**
 * What a handler may see the state of: the assignments handed to them or to their division, as the database holds
 * them now (read directly, not through the server), with their measures.
 */
const reachedBy = (role: Role): { ids: Set<number>; measures: Set<number> } => {
  const read = reach.get(role);
  if (read === undefined) throw new Error(`the reach of ${role} was not read`);
  return read;
};
/** What each handler reaches, as the database holds it now: read before every check that uses `reachedBy`. */
const reach = new Map<Role, { ids: Set<number>; measures: Set<number> }>();
async function readReach(): Promise<void> {
  for (const role of ["handler", "otherHandler"] as const) {
    const rows = await trail.handed(role === "handler" ? inside.handlerId : -1, role === "handler" ? inside.divisionA : inside.divisionB);
    reach.set(role, { ids: new Set(rows.map((r) => r.id)), measures: new Set(rows.map((r) => r.measureNumber)) });
  }
}
/** A handler's view of assignment states: none beyond their reach (handed to them or to their division). */
const beyondReach = (items: Array<{ id: number }>, c: Combo): string | null => {
  if (c.role !== "handler" && c.role !== "otherHandler") return null;
  const { ids } = reachedBy(c.role);
  const beyond = items.filter((i) => !ids.has(i.id));
  return beyond.length === 0 ? null : `sees the state of ${beyond.length} assignments not handed to them (${beyond.slice(0, 5).map((i) => i.id).join(",")})`;
};

const specs: Record<string, Spec> = {
  "auth.login": {
    input: (c) => ({ username: c.role === "anonymous" ? "mof" : accountOf[c.role], password: c.role === "anonymous" ? demoPassword : passwordOf(c.role) }),
    expect: () => "ok",
  },
  "auth.logout": { input: () => undefined, expect: () => "ok" },
  "auth.me": { input: () => undefined, expect: () => "ok" },
  "catalog.departments": { input: () => undefined, expect: signedInOk },
  "catalog.plans": { input: () => undefined, expect: signedInOk },
  "catalog.planPage": { input: () => ({ limit: 10 }), expect: signedInOk },
  "catalog.plan": { input: (c) => ({ planId: c.demoPlan }), expect: signedInOk },
  "plan.setResponsibilities": {
    input: (c) => ({ planId: c.drillPlan, measureNumber: c.target.measureNumber, lead: c.target.department, supporting: [] }),
    expect: coordinatorAction,
  },
  "plan.issue": { input: (c) => ({ planId: c.drillPlan, dueDate: "2099-12-31" }), expect: coordinatorAction },
  // Changes after issue: inputs the coordinator gets refused by the rules (400/412), so the demo plan stays as it is.
  "plan.changeDeadline": {
    input: (c) => ({ planId: c.demoPlan, measureNumber: c.target.measureNumber, dueDate: "2000-01-01" }),
    expect: coordinatorAction,
  },
  "plan.addSupporting": {
    input: (c) => ({ planId: c.demoPlan, measureNumber: c.target.measureNumber, department: "CNIPA", dueDate: "2000-01-01" }),
    expect: coordinatorAction,
  },
  "plan.removeSupporting": {
    input: (c) => ({ planId: c.demoPlan, measureNumber: c.target.measureNumber, department: c.target.department, reason: " " }),
    expect: coordinatorAction,
  },
  "plan.changeLead": {
    input: (c) => ({ planId: c.demoPlan, measureNumber: c.target.measureNumber, department: c.target.department, reason: " " }),
    expect: coordinatorAction,
  },
  "plan.withdraw": { input: (c) => ({ planId: c.demoPlan, reason: " " }), expect: coordinatorAction },
  "plan.import": {
    input: () => ({ text: "关于测试的意见\n一、总体要求\n（一）加强统计监测。由国家统计局负责。\n" }),
    expect: coordinatorAction,
  },
  "plan.addTranslation": {
    input: (c) => ({ planId: c.demoPlan, text: "一、完善支持中小企业发展的基础性制度\n（一）健全中小企业法律法规体系。加快立法。\n" }),
    expect: coordinatorAction,
  },
  "plan.create": {
    input: (c) => ({
      titleEn: `Permissions drill ${c.side}`,
      titleZh: `权限演练 ${c.side}`,
      sections: [{ number: 1, numeral: "一", title: "总体要求" }],
      measures: [{ number: 1, section: 1, title: "统计监测", text: "加强统计监测。", textCut: false }],
      responsibilities: [{ measureNumber: 1, department: c.target.department, role: "lead" }],
    }),
    expect: coordinatorAction,
  },
  "inbox.list": {
    input: (c) => ({ planId: c.demoPlan, department: c.target.department }),
    expect: ownForLiaison,
    leak: (data, c) =>
      onlyOwn(data, c, (d) => (d as { rows: unknown }).rows) ??
      onlyReached((data as { rows: Array<{ handlerUserId: number | null; divisionId: number | null }> }).rows, c),
  },
  "inbox.unreadCount": { input: () => undefined, expect: signedInOk },
  "inbox.plans": {
    input: (c) => ({ department: c.target.department }),
    expect: ownForLiaison,
    // Plans carry no department; a liaison answered for another department would be the leak (judged by expect).
  },
  // Marks only the caller's own department's notice read: a no-op for anyone else.
  "inbox.markRead": { input: (c) => ({ assignmentId: c.target.assignment.id }), expect: signedInOk },
  "assignment.get": {
    input: (c) => ({ id: c.target.assignment.id }),
    expect: assignmentRead,
    // The events of the caller's assignment (their actor may be the coordinator: that is no leak).
    leak: (data, c) =>
      onlyOwn(data, c, (d) => {
        const detail = d as { assignment: { department: string }; history: Array<{ department: string | null }> };
        return [{ department: detail.assignment.department }, ...detail.history.map((h) => ({ department: h.department }))];
      }),
  },
  "assignment.accept": { input: ref, expect: liaisonAction },
  "assignment.decline": { input: (c) => ({ ...ref(c), reason: "不属本部门职责" }), expect: liaisonAction },
  // A stale version: the department's people pass every access check and get CONFLICT, so the demo plan stays open.
  "assignment.reportProgress": { input: (c) => ({ ...ref(c), note: "进展" }), expect: memberAction },
  "assignment.signOff": { input: (c) => ({ ...ref(c), expectedVersion: 999, summary: "完成" }), expect: memberAction },
  "assignment.requestExtension": { input: (c) => ({ ...ref(c), until: "2100-06-30", reason: "需要更多时间" }), expect: memberAction },
  "assignment.comment": {
    input: (c) => ({ ...ref(c), body: "意见" }),
    expect: (role, side) => (role === "coordinator" ? "permitted" : role === "otherHandler" ? "forbidden" : departmentAction(role, side)),
  },
  "assignment.assignHandler": {
    input: (c) => ({ ...ref(c), divisionId: inside.divisionA, handlerId: inside.handlerId, note: "分办" }),
    expect: liaisonAction,
  },
  "assignment.approve": { input: (c) => ({ ...ref(c), note: "" }), expect: leaderAction },
  "assignment.reject": { input: (c) => ({ ...ref(c), reason: "请补充" }), expect: leaderAction },
  "assignment.reassign": { input: (c) => ({ ...ref(c), toDepartment: "CNIPA", note: "Patents." }), expect: coordinatorAction },
  "assignment.reaffirm": { input: (c) => ({ ...ref(c), note: "维持" }), expect: coordinatorAction },
  "assignment.return": { input: (c) => ({ ...ref(c), reason: "退回" }), expect: coordinatorAction },
  "assignment.withdraw": { input: (c) => ({ ...ref(c), reason: "撤销" }), expect: coordinatorAction },
  "assignment.remind": { input: (c) => ({ ...ref(c), message: "请抓紧" }), expect: coordinatorAction },
  "assignment.decideExtension": { input: (c) => ({ ...ref(c), approve: false, note: "不同意" }), expect: coordinatorAction },
  "measure.history": {
    input: (c) => ({ planId: c.demoPlan, measureNumber: c.target.measureNumber }),
    expect: assignmentRead,
    leak: (data, c) =>
      // The department each event concerns (its actor may be the coordinator: that is no leak).
      onlyOwn(data, c, (d) =>
        (d as { events: Array<{ department: string | null; assignmentId: number | null }> }).events
          .filter((e) => e.assignmentId !== null)
          .map((e) => ({ department: e.department })),
      ),
  },
  "measure.close": { input: (c) => ({ planId: c.demoPlan, measureNumber: c.target.measureNumber, note: "办结" }), expect: coordinatorAction },
  "measure.reopen": { input: (c) => ({ planId: c.demoPlan, measureNumber: c.target.measureNumber, note: "重新办理" }), expect: coordinatorAction },
  "tracking.overview": {
    input: (c) => ({ planId: c.demoPlan }),
    expect: signedInOk,
    leak: (data, c) => {
      if (!inDepartment(c.role)) return null;
      const d = data as { measures: Array<{ number: number; assignments: Array<{ id: number; department: string }> }>; departments: Array<{ department: string }> };
      const handlerLeak = beyondReach(d.measures.flatMap((m) => m.assignments), c);
      if (handlerLeak !== null) return handlerLeak;
      const foreign = d.measures.filter((m) => !m.assignments.some((a) => a.department === ownDepartment.liaison)).map((m) => m.number);
      const counts = d.departments.map((x) => x.department).filter((x) => x !== ownDepartment.liaison);
      return foreign.length + counts.length === 0 ? null : `measures ${foreign.join(",")} counts ${counts.join(",")}`;
    },
  },
  "tracking.overdue": {
    input: (c) => ({ planId: c.demoPlan }),
    expect: signedInOk,
    leak: (data, c) => onlyOwn(data, c, (d) => d) ?? beyondReach(data as Array<{ id: number }>, c),
  },
  "tracking.trend": {
    input: (c) => ({ planId: c.demoPlan, weeks: 8 }),
    expect: signedInOk,
    // Counts, not ids: a department's account sees its own department's rate only; a handler's weekly counts are of
    // the assignments handed to them or their division at most.
    leak: (data, c) => {
      const d = data as { weeks: Array<{ open: number; done: number }>; departments: Array<{ department: string }> };
      const own = onlyOwn(d.departments, c, (x) => x);
      if (own !== null) return own;
      if (c.role !== "handler" && c.role !== "otherHandler") return null;
      const reach = reachedBy(c.role).ids.size;
      const beyond = d.weeks.filter((w) => w.open + w.done > reach);
      return beyond.length === 0 ? null : `a handler's weeks count ${Math.max(...beyond.map((w) => w.open + w.done))} assignments, ${reach} handed`;
    },
  },
  "matrix.get": {
    input: (c) => ({ planId: c.demoPlan, withStatus: true }),
    expect: signedInOk,
    leak: (data, c) => {
      if (!inDepartment(c.role)) return null;
      const rows = (data as { matrix: { groups: Array<{ rows: Array<{ measure: { number: number }; cells: Array<{ department: string; role: string | null; status: string | null }> }> }> } }).matrix.groups.flatMap((g) => g.rows);
      const seen = rows
        .filter((r) => !r.cells.some((cell) => cell.department === ownDepartment.liaison && cell.role !== null))
        .filter((r) => r.cells.some((cell) => cell.status !== null))
        .map((r) => r.measure.number);
      if (seen.length > 0) return `states of measures ${seen.join(",")}`;
      // A handler: the plan's division of work on every measure, states only of MOF's work handed to them or their division.
      if (c.role !== "handler" && c.role !== "otherHandler") return null;
      const { measures } = reachedBy(c.role);
      const beyond = rows.filter((r) => r.cells.some((cell) => cell.status !== null && !(cell.department === ownDepartment.liaison && measures.has(r.measure.number))));
      return beyond.length === 0 ? null : `a handler sees states on measures ${beyond.map((r) => r.measure.number).join(",")}`;
    },
  },
  "audit.list": {
    input: (c) => ({ assignmentId: c.target.assignment.id }),
    expect: assignmentRead,
    leak: (data, c) => onlyOwn(data, c, (d) => (d as { rows: Array<{ department: string | null }> }).rows.map((r) => ({ department: r.department }))),
  },
  "audit.verify": {
    input: () => undefined,
    expect: (role) => (role === "anonymous" ? "unauthorized" : inDepartment(role) ? "forbidden" : "ok"),
  },
  "live.changes": { input: (c) => ({ planId: c.demoPlan }), expect: signedInOk },
  "admin.accounts": { input: () => undefined, expect: adminOnly },
  "admin.create": {
    input: (c) => ({ username: `drill-${c.role}-${c.side}`, role: "observer", displayNameEn: `Drill ${c.role} ${c.side}` }),
    expect: adminOnly,
  },
  "admin.update": {
    input: (c) => ({ id: c.drillUserId, displayNameZh: null, displayNameEn: `Drill observer ${c.role}`, role: "observer", department: null, ssoIdentity: null }),
    expect: adminOnly,
  },
  "admin.disable": { input: (c) => ({ id: c.drillUserId, reason: "drill" }), expect: adminOnly },
  "admin.enable": { input: (c) => ({ id: c.drillUserId, reason: "drill" }), expect: adminOnly },
  "admin.resetPassword": { input: (c) => ({ id: c.drillUserId }), expect: adminOnly },
  "admin.sessions": { input: (c) => ({ id: c.drillUserId }), expect: adminOnly },
  "admin.createDivision": { input: (c) => ({ department: c.target.department, nameZh: null, nameEn: `Drill division ${c.role} ${c.side}` }), expect: adminOnly },
  "admin.setDepartmentPart": { input: (c) => ({ id: c.drillUserId, departmentRole: "liaison", divisionId: null }), expect: adminOnly },
  "admin.setLeaderApproval": { input: (c) => ({ department: c.target.department, required: false }), expect: adminOnly },
  "department.people": { input: (c) => ({ department: c.target.department }), expect: ownForLiaison },
  "admin.endSession": { prepare: drillSession, input: (c) => ({ id: c.drillUserId, session: c.prepared["session"] }), expect: adminOnly },
  "admin.departments": { input: () => undefined, expect: adminOnly },
  "admin.registerSearch": { input: () => ({ query: "教育部" }), expect: adminOnly },
  // Register units not among the demo's departments; the administrator adds one per side.
  "admin.addDepartment": { input: (c) => ({ code: c.side === "own" ? "MOE" : "MPS" }), expect: adminOnly },
  "admin.renameDepartment": { prepare: drillDepartment, input: (c) => ({ code: c.prepared["code"], shortEn: `Drill ${c.role} ${c.side}` }), expect: adminOnly },
  "admin.retireDepartment": { prepare: drillDepartment, input: (c) => ({ code: c.prepared["code"], on: "2026-12-31" }), expect: adminOnly },
  "account.profile": { input: () => undefined, expect: signedInOk },
  // A wrong current password: every signed-in role passes the access check and is refused for the password (400).
  "account.changePassword": {
    input: () => ({ currentPassword: "not the current password", newPassword: "plum rain over the river" }),
    expect: (role) => (role === "anonymous" ? "unauthorized" : "permitted"),
  },
  "account.sessions": {
    input: () => undefined,
    expect: signedInOk,
    leak: (data) => ((data as Array<{ current: boolean }>).filter((s) => s.current).length === 1 ? null : "not exactly one current session"),
  },
  // The caller's own session of a second browser (the role's main one stays signed in).
  "account.endSession": {
    prepare: async (c) => {
      if (c.role === "anonymous") return { session: "0000000000000000" };
      const other = await signedIn(server.url, accountOf[c.role], passwordOf(c.role));
      const current = dataOf<Array<{ ref: string; current: boolean }>>(await other.query("account.sessions")).find((s) => s.current);
      return { session: current?.ref ?? "" };
    },
    input: (c) => ({ session: c.prepared["session"] }),
    expect: signedInOk,
  },
  "sso.options": { input: () => undefined, expect: () => "ok" },
  // Public: a made-up code is refused for the code (400), whoever asks.
  "account.redeemReset": { input: () => ({ code: "not-a-reset-code", newPassword: "plum rain over the river" }), expect: () => "permitted" },
  "round.list": { input: (c) => ({ planId: c.demoPlan }), expect: signedInOk },
  "round.get": {
    input: () => ({ roundId: rounds.main }),
    expect: signedInOk,
    leak: (data, c) => onlyOwn(data, c, (d) => (d as { reports: unknown }).reports),
  },
  // The header's statistics and filter choices are over the reader's reports: a department's accounts see only their own department named.
  "round.header": {
    input: () => ({ roundId: rounds.main }),
    expect: signedInOk,
    leak: (data, c) => onlyOwn(data, c, (d) => (d as { reportDepartments: string[] }).reportDepartments.map((department) => ({ department }))),
  },
  // A page of the round's reports, unfiltered: a department's accounts get only their own department's reports.
  "round.reports": {
    input: () => ({ roundId: rounds.main, limit: 200 }),
    expect: signedInOk,
    leak: (data, c) => onlyOwn(data, c, (d) => (d as { reports: unknown }).reports),
  },
  "round.open": {
    input: (c) => ({ planId: c.demoPlan, title: "权限演练", periodStart: "2026-01-01", periodEnd: "2026-01-31", dueDate: "2099-01-01", departments: [c.target.department] }),
    expect: coordinatorAction,
  },
  // A stale version: the coordinator passes every access check and gets CONFLICT, the round stays open.
  "round.close": { input: () => ({ roundId: rounds.drill, expectedVersion: 999 }), expect: coordinatorAction },
  "round.saveDraft": { input: (c) => ({ ...reportRef(c), ...reportText }), expect: departmentAction },
  "round.submit": { input: (c) => ({ ...reportRef(c), ...reportText }), expect: departmentAction },
  // Approve or return a report awaiting the leader: the department's leader only (the report does not wait here: 412).
  "round.approve": { input: (c) => reportRef(c), expect: leaderAction },
  "round.reject": { input: (c) => ({ ...reportRef(c), reason: "请补充" }), expect: leaderAction },
  "round.return": { input: (c) => ({ ...reportRef(c), reason: "请补充" }), expect: coordinatorAction },
  "round.remind": { input: (c) => ({ ...reportRef(c), message: "请报送" }), expect: coordinatorAction },
  "round.levelReport": { input: levelRound, expect: levelReader },
  "round.childReports": { input: levelRound, expect: levelReader },
  "round.levelSaveDraft": { input: () => ({ ...levelRef(), ...levelText }), expect: levelAct(false) },
  "round.levelSubmit": { input: () => ({ ...levelRef(), ...levelText }), expect: levelAct(false) },
  "round.levelSignOff": { input: levelRef, expect: levelAct(true) },
  "round.levelReject": { input: () => ({ ...levelRef(), reason: "请补充" }), expect: levelAct(true) },
  "round.levelReturn": { input: () => ({ ...levelRef(), reason: "请补充" }), expect: levelAct(false) },
  // Removing a file of the report: its office's coordinator passes the role check, then finds none.
  "round.levelRemoveFile": { input: levelFileRef, expect: levelAct(false) },
  "attachment.list": {
    input: (c) => ({ assignmentId: c.target.assignment.id }),
    expect: (role, side) => (role === "handler" || role === "otherHandler" ? assignmentRead(role, side) : signedInOk(role)),
  },
  "attachment.supersede": {
    input: (c) => ({ ...filesOf(c), reason: "传错了" }),
    expect: (role, side) => (role === "otherHandler" ? "forbidden" : departmentAction(role, side)),
  },
  "notification.list": { input: () => ({ limit: 10 }), expect: signedInOk },
  "notification.unreadCount": { input: () => undefined, expect: signedInOk },
  "notification.markRead": { input: () => ({ ids: null }), expect: signedInOk },
  "notification.deliveries": { input: () => ({ limit: 10 }), expect: adminOnly },
  // Down the levels (issue 16), for the national level's accounts: the national plan is their own organisation's.
  // The organisation axis (a province's accounts against a sibling's) is apps/server/src/routers/cascade.http.test.ts.
  "cascade.organisations": { input: () => undefined, expect: signedInOk },
  "cascade.pending": { input: () => undefined, expect: signedInOk },
  "cascade.plan": { input: (c) => ({ planId: c.demoPlan }), expect: signedInOk },
  "cascade.regionalView": { input: (c) => ({ planId: c.demoPlan }), expect: signedInOk },
  // A deadline after the measure's own: the coordinator passes every access check and is refused for it (400).
  "cascade.forward": {
    input: (c) => ({ planId: c.demoPlan, to: ["450000"], measureNumbers: [c.target.measureNumber], planDeadline: "2099-01-01" }),
    expect: coordinatorAction,
  },
  // Nothing is forwarded to the national level: refused for everyone, as a forwarding to another organisation.
  "cascade.derive": { input: () => ({ forwardingId: 1 }), expect: (role) => (role === "anonymous" ? "unauthorized" : "forbidden") },
  // The same through the office's own document: read (a coordinator's), then refused as not forwarded here.
  "cascade.matchDocument": { input: () => ({ forwardingId: 1, text: "（一）加强统计监测。" }), expect: (role) => (role === "anonymous" ? "unauthorized" : "forbidden") },
  "cascade.deriveFromDocument": { input: () => ({ forwardingId: 1, text: "（一）加强统计监测。" }), expect: (role) => (role === "anonymous" ? "unauthorized" : "forbidden") },
  // The national plan is issued: the coordinator passes every access check and is refused as not a draft (412).
  "cascade.addLocalMeasure": { input: (c) => ({ planId: c.demoPlan, title: "演练", text: "演练措施", dueDate: "2099-01-01" }), expect: coordinatorAction },
};

/**
 * The test's own look at the database, beside the server (never through it), on either engine: the audit trail's
 * head and refusals, what a handler reaches, a plan's state.
 */
interface Trail {
  maxSeq(): Promise<number>;
  /** Refusals of `username` calling `procedure` recorded after `seq`. */
  refusalsSince(seq: number, username: string, procedure: string): Promise<number>;
  /** MOF's assignments handed to user `mine` or to division `division`. */
  handed(mine: number, division: number): Promise<Array<{ id: number; measureNumber: number }>>;
  /** A plan's assignments (status, version), status, title and comment count, as one comparable text. */
  planState(planId: number): Promise<string>;
  close(): Promise<void>;
}

function sqliteTrail(path: string): Trail {
  const db = new Database(path, { readonly: true });
  return {
    maxSeq: async () => (db.prepare("select coalesce(max(seq), 0) as s from audit_events").get() as { s: number }).s,
    refusalsSince: async (seq, username, procedure) =>
      (
        db
          .prepare("select count(*) as n from audit_events where seq > ? and type = 'access.refused' and actor_username = ? and json_extract(payload, '$.procedure') = ?")
          .get(seq, username, procedure) as { n: number }
      ).n,
    handed: async (mine, division) =>
      db
        .prepare("select id, measure_number as measureNumber from assignments where department = 'MOF' and (handler_user_id = ? or division_id = ?)")
        .all(mine, division) as Array<{ id: number; measureNumber: number }>,
    planState: async (planId) =>
      JSON.stringify([
        db.prepare("select status, version from assignments where plan_id = ? order by id").all(planId),
        db.prepare("select status, title_zh from plans where id = ?").get(planId),
        db.prepare("select count(*) as n from comments where plan_id = ?").get(planId),
      ]),
    close: async () => {
      db.close();
    },
  };
}

function postgresTrail(url: string): Trail {
  const sql = new pg.Pool({ connectionString: url, max: 2 });
  const rows = async <T extends pg.QueryResultRow>(text: string, values: unknown[]): Promise<T[]> => (await sql.query<T>(text, values)).rows;
  return {
    maxSeq: async () => Number((await rows<{ s: string }>("select coalesce(max(seq), 0) as s from audit_events", []))[0]?.s ?? 0),
    // The payload is the canonical JSON text the chain hashes (text, not jsonb): read as jsonb here.
    refusalsSince: async (seq, username, procedure) =>
      Number(
        (
          await rows<{ n: string }>(
            "select count(*) as n from audit_events where seq > $1 and type = 'access.refused' and actor_username = $2 and payload::jsonb ->> 'procedure' = $3",
            [seq, username, procedure],
          )
        )[0]?.n ?? 0,
      ),
    handed: async (mine, division) =>
      rows<{ id: number; measureNumber: number }>(
        `select id, measure_number as "measureNumber" from assignments where department = 'MOF' and (handler_user_id = $1 or division_id = $2)`,
        [mine, division],
      ),
    planState: async (planId) =>
      JSON.stringify([
        await rows("select status, version from assignments where plan_id = $1 order by id", [planId]),
        (await rows("select status, title_zh from plans where id = $1", [planId]))[0],
        { n: Number((await rows<{ n: string }>("select count(*) as n from comments where plan_id = $1", [planId]))[0]?.n ?? 0) },
      ]),
    close: () => sql.end(),
  };
}

let server: StartedServer;
let trail: Trail;
let drillUserId = 0;
const browsers = new Map<Role, Browser>();

/** A server of `engine` on a fresh copy of the template (on PostgreSQL: migrated, then copied as `cli db migrate-to-postgres` does). */
async function startOn(engine: Engine): Promise<() => Promise<void>> {
  const dbPath = freshDatabase(`permissions-${engine}`);
  if (engine === "sqlite") {
    server = await startServer({ dbPath });
    trail = sqliteTrail(dbPath);
    return async () => undefined;
  }
  const copy = await postgresCopyOf(dbPath);
  server = await startServer({ dbPath: "", env: { DATABASE_URL: copy.url } });
  trail = postgresTrail(copy.url);
  return copy.drop;
}

async function browserOf(role: Role): Promise<Browser> {
  const have = browsers.get(role);
  if (have !== undefined) return have;
  const b = role === "anonymous" ? new Browser(server.url) : await signedIn(server.url, accountOf[role], passwordOf(role));
  browsers.set(role, b);
  return b;
}

/** A live stream: the status of the answer, then closed. */
async function openStream(b: Browser, path: string, input: unknown): Promise<Answer> {
  const controller = new AbortController();
  const response = await b.fetch(`/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`, {
    headers: { accept: "text/event-stream" },
    signal: controller.signal,
  });
  const reader = response.body?.getReader();
  let text = "";
  if (reader !== undefined) {
    const first = await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), 1500))]);
    if (first !== null && first.value !== undefined) text = new TextDecoder().decode(first.value);
  }
  controller.abort();
  // tRPC answers a refused subscription with an SSE `serialized-error` event, or a plain error status.
  const error = /event: serialized-error\s+data: (.*)/.exec(text)?.[1];
  if (response.status === 200 && error === undefined) return { status: 200, ok: true, data: null, headers: response.headers };
  const parsed = error === undefined ? null : (JSON.parse(error) as { message?: string; data?: { httpStatus?: number; code?: string } });
  return {
    status: parsed?.data?.httpStatus ?? response.status,
    ok: false,
    message: parsed?.message ?? "",
    error: null,
    raw: text,
    headers: response.headers,
  };
}

const verdictOf = (expected: Expected, a: Answer): "right" | "leak" | "wrongly refused" | "wrong answer" => {
  if (expected === "ok") return a.ok ? "right" : a.status === 401 || a.status === 403 ? "wrongly refused" : "wrong answer";
  if (expected === "permitted") return a.status === 401 || a.status === 403 ? "wrongly refused" : [200, 400, 409, 412].includes(a.status) ? "right" : "wrong answer";
  if (expected === "absent") return a.status === 404 ? "right" : a.status === 401 || a.status === 403 ? "wrongly refused" : a.ok ? "leak" : "wrong answer";
  const wanted = expected === "forbidden" ? 403 : 401;
  if (a.status === wanted) return "right";
  return a.status === 401 || a.status === 403 ? "wrong answer" : "leak";
};

describe.each(engines)("on %s", (engine) => {
  let drop: () => Promise<void> = async () => undefined;
  beforeAll(async () => {
    // Each engine starts from the same template with the test's own state cleared.
    browsers.clear();
    reach.clear();
    roundReports.clear();
    files.clear();
    Object.assign(inside, { divisionA: 0, divisionB: 0, handlerId: 0 });
    Object.assign(rounds, { main: 0, drill: 0 });
    Object.assign(levels, { round: 0, report: 0 });
    drillDepartments = 0;
    drillUserId = 0;
    drop = await startOn(engine);
  });
  afterAll(async () => {
    await trail.close();
    await server.stop();
    await drop();
  });
  const onEngine = engine === "sqlite" ? "" : ", PostgreSQL";

describe("permissions matrix", () => {
  it("every procedure × role × department answers as expected, with no leak, and refusals in the trail", async () => {
    const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>).map(([path, p]) => ({ path, type: p._def.type }));
    const missing = procedures.filter((p) => specs[p.path] === undefined).map((p) => p.path);
    expect(missing, "procedures without an expected answer in the permissions matrix").toEqual([]);
    expect(Object.keys(specs).filter((k) => !procedures.some((p) => p.path === k)), "expectations for procedures that no longer exist").toEqual([]);

    const miit = await browserOf("coordinator");
    const demoPlan = await demoPlanId(miit);
    const drillPlan = dataOf<PlanRow[]>(await miit.query("catalog.plans")).find((p) => p.key === drillPlanKey)?.id ?? 0;
    const drill = dataOf<{ account: { id: number }; reset: { code: string } }>(
      await (await browserOf("admin")).mutate("admin.create", { username: "drill.observer", role: "observer", displayNameEn: "Drill observer" }),
    );
    drillUserId = drill.account.id;
    dataOf(await new Browser(server.url).mutate("account.redeemReset", { code: drill.reset.code, newPassword: drillPassword }));

    // Inside MOF: divisions A and B, a handler of each, a leader; MOF's open work handed to the handler of A.
    const admin = await browserOf("admin");
    inside.divisionA = dataOf<{ id: number }>(await admin.mutate("admin.createDivision", { department: "MOF", nameZh: "甲处", nameEn: null })).id;
    inside.divisionB = dataOf<{ id: number }>(await admin.mutate("admin.createDivision", { department: "MOF", nameZh: "乙处", nameEn: null })).id;
    for (const [role, divisionId] of [
      ["handler", inside.divisionA],
      ["otherHandler", inside.divisionB],
      ["leader", null],
    ] as const) {
      const made = dataOf<{ account: { id: number }; reset: { code: string } }>(
        await admin.mutate("admin.create", { username: accountOf[role], role: "liaison", department: "MOF", displayNameZh: "演练人员" }),
      );
      dataOf(await new Browser(server.url).mutate("account.redeemReset", { code: made.reset.code, newPassword: drillPassword }));
      dataOf(await admin.mutate("admin.setDepartmentPart", { id: made.account.id, departmentRole: role === "leader" ? "leader" : "handler", divisionId }));
      if (role === "handler") inside.handlerId = made.account.id;
    }
    const mof = await browserOf("liaison");
    for (const m of await measuresOf(miit, demoPlan)) {
      for (const a of m.assignments.filter((x) => x.department === "MOF" && ["accepted", "in_progress"].includes(x.status))) {
        dataOf(await mof.mutate("assignment.assignHandler", { id: a.id, expectedVersion: a.version, divisionId: inside.divisionA, handlerId: inside.handlerId, note: "分办" }));
      }
    }
    const openRound = async (title: string) =>
      dataOf<{ id: number }>(
        await miit.mutate("round.open", { planId: demoPlan, title, periodStart: "2026-01-01", periodEnd: "2026-03-31", dueDate: "2099-01-01", departments: ["MOF", otherDepartment] }),
      ).id;
    rounds.main = await openRound("权限矩阵");
    rounds.drill = await openRound("权限矩阵（结束）");
    for (const r of dataOf<{ reports: Array<{ id: number; version: number; department: string }> }>(await miit.query("round.get", { roundId: rounds.main })).reports) {
      if (!roundReports.has(r.department)) roundReports.set(r.department, { id: r.id, version: r.version });
    }
    expect([...roundReports.keys()].sort()).toEqual(["MOF", otherDepartment]);

    /** For each procedure afresh: an open (accepted/in progress) assignment of a department on a measure MOF does not share. */
    const pickTarget = async (department: string): Promise<Target> => {
      const measures = await measuresOf(await browserOf("coordinator"), demoPlan);
      const mofMeasures = new Set(measures.filter((m) => m.assignments.some((a) => a.department === "MOF")).map((m) => m.number));
      for (const m of measures) {
        if (department !== "MOF" && mofMeasures.has(m.number)) continue;
        const a = m.assignments.find((x) => x.department === department && ["accepted", "in_progress"].includes(x.status));
        if (a !== undefined) return { department, assignment: a, measureNumber: m.number };
      }
      throw new Error(`no open assignment of ${department}`);
    };

    for (const [department, username] of [
      ["MOF", "mof"],
      [otherDepartment, "ndrc"],
    ] as const) {
      const target = await pickTarget(department);
      const form = new FormData();
      form.set("expectedVersion", String(target.assignment.version));
      form.set("body", "佐证材料");
      for (const name of ["a.pdf", "b.pdf"]) form.append("file", new Blob([pdfBytes], { type: "application/pdf" }), name);
      const b = department === "MOF" ? await browserOf("liaison") : await signedIn(server.url, username);
      const response = await b.fetch(`/attachments/comment/${target.assignment.id}`, { method: "POST", headers: { "X-Countersign-Upload": "1" }, body: form });
      const ids = ((await response.json()) as { result: { attachmentIds: number[] } }).result.attachmentIds;
      files.set(department, { id: ids[0] ?? 0, byId: ids[1] ?? 0 });
    }

    const results: Array<{ path: string; role: Role; side: Side; expected: Expected; status: number; verdict: string; note: string }> = [];
    let refusalsUnrecorded = 0;
    for (const { path, type } of procedures) {
      const spec = specs[path];
      if (spec === undefined) continue;
      for (const role of roles) {
        for (const side of ["own", "other"] as const) {
          const target = await pickTarget(side === "own" ? ownDepartment[role] : otherDepartment);
          const combo: Combo = { role, side, target, demoPlan, drillPlan, drillUserId, prepared: {} };
          if (spec.prepare !== undefined) combo.prepared = await spec.prepare(combo);
          // Logging in or out changes the session: use a separate browser of the same account.
          const b =
            path === "auth.login"
              ? new Browser(server.url)
              : path === "auth.logout" && role !== "anonymous"
                ? await signedIn(server.url, accountOf[role], passwordOf(role))
                : await browserOf(role);
          const seq = await trail.maxSeq();
          const input = spec.input(combo);
          const answer =
            type === "subscription" ? await openStream(b, path, input) : type === "query" ? await b.query(path, input) : await b.mutate(path, input);
          const expected = spec.expect(role, side);
          let verdict: string = verdictOf(expected, answer);
          let note = answer.ok ? "" : `${answer.error?.refusalCode ?? ""} ${answer.message}`.trim();
          if (answer.ok && spec.leak !== undefined) {
            if (role === "handler" || role === "otherHandler") await readReach();
            const leak = spec.leak(answer.data, combo);
            if (leak !== null) {
              verdict = "leak";
              note = leak;
            }
          }
          if (answer.status === 403 && role !== "anonymous") {
            const recorded = await trail.refusalsSince(seq, accountOf[role], path);
            if (recorded !== 1) {
              refusalsUnrecorded++;
              note += ` (refusal not in the trail: ${recorded})`;
            }
          }
          results.push({ path, role, side, expected, status: answer.status, verdict, note });
          // auth.logout ended every session of the account: sign the role's browser in again.
          if (path === "auth.logout" && role !== "anonymous") browsers.delete(role);
        }
      }
    }

    const liveLeaks = await liveStreamLeaks(demoPlan);
    const leaks = results.filter((r) => r.verdict === "leak");
    const wrong = results.filter((r) => r.verdict !== "right" && r.verdict !== "leak");
    const table = results.map((r) => `  ${r.path.padEnd(28)} ${r.role.padEnd(11)} ${r.side.padEnd(5)} ${r.expected.padEnd(12)} ${r.status} ${r.verdict}${r.note === "" ? "" : ` ${r.note.slice(0, 100)}`}`);
    const byStatus = new Map<number, number>();
    for (const r of results) byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
    const statuses = [...byStatus.entries()].sort((a, b) => a[0] - b[0]).map(([k, n]) => `${k}×${n}`).join(" ");
    process.stdout.write(`permissions (${engine}): combinations tried / leaks = ${results.length} / ${leaks.length} (answers ${statuses})\n${[...leaks, ...wrong].length === 0 ? "" : `${table.filter((l) => !l.includes(" right")).join("\n")}\n`}`);
    recordFigures({
      area: `4 permissions${onEngine}`,
      figure: "combinations tried / leaks",
      values: [results.length, leaks.length],
      failures: leaks.length + wrong.length + refusalsUnrecorded + liveLeaks,
      detail: `${procedures.length} procedures (from the router) × ${roles.length} roles × own/other department (answers ${statuses}); live stream leaks ${liveLeaks}; wrong answers ${wrong.length}; refusals of signed-in users missing from the trail ${refusalsUnrecorded} (of ${results.filter((r) => r.status === 403).length} refused)`,
    });
    expect(results.length).toBe(procedures.length * roles.length * 2);
    expect(leaks.map((r) => `${r.path} ${r.role} ${r.side}: ${r.status} ${r.note}`)).toEqual([]);
    expect(wrong.map((r) => `${r.path} ${r.role} ${r.side}: expected ${r.expected}, got ${r.status} ${r.note}`)).toEqual([]);
    expect(refusalsUnrecorded).toBe(0);
    expect(liveLeaks).toBe(0);
  });
});

/**
 * The live stream of a liaison tells of changes on the measures their department shares, never of others: MOF listens
 * while the coordinator reminds NDRC on a measure MOF is not part of, then MOF on one of its own, handed to the
 * handler of division A. The handler of A hears of that one; the handler of division B, given none of MOF's work,
 * hears of neither (a handler hearing of an assignment beyond their reach is a leak).
 */
async function liveStreamLeaks(demoPlan: number): Promise<number> {
  const mof = await signedIn(server.url, "mof");
  const handler = await signedIn(server.url, accountOf.handler, drillPassword);
  const otherHandler = await signedIn(server.url, accountOf.otherHandler, drillPassword);
  const miit = await signedIn(server.url, "miit");
  const measures = await measuresOf(miit, demoPlan);
  const open = (a: TrackedAssignment): boolean => ["assigned", "accepted", "in_progress"].includes(a.status);
  const foreign = measures.find((m) => !m.assignments.some((a) => a.department === "MOF") && m.assignments.some((a) => a.department === "NDRC" && open(a)));
  const ndrc = foreign?.assignments.find((a) => a.department === "NDRC" && open(a));
  await readReach();
  const handed = reachedBy("handler").ids;
  const own = measures.flatMap((m) => m.assignments).find((a) => a.department === "MOF" && open(a) && handed.has(a.id));
  if (ndrc === undefined || own === undefined) throw new Error("no assignments to change");
  const controller = new AbortController();
  const listen = async (b: Browser) => {
    const response = await b.fetch(`/trpc/live.changes?input=${encodeURIComponent(JSON.stringify({ planId: demoPlan }))}`, {
      headers: { accept: "text/event-stream" },
      signal: controller.signal,
    });
    const reader = response.body?.getReader();
    if (reader === undefined) throw new Error("no stream");
    return reader;
  };
  const readers = await Promise.all([mof, handler, otherHandler].map(listen));
  await new Promise((r) => setTimeout(r, 200));
  dataOf(await miit.mutate("assignment.remind", { id: ndrc.id, expectedVersion: ndrc.version, message: "催办" }));
  dataOf(await miit.mutate("assignment.remind", { id: own.id, expectedVersion: own.version, message: "催办" }));
  const heard = `"assignmentIds":[${own.id}]`;
  const texts = await Promise.all(
    readers.map(async (reader, i) => {
      let text = "";
      // The listeners that should hear of `own` read until they do; the other handler for as long (it must not).
      const deadline = Date.now() + (i === 2 ? 2500 : 5000);
      while (!text.includes(heard) && Date.now() < deadline) {
        const chunk = await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), 500))]);
        if (chunk === null || chunk.done) continue;
        text += new TextDecoder().decode(chunk.value);
      }
      return text;
    }),
  );
  controller.abort();
  const [mofText = "", handlerText = "", otherText = ""] = texts;
  if (!mofText.includes(heard)) throw new Error(`MOF did not hear of its own change: ${mofText.slice(0, 300)}`);
  if (!handlerText.includes(heard)) throw new Error(`MOF's handler did not hear of the change to their work: ${handlerText.slice(0, 300)}`);
  const told = (text: string, id: number) => new RegExp(`"assignmentIds":\\[[^\\]]*\\b${id}\\b`).test(text);
  return [told(mofText, ndrc.id), told(handlerText, ndrc.id), told(otherText, ndrc.id), told(otherText, own.id)].filter(Boolean).length;
}

/** A day `days` from today in Beijing, YYYY-MM-DD (the demo's deadlines are relative to today). */
function beijingDay(days: number): string {
  return new Date(Date.now() + 8 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Down the levels (issue 16, point 4): an organisation never sees a sibling's plans or work. The national office
 * forwards two measures to Guangxi and Zhejiang; Guangxi derives and issues its implementation plan and accepts one of
 * its assignments. Then every procedure of the router, with the inputs of the matrix above pointed at Guangxi's plan,
 * assignment and department, is called by Zhejiang's office (its coordinator) and by a Zhejiang liaison. A leak is an
 * answer carrying anything of Guangxi's (its departments' codes, its plan's id or title), or any change to Guangxi's
 * plan or assignment. Refusals (403, 404, 400 …) and answers about the caller's own organisation are right.
 */
describe("permissions across sibling organisations", () => {
  it("a province's accounts get nothing of another province's plan through any procedure", async () => {
    const miit = await browserOf("coordinator");
    const demoPlan = await demoPlanId(miit);
    // Two measures whose deadlines, as the level below sees them (`cascade.plan`), are still ahead: the matrix above
    // moved some, and the demo has overdue ones.
    const national = dataOf<{ measures: Array<{ number: number; dueDate: string }> }>(await miit.query("cascade.plan", { planId: demoPlan }));
    const ahead = national.measures.filter((m) => m.dueDate !== "ongoing" && m.dueDate >= beijingDay(3)).slice(0, 2);
    expect(ahead).toHaveLength(2);
    const earliest = ahead.map((m) => m.dueDate).sort()[0] ?? beijingDay(3);
    dataOf(await miit.mutate("cascade.forward", { planId: demoPlan, to: ["450000", "330000"], measureNumbers: ahead.map((m) => m.number), planDeadline: beijingDay(2) }));
    const guangxi = await signedIn(server.url, "gx-office");
    // The matrix above may have forwarded to Guangxi too: take this forwarding, the latest.
    const pending = dataOf<Array<{ forwardingId: number }>>(await guangxi.query("cascade.pending")).sort((x, y) => x.forwardingId - y.forwardingId).at(-1);
    if (pending === undefined) throw new Error("Guangxi has nothing forwarded");
    const gxPlan = dataOf<{ planId: number }>(await guangxi.mutate("cascade.derive", { forwardingId: pending.forwardingId })).planId;
    const draft = dataOf<{ plan: { titleZh: string }; measures: Array<{ number: number }> }>(await guangxi.query("catalog.plan", { planId: gxPlan }));
    // Each measure its own deadline within the nation's: the document's (passed already) would be refused as back-dated.
    // Every forwarding of the plan to Guangxi is taken in, also ones the matrix above made (their national deadlines
    // may have passed: those are kept, back-dated). The others get the earliest deadline still ahead.
    const origins = dataOf<{ measures: Array<{ number: number; originNumber: number | null }> }>(await guangxi.query("cascade.plan", { planId: gxPlan })).measures;
    const parentDue = (n: number): string => {
      const origin = origins.find((m) => m.number === n)?.originNumber;
      return national.measures.find((m) => m.number === origin)?.dueDate ?? earliest;
    };
    const dueDates = draft.measures.map((m) => {
      const due = parentDue(m.number);
      return { measureNumber: m.number, dueDate: due === "ongoing" || due > earliest ? earliest : due };
    });
    const backdated = dueDates.some((d) => d.dueDate < beijingDay(0));
    dataOf(await guangxi.mutate("plan.issue", { planId: gxPlan, dueDate: earliest, dueDates, backdated }));
    const gxTitle = draft.plan.titleZh;
    const gxMeasures = await measuresOf(guangxi, gxPlan);
    // An assignment of a Guangxi department with a liaison account in the demo (gx-miit, gx-ndrc …).
    const withLiaison = new Set(["MIIT", "NDRC", "MOF", "MOFCOM", "STA", "SAMR"]);
    const measure = gxMeasures.find((m) => m.assignments.some((a) => withLiaison.has(a.department.split("-")[1] ?? "")));
    const first = measure?.assignments.find((a) => withLiaison.has(a.department.split("-")[1] ?? ""));
    if (measure === undefined || first === undefined) throw new Error("Guangxi's plan has no assignment of a department with a liaison");
    const gxLiaison = await signedIn(server.url, `gx-${(first.department.split("-")[1] ?? "").toLowerCase()}`);
    const accepted = dataOf<{ version: number; status: string }>(await gxLiaison.mutate("assignment.accept", { id: first.id, expectedVersion: first.version }));
    const target: Target = {
      department: first.department,
      assignment: { ...first, version: accepted.version, status: accepted.status },
      measureNumber: measure.number,
    };
    // A national round on the plan opens Guangxi's own round and its report upward (issue 16, point 3); Guangxi's
    // office writes it and sends it for sign-off, so that there is text of Guangxi's a leak would carry.
    const opened = dataOf<{ id: number; below: Array<{ organisation: string; roundId: number; levelReportId: number }> }>(
      await miit.mutate("round.open", { planId: demoPlan, title: "分级调度演练", periodStart: "2026-01-01", periodEnd: "2026-01-31", dueDate: "2099-01-01" }),
    );
    const gxLevel = opened.below.find((b) => b.organisation === "450000");
    if (gxLevel === undefined) throw new Error("the national round opened none for Guangxi");
    // Its submission carries a file of its own (佐证材料), signed off so that the level above could read it.
    const levelForm = new FormData();
    for (const [k, v] of Object.entries({ ...levelText, progress: "广西上报演练", action: "submit", expectedVersion: "1" })) levelForm.set(k, v);
    levelForm.append("file", new Blob([pdfBytes], { type: "application/pdf" }), "广西佐证.pdf");
    const levelUpload = await guangxi.fetch(`/attachments/level-report/${gxLevel.levelReportId}`, { method: "POST", headers: { "X-Countersign-Upload": "1" }, body: levelForm });
    expect(levelUpload.status).toBe(200);
    const levelAnswer = ((await levelUpload.json()) as { result: { version: number; fileIds: number[] } }).result;
    const gxFile = levelAnswer.fileIds[0] ?? 0;
    dataOf(await guangxi.mutate("round.levelSignOff", { levelReportId: gxLevel.levelReportId, expectedVersion: levelAnswer.version }));
    Object.assign(levels, { round: gxLevel.roundId, report: gxLevel.levelReportId, file: gxFile });
    // The report itself (its preview is compiled afresh at each read, with the time of reading).
    const levelState = async (): Promise<string> => JSON.stringify(dataOf<{ report: unknown } | null>(await guangxi.query("round.levelReport", { roundId: gxLevel.roundId }))?.report);
    const levelBefore = await levelState();
    const stateOfGuangxi = async (): Promise<string> => `${await trail.planState(gxPlan)}|${await levelState()}`;
    const before = await stateOfGuangxi();
    const traces = [`"${"450000"}-`, `"planId":${gxPlan},`, `"planId":${gxPlan}}`, gxTitle, "广西上报演练", `"levelReportId":${gxLevel.levelReportId}`];

    const zhejiang: Array<[Role, Browser]> = [
      ["coordinator", await signedIn(server.url, "zj-office")],
      ["liaison", await signedIn(server.url, "zj-miit")],
    ];
    const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>).map(([path, p]) => ({ path, type: p._def.type }));
    const results: Array<{ path: string; role: Role; status: number; leak: string | null }> = [];
    for (const { path, type } of procedures) {
      const spec = specs[path];
      if (spec === undefined) throw new Error(`no spec for ${path}`);
      // Signing in or out would change the Zhejiang browsers' sessions: those two run in browsers of their own.
      if (path === "auth.login" || path === "auth.logout") continue;
      for (const [role, b] of zhejiang) {
        const combo: Combo = { role, side: "other", target, demoPlan: gxPlan, drillPlan: gxPlan, drillUserId, prepared: {} };
        if (spec.prepare !== undefined) combo.prepared = await spec.prepare(combo);
        const input = spec.input(combo);
        const answer = type === "subscription" ? await openStream(b, path, input) : type === "query" ? await b.query(path, input) : await b.mutate(path, input);
        const text = answer.ok ? JSON.stringify(answer.data ?? null) : "";
        const seen = traces.find((t) => text.includes(t));
        const after = await stateOfGuangxi();
        const leak = seen !== undefined ? `answer carries ${seen}` : after !== before ? "changed Guangxi's plan" : null;
        results.push({ path, role, status: answer.status, leak });
      }
    }
    // Guangxi's level report's own file over HTTP: neither download it nor add one to its report.
    for (const [role, b] of zhejiang) {
      const download = await b.fetch(`/attachments/level-report-files/${gxFile}`);
      const body = download.ok ? Buffer.from(await download.arrayBuffer()).toString("latin1") : await download.text();
      const seen = download.ok ? "the file's bytes" : (traces.find((t) => body.includes(t)) ?? (body.includes("广西佐证") ? "the file's name" : undefined));
      results.push({ path: "GET /attachments/level-report-files", role, status: download.status, leak: seen === undefined ? null : `answer carries ${seen}` });
      const form = new FormData();
      for (const [k, v] of Object.entries({ ...levelText, action: "saveDraft", expectedVersion: String(levelAnswer.version + 1) })) form.set(k, v);
      form.append("file", new Blob([pdfBytes], { type: "application/pdf" }), "浙江.pdf");
      const upload = await b.fetch(`/attachments/level-report/${gxLevel.levelReportId}`, { method: "POST", headers: { "X-Countersign-Upload": "1" }, body: form });
      const after = await stateOfGuangxi();
      results.push({ path: "POST /attachments/level-report", role, status: upload.status, leak: upload.ok ? "stored a file on Guangxi's report" : after !== before ? "changed Guangxi's report" : null });
      // Nor replace its file by a new version.
      const replacement = new FormData();
      replacement.set("expectedVersion", String(levelAnswer.version + 1));
      replacement.append("file", new Blob([pdfBytes], { type: "application/pdf" }), "浙江替换.pdf");
      const replaced = await b.fetch(`/attachments/level-report-files/${gxFile}/replace`, { method: "POST", headers: { "X-Countersign-Upload": "1" }, body: replacement });
      const afterReplace = await stateOfGuangxi();
      const replaceBody = replaced.ok ? "" : await replaced.text();
      results.push({
        path: "POST /attachments/level-report-files/replace",
        role,
        status: replaced.status,
        leak: replaced.ok ? "replaced Guangxi's file" : afterReplace !== before ? "changed Guangxi's report" : replaceBody.includes("广西佐证") ? "answer carries the file's name" : null,
      });
    }
    const leaks = results.filter((r) => r.leak !== null);
    const byStatus = new Map<number, number>();
    for (const r of results) byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
    const statuses = [...byStatus.entries()].sort((x, y) => x[0] - y[0]).map(([k, n]) => `${k}×${n}`).join(" ");
    process.stdout.write(`permissions across siblings (${engine}): combinations tried / leaks = ${results.length} / ${leaks.length} (answers ${statuses})\n`);
    recordFigures({
      area: `4b permissions across sibling organisations${onEngine}`,
      figure: "combinations tried / leaks",
      values: [results.length, leaks.length],
      failures: leaks.length,
      detail: `${procedures.length - 2} procedures and the three routes of a level report's files × Zhejiang's office and liaison, inputs naming Guangxi's plan, assignment, department and level report (answers ${statuses})`,
    });
    expect(results.length).toBeGreaterThan(100);
    expect(leaks.map((r) => `${r.path} ${r.role}: ${r.status} ${r.leak}`)).toEqual([]);
    expect(await levelState()).toBe(levelBefore);
  });
});
});
