import { and, asc, desc, eq, inArray } from "drizzle-orm";
import { allowedRoundReportActions, isDepartmentOnlyRoundReport, mayReadRoundReport, roundReportStanding, roundReportTextVisible, roundStatistics } from "@countersign/domain";
import type {
  DepartmentCode,
  RoundRecurrence,
  RoundReportActionType,
  RoundReportStanding,
  RoundReportStatus,
  RoundStatistics,
  RoundStatus,
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

type RoundRow = typeof reportRoundsTable.$inferSelect;

function summarize(round: RoundRow, reports: readonly { department: string; status: RoundReportStatus; submittedAt: string | null }[], now: Date): RoundSummary {
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
    statistics: roundStatistics(reports, round.dueDate, now),
  };
}

/** The rounds of a plan, newest first; a liaison sees the rounds that ask its department and its own counts. */
export function listRounds(db: Queryable, user: ActingUser, planId: number, now: Date): RoundSummary[] {
  const rounds = db.select().from(reportRoundsTable).where(eq(reportRoundsTable.planId, planId)).orderBy(desc(reportRoundsTable.id)).all();
  if (rounds.length === 0) return [];
  const r = roundReportsTable;
  const all = readsAllDepartments(user);
  const reports = db
    .select({ roundId: r.roundId, department: r.department, status: r.status, submittedAt: r.submittedAt })
    .from(r)
    .where(
      all
        ? inArray(r.roundId, rounds.map((x) => x.id))
        : and(inArray(r.roundId, rounds.map((x) => x.id)), eq(r.department, user.department ?? "")),
    )
    .all();
  const byRound = new Map<number, typeof reports>();
  for (const rep of reports) byRound.set(rep.roundId, [...(byRound.get(rep.roundId) ?? []), rep]);
  return rounds.filter((round) => all || byRound.has(round.id)).map((round) => summarize(round, byRound.get(round.id) ?? [], now));
}

/**
 * One round with the reports the caller may read, in the compiled report's order (section, measure, lead first,
 * department), each with its standing, its allowed actions and its files. A liaison whose department the round does
 * not ask gets `not_found`.
 */
export function getRound(db: Queryable, user: ActingUser, roundId: number, now: Date): RoundDetail {
  const round = db.select().from(reportRoundsTable).where(eq(reportRoundsTable.id, roundId)).get();
  if (round === undefined) throw new ServiceError("not_found", `There is no round ${roundId}.`, { field: "roundId" });
  const actor = actorOf(user);
  const r = roundReportsTable;
  const rows = db
    .select({ report: r, measureTitle: measuresTable.title, sectionNumber: sectionsTable.number, sectionTitle: sectionsTable.title })
    .from(r)
    .innerJoin(measuresTable, and(eq(measuresTable.planId, r.planId), eq(measuresTable.number, r.measureNumber)))
    .innerJoin(sectionsTable, and(eq(sectionsTable.planId, r.planId), eq(sectionsTable.number, measuresTable.sectionNumber)))
    .where(eq(r.roundId, round.id))
    .orderBy(asc(r.measureNumber), asc(r.role), asc(r.department))
    .all()
    .filter((row) => mayReadRoundReport(actor, row.report.department));
  if (!readsAllDepartments(user) && rows.length === 0) throw new ServiceError("not_found", `There is no round ${roundId}.`, { field: "roundId" });
  // The round's files in one read, by a subquery rather than a list of ids: a round of 3,000 departments × 25
  // measures has more reports than SQLite takes bound variables (32,766); then grouped by report, not searched per report.
  const files = new Map<number, (typeof attachmentsTable.$inferSelect)[]>();
  if (rows.length > 0) {
    const roundReportIds = db.select({ id: r.id }).from(r).where(eq(r.roundId, round.id));
    for (const f of db
      .select()
      .from(attachmentsTable)
      .where(and(eq(attachmentsTable.ownerKind, "round_report"), inArray(attachmentsTable.ownerId, roundReportIds)))
      .orderBy(asc(attachmentsTable.id))
      .all()) {
      const list = files.get(f.ownerId) ?? [];
      list.push(f);
      files.set(f.ownerId, list);
    }
  }
  const context = { status: round.status, dueDate: round.dueDate };
  const reports = rows.map(({ report, measureTitle, sectionNumber, sectionTitle }): RoundReportView => {
    const visible = roundReportTextVisible(actor, report.department, report.status);
    return {
      id: report.id,
      assignmentId: report.assignmentId,
      measureNumber: report.measureNumber,
      measureTitle,
      sectionNumber,
      sectionTitle,
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
  return { ...summarize(round, rows.map((row) => row.report), now), reports };
}
