import { describe, expect, it } from "vitest";
import { slopeMiBPerMinute } from "./soak.js";

describe("the soak's RSS slope", () => {
  it("is the growth rate in MiB per minute of a steady rise", () => {
    const samples = Array.from({ length: 61 }, (_, t) => ({ t, mib: 100 + t * 0.05 }));
    expect(slopeMiBPerMinute(samples)).toBeCloseTo(3, 6);
  });

  it("is about 0 for a heap that saws up and down around a level", () => {
    const samples = Array.from({ length: 300 }, (_, t) => ({ t, mib: 150 + ((t % 10) - 4.5) * 4 }));
    expect(Math.abs(slopeMiBPerMinute(samples))).toBeLessThan(0.5);
  });

  it("is NaN with fewer than two samples", () => {
    expect(slopeMiBPerMinute([{ t: 0, mib: 1 }])).toBeNaN();
  });
});
