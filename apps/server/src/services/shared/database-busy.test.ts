import { describe, expect, it } from "vitest";
import { ServiceError } from "../../errors.js";
import { defaultBusyPolicy, nextBusyDelay, retryWhileBusy } from "./database-busy.js";

describe("waiting for a busy database", () => {
  it("doubles the delay up to its cap and never waits past the bound", () => {
    const p = { ...defaultBusyPolicy, maxWaitMs: 1000, firstDelayMs: 10, maxDelayMs: 250 };
    expect([0, 1, 2, 3, 4, 5, 6].map((n) => nextBusyDelay(p, n, 0))).toEqual([10, 20, 40, 80, 160, 250, 250]);
    expect(nextBusyDelay(p, 6, 900)).toBe(100);
    expect(nextBusyDelay(p, 0, 1000)).toBeNull();
    expect(nextBusyDelay(p, 40, 0)).toBe(250);
  });

  it("retries a busy attempt, then refuses with database_busy and Retry-After once the bound is passed", async () => {
    const p = { ...defaultBusyPolicy, maxWaitMs: 60, firstDelayMs: 5, maxDelayMs: 20, retryAfterSeconds: 3 };
    let attempts = 0;
    const succeeded = await retryWhileBusy(
      p,
      async () => (++attempts < 3 ? { busy: true as const, error: null } : { busy: false as const, value: "done" }),
      () => undefined,
    );
    expect(succeeded).toBe("done");
    expect(attempts).toBe(3);

    let refusedAfter: number | null = null;
    const started = performance.now();
    const refusal = await retryWhileBusy(p, async () => ({ busy: true as const, error: null }), (waited) => {
      refusedAfter = waited;
    }).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(ServiceError);
    expect(refusal).toMatchObject({ code: "database_busy", retryAfterSeconds: 3 });
    expect(refusedAfter).not.toBeNull();
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
