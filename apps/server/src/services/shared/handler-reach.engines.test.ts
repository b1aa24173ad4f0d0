import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, harnessEngines } from "../../test-support/harness.js";
import type { Harness, HarnessSeeder } from "../../test-support/harness.js";
import { narrowedForHandler } from "./handler-reach.js";
import type { LiveChange } from "./live-change.js";

// The live stream's per-user narrowing on the store seam (issue 13): what a handler hears of a change, on both engines.

interface Seeded {
  handed: { id: number; measureNumber: number };
  notHanded: { id: number; measureNumber: number };
  staId: number;
}

/** The plan issued; one of MOF's assignments handed to the tax division's handler (mof.tax), another not. */
async function seedHandler({ planId, as }: HarnessSeeder): Promise<Seeded> {
  await as("miit").plan.issue({ planId, dueDate: "2026-06-30" });
  const admin = as("admin");
  const division = await admin.admin.createDivision({ department: "MOF", nameZh: "税政司", nameEn: null });
  const { account } = await admin.admin.create({ username: "mof.tax", role: "liaison", department: "MOF", displayNameZh: "张伟", displayNameEn: null, ssoIdentity: null });
  await admin.admin.setDepartmentPart({ id: account.id, departmentRole: "handler", divisionId: division.id });
  const mof = as("mof");
  const [first, second] = (await mof.inbox.list({ planId, limit: 200 })).rows;
  const sta = (await as("sta").inbox.list({ planId, limit: 1 })).rows[0];
  if (first === undefined || second === undefined || sta === undefined) throw new Error("too few assignments");
  const accepted = await mof.assignment.accept({ id: first.id, expectedVersion: first.version });
  await mof.assignment.assignHandler({ id: first.id, expectedVersion: accepted.version, divisionId: division.id, handlerId: account.id, note: "税政司承办" });
  return { handed: { id: first.id, measureNumber: first.measureNumber }, notHanded: { id: second.id, measureNumber: second.measureNumber }, staId: sta.id };
}

describe.each(harnessEngines)("the live stream's narrowing on %s", (engine) => {
  let h: Harness;
  let seeded: Seeded;
  beforeAll(async () => {
    let made: Seeded | null = null;
    h = await createHarness({
      engine,
      seed: async (seeder) => {
        made = await seedHandler(seeder);
      },
    });
    if (made === null) throw new Error("the seed did not run");
    seeded = made;
  }, 60_000);
  afterAll(() => h.close());

  const change = (assignmentIds: number[], measureNumbers: number[], departments: string[]): LiveChange => ({
    planId: h.planId,
    assignmentIds,
    measureNumbers,
    departments,
    at: "2026-03-02T02:00:00.000Z",
  });
  const narrowed = (username: string, c: LiveChange) => h.store.read((repos) => narrowedForHandler(repos, h.user(username), c));

  it("tells a handler only of the assignments handed to them or their division, in their own department", async () => {
    const { handed, notHanded, staId } = seeded;
    const both = change([handed.id, notHanded.id, staId], [handed.measureNumber, notHanded.measureNumber, 1], ["MOF", "STA"]);
    expect(await narrowed("mof.tax", both)).toEqual({ ...both, assignmentIds: [handed.id], measureNumbers: [handed.measureNumber], departments: ["MOF"] });
    expect(await narrowed("mof.tax", change([notHanded.id, staId], [notHanded.measureNumber], ["MOF", "STA"]))).toBeNull();
    // The plan's own change (no assignment): told with the handler's department only.
    expect(await narrowed("mof.tax", change([], [], ["MOF", "STA"]))).toMatchObject({ assignmentIds: [], departments: ["MOF"] });
  });

  it("leaves a change whole for the department's liaison and the coordinator", async () => {
    const whole = change([seeded.handed.id, seeded.notHanded.id], [seeded.handed.measureNumber, seeded.notHanded.measureNumber], ["MOF"]);
    expect(await narrowed("mof", whole)).toEqual(whole);
    expect(await narrowed("miit", whole)).toEqual(whole);
  });
});
