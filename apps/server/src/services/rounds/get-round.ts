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
import type { AttachmentRecord, Repositories, RoundRecord, RoundReportFilter, RoundReportRecord } from "@countersign/db";
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

type RoundRow = RoundRecord;
type ReportRow = RoundReportRecord;
type FileRow = AttachmentRecord;

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
    measureNumbers: round.measureNumbers,
    departments: round.departments,
    openedAt: round.openedAt,
    closedAt: round.closedAt,
    version: round.version,
    statistics: roundStatisticsOfCounts(groups, round.dueDate, now),
  };
}

/** The department whose reports a user reads: a liaison's (and a department's handlers' and leader's) own; null for those who read every one. */
function readableDepartment(user: ActingUser): string | null {
  return readsAllDepartments(user) ? null : (user.department ?? "");
}

/**
 * The reports of rounds counted by round, department, status and lateness of submission, in one grouped read per
 * due date (a round of 75,000 reports gives one row per department and status, not per report). Submissions are
 * compared with each round's `roundLateFrom` in the query; `department` narrows to the caller's reports.
 */
async function countReports(repos: Repositories, rounds: readonly RoundRow[], department: string | null): Promise<Map<number, RoundReportCount[]>> {
  const byRound = new Map<number, RoundReportCount[]>();
  // One read per due date: the cut-off is a parameter of the read (rounds of a plan share few due dates).
  const dueDates = [...new Set(rounds.map((x) => x.dueDate))];
  for (const dueDate of dueDates) {
    const ids = rounds.filter((x) => x.dueDate === dueDate).map((x) => x.id);
    for (const row of await repos.rounds.countReports(ids, roundLateFrom(dueDate), department)) {
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
export async function listRounds(repos: Repositories, user: ActingUser, planId: number, now: Date): Promise<RoundSummary[]> {
  const rounds = await repos.rounds.roundsOfPlan(planId);
  if (rounds.length === 0) return [];
  const counts = await countReports(repos, rounds, readableDepartment(user));
  const all = readsAllDepartments(user);
  return rounds.filter((round) => all || counts.has(round.id)).map((round) => summarize(round, counts.get(round.id) ?? [], now));
}

/** The round, or `not_found`; also for a liaison whose department the round asks nothing of (one report looked for). */
async function readableRound(repos: Repositories, user: ActingUser, roundId: number): Promise<RoundRow> {
  const round = await repos.rounds.findRound(roundId);
  if (round === undefined) throw new ServiceError("not_found", `There is no round ${roundId}.`, { field: "roundId" });
  const department = readableDepartment(user);
  if (department !== null && !(await repos.rounds.asksDepartment(round.id, department))) {
    throw new ServiceError("not_found", `There is no round ${roundId}.`, { field: "roundId" });
  }
  return round;
}

/** The round and the counts of the reports the caller may read. */
async function countedRound(repos: Repositories, user: ActingUser, roundId: number): Promise<{ round: RoundRow; counts: RoundReportCount[] }> {
  const round = await readableRound(repos, user, roundId);
  return { round, counts: (await countReports(repos, [round], readableDepartment(user))).get(round.id) ?? [] };
}

/** A round's summary with its statistics over the reports the caller may read, counted in the database. `not_found` as `getRound`. */
export async function getRoundSummary(repos: Repositories, user: ActingUser, roundId: number, now: Date): Promise<RoundSummary> {
  const { round, counts } = await countedRound(repos, user, roundId);
  return summarize(round, counts, now);
}

/**
 * A round's header: its summary with the statistics over the reports the caller may read (counted in the database,
 * no report read one by one) and the measures and departments to filter its reports by. `not_found` as `getRound`.
 */
export async function getRoundHeader(repos: Repositories, user: ActingUser, roundId: number, now: Date): Promise<RoundHeader> {
  const { round, counts } = await countedRound(repos, user, roundId);
  const measureNumbers = await repos.rounds.reportMeasureNumbers(round.id, readableDepartment(user));
  const titles = await measureTitles(repos, round.planId, measureNumbers);
  const reportMeasures = [...measureNumbers].sort((a, b) => a - b).map((number) => ({ number, title: titles.get(number)?.measureTitle ?? "" }));
  const reportDepartments = [...new Set(counts.map((c) => c.department))].sort();
  return { ...summarize(round, counts, now), reportMeasures, reportDepartments };
}

interface MeasureTitles {
  measureTitle: string;
  sectionNumber: number;
  sectionTitle: string;
}

async function measureTitles(repos: Repositories, planId: number, numbers: readonly number[]): Promise<Map<number, MeasureTitles>> {
  if (numbers.length === 0) return new Map();
  const rows = await repos.rounds.measureTitles(planId, [...new Set(numbers)]);
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

/**
 * One page of a round's reports the caller may read, in the compiled report's order (measure, lead before supporting,
 * department code, id), filtered by measure, department, standing and status. The same views, permissions and text
 * visibility as `getRound`. Errors: `not_found` (no such round, or a liaison's department not asked),
 * `not_your_department` (a liaison filtering by another department), `invalid_input` (a cursor not given out here).
 */
export async function listRoundReports(repos: Repositories, user: ActingUser, query: RoundReportsQuery, now: Date): Promise<RoundReportsPage> {
  const round = await readableRound(repos, user, query.roundId);
  if (!readsAllDepartments(user) && query.department !== undefined && query.department !== user.department) {
    throw new ServiceError("not_your_department", "A department's accounts read only their own department's reports.", { field: "department" });
  }
  const limit = Math.min(Math.max(query.limit ?? defaultRoundReportsLimit, 1), maxRoundReportsLimit);
  const filter: RoundReportFilter = {
    roundId: round.id,
    readableDepartment: readableDepartment(user),
    measureNumber: query.measureNumber,
    department: query.department,
    statuses: query.statuses,
    // The domain's criterion of each standing asked, which the repository turns into the query's terms.
    standings: query.standings === undefined ? undefined : [...new Set(query.standings)].map((s) => roundStandingCriterion(s, round.dueDate, now)),
  };
  const after = query.cursor === undefined ? null : decodeCursor(query.cursor);
  const rows = await repos.rounds.reportsPage(filter, after, limit + 1);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const matching = after === null ? await repos.rounds.countMatching(filter) : null;
  const files = await filesOf(repos, { reportIds: page.map((x) => x.id) });
  return {
    reports: await reportViews(repos, user, round, page, files, now),
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(last) : null,
    matching,
  };
}

/** The files of some reports (by id), or of every report of a round, grouped by report. */
async function filesOf(repos: Repositories, of: { reportIds: readonly number[] } | { roundId: number }): Promise<Map<number, FileRow[]>> {
  const files = new Map<number, FileRow[]>();
  for (const f of await repos.rounds.filesOf(of)) {
    const list = files.get(f.ownerId) ?? [];
    list.push(f);
    files.set(f.ownerId, list);
  }
  return files;
}

/** The views of some reports of a round, for `user`: standing, the text where visible, allowed actions, files. */
async function reportViews(
  repos: Repositories,
  user: ActingUser,
  round: RoundRow,
  reports: readonly ReportRow[],
  files: Map<number, FileRow[]>,
  now: Date,
): Promise<RoundReportView[]> {
  const actor = actorOf(user);
  const titles = await measureTitles(
    repos,
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
export async function getRound(repos: Repositories, user: ActingUser, roundId: number, now: Date): Promise<RoundDetail> {
  const { round, counts } = await countedRound(repos, user, roundId);
  const rows = await repos.rounds.reportsPage({ roundId: round.id, readableDepartment: readableDepartment(user) }, null, null);
  const files = rows.length === 0 ? new Map<number, FileRow[]>() : await filesOf(repos, { roundId: round.id });
  return { ...summarize(round, counts, now), reports: await reportViews(repos, user, round, rows, files, now) };
}
