import { describe, expect, it } from "vitest";
import { roundsTickIntervalMs } from "./rounds-scheduler.js";

describe("the rounds scheduler's interval (ROUNDS_TICK_SECONDS)", () => {
  it("is 300 s by default, the seconds given otherwise, and refuses what is not a positive number (a NaN interval would spin)", () => {
    expect(roundsTickIntervalMs({})).toBe(300_000);
    expect(roundsTickIntervalMs({ ROUNDS_TICK_SECONDS: "0.2" })).toBe(200);
    for (const wrong of ["abc", "0", "-5", "Infinity"]) {
      expect(() => roundsTickIntervalMs({ ROUNDS_TICK_SECONDS: wrong })).toThrow("ROUNDS_TICK_SECONDS must be a positive number");
    }
  });
});
