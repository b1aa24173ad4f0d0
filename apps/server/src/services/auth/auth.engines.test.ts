import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AnyStore } from "@countersign/db";
import { createCaller } from "../../router.js";
import { demoPassword } from "../../demo/demo-accounts.js";
import { LoginLimiter } from "../../security/login-limiter.js";
import type { LoginLimits } from "../../security/login-limiter.js";
import { createHarness, harnessEngines, refusalOf } from "../../test-support/harness.js";
import type { Harness } from "../../test-support/harness.js";
import { defaultSessionPolicy } from "./session-policy.js";
import { resolveSession } from "./resolve-session.js";
import { sessionIdOf } from "./session-token.js";

const limits: LoginLimits = {
  freeFailuresPerAccount: 3,
  freeFailuresPerAddress: 50,
  freeFailuresPerDevice: 3,
  baseDelayMs: 1000,
  maxDelayMs: 8000,
  forgetAfterMs: 60_000,
};

// Sign-in, sessions and the sign-in limiter through the store seam (issue 13), on each engine; on PostgreSQL also
// through two stores on ONE database, as two server instances behind a load balancer have them.
describe.each(harnessEngines)("sign-in and sessions on %s", (engine) => {
  let h: Harness;
  let closeOther: (() => Promise<void>) | null = null;
  beforeEach(async () => {
    h = await createHarness({ engine });
  });
  afterEach(async () => {
    await closeOther?.();
    closeOther = null;
    await h.close();
  });

  async function otherInstance(): Promise<AnyStore> {
    const other = await h.anotherStore();
    closeOther = other.close;
    return other.store;
  }

  /** A browser from `ip` keeping its cookies; each call goes through the store (the instance) given. */
  function browser(ip = "198.51.100.7", limiter: LoginLimiter | undefined = undefined) {
    const jar: { session: string | null; device: string | null } = { session: null, device: null };
    const caller = async (store: AnyStore = h.store) => {
      const token = jar.session;
      const session = token === null ? null : await store.read((repos) => resolveSession(repos, token, defaultSessionPolicy, h.clock.now));
      return createCaller(
        h.context(session?.user ?? null, {
          store,
          sessionId: session?.sessionId ?? null,
          ...(limiter === undefined ? {} : { loginLimiter: limiter }),
          request: { ip, userAgent: "vitest" },
          cookies: {
            set: (value) => {
              jar.session = value;
            },
            clear: () => {
              jar.session = null;
            },
            device: jar.device,
            setDevice: (value) => {
              jar.device = value;
            },
          },
        }),
      );
    };
    return { jar, caller };
  }

  const sessionsOf = (username: string, store: AnyStore = h.store) =>
    store.read(async (repos) => {
      const account = await repos.sessions.accountNamed(username);
      return account === undefined ? [] : repos.sessions.listOf(account.id);
    });

  it("signs in, stores only the token's hash, answers me, and signs out every session of the account", async () => {
    const a = browser();
    const me = await (await a.caller()).auth.login({ username: " MOF ", password: demoPassword });
    expect(me).toMatchObject({ username: "mof", role: "liaison", department: "MOF", departmentName: { zh: "财政部" }, failedSignInsSinceLast: 0 });
    const token = a.jar.session;
    if (token === null) throw new Error("no session cookie");
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await sessionsOf("mof")).map((s) => s.id)).toEqual([sessionIdOf(token)]);
    expect((await (await a.caller()).auth.me())?.username).toBe("mof");

    // Signing in again renews the session: the old id is gone.
    await (await a.caller()).auth.login({ username: "mof", password: demoPassword });
    expect(a.jar.session).not.toBe(token);
    expect(await sessionsOf("mof")).toHaveLength(1);

    const b = browser("198.51.100.8");
    await (await b.caller()).auth.login({ username: "mof", password: demoPassword });
    expect(await sessionsOf("mof")).toHaveLength(2);
    await (await a.caller()).auth.logout();
    expect(a.jar.session).toBeNull();
    expect(await sessionsOf("mof")).toHaveLength(0);
    expect(await (await b.caller()).auth.me()).toBeNull();
  });

  it("answers a wrong password and an unknown account alike, and tells the owner of the failures at the next sign-in", async () => {
    const wrong = await refusalOf(async () => (await browser().caller()).auth.login({ username: "ndrc", password: "guess-guess" }));
    const unknown = await refusalOf(async () => (await browser().caller()).auth.login({ username: "nobody", password: "guess-guess" }));
    expect(wrong).toMatchObject({ code: "UNAUTHORIZED", refusalCode: "invalid_credentials" });
    expect(unknown).toEqual(wrong);
    expect(await sessionsOf("ndrc")).toHaveLength(0);
    await refusalOf(async () => (await browser().caller()).auth.login({ username: "ndrc", password: "guess-again" }));
    const owner = browser();
    expect((await (await owner.caller()).auth.login({ username: "ndrc", password: demoPassword })).failedSignInsSinceLast).toBe(2);
    // Told once: the count starts again.
    expect((await (await owner.caller()).auth.login({ username: "ndrc", password: demoPassword })).failedSignInsSinceLast).toBe(0);
  });

  it("resolves a session until its idle timeout, and until its absolute timeout when in use; an ended one is deleted", async () => {
    const b = browser();
    await (await b.caller()).auth.login({ username: "most", password: demoPassword });
    const start = h.clock.now.getTime();
    h.clock.now = new Date(start + defaultSessionPolicy.idleMs - 60_000);
    expect(await (await b.caller()).auth.me()).not.toBeNull(); // touches last_seen_at
    h.clock.now = new Date(start + 2 * defaultSessionPolicy.idleMs - 120_000);
    expect(await (await b.caller()).auth.me()).not.toBeNull();
    h.clock.now = new Date(start + 4 * defaultSessionPolicy.idleMs);
    expect(await (await b.caller()).auth.me()).toBeNull();
    expect(await sessionsOf("most")).toHaveLength(0);

    await (await b.caller()).auth.login({ username: "most", password: demoPassword });
    const loginAt = h.clock.now.getTime();
    for (let t = loginAt; t < loginAt + defaultSessionPolicy.absoluteMs; t += defaultSessionPolicy.idleMs / 2) {
      h.clock.now = new Date(t);
      expect(await (await b.caller()).auth.me()).not.toBeNull();
    }
    h.clock.now = new Date(loginAt + defaultSessionPolicy.absoluteMs);
    expect(await (await b.caller()).auth.me()).toBeNull();
  });

  it("changes one's own password, ending the account's other sessions; lists and ends one's own sessions", async () => {
    const here = browser();
    const there = browser("198.51.100.9");
    await (await there.caller()).auth.login({ username: "mof", password: demoPassword });
    h.clock.now = new Date(h.clock.now.getTime() + 1000);
    await (await here.caller()).auth.login({ username: "mof", password: demoPassword });
    const listed = await (await here.caller()).account.sessions();
    expect(listed.map((s) => s.current)).toEqual([false, true]);
    const wrong = await refusalOf(async () =>
      (await here.caller()).account.changePassword({ currentPassword: "not-it", newPassword: "plum rain over the river" }),
    );
    expect(wrong.refusalCode).toBe("wrong_password");
    const changed = await (await here.caller()).account.changePassword({ currentPassword: demoPassword, newPassword: "plum rain over the river" });
    expect(changed).toEqual({ sessionsEnded: 1 });
    expect(await (await there.caller()).auth.me()).toBeNull();
    expect((await (await here.caller()).auth.me())?.username).toBe("mof");
    expect(await refusalOf(async () => (await browser().caller()).auth.login({ username: "mof", password: demoPassword }))).toMatchObject({
      refusalCode: "invalid_credentials",
    });
    const again = browser("198.51.100.10");
    await (await again.caller()).auth.login({ username: "mof", password: "plum rain over the river" });
    const [other] = (await (await here.caller()).account.sessions()).filter((s) => !s.current);
    if (other === undefined) throw new Error("the other session is not listed");
    await (await here.caller()).account.endSession({ session: other.ref });
    expect(await (await again.caller()).auth.me()).toBeNull();
    expect(await refusalOf(async () => (await here.caller()).account.endSession({ session: other.ref }))).toMatchObject({ refusalCode: "not_found" });
  });

  it("delays a guessed name after its free failures, and lets the owner in once the delay has passed", async () => {
    const limiter = new LoginLimiter(limits);
    const attacker = browser("203.0.113.5", limiter);
    for (let i = 0; i < limits.freeFailuresPerAccount; i++) {
      expect((await refusalOf(async () => (await attacker.caller()).auth.login({ username: "mof", password: "wrong" }))).refusalCode).toBe(
        "invalid_credentials",
      );
    }
    const delayed = await refusalOf(async () => (await attacker.caller()).auth.login({ username: "mof", password: demoPassword }));
    expect(delayed).toMatchObject({ refusalCode: "too_many_attempts" });
    h.clock.now = new Date(h.clock.now.getTime() + limits.baseDelayMs);
    const owner = browser("198.51.100.20", limiter);
    expect((await (await owner.caller()).auth.login({ username: "mof", password: demoPassword })).username).toBe("mof");
  });

  it("shares sessions and sign-in delays between two instances on one database", async () => {
    const other = await otherInstance();
    const limiter = new LoginLimiter(limits);
    const attacker = browser("203.0.113.6", limiter);
    // Failures alternate between the instances; the delay they earn holds on both.
    for (let i = 0; i < limits.freeFailuresPerAccount; i++) {
      const store = i % 2 === 0 ? h.store : other;
      expect((await refusalOf(async () => (await attacker.caller(store)).auth.login({ username: "ndrc", password: "wrong" }))).refusalCode).toBe(
        "invalid_credentials",
      );
    }
    for (const store of [h.store, other]) {
      expect(await refusalOf(async () => (await attacker.caller(store)).auth.login({ username: "ndrc", password: demoPassword }))).toMatchObject({
        refusalCode: "too_many_attempts",
      });
    }

    // A session opened through one instance is resolved, and ended, through the other.
    const b = browser("198.51.100.30", limiter);
    await (await b.caller(other)).auth.login({ username: "mof", password: demoPassword });
    expect((await (await b.caller(h.store)).auth.me())?.username).toBe("mof");
    await (await b.caller(h.store)).auth.logout();
    const token = b.jar.session;
    expect(token).toBeNull();
    expect(await sessionsOf("mof", other)).toHaveLength(0);

    // Sign-ins at once through both instances: each opens its session, and the audit chain they extend verifies.
    const names = ["mof", "ndrc", "most", "miit", "mee", "mofcom"];
    const browsers = names.map((_, i) => browser(`198.51.100.${40 + i}`));
    const answers = await Promise.all(
      names.map(async (username, i) => (await browsers[i]?.caller(i % 2 === 0 ? h.store : other))?.auth.login({ username, password: demoPassword })),
    );
    expect(answers.map((a) => a?.username)).toEqual(names);
    for (const [i, username] of names.entries()) {
      expect((await (await browsers[i]?.caller(i % 2 === 0 ? other : h.store))?.auth.me())?.username).toBe(username);
    }
    expect((await h.store.verifyAuditChain()).ok).toBe(true);
  });

  it("admits exactly the free failures of a name when attempts arrive at once through both instances", async () => {
    const other = await otherInstance();
    const limiter = new LoginLimiter(limits);
    const now = h.clock.now;
    const attempts = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        (i % 2 === 0 ? h.store : other).transaction((tx) => limiter.begin(tx.repos, "mof", `203.0.113.${100 + i}`, null, now)),
      ),
    );
    expect(attempts.filter((a) => a.allowed)).toHaveLength(limits.freeFailuresPerAccount);
    const counts = await other.read((repos) => repos.loginThrottle.counts(["account:mof"]));
    expect(counts.map((c) => c.failures)).toEqual([limits.freeFailuresPerAccount]);
  });
});
