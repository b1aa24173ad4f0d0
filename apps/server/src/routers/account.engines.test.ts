import { afterEach, describe, expect, it } from "vitest";
import { createHarness, harnessEngines, refusalOf } from "../test-support/harness.js";
import type { Harness } from "../test-support/harness.js";

// One's own account and an administrator's view of an account's sessions on the store seam, on either engine: a
// reset code redeemed once (the account's sessions end), the own profile, and an administrator listing and ending a
// session (user.session_ended in the trail).
describe.each(harnessEngines)("own account and sessions on %s", (engine) => {
  let h: Harness | null = null;
  afterEach(async () => {
    await h?.close();
    h = null;
  });

  it("redeems a reset code once, then the owner signs in; the administrator lists and ends that session", async () => {
    h = await createHarness({ engine });
    const harness = h;
    const mof = harness.user("mof");
    const admin = harness.as("admin").admin;
    const { code } = await admin.resetPassword({ id: mof.id });
    const newPassword = "a long and new passphrase 2026";
    expect(await harness.anonymous().account.redeemReset({ code, newPassword })).toEqual({ username: "mof" });
    expect(await refusalOf(() => harness.anonymous().account.redeemReset({ code, newPassword }))).toMatchObject({ refusalCode: "reset_code_invalid" });
    expect(await refusalOf(() => harness.anonymous().account.redeemReset({ code: "no-such-code", newPassword }))).toMatchObject({ refusalCode: "reset_code_invalid" });

    let token: string | null = null;
    const cookies = {
      set: (value: string) => {
        token = value;
      },
      clear: () => undefined,
    };
    await harness.anonymous(cookies).auth.login({ username: "mof", password: newPassword });
    expect(token).not.toBeNull();
    expect(await harness.as("mof").account.profile()).toMatchObject({ username: "mof", department: "MOF" });

    const sessions = await admin.sessions({ id: mof.id });
    expect(sessions).toHaveLength(1);
    const [session] = sessions;
    if (session === undefined) throw new Error("no session");
    expect(await admin.endSession({ id: mof.id, session: session.ref })).toEqual({ ok: true });
    expect(await admin.sessions({ id: mof.id })).toEqual([]);
    expect(await refusalOf(() => admin.endSession({ id: mof.id, session: session.ref }))).toMatchObject({ refusalCode: "not_found" });
    expect(await refusalOf(() => admin.sessions({ id: 999_999 }))).toMatchObject({ refusalCode: "not_found" });
    const ended = await harness.store.read(async (repos) => (await repos.auditTrail.page({ organisation: { id: "CN", national: true }, limit: 5 })).map((e) => e.type));
    expect(ended).toContain("user.session_ended");
    expect((await harness.store.verifyAuditChain()).ok).toBe(true);
  });
});
