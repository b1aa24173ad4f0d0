import { and, asc, desc, eq, gt, gte, inArray, isNotNull, lt, ne, not, or, sql } from "drizzle-orm";
import type { SQL } from "drizzle-orm";
import {
  allowedRoundReportActions,
  isDepartmentOnlyRoundReport,
  mayReadRoundReport,
  roundLateFrom,
  roundReportStanding,
  roundReportTextVisible,
  roundStandingCriterion,
  roundStatisticsOfCounts,
} from "@countersign/domain";
import type {
  DepartmentCode,
  RoundRecurrence,
  RoundReportActionType,
  RoundReportCount,
  RoundReportStanding,
  RoundReportStatus,
  RoundStatistics,
  RoundStatus,
  Role,
} from "@countersign/domain";
import type { Queryable } from "@countersign/db";
import { attachmentsTable, measuresTable, reportRoundsTable, roundReportsTable, sectionsTable } from "@countersign/db/schema";
import { ServiceError } from "../../errors.js";
import { actorOf, readsAllDepartments } from "../shared/acting-user.js";
import type { ActingUser } from "../shared/acting-user.js";

export interface RoundSummary {
  id: number;
  planId: number;
  title: string;
  periodStart: string;
  periodEnd: string;
  dueDate: string;
  recurrence: RoundRecurrence;
  status: RoundStatus;
  measureNumbers: number[];
  departments: DepartmentCode[];
  openedAt: string;
  closedAt: string | null;
  version: number;
  /** Over the reports the caller may read (a liaison: its department's). */
  statistics: RoundStatistics;
}

export interface RoundAttachmentView {
  id: number;
  name: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  createdAt: string;
}

export interface RoundReportView {
  id: number;
  assignmentId: number;
  measureNumber: number;
  measureTitle: string;
  sectionNumber: number;
  sectionTitle: string;
  department: DepartmentCode;
  role: "lead" | "supporting";
  status: RoundReportStatus;
  standing: RoundReportStanding;
  /** Null when the caller may not read the text (another's draft). */
  progress: string | null;
  problems: string | null;
  nextSteps: string | null;
  submittedAt: string | null;
  returnedReason: string | null;
  lastRemindedAt: string | null;
  reminders: number;
  version: number;
  allowedActions: RoundReportActionType[];
  attachments: RoundAttachmentView[];
}

export interface RoundDetail extends RoundSummary {
  reports: RoundReportView[];
}

/** A round's header for its page: the summary and what its reports can be filtered by. */
export interface RoundHeader extends RoundSummary {
  /** The measures of the reports the caller may read, in order, with their titles (the measure filter's choices). */
  reportMeasures: { number: number; title: string }[];
  /** The departments of the reports the caller may read, by code (a liaison: its own). */
  reportDepartments: DepartmentCode[];
}

/** Which reports of a round a page holds; every filter optional, all of them met together. */
export interface RoundReportsQuery {
  roundId: number;
  measureNumber?: number | undefined;
  department?: DepartmentCode | undefined;
  /** Any of these standings (`roundReportStanding`). */
  standings?: readonly RoundReportStanding[] | undefined;
  /** Any of these statuses. */
  statuses?: readonly RoundReportStatus[] | undefined;
  /** 1–200; default 50. */
  limit?: number | undefined;
  /** The `nextCursor` of the previous page. */
  cursor?: string | undefined;
}

export interface RoundReportsPage {
  reports: RoundReportView[];
  /** Pass back as `cursor` for the next page; null after the last. */
  nextCursor: string | null;
  /** Reports meeting the filters (over all pages), counted with the first page only (null with a cursor). */
  matching: number | null;
}

export const defaultRoundReportsLimit = 50;
export const maxRoundReportsLimit = 200;

type RoundRow = typeof reportRoundsTable.$inferSelect;
type ReportRow = typeof roundReportsTable.$inferSelect;

function summarize(round: RoundRow, groups: readonly RoundReportCount[], now: Date): RoundSummary {
  return {
    id: round.id,
    planId: round.planId,
    title: round.title,
    periodStart: round.periodStart,
    periodEnd: round.periodEnd,
    dueDate: round.dueDate,
    recurrence: round.recurrence,
    status: round.status,
    measureNumbers: JSON.parse(round.measureNumbers) as number[],
    departments: JSON.parse(round.departments) as string[],
    openedAt: round.openedAt,
    closedAt: round.closedAt,
    version: round.version,
    statistics: roundStatisticsOfCounts(groups, round.dueDate, now),
  };
}

/** The reports a user may read: a liaison (and a department's handlers and leader) its department's; others every one. */
function readableBy(user: ActingUser): SQL | undefined {
  return readsAllDepartments(user) ? undefined : eq(roundReportsTable.department, user.department ?? "");
}

/**
 * The reports of rounds counted by round, department, status and lateness of submission, in one grouped read (a
 * round of 75,000 reports gives one row per department and status, not per report). Submissions are compared with
 * each round's `roundLateFrom` in the query; `where` narrows the reports (rounds, the caller's department).
 */
function countReports(db: Queryable, rounds: readonly RoundRow[], where: SQL | undefined): Map<number, RoundReportCount[]> {
  const r = roundReportsTable;
  const byRound = new Map<number, RoundReportCount[]>();
  // One read per due date: the cut-off is a parameter of the read (rounds of a plan share few due dates).
  const dueDates = [...new Set(rounds.map((x) => x.dueDate))];
  for (const dueDate of dueDates) {
    const ids = rounds.filter((x) => x.dueDate === dueDate).map((x) => x.id);
    const lateFrom = roundLateFrom(dueDate);
    const rows = db
      .select({
        roundId: r.roundId,
        department: r.department,
        status: r.status,
        count: sql<number>`count(*)`.mapWith(Number),
        late: sql<number>`sum(case when ${r.submittedAt} >= ${lateFrom} then 1 else 0 end)`.mapWith(Number),
        unsubmitted: sql<number>`sum(case when ${r.submittedAt} is null then 1 else 0 end)`.mapWith(Number),
      })
      .from(r)
      .where(and(inArray(r.roundId, ids), where))
      .groupBy(r.roundId, r.department, r.status)
      .all();
    for (const row of rows) {
      const list = byRound.get(row.roundId) ?? [];
      const base = { department: row.department, status: row.status };
      list.push({ ...base, submittedLate: true, count: row.late });
      list.push({ ...base, submittedLate: null, count: row.unsubmitted });
      list.push({ ...base, submittedLate: false, count: row.count - row.late - row.unsubmitted });
      byRound.set(row.roundId, list);
    }
  }
  return byRound;
}

/** The rounds of a plan, newest first; a liaison sees the rounds that ask its department and its own counts. */
export function listRounds(db: Queryable, user: ActingUser, planId: number, now: Date): RoundSummary[] {
  const rounds = db.select().from(reportRoundsTable).where(eq(reportRoundsTable.planId, planId)).orderBy(desc(reportRoundsTable.id)).all();
  if (rounds.length === 0) return [];
  const counts = countReports(db, rounds, readableBy(user));
  const all = readsAllDepartments(user);
  return rounds.filter((round) => all || counts.has(round.id)).map((round) => summarize(round, counts.get(round.id) ?? [], now));
}

/** The round, or `not_found`; also for a liaison whose department the round asks nothing of (one report looked for). */
function readableRound(db: Queryable, user: ActingUser, roundId: number): RoundRow {
  const round = db.select().from(reportRoundsTable).where(eq(reportRoundsTable.id, roundId)).get();
  if (round === undefined) throw new ServiceError("not_found", `There is no round ${roundId}.`, { field: "roundId" });
  if (!readsAllDepartments(user)) {
    const r = roundReportsTable;
    const asked = db.select({ id: r.id }).from(r).where(and(eq(r.roundId, round.id), readableBy(user))).limit(1).get();
    if (asked === undefined) throw new ServiceError("not_found", `There is no round ${roundId}.`, { field: "roundId" });
  }
  return round;
}

/** The round and the counts of the reports the caller may read. */
function countedRound(db: Queryable, user: ActingUser, roundId: number): { round: RoundRow; counts: RoundReportCount[] } {
  const round = readableRound(db, user, roundId);
  return { round, counts: countReports(db, [round], readableBy(user)).get(round.id) ?? [] };
}

/** A round's summary with its statistics over the reports the caller may read, counted in the database. `not_found` as `getRound`. */
export function getRoundSummary(db: Queryable, user: ActingUser, roundId: number, now: Date): RoundSummary {
  const { round, counts } = countedRound(db, user, roundId);
  return summarize(round, counts, now);
}

/**
 * A round's header: its summary with the statistics over the reports the caller may read (counted in the database,
 * no report read one by one) and the measures and departments to filter its reports by. `not_found` as `getRound`.
 */
export function getRoundHeader(db: Queryable, user: ActingUser, roundId: number, now: Date): RoundHeader {
  const { round, counts } = countedRound(db, user, roundId);
  const r = roundReportsTable;
  const measureNumbers = db
    .selectDistinct({ number: r.measureNumber })
    .from(r)
    .where(and(eq(r.roundId, round.id), readableBy(user)))
    .all()
    .map((m) => m.number);
  const titles = measureTitles(db, round.planId, measureNumbers);
  const reportMeasures = [...measureNumbers].sort((a, b) => a - b).map((number) => ({ number, title: titles.get(number)?.measureTitle ?? "" }));
  const reportDepartments = [...new Set(counts.map((c) => c.department))].sort();
  return { ...summarize(round, counts, now), reportMeasures, reportDepartments };
}

interface MeasureTitles {
  measureTitle: string;
  sectionNumber: number;
  sectionTitle: string;
}

function measureTitles(db: Queryable, planId: number, numbers: readonly number[]): Map<number, MeasureTitles> {
  if (numbers.length === 0) return new Map();
  const rows = db
    .select({ number: measuresTable.number, measureTitle: measuresTable.title, sectionNumber: sectionsTable.number, sectionTitle: sectionsTable.title })
    .from(measuresTable)
    .innerJoin(sectionsTable, and(eq(sectionsTable.planId, measuresTable.planId), eq(sectionsTable.number, measuresTable.sectionNumber)))
    .where(and(eq(measuresTable.planId, planId), inArray(measuresTable.number, [...new Set(numbers)])))
    .all();
  return new Map(rows.map(({ number, ...rest }) => [number, rest]));
}

// The cursor is the last report's place in the compiled report's order (measure, role, department, id): a keyset,
// so a page costs the same however deep it is, and a report changing state between pages neither moves nor repeats.
interface ReportsCursor {
  measureNumber: number;
  role: Role;
  department: string;
  id: number;
}

function encodeCursor(row: ReportRow): string {
  return Buffer.from(JSON.stringify([row.measureNumber, row.role, row.department, row.id])).toString("base64url");
}

function decodeCursor(cursor: string): ReportsCursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (
      Array.isArray(value) &&
      value.length === 4 &&
      Number.isSafeInteger(value[0]) &&
      (value[1] === "lead" || value[1] === "supporting") &&
      typeof value[2] === "string" &&
      Number.isSafeInteger(value[3])
    ) {
      return { measureNumber: Number(value[0]), role: value[1], department: value[2], id: Number(value[3]) };
    }
  } catch {
    // fall through to the refusal below
  }
  throw new ServiceError("invalid_input", "This cursor is not one round.reports gave out.", { field: "cursor" });
}

/** The condition for reports of any of `standings` (the domain's `roundStandingCriterion`, as a query's terms). */
function standingCondition(standings: readonly RoundReportStanding[], dueDate: string, now: Date): SQL {
  const r = roundReportsTable;
  const submitted = and(eq(r.status, "submitted"), isNotNull(r.submittedAt));
  const terms: SQL[] = [];
  for (const standing of new Set(standings)) {
    const c = roundStandingCriterion(standing, dueDate, now);
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

/**
 * One page of a round's reports the caller may read, in the compiled report's order (measure, lead before supporting,
 * department code, id), filtered by measure, department, standing and status. The same views, permissions and text
 * visibility as `getRound`. Errors: `not_found` (no such round, or a liaison's department not asked),
 * `not_your_department` (a liaison filtering by another department), `invalid_input` (a cursor not given out here).
 */
export function listRoundReports(db: Queryable, user: ActingUser, query: RoundReportsQuery, now: Date): RoundReportsPage {
  const round = readableRound(db, user, query.roundId);
  if (!readsAllDepartments(user) && query.department !== undefined && query.department !== user.department) {
    throw new ServiceError("not_your_department", "A department's accounts read only their own department's reports.", { field: "department" });
  }
  const r = roundReportsTable;
  const limit = Math.min(Math.max(query.limit ?? defaultRoundReportsLimit, 1), maxRoundReportsLimit);
  const filters: (SQL | undefined)[] = [eq(r.roundId, round.id), readableBy(user)];
  if (query.measureNumber !== undefined) filters.push(eq(r.measureNumber, query.measureNumber));
  if (query.department !== undefined) filters.push(eq(r.department, query.department));
  if (query.statuses !== undefined && query.statuses.length > 0) filters.push(inArray(r.status, [...query.statuses]));
  if (query.standings !== undefined && query.standings.length > 0) filters.push(standingCondition(query.standings, round.dueDate, now));
  const where = and(...filters);
  const after = query.cursor === undefined ? null : decodeCursor(query.cursor);
  const keyset =
    after === null
      ? undefined
      : or(
          gt(r.measureNumber, after.measureNumber),
          and(eq(r.measureNumber, after.measureNumber), gt(r.role, after.role)),
          and(eq(r.measureNumber, after.measureNumber), eq(r.role, after.role), gt(r.department, after.department)),
          and(eq(r.measureNumber, after.measureNumber), eq(r.role, after.role), eq(r.department, after.department), gt(r.id, after.id)),
        );
  const rows = db
    .select()
    .from(r)
    .where(and(where, keyset))
    .orderBy(asc(r.measureNumber), asc(r.role), asc(r.department), asc(r.id))
    .limit(limit + 1)
    .all();
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const matching = after === null ? (db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(r).where(where).get()?.n ?? 0) : null;
  const files = filesOf(db, { reportIds: page.map((x) => x.id) });
  return {
    reports: reportViews(db, user, round, page, files, now),
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(last) : null,
    matching,
  };
}

type FileRow = typeof attachmentsTable.$inferSelect;

/** The files of some reports (by id), or of every report of a round (by a subquery: a round of 3,000 departments × 25 measures has more reports than SQLite takes bound variables, 32,766), grouped by report. */
function filesOf(db: Queryable, of: { reportIds: readonly number[] } | { roundId: number }): Map<number, FileRow[]> {
  const files = new Map<number, FileRow[]>();
  if ("reportIds" in of && of.reportIds.length === 0) return files;
  const owners = "reportIds" in of ? [...of.reportIds] : db.select({ id: roundReportsTable.id }).from(roundReportsTable).where(eq(roundReportsTable.roundId, of.roundId));
  for (const f of db
    .select()
    .from(attachmentsTable)
    .where(and(eq(attachmentsTable.ownerKind, "round_report"), inArray(attachmentsTable.ownerId, owners)))
    .orderBy(asc(attachmentsTable.id))
    .all()) {
    const list = files.get(f.ownerId) ?? [];
    list.push(f);
    files.set(f.ownerId, list);
  }
  return files;
}

/** The views of some reports of a round, for `user`: standing, the text where visible, allowed actions, files. */
function reportViews(db: Queryable, user: ActingUser, round: RoundRow, reports: readonly ReportRow[], files: Map<number, FileRow[]>, now: Date): RoundReportView[] {
  const actor = actorOf(user);
  const titles = measureTitles(
    db,
    round.planId,
    reports.map((x) => x.measureNumber),
  );
  const context = { status: round.status, dueDate: round.dueDate };
  return reports
    .filter((report) => mayReadRoundReport(actor, report.department))
    .map((report): RoundReportView => {
      const visible = roundReportTextVisible(actor, report.department, report.status);
      const title = titles.get(report.measureNumber);
      return {
        id: report.id,
        assignmentId: report.assignmentId,
        measureNumber: report.measureNumber,
        measureTitle: title?.measureTitle ?? "",
        sectionNumber: title?.sectionNumber ?? 0,
        sectionTitle: title?.sectionTitle ?? "",
        department: report.department,
        role: report.role,
        status: report.status,
        standing: roundReportStanding(report, round.dueDate, now),
        progress: visible ? report.progress : null,
        problems: visible ? report.problems : null,
        nextSteps: visible ? report.nextSteps : null,
        submittedAt: report.submittedAt,
        // A leader's reason for a return inside the department is the department's own, as is the report's text then.
        returnedReason: visible ? report.returnedReason : null,
        lastRemindedAt: report.lastRemindedAt,
        reminders: report.reminders,
        version: report.version,
        allowedActions: allowedRoundReportActions(report, actor, context, now),
        attachments: (files.get(report.id) ?? [])
          .filter((f) => f.supersededById === null && (visible || !isDepartmentOnlyRoundReport(report.status)))
          .map((f) => ({ id: f.id, name: f.name, contentType: f.contentType, sizeBytes: f.sizeBytes, sha256: f.sha256, createdAt: f.createdAt })),
      };
    });
}

/**
 * One round with every report the caller may read, in the compiled report's order (measure, lead first, department),
 * each with its standing, its allowed actions and its files. A liaison whose department the round does not ask gets
 * `not_found`. Kept for callers that want the whole round at once; a round of thousands of departments is read with
 * `getRoundHeader` and `listRoundReports` a page at a time.
 */
export function getRound(db: Queryable, user: ActingUser, roundId: number, now: Date): RoundDetail {
  const { round, counts } = countedRound(db, user, roundId);
  const r = roundReportsTable;
  const rows = db
    .select()
    .from(r)
    .where(and(eq(r.roundId, round.id), readableBy(user)))
    .orderBy(asc(r.measureNumber), asc(r.role), asc(r.department), asc(r.id))
    .all();
  const files = rows.length === 0 ? new Map<number, FileRow[]>() : filesOf(db, { roundId: round.id });
  return { ...summarize(round, counts, now), reports: reportViews(db, user, round, rows, files, now) };
}
