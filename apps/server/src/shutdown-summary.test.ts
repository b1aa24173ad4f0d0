import { describe, expect, it } from "vitest";
import { shutdownSummary } from "./start.js";

describe("the line a shutdown ends with", () => {
  it("counts in words that agree with the number (seen: '1 requests cut off, 1 live streams ended')", () => {
    expect(shutdownSummary("SIGTERM", { drained: false, cutOff: 1, liveStreams: 1, elapsedMs: 10086 })).toBe(
      "SIGTERM: closed after 10086 ms (1 request cut off, 1 live stream ended)",
    );
    expect(shutdownSummary("SIGINT", { drained: false, cutOff: 3, liveStreams: 0, elapsedMs: 10002 })).toBe(
      "SIGINT: closed after 10002 ms (3 requests cut off, 0 live streams ended)",
    );
    expect(shutdownSummary("SIGTERM", { drained: true, cutOff: 0, liveStreams: 2, elapsedMs: 5 })).toBe(
      "SIGTERM: closed after 5 ms (every request finished, 2 live streams ended)",
    );
  });
});
