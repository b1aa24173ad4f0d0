/**
 * For the benchmark (packages/bench): the real router called in process, as one existing account, without HTTP or
 * a session, so that the figures are the procedures' own cost.
 */
import { asc, eq } from "drizzle-orm";
import { departments as departments2020 } from "@countersign/domain";
import type { Department, DepartmentCode, Language } from "@countersign/domain";
import type { CompiledRound } from "@countersign/exports";
import { createSqliteStore, loadDepartments, writeTransaction } from "@countersign/db";
import type { AnyStore, CountersignDb } from "@countersign/db";
import { roundReportsTable, usersTable } from "@countersign/db/schema";
import type { Context } from "../context.js";
import { LiveBus } from "../live.js";
import { createCaller } from "../router.js";
import { defaultSessionPolicy } from "../services/auth/session-policy.js";
import { createPlan } from "../services/plan/create-plan.js";
import { issuePlanIn } from "../services/plan/issue-plan.js";
import { localPlanChecksIn } from "../services/cascade/local-plan-rules.js";
import { actOnRoundReport } from "../services/rounds/act-on-round-report.js";
import { compileRound } from "../services/rounds/compile-round.js";
import { openRound } from "../services/rounds/open-round.js";
import type { ActingUser } from "../services/shared/acting-user.js";

/** The benchmark's rounds write no outbox rows (no webhook, no email). */
const noOutbound = { webhook: false, email: false, emailTo: [] } as const;

export function createBenchCaller(db: CountersignDb, username: string, now: () => Date = () => new Date()): ReturnType<typeof createCaller> {
  const row = db.select().from(usersTable).where(eq(usersTable.username, username)).get();
  if (row === undefined) throw new Error(`there is no account ${username}`);
  const context: Context = {
    store: createSqliteStore({ db, sqlite: db.$client }),
    db,
    live: new LiveBus(),
    sessionPolicy: defaultSessionPolicy,
    now,
    secureCookies: false,
    user: { id: row.id, username: row.username, displayName: row.displayName, role: row.role, department: row.department },
    sessionId: null,
    request: { ip: "127.0.0.1", userAgent: "countersign-bench" },
    cookies: { set: () => undefined, clear: () => undefined },
  };
  return createCaller(context);
}

export interface BenchRound {
  planId: number;
  roundId: number;
  /** Reports the round asks for (measures × departments). */
  reports: number;
  /** The coordinator account created (in-process only: it has no usable password). */
  coordinator: string;
}

function benchAccount(db: CountersignDb, username: string, role: "coordinator" | "liaison", department: DepartmentCode, at: string): ActingUser {
  const row = db
    .insert(usersTable)
    .values({ username, displayName: username, role, department, passwordHash: "bench: no sign-in", createdAt: at })
    .returning()
    .get();
  return { id: row.id, username: row.username, displayName: row.displayName, role: row.role, department: row.department };
}

/**
 * A reporting round of `measures` measures × `departments` departments, made through the services a coordinator
 * and the liaisons use (plan.create, plan.issue, round.open, round.submit), called directly so that sizes above the
 * API's caps (200 member departments, 20,000 responsibilities, 500 departments per round) can be measured. Up to 17
 * departments are the 2020 ones; more are generated units B0001, B0002 … loaded into the register's table. Each
 * measure has one lead and every other department supporting. With `submit`, every report is submitted, one in
 * three after the due date. `now` is the time of the round's acts; the due date is 10 days after it. The plan is
 * created and issued, and the round opened and reported on, on the store seam (one unit of work each, on `db`'s
 * connection), as a request's are.
 */
export async function seedBenchRound(db: CountersignDb, options: { departments: number; measures: number; now: Date; submit: boolean }): Promise<BenchRound> {
  const at = options.now.toISOString();
  const generated: Department[] = [];
  for (let i = departments2020.length; i < options.departments; i += 1) {
    const code = `B${String(i + 1).padStart(4, "0")}`;
    generated.push({ code, nameEn: `Bench unit ${i + 1}`, nameZh: `基准单位${i + 1}`, shortEn: code, shortZh: `单位${i + 1}`, order: i + 1, successor: null });
  }
  writeTransaction(db, (tx) => loadDepartments(tx, [...departments2020, ...generated]));
  const codes = [...departments2020.map((d) => d.code), ...generated.map((d) => d.code)].slice(0, options.departments);
  const coordinator = benchAccount(db, `bench-coordinator-${options.departments}x${options.measures}`, "coordinator", "MIIT", at);
  const measureNumbers = Array.from({ length: options.measures }, (_, i) => i + 1);
  const store = createSqliteStore({ db, sqlite: db.$client });
  const { value: plan } = await store.transaction((tx) =>
    createPlan(
      tx,
      coordinator,
      {
        titleEn: `Benchmark plan, ${options.measures} measures × ${options.departments} departments`,
        titleZh: `基准测试方案（${options.measures}项措施×${options.departments}个单位）`,
        documentNumber: "",
        departments: codes,
        sections: [1, 2, 3, 4, 5].map((n) => ({ number: n, numeral: String(n), title: `第${n}部分` })),
        measures: measureNumbers.map((n) => ({
          number: n,
          section: 1 + ((n - 1) % 5),
          title: `加强第${n}项工作`,
          text: `加强第${n}项工作，完善中小企业服务体系，优化发展环境。`,
          textCut: false,
        })),
        responsibilities: measureNumbers.flatMap((n) =>
          codes.map((department, i) => ({ measureNumber: n, department, role: i === (n - 1) % codes.length ? ("lead" as const) : ("supporting" as const) })),
        ),
      },
      options.now,
    ),
  );
  // Its own database, with no channels on (as every other act of the seeding).
  const outbound = noOutbound;
  await store.transaction((tx) =>
    issuePlanIn(tx, coordinator, { planId: plan.planId, dueDate: "ongoing" }, options.now, { local: localPlanChecksIn(tx.repos, coordinator, options.now), outbound }),
  );
  const day = (offset: number) => new Date(options.now.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
  const round = await store.transaction((tx) =>
    openRound(
      tx,
      coordinator,
      { planId: plan.planId, title: "基准测试调度", periodStart: day(-90), periodEnd: day(0), dueDate: day(10), measureNumbers: [], departments: [], recurrence: "none" },
      options.now,
      noOutbound,
    ),
  );
  if (options.submit) {
    const liaisons = new Map(codes.map((code) => [code, benchAccount(db, `bench-${code.toLowerCase()}-${round.id}`, "liaison", code, at)]));
    const reports = db
      .select({ id: roundReportsTable.id, version: roundReportsTable.version, department: roundReportsTable.department })
      .from(roundReportsTable)
      .where(eq(roundReportsTable.roundId, round.id))
      .orderBy(asc(roundReportsTable.id))
      .all();
    for (const [i, r] of reports.entries()) {
      const liaison = liaisons.get(r.department);
      if (liaison === undefined) throw new Error(`no liaison for ${r.department}`);
      const when = i % 3 === 0 ? new Date(options.now.getTime() + 12 * 86_400_000) : options.now;
      const text = (heading: string) => `${r.department}${heading}：${"按计划推进相关工作，已完成阶段性任务。".repeat(4)}`;
      await store.transaction((tx) =>
        actOnRoundReport(
          tx,
          liaison,
          { reportId: r.id, expectedVersion: r.version, action: { type: "submit", progress: text("进展情况"), problems: text("存在问题"), nextSteps: text("下一步计划") } },
          when,
          noOutbound,
        ),
      );
    }
  }
  await store.close();
  return { planId: plan.planId, roundId: round.id, reports: round.reports, coordinator: coordinator.username };
}

/**
 * The compiled report of round `roundId` as the export route builds it (before rendering), as account `username`, read
 * through `store` (either engine): the account through `repos.accounts.byUsername`, then `compileRound` in one read.
 * `lang`: the report's language; `now`: the time its lateness is judged at. Errors: `there is no account <username>`;
 * `compileRound`'s own (`not_found` for a round the account may not read).
 */
export async function compileBenchRoundOn(store: AnyStore, username: string, roundId: number, lang: Language, now: Date): Promise<CompiledRound> {
  return store.read(async (repos) => {
    const row = await repos.accounts.byUsername(username);
    if (row === undefined) throw new Error(`there is no account ${username}`);
    const user: ActingUser = {
      id: row.id,
      username: row.username,
      displayName: row.displayName,
      role: row.role,
      department: row.department,
      departmentRole: row.departmentRole,
      divisionId: row.divisionId,
    };
    return compileRound(repos, user, roundId, lang, now);
  });
}

/** `compileBenchRoundOn` on the SQLite database `db` (its own store on `db`'s connection). */
export async function compileBenchRound(db: CountersignDb, username: string, roundId: number, lang: Language, now: Date): Promise<CompiledRound> {
  return compileBenchRoundOn(createSqliteStore({ db, sqlite: db.$client }), username, roundId, lang, now);
}
export { createStoreBenchCaller } from "./store-caller.js";
