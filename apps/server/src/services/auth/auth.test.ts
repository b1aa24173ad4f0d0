import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createCaller } from "../../router.js";
import { createHarness, refusalOf } from "../../test-support/harness.js";
import type { Harness } from "../../test-support/harness.js";
import { allSessionsOf, auditEventsOf, lastAuditEventOf } from "../../test-support/store-reads.js";
import { defaultSessionPolicy } from "./session-policy.js";
import { resolveSession } from "./resolve-session.js";
import { sessionIdOf } from "./session-token.js";

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

/** A browser: keeps the cookie the server sets and sends it back. */
function browser(): { token: () => string | null; caller: () => Promise<ReturnType<typeof createCaller>> } {
  let token: string | null = null;
  const cookies = {
    set: (value: string) => {
      token = value;
    },
    clear: () => {
      token = null;
    },
  };
  return {
    token: () => token,
    caller: async () => {
      const t = token;
      const session = t === null ? null : await h.store.read((repos) => resolveSession(repos, t, defaultSessionPolicy, h.clock.now));
      return createCaller(h.context(session?.user ?? null, { cookies, sessionId: session?.sessionId ?? null }));
    },
  };
}

const lastEvent = () => lastAuditEventOf(h);

describe("sign-in and sessions", () => {
  it("logs in, stores only the token's hash, renews the session at login, and logs out", async () => {
    const b = browser();
    const me = await (await b.caller()).auth.login({ username: " MOF ", password: "countersign-demo" });
    expect(me).toMatchObject({ username: "mof", role: "liaison", department: "MOF", departmentName: { zh: "财政部" } });
    const first = b.token();
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/); // 256 bits
    if (first === null) throw new Error("no cookie");
    const stored = await allSessionsOf(h);
    expect(stored.map((s) => s.id)).toEqual([sessionIdOf(first)]);
    expect(await lastEvent()).toMatchObject({ type: "auth.login", actorUsername: "mof" });

    expect((await (await b.caller()).auth.me())?.username).toBe("mof");
    await (await b.caller()).auth.login({ username: "mof", password: "countersign-demo" });
    expect(b.token()).not.toBe(first);
    expect(await allSessionsOf(h)).toHaveLength(1);

    await (await b.caller()).auth.logout();
    expect(b.token()).toBeNull();
    expect(await allSessionsOf(h)).toHaveLength(0);
    expect(await lastEvent()).toMatchObject({ type: "auth.logout", actorUsername: "mof" });
  });

  it("answers a wrong password and an unknown account alike; records the existing account's failure, not the made-up name's", async () => {
    const wrong = await refusalOf(async () => (await browser().caller()).auth.login({ username: "mof", password: "guess-guess" }));
    const unknown = await refusalOf(async () => (await browser().caller()).auth.login({ username: "nobody", password: "guess-guess" }));
    expect(wrong).toMatchObject({ code: "UNAUTHORIZED", refusalCode: "invalid_credentials" });
    expect(unknown).toEqual(wrong);
    const failures = await auditEventsOf(h, "auth.login_failed");
    // Anyone can make up names: only failures on real accounts enter the trail (bounded by that account's delays).
    expect(failures.map((f) => f.actorUsername)).toEqual(["mof"]);
  });

  it("ends a session after the idle timeout, after the absolute timeout, and when the account is disabled", async () => {
    const b = browser();
    await (await b.caller()).auth.login({ username: "ndrc", password: "countersign-demo" });
    const start = h.clock.now.getTime();
    h.clock.now = new Date(start + defaultSessionPolicy.idleMs - 60_000);
    expect(await (await b.caller()).auth.me()).not.toBeNull(); // touches last_seen_at
    h.clock.now = new Date(start + 2 * defaultSessionPolicy.idleMs - 120_000);
    expect(await (await b.caller()).auth.me()).not.toBeNull();
    h.clock.now = new Date(start + 4 * defaultSessionPolicy.idleMs);
    expect(await (await b.caller()).auth.me()).toBeNull();

    await (await b.caller()).auth.login({ username: "ndrc", password: "countersign-demo" });
    const loginAt = h.clock.now.getTime();
    for (let t = loginAt; t < loginAt + defaultSessionPolicy.absoluteMs; t += defaultSessionPolicy.idleMs / 2) {
      h.clock.now = new Date(t);
      expect(await (await b.caller()).auth.me()).not.toBeNull();
    }
    h.clock.now = new Date(loginAt + defaultSessionPolicy.absoluteMs);
    expect(await (await b.caller()).auth.me()).toBeNull();

    await (await b.caller()).auth.login({ username: "ndrc", password: "countersign-demo" });
    // Only the account's flag, not admin.setDisabled (which also ends its sessions): the session lookup must refuse it.
    const ndrc = await h.userOf("ndrc");
    const disabledAt = h.clock.now.toISOString();
    await h.store.transaction((tx) => tx.repos.accounts.update(ndrc.id, { disabledAt }));
    expect(await (await b.caller()).auth.me()).toBeNull();
    expect(await refusalOf(async () => (await browser().caller()).auth.login({ username: "ndrc", password: "countersign-demo" }))).toMatchObject({
      refusalCode: "invalid_credentials",
    });
  });
});
