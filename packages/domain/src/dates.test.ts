import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatPlanDate, formatPlanDateTime, planCalendarDate } from "./dates.js";

describe("formatPlanDateTime", () => {
  it("shows the instant in Beijing time with the zone named, in both languages", () => {
    expect(formatPlanDateTime("2026-11-30T06:05:00.000Z", "zh")).toBe("2026-11-30 14:05（北京时间）");
    expect(formatPlanDateTime("2026-11-30T06:05:00.000Z", "en")).toBe("2026-11-30 14:05 (Beijing time)");
    // 23:30 UTC is already the next day in Beijing: a deadline day is read there.
    expect(formatPlanDateTime("2026-11-30T23:30:00Z", "en")).toBe("2026-12-01 07:30 (Beijing time)");
    expect(formatPlanDateTime("2026-12-01T07:30:00+08:00", "zh")).toBe("2026-12-01 07:30（北京时间）");
    expect(formatPlanDateTime("not a time", "en")).toBe("not a time");
  });

  it("agrees with the plan's calendar day, whatever the instant", () => {
    fc.assert(
      fc.property(fc.date({ min: new Date("2000-01-01"), max: new Date("2100-01-01"), noInvalidDate: true }), (d) =>
        formatPlanDateTime(d.toISOString(), "en").startsWith(planCalendarDate(d)),
      ),
    );
  });

  it("names the zone of a calendar day too", () => {
    expect(formatPlanDate("2026-11-30", "zh")).toBe("2026-11-30（北京时间）");
    expect(formatPlanDate("2026-11-30", "en")).toBe("2026-11-30 (Beijing time)");
  });
});
