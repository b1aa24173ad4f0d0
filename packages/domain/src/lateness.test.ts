import { describe, expect, it } from "vitest";
import { daysLate, latenessOf, latenessThresholds } from "./lateness.js";
import { endOfPlanDay, isIsoDate, planCalendarDate } from "./dates.js";

// 2026-11-27 10:00 in Beijing.
const now = new Date("2026-11-27T02:00:00Z");

describe("lateness", () => {
  it.each([
    ["2027-03-01", "none"],
    ["2026-12-04", "none"], // 7 days left: not yet "due soon"
    ["2026-12-03", "due_soon"], // 6 days left
    ["2026-11-27", "due_soon"], // due today
    ["2026-11-26", "overdue"], // 1 day late
    ["2026-10-28", "overdue"], // 30 days late
    ["2026-10-27", "long_overdue"], // 31 days late
    ["ongoing", "none"],
  ] as const)("due %s → %s", (due, expected) => {
    expect(latenessOf(due, "in_progress", now)).toBe(expected);
  });

  it("thresholds are the documented ones", () => {
    expect(latenessThresholds).toEqual({ dueSoonDays: 7, longOverdueDays: 30 });
  });

  it("never marks signed-off or withdrawn work late; declined work still owes", () => {
    expect(latenessOf("2020-01-01", "signed_off", now)).toBe("none");
    expect(latenessOf("2020-01-01", "withdrawn", now)).toBe("none");
    expect(latenessOf("2020-01-01", "declined", now)).toBe("long_overdue");
    expect(latenessOf("2020-01-01", "assigned", now)).toBe("long_overdue");
  });

  it("counts days in Beijing time, not the server's", () => {
    // 16:30 UTC on the 26th is already 00:30 on the 27th in Beijing: a deadline of the 26th has just passed.
    expect(daysLate("2026-11-26", new Date("2026-11-26T16:30:00Z"))).toBe(1);
    expect(daysLate("2026-11-26", new Date("2026-11-26T15:30:00Z"))).toBe(0);
    expect(planCalendarDate(new Date("2026-11-26T16:30:00Z"))).toBe("2026-11-27");
    expect(endOfPlanDay("2026-11-26").toISOString()).toBe("2026-11-26T16:00:00.000Z");
  });

  it("days late is 0 when not late or ongoing", () => {
    expect(daysLate("2027-01-01", now)).toBe(0);
    expect(daysLate("ongoing", now)).toBe(0);
    expect(daysLate("2026-11-20", now)).toBe(7);
  });

  it.each([
    ["2024-02-29", true],
    ["2023-02-29", false],
    ["2026-13-01", false],
    ["2026-1-01", false],
    ["ongoing", false],
    ["", false],
  ])("isIsoDate(%s) = %s", (value, expected) => {
    expect(isIsoDate(value)).toBe(expected);
  });
});
