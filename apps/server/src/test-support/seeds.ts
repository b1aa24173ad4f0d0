import type { HarnessSeeder } from "./harness.js";

/**
 * A harness seed (`createHarness({ seed })`): the 2020 plan issued by its coordinator (立项交办), every measure due
 * 2026-06-30. Made on SQLite before any PostgreSQL copy (plan.issue runs on either engine; the seed is copied whole).
 */
export async function issuedDefaultPlan(seed: HarnessSeeder): Promise<void> {
  const planId = await defaultPlanId(seed);
  await seed.as("miit").plan.issue({ planId, dueDate: "2026-06-30" });
}

/**
 * The issued plan with some history, for the progress screens (matrix, tracking, trail, measure history): on (7) STA
 * asks for an extension and MOF declines (with a reason) on 3 March; on (9) CBIRC then the lead PBOC sign off and the
 * coordinator closes the measure on 4 March. The clock is left at 5 March.
 */
export async function issuedPlanWithHistory(seed: HarnessSeeder): Promise<void> {
  await issuedDefaultPlan(seed);
  const planId = await defaultPlanId(seed);
  const ref = async (measureNumber: number, department: string) => {
    const page = await seed.as("miit").inbox.list({ planId, department, limit: 200 });
    const row = page.rows.find((r) => r.measureNumber === measureNumber);
    if (row === undefined) throw new Error(`${department} has no assignment on (${measureNumber})`);
    return { id: row.id, expectedVersion: row.version };
  };
  seed.clock.now = new Date("2026-03-03T01:00:00Z");
  await seed.as("sta").assignment.requestExtension({ ...(await ref(7, "STA")), until: "2026-09-30", reason: "数据滞后 data late" });
  await seed.as("mof").assignment.decline({ ...(await ref(7, "MOF")), reason: "不属本部门职责" });
  seed.clock.now = new Date("2026-03-04T01:00:00Z");
  await signOffNine(seed, planId);
  await seed.as("miit").measure.close({ planId, measureNumber: 9, note: "办结 closed" });
  seed.clock.now = new Date("2026-03-05T01:00:00Z");
}

async function defaultPlanId(seed: HarnessSeeder): Promise<number> {
  const plans = await seed.as("miit").catalog.plans();
  const id = plans[0]?.id;
  if (id === undefined) throw new Error("the default plan did not load");
  return id;
}

/**
 * The issued plan with MOF's divisions and handlers (分办): MOF's liaison accepts (7) and hands it to mof.tax (税政司);
 * mof.budget (预算司) is handed nothing. On 3 March.
 */
export async function issuedPlanWithHandler(seed: HarnessSeeder): Promise<void> {
  await issuedDefaultPlan(seed);
  const planId = await defaultPlanId(seed);
  const admin = seed.as("admin");
  const tax = (await admin.admin.createDivision({ department: "MOF", nameZh: "税政司", nameEn: "Tax Policy Department" })).id;
  const budget = (await admin.admin.createDivision({ department: "MOF", nameZh: "预算司", nameEn: null })).id;
  const person = async (username: string, divisionId: number) => {
    const { account } = await admin.admin.create({ username, role: "liaison", department: "MOF", displayNameZh: "张伟", displayNameEn: null, ssoIdentity: null });
    await admin.admin.setDepartmentPart({ id: account.id, departmentRole: "handler", divisionId });
    return account.id;
  };
  const handlerId = await person("mof.tax", tax);
  await person("mof.budget", budget);
  seed.clock.now = new Date("2026-03-03T01:00:00Z");
  const ref = async () => {
    const row = (await seed.as("mof").inbox.list({ planId, department: "MOF", limit: 200 })).rows.find((r) => r.measureNumber === 7);
    if (row === undefined) throw new Error("MOF has no assignment on (7)");
    return { id: row.id, expectedVersion: row.version };
  };
  await seed.as("mof").assignment.accept(await ref());
  await seed.as("mof").assignment.assignHandler({ ...(await ref()), divisionId: tax, handlerId, note: "税政司承办" });
}

/** The issued plan with (9) signed off by CBIRC then its lead PBOC, ready to close (办结), on 2 March. */
export async function issuedPlanReadyToClose(seed: HarnessSeeder): Promise<void> {
  await issuedDefaultPlan(seed);
  await signOffNine(seed, await defaultPlanId(seed));
}

async function signOffNine(seed: HarnessSeeder, planId: number): Promise<void> {
  const ref = async (department: string) => {
    const row = (await seed.as("miit").inbox.list({ planId, department, limit: 200 })).rows.find((r) => r.measureNumber === 9);
    if (row === undefined) throw new Error(`${department} has no assignment on (9)`);
    return { id: row.id, expectedVersion: row.version };
  };
  for (const d of ["CBIRC", "PBOC"]) await seed.as(d.toLowerCase()).assignment.accept(await ref(d));
  await seed.as("cbirc").assignment.signOff({ ...(await ref("CBIRC")), summary: "完成 done" });
  await seed.as("pboc").assignment.signOff({ ...(await ref("PBOC")), summary: "consolidated" });
}
