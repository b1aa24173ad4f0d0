import type { AssignmentStatus, Role, RoundRecurrence, RoundReportStatus, RoundStandingCriterion, RoundStatus } from "@countersign/domain";
import type { AttachmentRecord } from "./attachments.js";

/** A reporting round (定期调度) as stored, its scope parsed: `measureNumbers` and `departments` empty mean all. */
export interface RoundRecord {
  id: number;
  planId: number;
  title: string;
  periodStart: string;
  periodEnd: string;
  dueDate: string;
  measureNumbers: number[];
  departments: string[];
  recurrence: RoundRecurrence;
  status: RoundStatus;
  previousRoundId: number | null;
  openedByUserId: number | null;
  openedAt: string;
  closedAt: string | null;
  dueSoonNotifiedAt: string | null;
  version: number;
}

/** A round as opened (the store gives it its id, status `open` and version 1). */
export type NewRound = Omit<RoundRecord, "id" | "status" | "closedAt" | "dueSoonNotifiedAt" | "version">;

/** One department's report on one assignment in a round, as stored. */
export interface RoundReportRecord {
  id: number;
  roundId: number;
  planId: number;
  assignmentId: number;
  measureNumber: number;
  department: string;
  role: Role;
  status: RoundReportStatus;
  progress: string;
  problems: string;
  nextSteps: string;
  submittedAt: string | null;
  returnedReason: string | null;
  returnedAt: string | null;
  lastRemindedAt: string | null;
  reminders: number;
  updatedAt: string;
  version: number;
}

/** A report as a round asks for it (status `not_reported`, empty text, version 1). */
export type NewRoundReport = Pick<RoundReportRecord, "roundId" | "planId" | "assignmentId" | "measureNumber" | "department" | "role" | "updatedAt">;

/** What one act on a report changes; `version` is moved on by the store. */
export type RoundReportChange = Partial<
  Pick<RoundReportRecord, "status" | "progress" | "problems" | "nextSteps" | "submittedAt" | "returnedReason" | "returnedAt" | "lastRemindedAt" | "reminders">
> & { updatedAt: string };

/** Reports of rounds counted by round, department and status: all, those submitted at or after `lateFrom`, those unsubmitted. */
export interface RoundReportGroupCount {
  roundId: number;
  department: string;
  status: RoundReportStatus;
  count: number;
  late: number;
  unsubmitted: number;
}

/** Which reports of one round: every filter optional, all met together (`department` null: every department). */
export interface RoundReportFilter {
  roundId: number;
  /** The reader's department when it reads only its own; null when it reads every department. */
  readableDepartment: string | null;
  measureNumber?: number | undefined;
  department?: string | undefined;
  statuses?: readonly RoundReportStatus[] | undefined;
  /** Any of these (the domain's `roundStandingCriterion` of each standing asked); absent or empty: no filter. */
  standings?: readonly RoundStandingCriterion[] | undefined;
}

/** A place in the compiled report's order (measure, lead before supporting, department code, id). */
export interface RoundReportKey {
  measureNumber: number;
  role: Role;
  department: string;
  id: number;
}

/** A measure's title and section, as a round's pages print them. */
export interface RoundMeasureTitle {
  number: number;
  measureTitle: string;
  sectionNumber: number;
  sectionTitle: string;
}

/** One row of the compiled report: the report, its text only where `printed` (null otherwise), its measure and section. */
export interface CompiledRoundRow {
  id: number;
  department: string;
  role: Role;
  status: RoundReportStatus;
  submittedAt: string | null;
  progress: string | null;
  problems: string | null;
  nextSteps: string | null;
  measureNumber: number;
  measureTitle: string;
  sectionNumber: number;
  sectionTitle: string;
  numeral: string;
}

/**
 * The reporting rounds (定期调度) and their reports: what apps/server services/rounds read and write. The rules
 * (scope, transitions, who reads what) are the services' and the domain's; this holds only the queries.
 */
export interface RoundsRepo {
  // --- opening a round
  /** A plan's status and titles; undefined when there is no such plan. */
  planOf(planId: number): Promise<{ id: number; status: string; titleZh: string; titleEn: string } | undefined>;
  /** Which of `numbers` are measures of the plan. */
  measureNumbersOf(planId: number, numbers: readonly number[]): Promise<number[]>;
  /** Every department code in the register. */
  departmentCodes(): Promise<string[]>;
  /** The plan's assignments, as a round's scope reads them. */
  assignmentsOf(planId: number): Promise<Array<{ id: number; measureNumber: number; department: string; role: Role; status: AssignmentStatus }>>;
  /** Records an open round at version 1; resolves to its id. */
  insertRound(round: NewRound): Promise<number>;
  /** Records the reports a round asks for (in batches: a round may ask for tens of thousands). */
  insertReports(reports: readonly NewRoundReport[]): Promise<void>;

  // --- closing, the scheduler
  findRound(roundId: number): Promise<RoundRecord | undefined>;
  /** The open rounds, oldest first. */
  openRounds(): Promise<RoundRecord[]>;
  /**
   * Closes the round only if it is still open at `expectedVersion` (a conditional update, so two instances ticking at
   * once close it once); resolves to the new version, or undefined when another change came first.
   */
  closeIfVersion(roundId: number, expectedVersion: number, closedAt: string): Promise<number | undefined>;
  /** Marks the round's "due soon" notice sent, only if it was not yet; resolves to whether this call marked it. */
  markDueSoonNotified(roundId: number, at: string): Promise<boolean>;
  /** The departments with a report of the round not yet submitted, each once, by code. */
  departmentsOwing(roundId: number): Promise<string[]>;
  /** The round's reports counted: all, and those submitted. */
  reportTally(roundId: number): Promise<{ reports: number; submitted: number }>;

  // --- acting on a report
  findReport(reportId: number): Promise<RoundReportRecord | undefined>;
  /**
   * The round, kept from closing until this unit of work ends (PostgreSQL: the row locked `FOR SHARE`, so a close waits
   * for the acts on its reports under way and an act begun after a close sees it closed; SQLite: the one writer).
   */
  findRoundForAct(roundId: number): Promise<RoundRecord | undefined>;
  /** Whether the department's submissions wait for its leader's approval (false for an unknown department). */
  leaderApprovalOf(department: string): Promise<boolean>;
  /** The enabled accounts of the department's leaders, by id. */
  leadersOf(department: string): Promise<number[]>;
  /** Applies `change` only if the report is still at `expectedVersion`; resolves to the new version, or undefined. */
  updateReportIfVersion(reportId: number, expectedVersion: number, change: RoundReportChange): Promise<number | undefined>;

  // --- reading rounds
  /** A plan's rounds, newest first. */
  roundsOfPlan(planId: number): Promise<RoundRecord[]>;
  /** The reports of `roundIds` counted by round, department and status (`department` non-null: only its reports). */
  countReports(roundIds: readonly number[], lateFrom: string, department: string | null): Promise<RoundReportGroupCount[]>;
  /** Whether the round asks `department` for any report. */
  asksDepartment(roundId: number, department: string): Promise<boolean>;
  /** The measure numbers of the round's reports (`department` non-null: of its reports), each once. */
  reportMeasureNumbers(roundId: number, department: string | null): Promise<number[]>;
  /** The titles and sections of some of the plan's measures. */
  measureTitles(planId: number, numbers: readonly number[]): Promise<RoundMeasureTitle[]>;
  /** Reports meeting `filter` after `after` (exclusive) in the compiled report's order, at most `limit` (null: all). */
  reportsPage(filter: RoundReportFilter, after: RoundReportKey | null, limit: number | null): Promise<RoundReportRecord[]>;
  /** How many reports meet `filter`. */
  countMatching(filter: RoundReportFilter): Promise<number>;
  /** The files of some reports (by id) or of every report of a round, oldest first. */
  filesOf(of: { reportIds: readonly number[] } | { roundId: number }): Promise<AttachmentRecord[]>;

  // --- the compiled report
  /** Every report of the round in the compiled report's order, its text only where its status is one of `printed`. */
  compiledRows(roundId: number, printed: readonly RoundReportStatus[]): Promise<CompiledRoundRow[]>;
  /** The names of the standing files (not superseded) of the round's reports whose status is not one of `hidden`, oldest first. */
  shownFileNames(roundId: number, hidden: readonly RoundReportStatus[]): Promise<Array<{ reportId: number; name: string }>>;
  /** Every department's names, by code. */
  departmentNames(): Promise<Array<{ code: string; nameZh: string; nameEn: string }>>;
}
