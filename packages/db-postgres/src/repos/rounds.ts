import { and, asc, desc, eq, gt, gte, inArray, isNotNull, isNull, lt, ne, not, notInArray, or, sql } from "drizzle-orm";
import type { AnyColumn, SQL } from "drizzle-orm";
import type { RoundStandingCriterion } from "@countersign/domain";
import type { RoundRecord, RoundReportFilter, RoundReportKey, RoundsRepo } from "@countersign/db";
import type { PostgresDb } from "../connect.js";
import { assignmentsTable } from "../schema/assignments.js";
import { attachmentsTable } from "../schema/attachments.js";
import { departmentsTable } from "../schema/departments.js";
import { measuresTable } from "../schema/measures.js";
import { plansTable } from "../schema/plans.js";
import { reportRoundsTable, roundReportsTable } from "../schema/rounds.js";
import { sectionsTable } from "../schema/sections.js";
import { usersTable } from "../schema/users.js";
import type { PostgresTx } from "../store.js";

/** Reports inserted per statement: 9 columns each, well under PostgreSQL's 65,535 bound parameters. */
const reportBatch = 1000;

type RoundRow = typeof reportRoundsTable.$inferSelect;

function roundRecordOf(row: RoundRow): RoundRecord {
  return { ...row, measureNumbers: JSON.parse(row.measureNumbers) as number[], departments: JSON.parse(row.departments) as string[] };
}

/** The condition for reports meeting any of `criteria` (the domain's `roundStandingCriterion`, as a query's terms). */
function standingCondition(criteria: readonly RoundStandingCriterion[]): SQL {
  const r = roundReportsTable;
  const submitted = and(eq(r.status, "submitted"), isNotNull(r.submittedAt));
  const terms: SQL[] = [];
  for (const c of criteria) {
    if (c.kind === "submitted") {
      const term = and(submitted, c.late ? gte(r.submittedAt, c.lateFrom) : lt(r.submittedAt, c.lateFrom));
      if (term !== undefined) terms.push(term);
    } else if (c.kind === "returned") terms.push(eq(r.status, "returned"));
    else if (c.kind === "outstanding") {
      const term = and(ne(r.status, "returned"), submitted === undefined ? undefined : not(submitted));
      if (term !== undefined) terms.push(term);
    }
  }
  return or(...terms) ?? sql`1 = 0`;
}

/** The `where` of a `RoundReportFilter` (as the SQLite adapter's, on this schema). */
function reportFilterCondition(filter: RoundReportFilter): SQL | undefined {
  const r = roundReportsTable;
  const terms: (SQL | undefined)[] = [eq(r.roundId, filter.roundId)];
  if (filter.readableDepartment !== null) terms.push(eq(r.department, filter.readableDepartment));
  if (filter.measureNumber !== undefined) terms.push(eq(r.measureNumber, filter.measureNumber));
  if (filter.department !== undefined) terms.push(eq(r.department, filter.department));
  if (filter.statuses !== undefined && filter.statuses.length > 0) terms.push(inArray(r.status, [...filter.statuses]));
  if (filter.standings !== undefined && filter.standings.length > 0) terms.push(standingCondition(filter.standings));
  return and(...terms);
}

/** Reports after `after` in the compiled report's order (measure, role, department, id): the keyset of a page. */
function afterKey(after: RoundReportKey | null): SQL | undefined {
  if (after === null) return undefined;
  const r = roundReportsTable;
  return or(
    gt(r.measureNumber, after.measureNumber),
    and(eq(r.measureNumber, after.measureNumber), gt(r.role, after.role)),
    and(eq(r.measureNumber, after.measureNumber), eq(r.role, after.role), gt(r.department, after.department)),
    and(eq(r.measureNumber, after.measureNumber), eq(r.role, after.role), eq(r.department, after.department), gt(r.id, after.id)),
  );
}

export function postgresRoundsRepo(db: PostgresDb | PostgresTx): RoundsRepo {
  const r = roundReportsTable;
  const rounds = reportRoundsTable;
  const order = [asc(r.measureNumber), asc(r.role), asc(r.department), asc(r.id)];
  return {
    async planOf(planId) {
      const [row] = await db
        .select({ id: plansTable.id, status: plansTable.status, titleZh: plansTable.titleZh, titleEn: plansTable.titleEn })
        .from(plansTable)
        .where(eq(plansTable.id, planId));
      return row;
    },
    async measureNumbersOf(planId, numbers) {
      if (numbers.length === 0) return [];
      const rows = await db
        .select({ n: measuresTable.number })
        .from(measuresTable)
        .where(and(eq(measuresTable.planId, planId), inArray(measuresTable.number, [...new Set(numbers)])));
      return rows.map((m) => m.n);
    },
    async departmentCodes() {
      return (await db.select({ code: departmentsTable.code }).from(departmentsTable)).map((d) => d.code);
    },
    async assignmentsOf(planId) {
      const a = assignmentsTable;
      return db.select({ id: a.id, measureNumber: a.measureNumber, department: a.department, role: a.role, status: a.status }).from(a).where(eq(a.planId, planId));
    },
    async insertRound(round) {
      const [row] = await db
        .insert(rounds)
        .values({ ...round, measureNumbers: JSON.stringify(round.measureNumbers), departments: JSON.stringify(round.departments), status: "open" })
        .returning({ id: rounds.id });
      if (row === undefined) throw new Error("the round was not recorded");
      return row.id;
    },
    async insertReports(reports) {
      for (let i = 0; i < reports.length; i += reportBatch) {
        await db.insert(r).values(reports.slice(i, i + reportBatch).map((x) => ({ ...x, status: "not_reported" as const })));
      }
    },
    async findRound(roundId) {
      const [row] = await db.select().from(rounds).where(eq(rounds.id, roundId));
      return row === undefined ? undefined : roundRecordOf(row);
    },
    async openRounds() {
      return (await db.select().from(rounds).where(eq(rounds.status, "open")).orderBy(asc(rounds.id))).map(roundRecordOf);
    },
    async closeIfVersion(roundId, expectedVersion, closedAt) {
      // Read committed: a concurrent close waits for this row's lock, then finds the version moved on and updates nothing.
      const [row] = await db
        .update(rounds)
        .set({ status: "closed", closedAt, version: expectedVersion + 1 })
        .where(and(eq(rounds.id, roundId), eq(rounds.status, "open"), eq(rounds.version, expectedVersion)))
        .returning({ version: rounds.version });
      return row?.version;
    },
    async markDueSoonNotified(roundId, at) {
      const rows = await db
        .update(rounds)
        .set({ dueSoonNotifiedAt: at })
        .where(and(eq(rounds.id, roundId), isNull(rounds.dueSoonNotifiedAt)))
        .returning({ id: rounds.id });
      return rows.length > 0;
    },
    async departmentsOwing(roundId) {
      const rows = await db
        .selectDistinct({ department: r.department })
        .from(r)
        .where(and(eq(r.roundId, roundId), isNull(r.submittedAt)))
        .orderBy(asc(r.department));
      return rows.map((x) => x.department);
    },
    async reportTally(roundId) {
      const [row] = await db
        .select({
          reports: sql<number>`count(*)`.mapWith(Number),
          submitted: sql<number>`coalesce(sum(case when ${r.status} = 'submitted' then 1 else 0 end), 0)`.mapWith(Number),
        })
        .from(r)
        .where(eq(r.roundId, roundId));
      return { reports: row?.reports ?? 0, submitted: row?.submitted ?? 0 };
    },
    async findRoundForAct(roundId) {
      // FOR SHARE conflicts with the close's update: read committed then returns the row as the close left it.
      const [row] = await db.select().from(rounds).where(eq(rounds.id, roundId)).for("share");
      return row === undefined ? undefined : roundRecordOf(row);
    },
    async findReport(reportId) {
      const [row] = await db.select().from(r).where(eq(r.id, reportId));
      return row;
    },
    async leaderApprovalOf(department) {
      const [row] = await db.select({ leaderApproval: departmentsTable.leaderApproval }).from(departmentsTable).where(eq(departmentsTable.code, department));
      return row?.leaderApproval === true;
    },
    async leadersOf(department) {
      const rows = await db
        .select({ id: usersTable.id })
        .from(usersTable)
        .where(and(eq(usersTable.department, department), eq(usersTable.departmentRole, "leader"), isNull(usersTable.disabledAt)))
        .orderBy(asc(usersTable.id));
      return rows.map((u) => u.id);
    },
    async updateReportIfVersion(reportId, expectedVersion, change) {
      const [row] = await db
        .update(r)
        .set({ ...change, version: expectedVersion + 1 })
        .where(and(eq(r.id, reportId), eq(r.version, expectedVersion)))
        .returning({ version: r.version });
      return row?.version;
    },
    async roundsOfPlan(planId) {
      return (await db.select().from(rounds).where(eq(rounds.planId, planId)).orderBy(desc(rounds.id))).map(roundRecordOf);
    },
    async countReports(roundIds, lateFrom, department) {
      if (roundIds.length === 0) return [];
      return db
        .select({
          roundId: r.roundId,
          department: r.department,
          status: r.status,
          count: sql<number>`count(*)`.mapWith(Number),
          late: sql<number>`sum(case when ${r.submittedAt} >= ${lateFrom} then 1 else 0 end)`.mapWith(Number),
          unsubmitted: sql<number>`sum(case when ${r.submittedAt} is null then 1 else 0 end)`.mapWith(Number),
        })
        .from(r)
        .where(and(inArray(r.roundId, [...roundIds]), department === null ? undefined : eq(r.department, department)))
        .groupBy(r.roundId, r.department, r.status);
    },
    async asksDepartment(roundId, department) {
      const rows = await db.select({ id: r.id }).from(r).where(and(eq(r.roundId, roundId), eq(r.department, department))).limit(1);
      return rows.length > 0;
    },
    async reportMeasureNumbers(roundId, department) {
      const rows = await db
        .selectDistinct({ number: r.measureNumber })
        .from(r)
        .where(and(eq(r.roundId, roundId), department === null ? undefined : eq(r.department, department)));
      return rows.map((m) => m.number);
    },
    async measureTitles(planId, numbers) {
      if (numbers.length === 0) return [];
      return db
        .select({ number: measuresTable.number, measureTitle: measuresTable.title, sectionNumber: sectionsTable.number, sectionTitle: sectionsTable.title })
        .from(measuresTable)
        .innerJoin(sectionsTable, and(eq(sectionsTable.planId, measuresTable.planId), eq(sectionsTable.number, measuresTable.sectionNumber)))
        .where(and(eq(measuresTable.planId, planId), inArray(measuresTable.number, [...new Set(numbers)])));
    },
    async reportsPage(filter, after, limit) {
      const rows = db
        .select()
        .from(r)
        .where(and(reportFilterCondition(filter), afterKey(after)))
        .orderBy(...order);
      return limit === null ? rows : rows.limit(limit);
    },
    async countMatching(filter) {
      const [row] = await db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(r).where(reportFilterCondition(filter));
      return row?.n ?? 0;
    },
    async filesOf(of) {
      if ("reportIds" in of && of.reportIds.length === 0) return [];
      const owners = "reportIds" in of ? [...of.reportIds] : db.select({ id: r.id }).from(r).where(eq(r.roundId, of.roundId));
      return db
        .select()
        .from(attachmentsTable)
        .where(and(eq(attachmentsTable.ownerKind, "round_report"), inArray(attachmentsTable.ownerId, owners)))
        .orderBy(asc(attachmentsTable.id));
    },
    async compiledRows(roundId, printed) {
      const isPrinted = inArray(r.status, [...printed]);
      const textOf = (column: AnyColumn) => sql<string | null>`case when ${isPrinted} then ${column} else null end`;
      return db
        .select({
          id: r.id,
          department: r.department,
          role: r.role,
          status: r.status,
          submittedAt: r.submittedAt,
          progress: textOf(r.progress),
          problems: textOf(r.problems),
          nextSteps: textOf(r.nextSteps),
          measureNumber: r.measureNumber,
          measureTitle: measuresTable.title,
          sectionNumber: sectionsTable.number,
          sectionTitle: sectionsTable.title,
          numeral: sectionsTable.numeral,
        })
        .from(r)
        .innerJoin(measuresTable, and(eq(measuresTable.planId, r.planId), eq(measuresTable.number, r.measureNumber)))
        .innerJoin(sectionsTable, and(eq(sectionsTable.planId, r.planId), eq(sectionsTable.number, measuresTable.sectionNumber)))
        .where(eq(r.roundId, roundId))
        .orderBy(asc(sectionsTable.number), ...order);
    },
    async shownFileNames(roundId, hidden) {
      const shown = db
        .select({ id: r.id })
        .from(r)
        .where(and(eq(r.roundId, roundId), notInArray(r.status, [...hidden])));
      return db
        .select({ reportId: attachmentsTable.ownerId, name: attachmentsTable.name })
        .from(attachmentsTable)
        .where(and(eq(attachmentsTable.ownerKind, "round_report"), isNull(attachmentsTable.supersededById), inArray(attachmentsTable.ownerId, shown)))
        .orderBy(asc(attachmentsTable.id));
    },
    async departmentNames() {
      return db.select({ code: departmentsTable.code, nameZh: departmentsTable.nameZh, nameEn: departmentsTable.nameEn }).from(departmentsTable);
    },
  };
}
