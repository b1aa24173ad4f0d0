import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { personLabel } from "@countersign/domain";
import { createHarness } from "../../test-support/harness.js";
import type { Harness } from "../../test-support/harness.js";
import { assignmentsOn } from "../../test-support/store-reads.js";

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

describe("who did it (issue 15, point 4)", () => {
  it("names the person, not the user name, in an assignment's history, its comments and the audit trail", async () => {
    await h.as("miit").plan.issue({ planId: h.planId, dueDate: "2026-12-31" });
    const assignment = (await assignmentsOn(h)).find((a) => a.department === "MOF");
    if (assignment === undefined) throw new Error("no MOF assignment in the 2020 plan");
    await h.as("admin").admin.update({ id: h.user("mof").id, displayNameZh: "王芳", displayNameEn: null, role: "liaison", department: "MOF", ssoIdentity: null });
    const mof = h.as("mof");
    const comment = await mof.assignment.comment({ id: assignment.id, expectedVersion: assignment.version, body: "已收到" });
    expect(comment).toBeDefined();
    const detail = await mof.assignment.get({ id: assignment.id });
    const mine = detail.comments.at(-1);
    expect(mine?.authorPerson).toEqual({ username: "mof", displayNameZh: "王芳", displayNameEn: null, department: { code: "MOF", shortZh: "财政部", shortEn: "MOF" } });
    if (mine?.authorPerson == null) throw new Error("no person");
    expect(personLabel(mine.authorPerson, "zh").text).toBe("王芳（财政部）");
    // No English name: the English view shows the Chinese one, marked.
    expect(personLabel(mine.authorPerson, "en").text).toBe("王芳 (Chinese name), MOF");
    const commented = detail.history.find((e) => e.type === "assignment.commented");
    expect(commented?.actor.person).toMatchObject({ displayNameZh: "王芳", department: { code: "MOF" } });

    const trail = await h.as("miit").audit.list({ assignmentId: assignment.id });
    expect(trail.rows[0]?.actor.person?.displayNameZh).toBe("王芳");
    // The demo accounts have one name per language; the coordinator is named in each.
    const everything = await h.as("observer").audit.list({ limit: 200 });
    const byAdmin = everything.rows.find((r) => r.type === "user.updated");
    expect(byAdmin?.actor.person).toMatchObject({ displayNameZh: "管理员", displayNameEn: "Administrator", department: null });
  });
});
