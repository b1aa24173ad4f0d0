import type { HarnessSeed } from "./harness.js";

/**
 * A harness seed (`createHarness({ seed })`): the 2020 plan issued by its coordinator (立项交办), every measure due
 * 2026-06-30. Made on SQLite before any PostgreSQL copy, since plan.issue is not on the store seam yet.
 */
export async function issuedDefaultPlan(seed: HarnessSeed): Promise<void> {
  const planId = await defaultPlanId(seed);
  await seed.as("miit").plan.issue({ planId, dueDate: "2026-06-30" });
}

/**
 * The issued plan with some history, for the progress screens (matrix, tracking, trail, measure history): on (7) STA
 * asks for an extension and MOF declines (with a reason) on 3 March; on (9) CBIRC then the lead PBOC sign off and the
 * coordinator closes the measure on 4 March. The clock is left at 5 March.
 */
export async function issuedPlanWithHistory(seed: HarnessSeed): Promise<void> {
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
  for (const d of ["CBIRC", "PBOC"]) await seed.as(d.toLowerCase()).assignment.accept(await ref(9, d));
  await seed.as("cbirc").assignment.signOff({ ...(await ref(9, "CBIRC")), summary: "完成 done" });
  await seed.as("pboc").assignment.signOff({ ...(await ref(9, "PBOC")), summary: "consolidated" });
  await seed.as("miit").measure.close({ planId, measureNumber: 9, note: "办结 closed" });
  seed.clock.now = new Date("2026-03-05T01:00:00Z");
}

async function defaultPlanId(seed: HarnessSeed): Promise<number> {
  const plans = await seed.as("miit").catalog.plans();
  const id = plans[0]?.id;
  if (id === undefined) throw new Error("the default plan did not load");
  return id;
}
