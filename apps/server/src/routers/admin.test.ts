import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createCaller } from "../router.js";
import { createHarness, refusalOf } from "../test-support/harness.js";
import type { Harness } from "../test-support/harness.js";
import { auditEventsOf } from "../test-support/store-reads.js";
import { verifyPassword } from "../services/auth/password.js";
import { sessionRefOf } from "../services/users/account-sessions.js";

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

/** The events of a type, newest first. */
const events = async (type: string) => (await auditEventsOf(h, type)).reverse();
const newLiaison = { username: "li.na", role: "liaison" as const, department: "MOF", displayNameZh: "李娜", displayNameEn: "Li Na" };

/** A session row as a sign-in would leave it. */
async function openSession(userId: number, id: string): Promise<void> {
  const at = h.clock.now.toISOString();
  const expiresAt = new Date(h.clock.now.getTime() + 3_600_000).toISOString();
  await h.store.transaction((tx) => tx.repos.sessions.open({ id, userId, createdAt: at, lastSeenAt: at, expiresAt, ip: "127.0.0.1", userAgent: "vitest" }));
}

/** The stored ids of an account's sessions. */
const sessionIdsOf = async (userId: number) => (await h.store.read((repos) => repos.sessions.listOf(userId))).map((s) => ({ id: s.id }));

/** An account's stored password hash ("" when there is no such account). */
const passwordHashOf = async (userId: number) => (await h.store.read((repos) => repos.sessions.accountById(userId)))?.passwordHash ?? "";

describe("administration", () => {
  it("creates an account with a one-time code, the owner sets a password with it once, and every act is in the trail", async () => {
    const created = await h.as("admin").admin.create(newLiaison);
    expect(created.account).toMatchObject({ username: "li.na", role: "liaison", department: "MOF", disabled: false, resetPending: true });
    expect(created.account.person).toEqual({ username: "li.na", displayNameZh: "李娜", displayNameEn: "Li Na", department: { code: "MOF", shortZh: "财政部", shortEn: "MOF" } });
    expect(created.reset.link).toBe(`/reset-password#code=${created.reset.code}`);
    expect(Date.parse(created.reset.expiresAt) - h.clock.now.getTime()).toBe(24 * 3_600_000);
    // Only the code's hash is stored.
    const stored = await h.rows<{ id: string }>("select id from password_resets");
    expect(stored).toHaveLength(1);
    expect(stored[0]?.id).not.toContain(created.reset.code);
    expect((await events("user.created"))[0]).toMatchObject({ actorUsername: "admin", department: "MOF" });
    expect((await events("user.password_reset_issued"))[0]).toMatchObject({ actorUsername: "admin" });

    // Before redeeming, the account has no password anyone knows.
    const weak = await refusalOf(() => h.anonymous().account.redeemReset({ code: created.reset.code, newPassword: "password12345678" }));
    expect(weak).toMatchObject({ code: "BAD_REQUEST", refusalCode: "weak_password", field: "newPassword" });
    expect(weak.message).toContain("common or breached");
    const short = await refusalOf(() => h.anonymous().account.redeemReset({ code: created.reset.code, newPassword: "short pass" }));
    expect(short).toMatchObject({ refusalCode: "weak_password", message: expect.stringContaining("at least 15 characters") });

    expect(await h.anonymous().account.redeemReset({ code: created.reset.code, newPassword: "plum rain over the river" })).toEqual({ username: "li.na" });
    expect(await verifyPassword("plum rain over the river", await passwordHashOf(created.account.id))).toBe(true);
    expect((await events("user.password_reset_redeemed"))[0]).toMatchObject({ actorUsername: "li.na" });
    // Single use.
    expect(await refusalOf(() => h.anonymous().account.redeemReset({ code: created.reset.code, newPassword: "another long passphrase" }))).toMatchObject({
      refusalCode: "reset_code_invalid",
      field: "code",
    });
  });

  it("expires a code after 24 hours and voids the earlier code when a new one is issued", async () => {
    const mof = h.user("mof");
    const first = await h.as("admin").admin.resetPassword({ id: mof.id });
    const second = await h.as("admin").admin.resetPassword({ id: mof.id });
    expect(await refusalOf(() => h.anonymous().account.redeemReset({ code: first.code, newPassword: "plum rain over the river" }))).toMatchObject({ refusalCode: "reset_code_invalid" });
    expect((await events("user.password_reset_issued"))[0]?.payload).toContain('"earlierVoided":1');
    h.clock.now = new Date(h.clock.now.getTime() + 24 * 3_600_000);
    expect(await refusalOf(() => h.anonymous().account.redeemReset({ code: second.code, newPassword: "plum rain over the river" }))).toMatchObject({ refusalCode: "reset_code_invalid" });
    // The old password still works: a reset changes nothing until redeemed.
    expect(await verifyPassword("countersign-demo", await passwordHashOf(mof.id))).toBe(true);
  });

  it("redeeming a code ends every session of the account", async () => {
    const mof = h.user("mof");
    await openSession(mof.id, "a".repeat(64));
    const { code } = await h.as("admin").admin.resetPassword({ id: mof.id });
    await h.anonymous().account.redeemReset({ code, newPassword: "plum rain over the river" });
    expect(await sessionIdsOf(mof.id)).toEqual([]);
  });

  it("edits names, role and department; a change of rights ends the sessions; mixed names are refused", async () => {
    const mof = h.user("mof");
    await openSession(mof.id, "b".repeat(64));
    const admin = h.as("admin");
    const same = await admin.admin.update({ id: mof.id, displayNameZh: "财政部联络员", displayNameEn: "MOF liaison", role: "liaison", department: "MOF", ssoIdentity: null });
    expect(same.sessionsEnded).toBe(0);
    expect(await events("user.updated")).toHaveLength(0);
    const renamed = await admin.admin.update({ id: mof.id, displayNameZh: "王芳", displayNameEn: "Wang Fang", role: "liaison", department: "MOF", ssoIdentity: "wang.fang@example.gov.cn" });
    expect(renamed).toMatchObject({ sessionsEnded: 0, account: { displayNameZh: "王芳", ssoIdentity: "wang.fang@example.gov.cn" } });
    const moved = await admin.admin.update({ id: mof.id, displayNameZh: "王芳", displayNameEn: "Wang Fang", role: "liaison", department: "NDRC", ssoIdentity: "wang.fang@example.gov.cn" });
    expect(moved.sessionsEnded).toBe(1);
    expect((await events("user.updated"))[0]?.payload).toContain('"departmentBefore":"MOF"');
    expect(await refusalOf(() => admin.admin.update({ id: mof.id, displayNameZh: "王芳 (NDRC)", displayNameEn: null, role: "liaison", department: "NDRC", ssoIdentity: null }))).toMatchObject({
      code: "BAD_REQUEST",
      refusalCode: "display_name_mixed",
      field: "displayNameZh",
    });
    expect(await refusalOf(() => admin.admin.update({ id: mof.id, displayNameZh: "王芳", displayNameEn: null, role: "coordinator", department: null, ssoIdentity: null }))).toMatchObject({
      refusalCode: "department_required",
    });
    expect(await refusalOf(() => admin.admin.create({ ...newLiaison, username: "mof" }))).toMatchObject({ refusalCode: "invalid_input", field: "username" });
    expect(await refusalOf(() => admin.admin.create({ ...newLiaison, ssoIdentity: "wang.fang@example.gov.cn" }))).toMatchObject({ field: "ssoIdentity" });
    expect(await refusalOf(() => admin.admin.create({ ...newLiaison, department: "XYZ" }))).toMatchObject({ refusalCode: "unknown_department" });
  });

  it("disables (sessions end, sign-in refused) and re-enables; never its own account nor the last administrator", async () => {
    const ndrc = h.user("ndrc");
    await openSession(ndrc.id, "c".repeat(64));
    const admin = h.as("admin");
    expect(await admin.admin.disable({ id: ndrc.id, reason: "调离" })).toMatchObject({ changed: true, sessionsEnded: 1, account: { disabled: true } });
    expect(await admin.admin.disable({ id: ndrc.id })).toMatchObject({ changed: false });
    expect((await events("user.disabled"))[0]).toMatchObject({ actorUsername: "admin", department: "NDRC" });
    expect(await refusalOf(() => h.anonymous().auth.login({ username: "ndrc", password: "countersign-demo" }))).toMatchObject({ refusalCode: "invalid_credentials" });
    expect(await admin.admin.enable({ id: ndrc.id, reason: "" })).toMatchObject({ changed: true, account: { disabled: false } });
    expect((await h.anonymous().auth.login({ username: "ndrc", password: "countersign-demo" })).username).toBe("ndrc");

    const self = h.user("admin");
    expect(await refusalOf(() => admin.admin.disable({ id: self.id }))).toMatchObject({ code: "PRECONDITION_FAILED", refusalCode: "own_account" });
    expect(await refusalOf(() => admin.admin.update({ id: self.id, displayNameZh: "管理员", displayNameEn: null, role: "observer", department: null, ssoIdentity: null }))).toMatchObject({
      refusalCode: "own_account",
    });
    // A second administrator may disable the first, but not the last one left.
    const second = await admin.admin.create({ username: "admin2", role: "admin", department: null, displayNameZh: null, displayNameEn: "Second administrator" });
    const asSecond = createCaller(h.context({ ...second.account, displayName: "Second administrator" }));
    expect(await asSecond.admin.disable({ id: self.id })).toMatchObject({ changed: true });
    await asSecond.admin.enable({ id: self.id });
    await admin.admin.disable({ id: second.account.id });
    expect(await refusalOf(() => asSecond.admin.disable({ id: self.id }))).toMatchObject({ refusalCode: "last_admin" });
  });

  it("lists and ends an account's sessions by reference", async () => {
    const mof = h.user("mof");
    await openSession(mof.id, "d".repeat(64));
    await openSession(mof.id, "e".repeat(64));
    const admin = h.as("admin");
    const sessions = await admin.admin.sessions({ id: mof.id });
    expect(sessions.map((s) => s.ref).sort()).toEqual([sessionRefOf("d".repeat(64)), sessionRefOf("e".repeat(64))].sort());
    expect(JSON.stringify(sessions)).not.toContain("d".repeat(64));
    await admin.admin.endSession({ id: mof.id, session: sessionRefOf("d".repeat(64)) });
    expect(await sessionIdsOf(mof.id)).toEqual([{ id: "e".repeat(64) }]);
    expect((await events("user.session_ended"))[0]).toMatchObject({ actorUsername: "admin" });
    expect(await refusalOf(() => admin.admin.endSession({ id: mof.id, session: sessionRefOf("d".repeat(64)) }))).toMatchObject({ code: "NOT_FOUND" });
    const list = await admin.admin.accounts();
    expect(list.find((a) => a.username === "mof")).toMatchObject({ openSessions: 1, person: { displayNameEn: "MOF liaison" } });
    expect(JSON.stringify(list)).not.toContain("scrypt$");
  });

  it("refuses every administration act to other roles, explained and recorded", async () => {
    for (const username of ["miit", "mof", "observer"]) {
      const refusal = await refusalOf(() => h.as(username).admin.accounts());
      expect(refusal).toMatchObject({ code: "FORBIDDEN", refusalCode: "admin_only", message: expect.stringContaining("Only an administrator may list accounts") });
      expect(await refusalOf(() => h.as(username).admin.resetPassword({ id: h.user("ndrc").id }))).toMatchObject({ refusalCode: "admin_only" });
    }
    const recorded = (await auditEventsOf(h, "access.refused")).filter((e) => e.actorUsername === "mof");
    expect(recorded.map((r) => JSON.parse(r.payload).procedure)).toEqual(["admin.accounts", "admin.resetPassword"]);
    expect(await refusalOf(() => h.anonymous().admin.accounts())).toMatchObject({ code: "UNAUTHORIZED" });
  });
});

describe("own account", () => {
  it("changes one's own password with the current one, ends the other sessions, keeps this one", async () => {
    const mof = h.user("mof");
    await openSession(mof.id, "f".repeat(64));
    await openSession(mof.id, "0".repeat(64));
    const me = createCaller(h.context(mof, { sessionId: "f".repeat(64) }));
    expect(await refusalOf(() => me.account.changePassword({ currentPassword: "guess-guess-guess", newPassword: "plum rain over the river" }))).toMatchObject({
      code: "BAD_REQUEST",
      refusalCode: "wrong_password",
      field: "currentPassword",
    });
    expect(await refusalOf(() => me.account.changePassword({ currentPassword: "countersign-demo", newPassword: "mof2024-mof2024" }))).toMatchObject({ refusalCode: "weak_password" });
    expect(await refusalOf(() => me.account.changePassword({ currentPassword: "countersign-demo", newPassword: "Countersign 2026!!" }))).toMatchObject({ refusalCode: "weak_password" });
    expect(await me.account.changePassword({ currentPassword: "countersign-demo", newPassword: "plum rain over the river" })).toEqual({ sessionsEnded: 1 });
    expect(await sessionIdsOf(mof.id)).toEqual([{ id: "f".repeat(64) }]);
    expect((await events("user.password_changed"))[0]).toMatchObject({ actorUsername: "mof" });
    expect((await h.anonymous().auth.login({ username: "mof", password: "plum rain over the river" })).username).toBe("mof");

    const sessions = await me.account.sessions();
    expect(sessions.find((s) => s.current)?.ref).toBe(sessionRefOf("f".repeat(64)));
    const other = sessions.find((s) => !s.current);
    if (other === undefined) throw new Error("the sign-in above opened a session");
    await me.account.endSession({ session: other.ref });
    expect((await me.account.sessions()).map((s) => s.current)).toEqual([true]);
    // Another account's session is no session of mine.
    const ndrc = h.user("ndrc");
    await openSession(ndrc.id, "9".repeat(64));
    expect(await refusalOf(() => me.account.endSession({ session: sessionRefOf("9".repeat(64)) }))).toMatchObject({ code: "NOT_FOUND" });
    expect(await me.account.profile()).toMatchObject({ username: "mof", displayNameZh: "财政部联络员", displayNameEn: "MOF liaison" });
  });
});
