import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeError } from "../errors.js";
import { createCaller } from "../router.js";
import { createHarness } from "../test-support/harness.js";
import type { Harness } from "../test-support/harness.js";
import { demoPassword } from "../demo/demo-accounts.js";
import { delayAfter, LoginLimiter, retryAfterText } from "./login-limiter.js";
import type { LoginLimits } from "./login-limiter.js";

const limits: LoginLimits = {
  freeFailuresPerAccount: 3,
  freeFailuresPerAddress: 6,
  freeFailuresPerDevice: 3,
  baseDelayMs: 1000,
  maxDelayMs: 8000,
  forgetAfterMs: 60_000,
};

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

/** A browser with its own cookie jar (session and known-device cookies), from `ip`, with its own clock step. */
function browser(ip: string) {
  const jar: { device: string | null } = { device: null };
  const limiter = new LoginLimiter(limits);
  return (shared: LoginLimiter = limiter) => ({
    jar,
    login: async (username: string, password: string) => {
      const caller = createCaller(
        h.context(null, {
          loginLimiter: shared,
          request: { ip, userAgent: "vitest" },
          cookies: {
            set: () => undefined,
            clear: () => undefined,
            device: jar.device,
            setDevice: (token) => {
              jar.device = token;
            },
          },
        }),
      );
      try {
        return { ok: true as const, me: await caller.auth.login({ username, password }) };
      } catch (error) {
        if (!(error instanceof TRPCError)) throw error;
        const detail = describeError(error);
        return { ok: false as const, code: detail.refusalCode, retry: detail.retryAfterSeconds };
      }
    },
  });
}

const advance = (ms: number): void => {
  h.clock.now = new Date(h.clock.now.getTime() + ms);
};

describe("sign-in delays", () => {
  it("doubles the delay after the free failures, up to the longest delay", () => {
    expect([0, 2, 3, 4, 5, 6, 50].map((n) => delayAfter(n, 3, limits))).toEqual([0, 0, 1000, 2000, 4000, 8000, 8000]);
    expect(retryAfterText(40_000)).toBe("40 seconds");
    expect(retryAfterText(15 * 60_000)).toBe("15 minutes");
  });

  it("delays a guessed account name (existing or not) instead of locking it; the owner gets in after the delay, and is told", async () => {
    const limiter = new LoginLimiter(limits);
    const attacker = browser("10.0.0.66")(limiter);
    for (const name of ["mof", "ghost-account"]) {
      const answers: string[] = [];
      for (let i = 0; i < 4; i++) {
        const a = await attacker.login(name, "wrong");
        answers.push(a.ok ? "ok" : a.code);
      }
      // 3 free failures, then the 4th waits 1 s after the 3rd.
      expect(answers, name).toEqual(["invalid_credentials", "invalid_credentials", "invalid_credentials", "too_many_attempts"]);
    }
    // The owner, on a new device and address, waits the same bounded delay (not 15 minutes), then signs in.
    const owner = browser("10.0.0.1")(limiter);
    const early = await owner.login("mof", demoPassword);
    expect(early.ok ? 0 : early.retry).toBe(1);
    advance(1000);
    const later = await owner.login("mof", demoPassword);
    expect(later.ok && later.me.failedSignInsSinceLast).toBe(3);
    // Told once: the next sign-in has nothing new to tell.
    const again = await owner.login("mof", demoPassword);
    expect(again.ok && again.me.failedSignInsSinceLast).toBe(0);
  });

  it("gives a known device its own budget: the owner signs in at once while the name is delayed", async () => {
    const limiter = new LoginLimiter(limits);
    const owner = browser("10.0.1.1")(limiter);
    expect((await owner.login("ndrc", demoPassword)).ok).toBe(true);
    expect(owner.jar.device).not.toBeNull();
    const attacker = browser("10.0.1.66")(limiter);
    for (let i = 0; i < 8; i++) {
      await attacker.login("ndrc", "wrong");
      advance(100);
    }
    const refused = await attacker.login("ndrc", demoPassword);
    expect(refused.ok ? "ok" : refused.code).toBe("too_many_attempts");
    // Same address as the attacker too (one NAT): the known device is not delayed.
    const sameNat = browser("10.0.1.66")(limiter);
    sameNat.jar.device = owner.jar.device;
    const known = await sameNat.login("ndrc", demoPassword);
    // Three wrong passwords were checked; the delayed attempts never reached the password.
    expect(known.ok && known.me.failedSignInsSinceLast).toBe(3);
    // A known device's cookie does not help on another account: that is guessed like from any device.
    const other = await sameNat.login("most", "wrong");
    expect(other.ok ? "ok" : other.code).toBe("invalid_credentials");
    // Nor is a known device unlimited: its own failures are delayed too.
    const answers: string[] = [];
    for (let i = 0; i < 4; i++) {
      const a = await sameNat.login("ndrc", "wrong");
      answers.push(a.ok ? "ok" : a.code);
    }
    expect(answers).toEqual(["invalid_credentials", "invalid_credentials", "invalid_credentials", "too_many_attempts"]);
  });

  it("delays an address across account names; another address is not affected; parallel guesses are counted before any answer", async () => {
    advance(120_000); // past the forget period of the earlier tests
    const limiter = new LoginLimiter(limits);
    const guesser = browser("10.0.2.66")(limiter);
    const answers = await Promise.all([0, 1, 2, 3, 4, 5, 6, 7].map((i) => guesser.login(`guess-${i}`, "wrong")));
    expect(answers.filter((a) => !a.ok && a.code === "too_many_attempts").length).toBe(2);
    expect((await guesser.login("mee", demoPassword)).ok).toBe(false);
    expect((await browser("10.0.2.67")(limiter).login("mee", demoPassword)).ok).toBe(true);
  });
});
