import { join } from "node:path";
import { loadDefaultPlan, openDatabase, writeTransaction } from "@countersign/db";
import { organisationsTable, usersTable } from "@countersign/db/schema";
import { defaultPlan, nationalId } from "@countersign/domain";
import { createBenchCaller, createStoreBenchCaller } from "@countersign/server/bench-support";
import { ownPostgresDatabase } from "../harness/own-postgres-database.js";
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
 * - the county liaison's inbox (inbox.list), target p95 ≤ 5 ms;
 * - a national round opened on measure (7), which opens every province's round and the chain's (no target).
 * What it does not build: implementation plans of all 3,000 organisations (only the provinces' and one chain's).
 * Every procedure runs on the store seam, so the same calls measure either engine: on SQLite against the file; with
 * `postgresUrl`, the tree and accounts are built in the SQLite file, copied into a database of their own created on
 * that server (`copyFromSqlite`, as `cli db migrate-to-postgres`), and dropped after.
 */

type BenchCaller = ReturnType<typeof createBenchCaller>;

/** Where the stage's procedures run: a caller per account, and what to close after. */
interface CascadeTarget {
  callerFor(username: string): Promise<BenchCaller>;
  close(): Promise<void>;
}

/** The stage's own database on the PostgreSQL server at `url`, filled from the SQLite file at `sqlitePath`; closing drops it. */
async function postgresTarget(url: string, sqlitePath: string, clock: () => Date, log: (line: string) => void): Promise<CascadeTarget> {
  const own = await ownPostgresDatabase(url, sqlitePath, "cascade", log);
  return {
    callerFor: (username) => createStoreBenchCaller(own.store, username, { now: clock }),
    close: () => own.close(),
  };
}

const chain = ["450000", "450100", "450123"] as const;

export async function benchCascade(input: {
  workDir: string;
  organisations: number;
  iterations: number;
  log: (line: string) => void;
  /** A PostgreSQL server's URL (an account that may create databases): run there instead of on SQLite. */
  postgresUrl?: string | null;
}): Promise<Figure[]> {
  const { log } = input;
  const postgresUrl = input.postgresUrl ?? null;
  const engine = postgresUrl === null ? "SQLite" : "PostgreSQL";
  const sqlitePath = join(input.workDir, postgresUrl === null ? "cascade.sqlite" : "cascade-postgres.sqlite");
  const opened = openDatabase(sqlitePath);
  const now = new Date();
  const clock = () => now;
  let target: CascadeTarget = { callerFor: async (username) => createBenchCaller(opened.db, username, clock), close: async () => opened.close() };
  try {
    const db = opened.db;
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
    if (postgresUrl !== null) {
      opened.close();
      target = await postgresTarget(postgresUrl, sqlitePath, clock, log);
    }
    const nation = await target.callerFor("miit");
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
      const office = await target.callerFor(`office-${organisation}`);
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
      await (await target.callerFor(`office-${parent}`)).cascade.forward({ planId: parentPlan, to: [child], measureNumbers: [i === 1 ? 7 : 1], planDeadline: deadline });
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
    const liaison = await target.callerFor("county-liaison");
    const inbox = summarize(await time(() => liaison.inbox.list({ limit: 50 })));
    const rows = (await liaison.inbox.list({ limit: 50 })).rows.length;
    if (rows !== 1) throw new Error(`cascade: the county liaison's inbox has ${rows} rows, not 1`);
    // A national round on measure (7): it opens every province's round and the chain's (issue 16, point 3), one unit of work.
    started = performance.now();
    const round = await nation.round.open({
      planId: national,
      title: "bench",
      periodStart: "2026-01-01",
      periodEnd: "2026-03-31",
      dueDate: "2099-01-10",
      measureNumbers: [7],
      departments: [],
      recurrence: "none",
    });
    const roundSeconds = (performance.now() - started) / 1000;
    if (round.below.length !== provinces.length + chain.length - 1) throw new Error(`cascade: the national round opened ${round.below.length} rounds below`);
    const size = `${organisations.length.toLocaleString("en-US")} organisations, ${seeded.departments.toLocaleString("en-US")} local departments`;
    return [
      {
        id: "cascade.forward-provinces",
        section: "cascade",
        name: `forwarding the 25-measure national plan to every province (${provinces.length}; one cascade.forward), in process on ${engine}`,
        value: forwardSeconds,
        unit: "s",
        digits: 2,
        target: { op: "≤", value: 10 },
        detail: `${size}; then ${provinces.length} provinces derived and issued their plans in ${deriveSeconds.toFixed(1)} s through the services`,
      },
      {
        id: "cascade.regional-national",
        section: "cascade",
        name: `national regional view (25 measures × ${provinces.length} provinces, every province's plan issued), in process on ${engine}`,
        value: regional.p95,
        unit: "ms",
        digits: 1,
        target: { op: "≤", value: 100 },
        detail: `p95 of ${regional.samples}, p50 ${regional.p50.toFixed(1)} ms; implementation plans below the provinces: one chain (南宁, 隆安), not all ${organisations.length.toLocaleString("en-US")}`,
      },
      {
        id: "cascade.county-inbox",
        section: "cascade",
        name: `a county liaison's inbox (inbox.list, 隆安县税务局), in process on ${engine}`,
        value: inbox.p95,
        unit: "ms",
        digits: 2,
        target: { op: "≤", value: 5 },
        detail: `p95 of ${inbox.samples}, p50 ${inbox.p50.toFixed(2)} ms`,
      },
      {
        id: "cascade.round-down-levels",
        section: "cascade",
        name: `opening a national round on measure (7) that opens a round at each level below (${round.below.length}: every province and one chain to a county, each with its level report), one round.open, in process on ${engine}`,
        value: roundSeconds,
        unit: "s",
        digits: 2,
        detail: `${round.reports} national reports asked; no target set (issue 16 names none): reported to watch`,
      },
    ];
  } finally {
    await target.close();
  }
}
