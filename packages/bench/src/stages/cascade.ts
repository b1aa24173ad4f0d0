import { join } from "node:path";
import { loadDefaultPlan, openDatabase, writeTransaction } from "@countersign/db";
import { organisationsTable, usersTable } from "@countersign/db/schema";
import { defaultPlan, nationalId } from "@countersign/domain";
import { createBenchCaller } from "@countersign/server/bench-support";
import { summarize } from "../harness/stats.js";
import { seedOrganisationsAtScale } from "../scale/organisations.js";
import type { Figure } from "../report.js";

/*
 * Down the levels (issue 16, point 5), in process against a database of its own:
 * - a tree of `organisations` (3,000 by default) with ~20 member departments each;
 * - forwarding the 25-measure national plan to every province (one cascade.forward), target ≤ 10 s;
 * - every province then derives and issues its implementation plan through the services, and one chain goes down to a
 *   county (广西 → 南宁 → 隆安), whose tax bureau's liaison gets the county's assignment;
 * - the national regional view (measure × province, cascade.regionalView), target p95 ≤ 100 ms;
 * - the county liaison's inbox (inbox.list), target p95 ≤ 5 ms.
 * What it does not build: implementation plans of all 3,000 organisations (only the provinces' and one chain's).
 */

const chain = ["450000", "450100", "450123"] as const;

export async function benchCascade(input: { workDir: string; organisations: number; iterations: number; log: (line: string) => void }): Promise<Figure[]> {
  const { log } = input;
  const opened = openDatabase(join(input.workDir, "cascade.sqlite"));
  try {
    const db = opened.db;
    const now = new Date();
    const clock = () => now;
    loadDefaultPlan(db);
    let started = performance.now();
    const seeded = seedOrganisationsAtScale(db, input.organisations);
    const organisations = db.select({ id: organisationsTable.id, level: organisationsTable.level }).from(organisationsTable).all();
    log(`cascade: ${organisations.length.toLocaleString("en-US")} organisations, ${seeded.departments.toLocaleString("en-US")} local departments in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const provinces = organisations.filter((o) => o.level === "province").map((o) => o.id);
    // Accounts: the national office, each province's office, the chain's offices and the county's tax liaison.
    const at = now.toISOString();
    writeTransaction(db, (tx) => {
      const account = (username: string, role: "coordinator" | "liaison", department: string) =>
        tx.insert(usersTable).values({ username, role, department, displayName: username, passwordHash: "bench", createdAt: at }).onConflictDoNothing().run();
      account("miit", "coordinator", "MIIT");
      for (const id of [...provinces, ...chain]) account(`office-${id}`, "coordinator", `${id}-MIIT`);
      account("county-liaison", "liaison", `${chain[2]}-STA`);
    });
    const nation = createBenchCaller(db, "miit", clock);
    const plans = await nation.catalog.plans();
    const national = plans.find((p) => p.key === defaultPlan.key)?.id;
    if (national === undefined) throw new Error("cascade: the 2020 plan did not load");
    await nation.plan.issue({ planId: national, dueDate: "2099-12-31" });
    const deadline = new Date(now.getTime() + 30 * 86_400_000).toISOString().slice(0, 10);

    log(`cascade: forwarding the national plan to ${provinces.length} provinces`);
    started = performance.now();
    const forwarded = await nation.cascade.forward({ planId: national, to: provinces, planDeadline: deadline });
    const forwardSeconds = (performance.now() - started) / 1000;
    if (forwarded.forwardings.length !== provinces.length) throw new Error(`cascade: ${forwarded.forwardings.length} forwardings, not ${provinces.length}`);

    log("cascade: every province derives and issues its implementation plan; one chain down to a county");
    started = performance.now();
    const planOf = new Map<string, number>([[nationalId, national]]);
    const takeIn = async (organisation: string): Promise<number> => {
      const office = createBenchCaller(db, `office-${organisation}`, clock);
      const pending = await office.cascade.pending();
      const first = pending[0];
      if (first === undefined) throw new Error(`cascade: nothing forwarded to ${organisation}`);
      const derived = await office.cascade.derive({ forwardingId: first.forwardingId });
      await office.plan.issue({ planId: derived.planId, dueDate: "2099-12-31" });
      planOf.set(organisation, derived.planId);
      return derived.planId;
    };
    for (const province of provinces) await takeIn(province);
    const deriveSeconds = (performance.now() - started) / 1000;
    for (let i = 1; i < chain.length; i += 1) {
      const parent = chain[i - 1] ?? nationalId;
      const child = chain[i] ?? nationalId;
      const parentPlan = planOf.get(parent);
      if (parentPlan === undefined) throw new Error(`cascade: no plan of ${parent}`);
      // The province forwards its measure (7) (tax policies); the city its plan's only measure, (1), which implements it.
      await createBenchCaller(db, `office-${parent}`, clock).cascade.forward({ planId: parentPlan, to: [child], measureNumbers: [i === 1 ? 7 : 1], planDeadline: deadline });
      await takeIn(child);
    }

    const iterations = Math.max(5, input.iterations);
    const time = async (what: () => Promise<unknown>): Promise<number[]> => {
      await what();
      const samples: number[] = [];
      for (let i = 0; i < iterations; i += 1) {
        const t0 = performance.now();
        await what();
        samples.push(performance.now() - t0);
      }
      return samples;
    };
    const regional = summarize(await time(() => nation.cascade.regionalView({ planId: national })));
    const view = await nation.cascade.regionalView({ planId: national });
    if (view.columns.length !== provinces.length || view.totals.in_progress + view.totals.late + view.totals.done !== 25 * provinces.length) {
      throw new Error(`cascade: the national view has ${view.columns.length} columns and ${JSON.stringify(view.totals)}`);
    }
    const liaison = createBenchCaller(db, "county-liaison", clock);
    const inbox = summarize(await time(() => liaison.inbox.list({ limit: 50 })));
    const rows = (await liaison.inbox.list({ limit: 50 })).rows.length;
    if (rows !== 1) throw new Error(`cascade: the county liaison's inbox has ${rows} rows, not 1`);
    const size = `${organisations.length.toLocaleString("en-US")} organisations, ${seeded.departments.toLocaleString("en-US")} local departments`;
    return [
      {
        id: "cascade.forward-provinces",
        section: "cascade",
        name: `forwarding the 25-measure national plan to every province (${provinces.length}; one cascade.forward), in process`,
        value: forwardSeconds,
        unit: "s",
        digits: 2,
        target: { op: "≤", value: 10 },
        detail: `${size}; then ${provinces.length} provinces derived and issued their plans in ${deriveSeconds.toFixed(1)} s through the services`,
      },
      {
        id: "cascade.regional-national",
        section: "cascade",
        name: `national regional view (25 measures × ${provinces.length} provinces, every province's plan issued), in process`,
        value: regional.p95,
        unit: "ms",
        digits: 1,
        target: { op: "≤", value: 100 },
        detail: `p95 of ${regional.samples}, p50 ${regional.p50.toFixed(1)} ms; implementation plans below the provinces: one chain (南宁, 隆安), not all ${organisations.length.toLocaleString("en-US")}`,
      },
      {
        id: "cascade.county-inbox",
        section: "cascade",
        name: "a county liaison's inbox (inbox.list, 隆安县税务局), in process",
        value: inbox.p95,
        unit: "ms",
        digits: 2,
        target: { op: "≤", value: 5 },
        detail: `p95 of ${inbox.samples}, p50 ${inbox.p50.toFixed(2)} ms`,
      },
    ];
  } finally {
    opened.close();
  }
}
