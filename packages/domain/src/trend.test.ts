import { describe, expect, it } from "vitest";
import type { TrailEvent } from "./replay.js";
import { trackingTrend, weekStartOf } from "./trend.js";

let seq = 0;
/** One assignment event at a UTC instant. */
function ev(at: string, assignmentId: number, type: string, to: string | null, payload: Record<string, unknown> = {}, department?: string): TrailEvent {
  seq += 1;
  return { seq, at, type, assignmentId, measureNumber: 1, fromStatus: null, toStatus: to, payload, ...(department === undefined ? {} : { department }) };
}
const issued = (at: string, id: number, department: string, dueDate: string) =>
  ev(at, id, "assignment.issued", "assigned", { role: "lead", dueDate }, department);

describe("weekStartOf", () => {
  it.each([
    ["2026-03-02", "2026-03-02"], // a Monday
    ["2026-03-08", "2026-03-02"], // the Sunday after
    ["2026-03-09", "2026-03-09"],
    ["2026-01-01", "2025-12-29"], // a week across the year's end
  ])("%s → %s", (date, monday) => expect(weekStartOf(date)).toBe(monday));
});

describe("trackingTrend", () => {
  it("gives nothing for a plan with no assignment events", () => {
    const trend = trackingTrend({ events: [ev("2026-03-02T02:00:00Z", 1, "plan.issued", null)].map((e) => ({ ...e, assignmentId: null })), now: new Date("2026-03-10T00:00:00Z") });
    expect(trend).toEqual({ weeks: [], departments: [] });
  });

  it("counts open and done at the end of each week, in Beijing time", () => {
    const events = [
      issued("2026-03-02T02:00:00Z", 1, "MOF", "2026-03-20"),
      issued("2026-03-02T02:00:00Z", 2, "NDRC", "2026-03-20"),
      issued("2026-03-02T02:00:00Z", 3, "NDRC", "ongoing"),
      ev("2026-03-03T02:00:00Z", 1, "assignment.accepted", "accepted"),
      // Sunday 8 March 23:30 in Beijing: still the first week.
      ev("2026-03-08T15:30:00Z", 1, "assignment.signed_off", "signed_off"),
      // Monday 9 March 00:30 in Beijing (still Sunday in UTC): the second week.
      ev("2026-03-08T16:30:00Z", 2, "assignment.signed_off", "signed_off"),
      ev("2026-03-17T02:00:00Z", 3, "assignment.withdrawn", "withdrawn"),
    ];
    const trend = trackingTrend({ events, now: new Date("2026-03-24T02:00:00Z") });
    expect(trend.weeks).toEqual([
      { weekStart: "2026-03-02", weekEnd: "2026-03-08", open: 2, done: 1 },
      { weekStart: "2026-03-09", weekEnd: "2026-03-15", open: 1, done: 2 },
      { weekStart: "2026-03-16", weekEnd: "2026-03-22", open: 0, done: 2 },
      { weekStart: "2026-03-23", weekEnd: "2026-03-29", open: 0, done: 2 },
    ]);
  });

  it("reads events in sequence order, whatever order they come in", () => {
    const events = [
      issued("2026-03-02T02:00:00Z", 1, "MOF", "2026-03-20"),
      ev("2026-03-03T02:00:00Z", 1, "assignment.signed_off", "signed_off"),
      ev("2026-03-04T02:00:00Z", 1, "assignment.returned", "in_progress"),
    ];
    const forward = trackingTrend({ events, now: new Date("2026-03-05T02:00:00Z") });
    const backward = trackingTrend({ events: [...events].reverse(), now: new Date("2026-03-05T02:00:00Z") });
    expect(backward).toEqual(forward);
    expect(forward.weeks).toEqual([{ weekStart: "2026-03-02", weekEnd: "2026-03-08", open: 1, done: 0 }]);
  });

  it("keeps only the latest weeks asked for, counting everything before them", () => {
    const events = [issued("2026-01-05T02:00:00Z", 1, "MOF", "ongoing"), ev("2026-02-10T02:00:00Z", 1, "assignment.signed_off", "signed_off")];
    const trend = trackingTrend({ events, now: new Date("2026-03-04T02:00:00Z"), maxWeeks: 2 });
    expect(trend.weeks).toEqual([
      { weekStart: "2026-02-23", weekEnd: "2026-03-01", open: 0, done: 1 },
      { weekStart: "2026-03-02", weekEnd: "2026-03-08", open: 0, done: 1 },
    ]);
    expect(trackingTrend({ events, now: new Date("2026-03-04T02:00:00Z") }).weeks).toHaveLength(9);
  });

  it("judges each sign-off against the due date then, in Beijing days, and counts overdue open work as late", () => {
    const events = [
      // MOF: on time (signed off on the due date, 23:00 Beijing), late (a day after), and on time after an extension.
      issued("2026-03-02T02:00:00Z", 1, "MOF", "2026-03-10"),
      issued("2026-03-02T02:00:00Z", 2, "MOF", "2026-03-10"),
      issued("2026-03-02T02:00:00Z", 3, "MOF", "2026-03-10"),
      ev("2026-03-10T15:00:00Z", 1, "assignment.signed_off", "signed_off"),
      ev("2026-03-10T16:30:00Z", 2, "assignment.signed_off", "signed_off"),
      ev("2026-03-05T02:00:00Z", 3, "assignment.extension_approved", null, { until: "2026-03-31" }),
      ev("2026-03-20T02:00:00Z", 3, "assignment.signed_off", "signed_off"),
      // NDRC: one overdue and open (late), one not yet due (not counted), one ongoing and open (not counted).
      issued("2026-03-02T02:00:00Z", 4, "NDRC", "2026-03-10"),
      issued("2026-03-02T02:00:00Z", 5, "NDRC", "2026-04-30"),
      issued("2026-03-02T02:00:00Z", 6, "NDRC", "ongoing"),
      // SAMR: signed off, then returned for rework after the due date: late, not on time.
      issued("2026-03-02T02:00:00Z", 7, "SAMR", "2026-03-10"),
      ev("2026-03-04T02:00:00Z", 7, "assignment.signed_off", "signed_off"),
      ev("2026-03-12T02:00:00Z", 7, "assignment.returned", "in_progress"),
    ];
    const trend = trackingTrend({ events, now: new Date("2026-03-24T02:00:00Z"), departmentOrder: ["NDRC", "MIIT", "MOF"] });
    expect(trend.departments).toEqual([
      { department: "NDRC", onTime: 0, late: 1, rate: 0 },
      { department: "MIIT", onTime: 0, late: 0, rate: null },
      { department: "MOF", onTime: 2, late: 1, rate: 2 / 3 },
      { department: "SAMR", onTime: 0, late: 1, rate: 0 },
    ]);
  });

  it("credits the department the work was reassigned to", () => {
    const events = [
      issued("2026-03-02T02:00:00Z", 1, "MOF", "2026-03-31"),
      ev("2026-03-03T02:00:00Z", 1, "assignment.reassigned", "assigned", { toDepartment: "STA" }),
      ev("2026-03-04T02:00:00Z", 1, "assignment.signed_off", "signed_off"),
    ];
    const trend = trackingTrend({ events, now: new Date("2026-03-24T02:00:00Z") });
    expect(trend.departments).toEqual([{ department: "STA", onTime: 1, late: 0, rate: 1 }]);
  });

  it("stays linear: a year of events on 30,000 assignments in seconds, not minutes", () => {
    const events: TrailEvent[] = [];
    for (let id = 1; id <= 30_000; id += 1) events.push(issued("2025-03-03T02:00:00Z", id, `D${id % 3000}`, "2025-12-31"));
    for (let id = 1; id <= 30_000; id += 1) {
      const day = 1 + (id % 360);
      events.push(ev(new Date(Date.parse("2025-03-03T02:00:00Z") + day * 86_400_000).toISOString(), id, "assignment.signed_off", "signed_off"));
    }
    const started = performance.now();
    const trend = trackingTrend({ events, now: new Date("2026-03-02T02:00:00Z"), maxWeeks: 60 });
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(trend.weeks.at(-1)).toMatchObject({ open: 0, done: 30_000 });
    expect(trend.departments).toHaveLength(3000);
  });
});
