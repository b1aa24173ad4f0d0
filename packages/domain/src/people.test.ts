import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkAccountShape, mayChangeStanding, mayDoAccountAct, adminActs, ownAccountActs } from "./admin-policy.js";
import { checkDivisionShape } from "./department-roles.js";
import { createAccountInputSchema } from "./account-schemas.js";
import { checkNewPassword, normalisePassword, passwordCandidates, passwordRules } from "./password-policy.js";
import { personLabel } from "./person-label.js";
import { actorRoles } from "./types.js";

const mof = { code: "MOF", shortZh: "财政部", shortEn: "MOF" };

describe("personLabel", () => {
  const both = { username: "zhang.wei", displayNameZh: "张伟", displayNameEn: "Zhang Wei", department: mof };
  it("names the person in the asked language with the department", () => {
    expect(personLabel(both, "zh")).toEqual({ name: "张伟", nameLang: "zh", fallback: false, department: "财政部", text: "张伟（财政部）" });
    expect(personLabel(both, "en")).toEqual({ name: "Zhang Wei", nameLang: "en", fallback: false, department: "MOF", text: "Zhang Wei, MOF" });
  });
  it("falls back to the other language, marked, and to the user name last", () => {
    expect(personLabel({ ...both, displayNameEn: null }, "en")).toMatchObject({ name: "张伟", nameLang: "zh", fallback: true, text: "张伟 (Chinese name), MOF" });
    expect(personLabel({ ...both, displayNameZh: "  " }, "zh")).toMatchObject({ name: "Zhang Wei", nameLang: "en", fallback: true, text: "Zhang Wei（英文名）（财政部）" });
    expect(personLabel({ ...both, displayNameZh: null, displayNameEn: null, department: null }, "zh")).toEqual({
      name: "zhang.wei",
      nameLang: "zh",
      fallback: false,
      department: null,
      text: "zhang.wei",
    });
  });
  it("never shows a name with characters of both scripts when the account's names are each in one", () => {
    const zhName = fc.stringMatching(/^[\u4e00-\u9fa5]{1,6}$/);
    const enName = fc.stringMatching(/^[A-Z][a-z]{1,8}( [A-Z][a-z]{1,8})?$/);
    fc.assert(
      fc.property(fc.option(zhName), fc.option(enName), fc.constantFrom("zh" as const, "en" as const), (zh, en, lang) => {
        const label = personLabel({ username: "u1", displayNameZh: zh, displayNameEn: en, department: null }, lang);
        expect(/\p{Script=Han}/u.test(label.name) && /\p{Script=Latin}/u.test(label.name)).toBe(false);
        expect(label.fallback).toBe((lang === "zh" ? zh : en) === null && (lang === "zh" ? en : zh) !== null);
      }),
    );
  });
});

describe("password rules (ASVS 5.0 V6.2)", () => {
  const common = new Set(["password", "qwerty", "iloveyou", "correct horse battery staple"].map(normalisePassword));
  const check = (p: string, words: string[] = ["zhang.wei", "countersign"]) => checkNewPassword(p, { commonPasswords: common, contextWords: words });

  it("asks length, not composition", () => {
    expect(passwordRules.minLength).toBe(15);
    expect(check("a".repeat(3) + "bcdefghijk")).toMatchObject({ ok: false, problem: "too_short" });
    expect(check("all lower case words here")).toEqual({ ok: true });
    expect(check("春眠不觉晓处处闻啼鸟夜来风雨声花落")).toEqual({ ok: true }); // 16 Chinese characters
    expect(check("春眠不觉晓处处闻啼鸟")).toMatchObject({ ok: false, problem: "too_short" });
    expect(check("x".repeat(14) + "y")).toEqual({ ok: true });
    expect(check("ab".repeat(64))).toMatchObject({ ok: false, problem: "common" }); // a repetition
    expect(check(`${"long passphrase ".repeat(8)}end`.slice(0, 128))).toEqual({ ok: true });
    expect(check("z".repeat(257))).toMatchObject({ ok: false, problem: "too_long" });
  });

  it("refuses listed passwords however dressed: case, digits and symbols at the ends, repetition, spacing", () => {
    for (const p of ["Password12345678", "PASSWORD!!!!!!!2024", "qwertyqwertyqwerty", "Correct Horse  Battery Staple", "ｐａｓｓｗｏｒｄ1234567", "2024-iloveyou-2024", "aaaaaaaaaaaaaaaaaa"]) {
      expect(check(p), p).toMatchObject({ ok: false, problem: "common" });
    }
    expect(check("password manager at work")).toEqual({ ok: true });
  });

  it("refuses the user name and the product's name", () => {
    expect(check("Zhang.Wei2026-06-01")).toMatchObject({ ok: false, problem: "context" });
    expect(check("countersign123456")).toMatchObject({ ok: false, problem: "context" });
    expect(check("2026 zhang.wei 2026 zhang.wei")).toMatchObject({ ok: false, problem: "context" });
    expect(check("Countersign 2026!!")).toMatchObject({ ok: false, problem: "context" });
    expect(check("zhang.wei likes green tea")).toEqual({ ok: true });
    expect(check("countersign-demo")).toEqual({ ok: true });
  });

  it("keeps the whole password as typed among the candidates", () => {
    expect(passwordCandidates("  Abc  Def  ")).toContain("abc def");
  });
});

describe("admin policy", () => {
  it("gives every admin act to the admin only, and the own-account acts to everyone", () => {
    for (const role of actorRoles) {
      for (const act of adminActs) expect(mayDoAccountAct(role, act).ok, `${role} ${act}`).toBe(role === "admin");
      for (const act of ownAccountActs) expect(mayDoAccountAct(role, act).ok).toBe(true);
    }
    expect(mayDoAccountAct("coordinator", "reset_password")).toMatchObject({ code: "admin_only", message: expect.stringContaining("reset passwords") });
  });

  it("keeps an enabled administrator: not one's own, never the last", () => {
    const admin = { id: 1, role: "admin" as const, disabled: false };
    expect(mayChangeStanding(1, admin, { role: "admin", disabled: true }, 2)).toMatchObject({ code: "own_account" });
    expect(mayChangeStanding(1, admin, { role: "observer", disabled: false }, 2)).toMatchObject({ code: "own_account" });
    expect(mayChangeStanding(2, admin, { role: "admin", disabled: true }, 1)).toMatchObject({ code: "last_admin" });
    expect(mayChangeStanding(null, admin, { role: "liaison", disabled: false }, 1)).toMatchObject({ code: "last_admin" });
    expect(mayChangeStanding(2, admin, { role: "admin", disabled: true }, 2)).toEqual({ ok: true });
    expect(mayChangeStanding(1, admin, { role: "admin", disabled: false }, 1)).toEqual({ ok: true });
    expect(mayChangeStanding(1, { ...admin, role: "liaison" }, { role: "liaison", disabled: true }, 1)).toEqual({ ok: true });
    expect(mayChangeStanding(1, { ...admin, disabled: true }, { role: "observer", disabled: true }, 1)).toEqual({ ok: true });
  });

  it("checks an account's shape: department for liaison and coordinator, names in one language each", () => {
    const base = { role: "liaison" as const, department: "MOF", displayNameZh: "张伟", displayNameEn: "Zhang Wei" };
    expect(checkAccountShape(base)).toEqual({ ok: true });
    expect(checkAccountShape({ ...base, department: null })).toMatchObject({ code: "department_required", field: "department" });
    expect(checkAccountShape({ ...base, role: "observer", department: null })).toEqual({ ok: true });
    expect(checkAccountShape({ ...base, displayNameZh: null, displayNameEn: " " })).toMatchObject({ code: "display_name_required" });
    expect(checkAccountShape({ ...base, displayNameZh: "张伟 (MOF)" })).toMatchObject({ code: "display_name_mixed", field: "displayNameZh" });
    expect(checkAccountShape({ ...base, displayNameEn: "Zhang Wei 张伟" })).toMatchObject({ code: "display_name_mixed", field: "displayNameEn" });
  });

  it("checks a department part: handlers belong to a division of their own department; other roles have no part", () => {
    const base = { role: "liaison" as const, department: "MOF", displayNameZh: "张伟", displayNameEn: null };
    const mofDivision = { id: 3, department: "MOF" };
    expect(checkAccountShape({ ...base, departmentRole: "handler", division: mofDivision })).toEqual({ ok: true });
    expect(checkAccountShape({ ...base, departmentRole: "leader", division: null })).toEqual({ ok: true });
    expect(checkAccountShape({ ...base, departmentRole: "handler", division: null })).toMatchObject({ code: "division_required", field: "division" });
    expect(checkAccountShape({ ...base, departmentRole: "handler", division: { id: 4, department: "STA" } })).toMatchObject({ code: "division_mismatch" });
    expect(checkAccountShape({ ...base, role: "observer", department: null, departmentRole: "leader" })).toMatchObject({ code: "department_role_not_allowed" });
    expect(checkAccountShape({ ...base, role: "coordinator", department: "MIIT", division: { id: 5, department: "MIIT" } })).toMatchObject({
      code: "department_role_not_allowed",
    });
    expect(mayDoAccountAct("liaison", "manage_divisions")).toMatchObject({ ok: false, code: "admin_only" });
    expect(mayDoAccountAct("admin", "manage_divisions")).toEqual({ ok: true });
  });

  it("checks a division's names: at least one, never mixing languages, and a department", () => {
    expect(checkDivisionShape({ department: "MOF", nameZh: "经济建设司", nameEn: "Department of Economic Development" })).toEqual({ ok: true });
    expect(checkDivisionShape({ department: null, nameZh: "经济建设司", nameEn: null })).toMatchObject({ code: "department_required" });
    expect(checkDivisionShape({ department: "MOF", nameZh: " ", nameEn: "" })).toMatchObject({ code: "name_required" });
    expect(checkDivisionShape({ department: "MOF", nameZh: "经建司 EDD", nameEn: null })).toMatchObject({ code: "name_mixed", field: "nameZh" });
    expect(checkDivisionShape({ department: "MOF", nameZh: null, nameEn: "EDD 经建司" })).toMatchObject({ code: "name_mixed", field: "nameEn" });
  });

  it("parses an account form: user name lower-cased, empty names and identity as null", () => {
    expect(createAccountInputSchema.parse({ username: " Li.Na ", role: "liaison", department: "MOF", displayNameZh: "李娜", displayNameEn: "", ssoIdentity: " " })).toEqual({
      username: "li.na",
      role: "liaison",
      department: "MOF",
      displayNameZh: "李娜",
      displayNameEn: null,
      ssoIdentity: null,
    });
    expect(createAccountInputSchema.safeParse({ username: "x", role: "king" }).success).toBe(false);
  });
});
