/**
 * Numbers beyond what the database holds (found by the reliability suite's bad input on PostgreSQL, issue 13): an id
 * of 2^31 passes the schemas (`z.number().int().positive()`), and PostgreSQL's 32-bit `integer` columns refuse it
 * with SQLSTATE 22003, which was answered as a 500; likewise a NUL in text that reaches PostgreSQL (SQLSTATE 22021).
 * On either engine it is a refusal naming the field, never an internal error.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createHarness, harnessEngines, refusalOf } from "./test-support/harness.js";
import type { Harness } from "./test-support/harness.js";

describe.each(harnessEngines)("a number beyond the database's integers on %s", (engine) => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness({ engine });
  });
  afterEach(async () => {
    await h.close();
  });

  it("plan.withdraw of plan 2^31: refused, never an internal error; SQLite finds no such plan, PostgreSQL names planId", async () => {
    const refusal = await refusalOf(() => h.as("miit").plan.withdraw({ planId: 2 ** 31, reason: "演练" }));
    expect(refusal.code).not.toBe("INTERNAL_SERVER_ERROR");
    if (engine === "postgres") {
      expect(refusal).toMatchObject({ refusalCode: "invalid_input", field: "planId" });
      expect(refusal.message).toContain("2147483648 is out of range");
    }
  });

  it("assignment.get of id 2^40: refused naming id", async () => {
    const refusal = await refusalOf(() => h.as("miit").assignment.get({ id: 2 ** 40 }));
    expect(refusal.code).not.toBe("INTERNAL_SERVER_ERROR");
    if (engine === "postgres") expect(refusal).toMatchObject({ refusalCode: "invalid_input", field: "id" });
  });

  it("a NUL at the end of a sign-in name (nothing trims it there): refused, never an internal error", async () => {
    const refusal = await refusalOf(() => h.anonymous().auth.login({ username: "miit\u0000", password: "countersign-demo" }));
    expect(refusal.code).not.toBe("INTERNAL_SERVER_ERROR");
    if (engine === "postgres") expect(refusal).toMatchObject({ refusalCode: "invalid_input", field: "username" });
  });
});
