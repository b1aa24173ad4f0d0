import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addMonths,
  allowedRoundReportActions,
  assignmentsInRoundScope,
  checkRoundDates,
  isLateSubmission,
  isRoundDueSoon,
  matchesRoundStanding,
  mayReadRoundReport,
  mayWriteRoundReport,
  nextRoundDates,
  nextRoundTitle,
  roundDueForRollover,
  roundLateFrom,
  roundReportActionTypes,
  roundReportStanding,
  roundReportStandings,
  roundReportStatuses,
  roundStandingCriterion,
  roundReportTextVisible,
  roundReportTransition,
  roundStandingsByDepartment,
  roundStatistics,
  roundStatisticsOfCounts,
  roundStatuses,
} from "./rounds.js";
import type { RoundReportAction, RoundReportActionType, RoundReportState, RoundReportStatus, ScopedAssignment } from "./rounds.js";
import type { Actor } from "./types.js";

const coordinator: Actor = { role: "coordinator", department: "MIIT" };
const mof: Actor = { role: "liaison", department: "MOF" };
const ndrc: Actor = { role: "liaison", department: "NDRC" };
const observer: Actor = { role: "observer", department: null };
const admin: Actor = { role: "admin", department: null };
// Inside a department (issue 15, point 2): MOF's handler and leader, and NDRC's leader.
const handler: Actor = { role: "liaison", department: "MOF", departmentRole: "handler", division: 10, userId: 100 };
const leader: Actor = { role: "liaison", department: "MOF", departmentRole: "leader", userId: 104 };
const ndrcLeader: Actor = { role: "liaison", department: "NDRC", departmentRole: "leader", userId: 204 };
const actors = { coordinator, mof, ndrc, observer, admin, handler, leader, ndrcLeader };
type ActorName = keyof typeof actors;

const text = { progress: "完成了调研", problems: "无", nextSteps: "印发通知" };
const actions: Record<RoundReportActionType, RoundReportAction> = {
  saveDraft: { type: "saveDraft", ...text },
  submit: { type: "submit", ...text },
  approve: { type: "approve" },
  reject: { type: "reject", reason: "请补充数据" },
  return: { type: "return", reason: "请补充佐证材料" },
  remind: { type: "remind", message: "" },
};

const dueDate = "2026-01-10";
// 2026-01-10 23:30 in Beijing is still the due date; 2026-01-11 00:10 in Beijing is past it.
const onDueDay = new Date("2026-01-10T15:30:00Z");
const afterDue = new Date("2026-01-10T16:10:00Z");

function report(status: RoundReportStatus): RoundReportState {
  return { status, department: "MOF", submittedAt: status === "submitted" ? "2026-01-05T02:00:00Z" : null, progress: "", problems: "", nextSteps: "" };
}

/** MOF's own accounts: they write its reports (not narrowed to a division). */
const member = (actor: ActorName): boolean => actor === "mof" || actor === "handler" || actor === "leader";

/** The rule table, written independently of the implementation: may `actor` do `action` from `status`? */
function expectedOk(status: RoundReportStatus, action: RoundReportActionType, actor: ActorName, open: boolean, pastDue: boolean): boolean {
  if (!open) return false;
  switch (action) {
    case "saveDraft":
      return member(actor) && status !== "submitted" && status !== "awaiting_approval";
    case "submit":
      return member(actor) && status !== "awaiting_approval" && (status !== "submitted" || !pastDue);
    case "approve":
    case "reject":
      return actor === "leader" && status === "awaiting_approval";
    case "return":
      return actor === "coordinator" && status === "submitted";
    case "remind":
      return actor === "coordinator" && status !== "submitted";
  }
}

/** The refusal expected where the table says no (the first rule that fails, in the order the rules are checked). */
function expectedRefusal(status: RoundReportStatus, action: RoundReportActionType, actor: ActorName, open: boolean): string {
  if (!open) return "round_closed";
  const writes = action === "saveDraft" || action === "submit";
  const decides = action === "approve" || action === "reject";
  if (writes && (actor === "ndrc" || actor === "ndrcLeader")) return "not_your_department";
  if (writes && member(actor) && status === "awaiting_approval") return "approval_pending";
  if (decides && actor === "ndrcLeader") return "not_your_department";
  if (writes && !actors[actor].role.startsWith("liaison")) return "wrong_role";
  if (decides && actor !== "leader") return "wrong_role";
  if ((action === "return" || action === "remind") && actor !== "coordinator") return "wrong_role";
  if (action === "submit") return "past_due";
  return "invalid_state";
}

describe("roundReportTransition: every state × action × actor × leader approval × round state × due date", () => {
  for (const status of roundReportStatuses) {
    for (const type of roundReportActionTypes) {
      for (const [name, actor] of Object.entries(actors) as [ActorName, Actor][]) {
        for (const approval of [false, true]) {
          for (const roundStatus of roundStatuses) {
            for (const now of [onDueDay, afterDue]) {
              const pastDue = now === afterDue;
              it(`${status} ${type} by ${name}, approval ${approval ? "on" : "off"}, round ${roundStatus}, ${pastDue ? "past due" : "on the due day"}`, () => {
                const result = roundReportTransition(report(status), actions[type], actor, { status: roundStatus, dueDate, leaderApproval: approval }, now);
                const ok = expectedOk(status, type, name, roundStatus === "open", pastDue);
                expect(result.ok).toBe(ok);
                if (!result.ok) {
                  expect(result.refusal.code).toBe(expectedRefusal(status, type, name, roundStatus === "open"));
                  return;
                }
                // With approval on, a liaison's or handler's submission waits for the leader; the leader's goes out.
                const waits = type === "submit" && approval && name !== "leader";
                const to = {
                  saveDraft: "draft",
                  submit: waits ? "awaiting_approval" : "submitted",
                  approve: "submitted",
                  reject: "returned_by_leader",
                  return: "returned",
                  remind: status,
                }[type];
                expect(result.next.status).toBe(to);
                expect(result.event).toBe(
                  {
                    saveDraft: "round_report.draft_saved",
                    submit: waits ? "round_report.approval_requested" : "round_report.submitted",
                    approve: "round_report.approved",
                    reject: "round_report.rejected",
                    return: "round_report.returned",
                    remind: "round_report.reminded",
                  }[type],
                );
                if ((type === "submit" && !waits) || type === "approve") {
                  // Submitted now: the time of submission (of the leader's approval) decides lateness.
                  expect(result.late).toBe(pastDue);
                  expect(result.next.submittedAt).toBe(now.toISOString());
                } else {
                  expect(result.late).toBe(false);
                  expect(result.next.submittedAt).toBe(report(status).submittedAt);
                }
                if (type === "submit") expect(result.next.progress).toBe(text.progress);
              });
            }
          }
        }
      }
    }
  }
});

describe("roundReportTransition: the department leader's approval", () => {
  const open = { status: "open" as const, dueDate, leaderApproval: true };
  it("a handler's report submitted on time and approved after the due date is late; returned, it is written again", () => {
    const sent = roundReportTransition(report("draft"), actions.submit, handler, open, onDueDay);
    expect(sent).toMatchObject({ ok: true, late: false, next: { status: "awaiting_approval", submittedAt: null } });
    if (!sent.ok) return;
    expect(roundReportTransition(sent.next, actions.approve, leader, open, afterDue)).toMatchObject({ ok: true, late: true, next: { status: "submitted" } });
    const back = roundReportTransition(sent.next, actions.reject, leader, open, onDueDay);
    expect(back).toMatchObject({ ok: true, next: { status: "returned_by_leader", progress: text.progress } });
    if (!back.ok) return;
    expect(roundReportTransition(back.next, actions.submit, handler, open, onDueDay)).toMatchObject({ ok: true, next: { status: "awaiting_approval" } });
  });
  it("a return to the handler needs a reason", () => {
    expect(roundReportTransition(report("awaiting_approval"), { type: "reject", reason: " " }, leader, open, onDueDay)).toMatchObject({
      ok: false,
      refusal: { code: "reason_required", field: "reason" },
    });
  });
  it("a report awaiting the leader, or returned by them, is the department's own: the lead ministry sees no text", () => {
    for (const status of ["awaiting_approval", "returned_by_leader"] as const) {
      expect(roundReportTextVisible(coordinator, "MOF", status)).toBe(false);
      expect(roundReportTextVisible(handler, "MOF", status)).toBe(true);
      expect(roundReportStanding({ status, submittedAt: null }, dueDate, afterDue)).toBe("late");
    }
  });
  it("the leader's buttons: approve and return on a report awaiting them, nothing else", () => {
    expect(allowedRoundReportActions(report("awaiting_approval"), leader, open, onDueDay)).toEqual(["approve", "reject"]);
    expect(allowedRoundReportActions(report("awaiting_approval"), handler, open, onDueDay)).toEqual([]);
    expect(allowedRoundReportActions(report("awaiting_approval"), coordinator, open, onDueDay)).toEqual(["remind"]);
  });
});

describe("roundReportTransition: texts", () => {
  const open = { status: "open" as const, dueDate };
  it("a submission needs every heading; a draft does not", () => {
    for (const heading of ["progress", "problems", "nextSteps"] as const) {
      const result = roundReportTransition(report("draft"), { type: "submit", ...text, [heading]: "  " }, mof, open, onDueDay);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.refusal.code).toBe("heading_required");
        expect(result.refusal.field).toBe(heading);
      }
    }
    expect(roundReportTransition(report("not_reported"), { type: "saveDraft", progress: "", problems: "", nextSteps: "" }, mof, open, onDueDay).ok).toBe(true);
  });
  it("refuses a heading over the limit, naming it", () => {
    const result = roundReportTransition(report("draft"), { type: "saveDraft", ...text, problems: "问".repeat(10_001) }, mof, open, onDueDay);
    expect(result).toMatchObject({ ok: false, refusal: { code: "text_too_long", field: "problems" } });
  });
  it("a return needs a reason", () => {
    const result = roundReportTransition(report("submitted"), { type: "return", reason: " " }, coordinator, open, onDueDay);
    expect(result).toMatchObject({ ok: false, refusal: { code: "reason_required", field: "reason" } });
  });
  it("a returned report may be submitted again after the due date (late)", () => {
    const result = roundReportTransition(report("returned"), actions.submit, mof, open, afterDue);
    expect(result).toMatchObject({ ok: true, late: true, next: { status: "submitted" } });
  });
});

describe("who reads and writes a report", () => {
  it("only the department's accounts write (liaison, handlers, leader); the coordinator, observers and admins read; other departments do neither", () => {
    for (const a of [mof, handler, leader]) expect(mayWriteRoundReport(a, "MOF")).toBe(true);
    for (const a of [coordinator, ndrc, ndrcLeader, observer, admin]) expect(mayWriteRoundReport(a, "MOF")).toBe(false);
    for (const a of [mof, coordinator, observer, admin]) expect(mayReadRoundReport(a, "MOF")).toBe(true);
    expect(mayReadRoundReport(ndrc, "MOF")).toBe(false);
    expect(mayReadRoundReport({ role: "liaison", department: null }, "MOF")).toBe(false);
  });
  it("a draft's text is the department's own", () => {
    expect(roundReportTextVisible(mof, "MOF", "draft")).toBe(true);
    expect(roundReportTextVisible(coordinator, "MOF", "draft")).toBe(false);
    expect(roundReportTextVisible(coordinator, "MOF", "submitted")).toBe(true);
    expect(roundReportTextVisible(ndrc, "MOF", "submitted")).toBe(false);
  });
  it("allowedRoundReportActions follows the transition", () => {
    const open = { status: "open" as const, dueDate };
    expect(allowedRoundReportActions(report("submitted"), coordinator, open, onDueDay)).toEqual(["return"]);
    expect(allowedRoundReportActions(report("draft"), coordinator, open, onDueDay)).toEqual(["remind"]);
    expect(allowedRoundReportActions(report("submitted"), mof, open, onDueDay)).toEqual(["submit"]);
    expect(allowedRoundReportActions(report("submitted"), mof, open, afterDue)).toEqual([]);
  });
});

describe("lateness and standing", () => {
  it("the due date is a Beijing calendar day", () => {
    expect(isLateSubmission(onDueDay.toISOString(), dueDate)).toBe(false);
    expect(isLateSubmission(afterDue.toISOString(), dueDate)).toBe(true);
  });
  it("due soon: the last three days, the due date included", () => {
    expect(isRoundDueSoon(dueDate, new Date("2026-01-07T15:00:00Z"))).toBe(false); // 01-07 23:00 Beijing
    expect(isRoundDueSoon(dueDate, new Date("2026-01-07T16:30:00Z"))).toBe(true); // 01-08 00:30 Beijing
    expect(isRoundDueSoon(dueDate, onDueDay)).toBe(true);
    expect(isRoundDueSoon(dueDate, afterDue)).toBe(false);
  });
  it("each standing", () => {
    expect(roundReportStanding({ status: "submitted", submittedAt: onDueDay.toISOString() }, dueDate, afterDue)).toBe("reported");
    expect(roundReportStanding({ status: "submitted", submittedAt: afterDue.toISOString() }, dueDate, afterDue)).toBe("reported_late");
    expect(roundReportStanding({ status: "returned", submittedAt: onDueDay.toISOString() }, dueDate, afterDue)).toBe("returned");
    expect(roundReportStanding({ status: "draft", submittedAt: null }, dueDate, afterDue)).toBe("late");
    expect(roundReportStanding({ status: "not_reported", submittedAt: null }, dueDate, afterDue)).toBe("late");
    expect(roundReportStanding({ status: "not_reported", submittedAt: null }, dueDate, onDueDay)).toBe("not_reported");
  });
  it("statistics count each report once and each department", () => {
    const stats = roundStatistics(
      [
        { department: "MOF", status: "submitted", submittedAt: onDueDay.toISOString() },
        { department: "MOF", status: "submitted", submittedAt: afterDue.toISOString() },
        { department: "NDRC", status: "draft", submittedAt: null },
        { department: "NDRC", status: "submitted", submittedAt: onDueDay.toISOString() },
        { department: "MOST", status: "returned", submittedAt: onDueDay.toISOString() },
        { department: "PBC", status: "not_reported", submittedAt: null },
      ],
      dueDate,
      afterDue,
    );
    expect(stats).toEqual({ total: 6, reported: 2, reportedLate: 1, returned: 1, late: 2, notReported: 0, drafts: 1, departments: 4, departmentsComplete: 1 });
    expect(roundStatistics([], dueDate, afterDue).departments).toBe(0);
  });
  it("standings by department, in the order departments first appear, adding up to each one's reports", () => {
    const byDepartment = roundStandingsByDepartment([
      { department: "NDRC", standing: "late" },
      { department: "MOF", standing: "reported" },
      { department: "NDRC", standing: "reported_late" },
      { department: "NDRC", standing: "late" },
      { department: "MOF", standing: "returned" },
    ]);
    expect(byDepartment).toEqual([
      { department: "NDRC", counts: { reported: 0, reported_late: 1, returned: 0, late: 2, not_reported: 0 } },
      { department: "MOF", counts: { reported: 1, reported_late: 0, returned: 1, late: 0, not_reported: 0 } },
    ]);
    expect(roundStandingsByDepartment([])).toEqual([]);
  });
});

describe("standing and statistics as a query computes them (round.reports filters, round.header counts)", () => {
  // Instants within a few days of the due date, to the millisecond, so both sides of the Beijing midnight come up.
  const instant = fc.integer({ min: Date.parse("2026-01-05T00:00:00Z"), max: Date.parse("2026-01-14T00:00:00Z") }).map((ms) => new Date(ms));
  const report = fc.record({
    department: fc.constantFrom("MOF", "NDRC", "MOST"),
    status: fc.constantFrom(...roundReportStatuses),
    submittedAt: fc.option(instant.map((d) => d.toISOString()), { nil: null }),
  });
  it("roundLateFrom: a submission at or after it is late, before it on time", () => {
    expect(roundLateFrom("2026-01-10")).toBe("2026-01-10T16:00:00.000Z");
    fc.assert(
      fc.property(instant, (at) => {
        expect(at.toISOString() >= roundLateFrom(dueDate)).toBe(isLateSubmission(at.toISOString(), dueDate));
      }),
    );
  });
  it("each report meets the criterion of its own standing and of no other", () => {
    fc.assert(
      fc.property(report, instant, (r, now) => {
        for (const standing of roundReportStandings) {
          expect(matchesRoundStanding(roundStandingCriterion(standing, dueDate, now), r), standing).toBe(roundReportStanding(r, dueDate, now) === standing);
        }
      }),
      { numRuns: 2000 },
    );
  });
  it("statistics over counted groups equal the statistics over the reports", () => {
    fc.assert(
      fc.property(fc.array(report, { maxLength: 30 }), instant, (reports, now) => {
        const groups = new Map<string, { department: string; status: RoundReportStatus; submittedLate: boolean | null; count: number }>();
        for (const r of reports) {
          const submittedLate = r.submittedAt === null ? null : isLateSubmission(r.submittedAt, dueDate);
          const key = `${r.department}|${r.status}|${String(submittedLate)}`;
          const g = groups.get(key) ?? { department: r.department, status: r.status, submittedLate, count: 0 };
          g.count += 1;
          groups.set(key, g);
        }
        expect(roundStatisticsOfCounts([...groups.values()], dueDate, now)).toEqual(roundStatistics(reports, dueDate, now));
      }),
    );
  });
});

describe("scope", () => {
  const a = (id: number, measureNumber: number, department: string, role: "lead" | "supporting", status: ScopedAssignment["status"]): ScopedAssignment => ({
    id,
    measureNumber,
    department,
    role,
    status,
  });
  const all = [
    a(1, 2, "NDRC", "supporting", "accepted"),
    a(2, 2, "MOF", "lead", "in_progress"),
    a(3, 1, "MOF", "supporting", "assigned"),
    a(4, 1, "PBC", "lead", "signed_off"),
    a(5, 3, "MOF", "lead", "declined"),
    a(6, 3, "NDRC", "supporting", "withdrawn"),
    a(7, 2, "CBIRC", "supporting", "in_progress"),
  ];
  it("open work only, by measure, lead first", () => {
    expect(assignmentsInRoundScope(all, { measureNumbers: [], departments: [] }).map((x) => x.id)).toEqual([3, 2, 7, 1]);
  });
  it("filters by measures and departments", () => {
    expect(assignmentsInRoundScope(all, { measureNumbers: [2], departments: [] }).map((x) => x.id)).toEqual([2, 7, 1]);
    expect(assignmentsInRoundScope(all, { measureNumbers: [], departments: ["MOF"] }).map((x) => x.id)).toEqual([3, 2]);
    expect(assignmentsInRoundScope(all, { measureNumbers: [1], departments: ["NDRC"] })).toEqual([]);
  });
});

describe("dates and repetition", () => {
  it("checks a round's dates", () => {
    expect(checkRoundDates({ periodStart: "2025-10-01", periodEnd: "2025-12-31", dueDate: "2026-01-10" })).toEqual({ ok: true });
    expect(checkRoundDates({ periodStart: "2025-10-01", periodEnd: "2025-09-30", dueDate: "2026-01-10" })).toMatchObject({ ok: false, field: "periodEnd" });
    expect(checkRoundDates({ periodStart: "2025-10-01", periodEnd: "2025-12-31", dueDate: "2025-09-01" })).toMatchObject({ ok: false, field: "dueDate" });
    expect(checkRoundDates({ periodStart: "2025-02-30", periodEnd: "2025-12-31", dueDate: "2026-01-10" })).toMatchObject({ ok: false, field: "periodStart" });
  });
  it("addMonths clamps and keeps a month's last day", () => {
    expect(addMonths("2026-01-31", 1)).toBe("2026-02-28");
    expect(addMonths("2028-01-31", 1)).toBe("2028-02-29");
    expect(addMonths("2026-04-30", 1)).toBe("2026-05-31");
    expect(addMonths("2025-12-31", 3)).toBe("2026-03-31");
    expect(addMonths("2025-11-10", 3)).toBe("2026-02-10");
    expect(addMonths("2026-01-15", 12)).toBe("2027-01-15");
  });
  it("addMonths: always a real date, in the target month, never moving backwards", () => {
    fc.assert(
      fc.property(fc.date({ min: new Date("2000-01-01"), max: new Date("2090-12-31"), noInvalidDate: true }), fc.integer({ min: 0, max: 36 }), (d, months) => {
        const from = d.toISOString().slice(0, 10);
        const to = addMonths(from, months);
        expect(checkRoundDates({ periodStart: to, periodEnd: to, dueDate: to })).toEqual({ ok: true });
        const [fy, fm] = from.split("-").map(Number) as [number, number];
        const [ty, tm] = to.split("-").map(Number) as [number, number];
        expect(ty * 12 + tm - (fy * 12 + fm)).toBe(months);
        expect(to >= from).toBe(true);
      }),
    );
  });
  it("the next round of a quarterly series is the next quarter", () => {
    const q4 = { periodStart: "2025-10-01", periodEnd: "2025-12-31", dueDate: "2026-01-10" };
    expect(nextRoundDates(q4, "quarterly")).toEqual({ periodStart: "2026-01-01", periodEnd: "2026-03-31", dueDate: "2026-04-10" });
    expect(nextRoundDates(q4, "monthly")).toEqual({ periodStart: "2025-11-01", periodEnd: "2026-01-31", dueDate: "2026-02-10" });
    expect(nextRoundDates(q4, "none")).toBeNull();
  });
  it("rolls over once the next period is over and the due date has passed, only open repeating rounds", () => {
    const round = { periodStart: "2026-03-01", periodEnd: "2026-03-31", dueDate: "2026-04-05", status: "open" as const, recurrence: "monthly" as const };
    expect(roundDueForRollover(round, new Date("2026-04-30T15:59:00Z"))).toBe(false); // 04-30 23:59 Beijing
    expect(roundDueForRollover(round, new Date("2026-04-30T16:00:00Z"))).toBe(true); // 05-01 00:00 Beijing
    // A due date after the next period's end holds the round open until it has passed.
    const slow = { ...round, dueDate: "2026-05-03" };
    expect(roundDueForRollover(slow, new Date("2026-05-02T02:00:00Z"))).toBe(false);
    expect(roundDueForRollover(slow, new Date("2026-05-03T16:00:00Z"))).toBe(true);
    expect(roundDueForRollover({ ...round, status: "closed" }, new Date("2026-05-01T00:00:00Z"))).toBe(false);
    expect(roundDueForRollover({ ...round, recurrence: "none" }, new Date("2026-05-01T00:00:00Z"))).toBe(false);
  });
  it("names the next round by its period", () => {
    const d = { periodStart: "2026-03-01", periodEnd: "2026-03-31", dueDate: "2026-04-05" };
    const n = { periodStart: "2026-04-01", periodEnd: "2026-04-30", dueDate: "2026-05-05" };
    expect(nextRoundTitle("月度调度", d, n)).toBe("月度调度 (2026-04-01 – 2026-04-30)");
    expect(nextRoundTitle("月度调度 (2026-03-01 – 2026-03-31)", d, n)).toBe("月度调度 (2026-04-01 – 2026-04-30)");
  });
});
