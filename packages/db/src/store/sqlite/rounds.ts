import { and, asc, desc, eq, gt, gte, inArray, isNotNull, isNull, lt, ne, not, notInArray, or, sql } from "drizzle-orm";
import type { AnyColumn, SQL } from "drizzle-orm";
import type { RoundStandingCriterion } from "@countersign/domain";
import type { Queryable } from "../../client.js";
import {
  assignmentsTable,
  attachmentsTable,
  departmentsTable,
  measuresTable,
  plansTable,
  reportRoundsTable,
  roundReportsTable,
  sectionsTable,
  usersTable,
} from "../../schema/index.js";
import type { RoundRecord, RoundReportFilter, RoundReportKey, RoundsRepo } from "../repos/rounds.js";

/** Reports inserted per statement: 8 columns each, well under SQLite's 32,766 bound variables. */
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

/** The `where` of a `RoundReportFilter` (the columns are the same on both engines' schemas). */
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

export function sqliteRoundsRepo(db: Queryable): RoundsRepo {
  const r = roundReportsTable;
  const rounds = reportRoundsTable;
  const order = [asc(r.measureNumber), asc(r.role), asc(r.department), asc(r.id)];
  return {
    async planOf(planId) {
      return db
        .select({ id: plansTable.id, status: plansTable.status, titleZh: plansTable.titleZh, titleEn: plansTable.titleEn })
        .from(plansTable)
        .where(eq(plansTable.id, planId))
        .get();
    },
    async measureNumbersOf(planId, numbers) {
      if (numbers.length === 0) return [];
      return db
        .select({ n: measuresTable.number })
        .from(measuresTable)
        .where(and(eq(measuresTable.planId, planId), inArray(measuresTable.number, [...new Set(numbers)])))
        .all()
        .map((m) => m.n);
    },
    async departmentCodes() {
      return db.select({ code: departmentsTable.code }).from(departmentsTable).all().map((d) => d.code);
    },
    async assignmentsOf(planId) {
      const a = assignmentsTable;
      return db.select({ id: a.id, measureNumber: a.measureNumber, department: a.department, role: a.role, status: a.status }).from(a).where(eq(a.planId, planId)).all();
    },
    async insertRound(round) {
      return db
        .insert(rounds)
        .values({ ...round, measureNumbers: JSON.stringify(round.measureNumbers), departments: JSON.stringify(round.departments), status: "open" })
        .returning({ id: rounds.id })
        .get().id;
    },
    async insertReports(reports) {
      for (let i = 0; i < reports.length; i += reportBatch) {
        db.insert(r)
          .values(reports.slice(i, i + reportBatch).map((x) => ({ ...x, status: "not_reported" as const })))
          .run();
      }
    },
    async findRound(roundId) {
      const row = db.select().from(rounds).where(eq(rounds.id, roundId)).get();
      return row === undefined ? undefined : roundRecordOf(row);
    },
    async openRounds() {
      return db.select().from(rounds).where(eq(rounds.status, "open")).orderBy(asc(rounds.id)).all().map(roundRecordOf);
    },
    async closeIfVersion(roundId, expectedVersion, closedAt) {
      return db
        .update(rounds)
        .set({ status: "closed", closedAt, version: expectedVersion + 1 })
        .where(and(eq(rounds.id, roundId), eq(rounds.status, "open"), eq(rounds.version, expectedVersion)))
        .returning({ version: rounds.version })
        .get()?.version;
    },
    async markDueSoonNotified(roundId, at) {
      const row = db
        .update(rounds)
        .set({ dueSoonNotifiedAt: at })
        .where(and(eq(rounds.id, roundId), isNull(rounds.dueSoonNotifiedAt)))
        .returning({ id: rounds.id })
        .get();
      return row !== undefined;
    },
    async departmentsOwing(roundId) {
      return db
        .selectDistinct({ department: r.department })
        .from(r)
        .where(and(eq(r.roundId, roundId), isNull(r.submittedAt)))
        .orderBy(asc(r.department))
        .all()
        .map((x) => x.department);
    },
    async reportTally(roundId) {
      const row = db
        .select({
          reports: sql<number>`count(*)`.mapWith(Number),
          submitted: sql<number>`coalesce(sum(case when ${r.status} = 'submitted' then 1 else 0 end), 0)`.mapWith(Number),
        })
        .from(r)
        .where(eq(r.roundId, roundId))
        .get();
      return { reports: row?.reports ?? 0, submitted: row?.submitted ?? 0 };
    },
    async findRoundForAct(roundId) {
      // One writer at a time: no close can run between this read and the unit of work's end.
      const row = db.select().from(rounds).where(eq(rounds.id, roundId)).get();
      return row === undefined ? undefined : roundRecordOf(row);
    },
    async findReport(reportId) {
      return db.select().from(r).where(eq(r.id, reportId)).get();
    },
    async leaderApprovalOf(department) {
      const row = db.select({ leaderApproval: departmentsTable.leaderApproval }).from(departmentsTable).where(eq(departmentsTable.code, department)).get();
      return row?.leaderApproval === true;
    },
    async leadersOf(department) {
      return db
        .select({ id: usersTable.id })
        .from(usersTable)
        .where(and(eq(usersTable.department, department), eq(usersTable.departmentRole, "leader"), isNull(usersTable.disabledAt)))
        .orderBy(asc(usersTable.id))
        .all()
        .map((u) => u.id);
    },
    async updateReportIfVersion(reportId, expectedVersion, change) {
      return db
        .update(r)
        .set({ ...change, version: expectedVersion + 1 })
        .where(and(eq(r.id, reportId), eq(r.version, expectedVersion)))
        .returning({ version: r.version })
        .get()?.version;
    },
    async roundsOfPlan(planId) {
      return db.select().from(rounds).where(eq(rounds.planId, planId)).orderBy(desc(rounds.id)).all().map(roundRecordOf);
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
        .groupBy(r.roundId, r.department, r.status)
        .all();
    },
    async asksDepartment(roundId, department) {
      return db.select({ id: r.id }).from(r).where(and(eq(r.roundId, roundId), eq(r.department, department))).limit(1).get() !== undefined;
    },
    async reportMeasureNumbers(roundId, department) {
      return db
        .selectDistinct({ number: r.measureNumber })
        .from(r)
        .where(and(eq(r.roundId, roundId), department === null ? undefined : eq(r.department, department)))
        .all()
        .map((m) => m.number);
    },
    async measureTitles(planId, numbers) {
      if (numbers.length === 0) return [];
      return db
        .select({ number: measuresTable.number, measureTitle: measuresTable.title, sectionNumber: sectionsTable.number, sectionTitle: sectionsTable.title })
        .from(measuresTable)
        .innerJoin(sectionsTable, and(eq(sectionsTable.planId, measuresTable.planId), eq(sectionsTable.number, measuresTable.sectionNumber)))
        .where(and(eq(measuresTable.planId, planId), inArray(measuresTable.number, [...new Set(numbers)])))
        .all();
    },
    async reportsPage(filter, after, limit) {
      const rows = db
        .select()
        .from(r)
        .where(and(reportFilterCondition(filter), afterKey(after)))
        .orderBy(...order);
      return limit === null ? rows.all() : rows.limit(limit).all();
    },
    async countMatching(filter) {
      return db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(r).where(reportFilterCondition(filter)).get()?.n ?? 0;
    },
    async filesOf(of) {
      if ("reportIds" in of && of.reportIds.length === 0) return [];
      // By a subquery for a whole round: a round of 3,000 departments × 25 measures has more reports than SQLite takes bound variables.
      const owners = "reportIds" in of ? [...of.reportIds] : db.select({ id: r.id }).from(r).where(eq(r.roundId, of.roundId));
      return db
        .select()
        .from(attachmentsTable)
        .where(and(eq(attachmentsTable.ownerKind, "round_report"), inArray(attachmentsTable.ownerId, owners)))
        .orderBy(asc(attachmentsTable.id))
        .all();
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
        .orderBy(asc(sectionsTable.number), ...order)
        .all();
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
        .orderBy(asc(attachmentsTable.id))
        .all();
    },
    async departmentNames() {
      return db.select({ code: departmentsTable.code, nameZh: departmentsTable.nameZh, nameEn: departmentsTable.nameEn }).from(departmentsTable).all();
    },
  };
}
