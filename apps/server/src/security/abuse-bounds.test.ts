import { describe, expect, it } from "vitest";
import { boundedValue, storedValueMaxChars } from "./bounded-text.js";
import { fastifyTrustProxyOf, parseProxyTrust } from "./proxy-trust.js";
import { AnonymousRefusalLog } from "./refusal-log.js";
import { callsInPath, PerAccountSlots } from "./work-bounds.js";

describe("proxy trust", () => {
  it("reads a hop count or proxy addresses, and refuses 'trust all' and nonsense", () => {
    expect(parseProxyTrust(undefined)).toBe(false);
    expect(parseProxyTrust("0")).toBe(false);
    expect(parseProxyTrust("1")).toBe(1);
    expect(parseProxyTrust(" 10.0.0.5, 10.1.0.0/16 ,::1")).toEqual(["10.0.0.5", "10.1.0.0/16", "::1"]);
    for (const bad of ["true", "all", "*", "11", "10.0.0.0/4", "example.com", "10.0.0.1/33"]) {
      expect(() => parseProxyTrust(bad), bad).toThrow(/TRUST_PROXY/);
    }
    const trust = fastifyTrustProxyOf(1);
    if (typeof trust !== "function") throw new Error("a hop count becomes a rule");
    expect([trust("127.0.0.1", 0), trust("203.0.113.9", 1)]).toEqual([true, false]);
  });
});

describe("stored values", () => {
  it("are cut to 256 characters with the original length noted, never splitting a surrogate pair", () => {
    expect(boundedValue("https://a.example")).toBe("https://a.example");
    expect(boundedValue(null)).toBeNull();
    const long = boundedValue("x".repeat(12_000)) ?? "";
    expect(long.startsWith("x".repeat(storedValueMaxChars))).toBe(true);
    expect(long.endsWith("…[12000 chars]")).toBe(true);
    const astral = boundedValue(`${"a".repeat(255)}😀😀`) ?? "";
    expect(astral).toBe(`${"a".repeat(255)}…[259 chars]`);
  });
});

describe("anonymous refusal log", () => {
  it("counts every refusal and writes a bounded number of bounded lines per window", () => {
    const lines: string[] = [];
    const log = new AnonymousRefusalLog({ samplesPerWindow: 3, windowMs: 60_000, write: (l) => lines.push(l) });
    const t0 = Date.UTC(2026, 10, 30);
    for (let i = 0; i < 500; i++) {
      log.record({ code: "cross_origin", route: "POST /trpc/auth.logout", ip: "192.0.2.1", value: "o".repeat(12_000) }, new Date(t0 + i));
    }
    expect(log.total()).toBe(500);
    expect(lines.length).toBe(3);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThan(600);
    log.record({ code: "unsupported_content_type", route: "POST /trpc/x", ip: null, value: "text/plain" }, new Date(t0 + 61_000));
    // The closed window's summary, then the new window's first sample.
    expect(lines.length).toBe(5);
    expect(JSON.parse(lines[3] ?? "{}")).toMatchObject({ inWindow: 500, notSampled: 497, sinceStart: { cross_origin: 500 } });
    expect(log.totals.get("unsupported_content_type")).toBe(1);
  });
});

describe("work bounds", () => {
  it("counts a batch's calls without splitting, and hands out per-account slots up to the limit", () => {
    expect(callsInPath("/trpc/auth.me")).toBe(1);
    expect(callsInPath(`/trpc/${",".repeat(1999)}`)).toBe(2000);
    const slots = new PerAccountSlots(2);
    const a = slots.take(1);
    const b = slots.take(1);
    expect(slots.take(1)).toBeNull();
    expect(slots.take(2)).not.toBeNull();
    a?.();
    a?.(); // freeing twice frees once
    expect(slots.held(1)).toBe(1);
    expect(slots.take(1)).not.toBeNull();
    b?.();
  });
});
