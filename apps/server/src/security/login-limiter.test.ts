import { describe, expect, it } from "vitest";
import { LoginLimiter, retryAfterText } from "./login-limiter.js";

const at = (ms: number): Date => new Date(Date.UTC(2026, 2, 2) + ms);

describe("login limiter", () => {
  it("locks an account name after its failures, alike whether the account exists, until the window passes", () => {
    const limiter = new LoginLimiter({ maxFailuresPerAccount: 3, maxFailuresPerAddress: 100, windowMs: 60_000 });
    for (let i = 0; i < 3; i++) expect(limiter.begin(" MOF ", `10.0.0.${i}`, at(i)).allowed).toBe(true);
    const locked = limiter.begin("mof", "10.0.0.9", at(10));
    expect(locked).toEqual({ allowed: false, retryAfterMs: 60_000 - 10 });
    expect(limiter.begin("nobody", "10.0.0.9", at(10)).allowed).toBe(true);
    expect(limiter.begin("mof", "10.0.0.9", at(60_001)).allowed).toBe(true);
  });

  it("locks an address across account names; a success clears the account but not the address's earlier failures", () => {
    const limiter = new LoginLimiter({ maxFailuresPerAccount: 2, maxFailuresPerAddress: 3, windowMs: 60_000 });
    const first = limiter.begin("mof", "10.0.0.1", at(0));
    if (!first.allowed) throw new Error("locked");
    first.succeeded();
    expect(limiter.begin("a", "10.0.0.1", at(1)).allowed).toBe(true);
    expect(limiter.begin("b", "10.0.0.1", at(2)).allowed).toBe(true);
    expect(limiter.begin("c", "10.0.0.1", at(3)).allowed).toBe(true);
    expect(limiter.begin("mof", "10.0.0.1", at(4)).allowed).toBe(false);
    expect(limiter.begin("mof", "10.0.0.2", at(4)).allowed).toBe(true);
  });

  it("counts parallel attempts before any answer", () => {
    const limiter = new LoginLimiter({ maxFailuresPerAccount: 2, maxFailuresPerAddress: 100, windowMs: 60_000 });
    const answers = [0, 1, 2, 3].map(() => limiter.begin("mof", "10.0.0.1", at(0)).allowed);
    expect(answers).toEqual([true, true, false, false]);
    expect(retryAfterText(40_000)).toBe("40 seconds");
    expect(retryAfterText(15 * 60_000)).toBe("15 minutes");
  });
});
