/**
 * Round reports down the levels (issue 16, point 3): the rounds an organisation's office gets when the level above opens
 * one, its level report (上报) to the round above, compiled from its own round and signed off, and the level above's
 * view of its children's reports. The rules (states, who writes, signs off, returns and sees what) are the domain's
 * `cascade/level-reports.ts`; here: read → the domain's function → write one change set and its audit event, inside the
 * caller's unit of work `tx` (either engine; nothing outside it).
 */
import {
  allowedLevelReportActions,
  childRoundMeasureNumbers,
  departmentOnlyRoundReportStatuses,
  levelReportAccess,
  levelReportActionTakesFiles,
  levelReportFileSeenAboveUntil,
  levelReportFileWithdrawal,
  levelReportSeenAbove,
  levelReportStanding,
  levelReportTransition,
  roundReportStanding,
  roundStatistics,
} from "@countersign/domain";
import type {
  LevelReportAction,
  LevelReportActionType,
  LevelReportActor,
  LevelReportContext,
  LevelReportStanding,
  LevelReportStatus,
  RoundReportStanding,
  RoundReportStatus,
  RoundStatistics,
} from "@countersign/domain";
import type { CompiledLevelReport } from "@countersign/exports";
import type { AnyStoreTransaction, AuditPayload, LevelReportChange, LevelReportFileRecord, LevelReportRecord, Repositories, RoundRecord } from "@countersign/db";
import { checkActFiles } from "../attachments/attachment-rules.js";
import { databaseAttachmentStore } from "../attachments/attachment-store.js";
import type { ObjectBytesReader } from "../attachments/read-attachment.js";
import type { IncomingFile } from "../attachments/attachment-rules.js";
import { attachmentsAuditPayload } from "../attachments/store-attachments.js";
import { ServiceError } from "../../errors.js";
import type { ErrorCode } from "../../errors.js";
import { organisationOfActor } from "../cascade/boundary.js";
import { notifyOnSeam } from "../notifications/notify.js";
import type { OutboundChannels } from "../notifications/notify.js";
import { auditActorOf, readsAllDepartments, requireRole } from "../shared/acting-user.js";
import type { ActingUser } from "../shared/acting-user.js";

/** The statuses of a department's report whose text a compilation carries up: what was submitted (rounds.ts). */
const printedStatuses = ["submitted", "returned"] as const satisfies readonly RoundReportStatus[];

/** One department's report as a level compilation carries it. */
export interface CompiledDepartmentReport {
  measureNumber: number;
  measureTitle: string;
  department: { code: string; nameZh: string; nameEn: string };
  role: "lead" | "supporting";
  standing: RoundReportStanding;
  submittedAt: string | null;
  /** Null when not submitted (a draft is the department's own). */
  progress: string | null;
  problems: string | null;
  nextSteps: string | null;
  /** Names of the files the level sees (佐证材料). */
  attachments: string[];
}

/** A child's level report as its parent's compilation carries it: "not yet reported" unless it was signed off. */
export interface CompiledChildReport {
  organisation: { id: string; nameZh: string; nameEn: string };
  standing: LevelReportStanding;
  submittedAt: string | null;
  /** The signed-off text; null when not yet reported. */
  progress: string | null;
  problems: string | null;
  nextSteps: string | null;
  /** The child's own compilation as signed off (its departments and its children's reports); null when not yet reported. */
  compilation: LevelCompilation | null;
  /** Names of the child office's own evidence files sent up with its signed-off report (none when not yet reported). */
  files: string[];
}

/** What an organisation's report carries up: its round's departments' reports and its children's level reports. */
export interface LevelCompilation {
  organisation: { id: string; nameZh: string; nameEn: string };
  round: { id: number; title: string; periodStart: string; periodEnd: string; dueDate: string };
  /** UTC ISO time of compilation. */
  compiledAt: string;
  /** The organisation's own round's statistics (its departments' reports). */
  statistics: RoundStatistics;
  departments: CompiledDepartmentReport[];
  children: CompiledChildReport[];
}

/** One evidence file of a level report as a view lists it; downloaded at `GET /attachments/level-report-files/:id`. */
export interface LevelReportFileView {
  id: number;
  name: string;
  contentType: string;
  sizeBytes: number;
  /** Hex SHA-256 of the bytes (also in the act's audit event). */
  sha256: string;
  createdAt: string;
  /** When the office removed or replaced it (only in the office's own `withdrawnFiles`); null while current. */
  withdrawnAt: string | null;
  /** The file that replaced it; null when removed or current. */
  supersededById: number | null;
}

/** One level report as its organisation's office or its parent's sees it. */
export interface LevelReportView {
  id: number;
  version: number;
  organisation: { id: string; nameZh: string; nameEn: string };
  parentOrganisation: { id: string; nameZh: string; nameEn: string };
  parentRoundId: number;
  roundId: number;
  status: LevelReportStatus;
  standing: LevelReportStanding;
  /** The office's working text (its own; null for the level above). */
  draft: { progress: string; problems: string; nextSteps: string } | null;
  /** What was signed off and sent up; null before the first sign-off. */
  submitted: { progress: string; problems: string; nextSteps: string; submittedAt: string; compilation: LevelCompilation | null } | null;
  returnedReason: string | null;
  /** The office's own evidence files: every one for the office; for the level above, those sent up with the sign-off it reads. */
  files: LevelReportFileView[];
  /** The office's files it removed or replaced (kept for the audit trail; the office's view only, else empty). */
  withdrawnFiles: LevelReportFileView[];
  allowedActions: LevelReportActionType[];
}

async function orgNames(repos: Repositories, ids: readonly string[]): Promise<Map<string, { id: string; nameZh: string; nameEn: string }>> {
  return new Map((await repos.levelReports.organisationNames([...new Set(ids)])).map((o) => [o.id, o]));
}

/**
 * Opens, under `parentRound` (just opened on `parentRound.planId`), a round on every issued plan that implements it,
 * and the level report each owes to it; then the same one level further down (a round opened this way opens its
 * own). Each child round: the parent's title, period and due date; its scope the local measures implementing the
 * parent's asked measures (the domain's `childRoundMeasureNumbers`; an organisation whose plan implements none of
 * them gets no part); every department; not repeating (the level above's next round opens the next ones).
 * Each office asked is told (notice `level_report.asked` to its coordinators, with the outbox rows of `channels`).
 * `openChild` is `openRound` itself (passed in to keep the two modules free of a cycle). Resolves to the rounds
 * opened below, every level, as { organisation, roundId, levelReportId }.
 */
export async function openRoundsBelow(
  tx: AnyStoreTransaction,
  parentRound: { id: number; planId: number; title: string; periodStart: string; periodEnd: string; dueDate: string; measureNumbers: readonly number[] },
  openChild: (planId: number, measureNumbers: number[], parentRoundId: number) => Promise<{ id: number; below: Array<{ organisation: string; roundId: number; levelReportId: number }> }>,
  now: Date,
  channels: OutboundChannels,
): Promise<Array<{ organisation: string; roundId: number; levelReportId: number }>> {
  const at = now.toISOString();
  const { repos } = tx;
  const plans = await repos.levelReports.implementingPlans(parentRound.planId);
  if (plans.length === 0) return [];
  const parentOrganisation = await repos.organisations.organisationOfPlan(parentRound.planId);
  if (parentOrganisation === undefined) return [];
  const opened: Array<{ organisation: string; roundId: number; levelReportId: number }> = [];
  for (const plan of plans) {
    const scope = childRoundMeasureNumbers(parentRound.measureNumbers, await repos.levelReports.measuresWithOrigin(plan.id));
    if (!scope.all && scope.numbers.length === 0) continue;
    const child = await openChild(plan.id, scope.all ? [] : scope.numbers, parentRound.id);
    const levelReportId = await repos.levelReports.insert({
      parentRoundId: parentRound.id,
      roundId: child.id,
      organisationId: plan.organisationId,
      parentOrganisationId: parentOrganisation,
      planId: plan.id,
      updatedAt: at,
    });
    opened.push({ organisation: plan.organisationId, roundId: child.id, levelReportId }, ...child.below);
  }
  // Each office asked is told, with its round's page (its departments were told by their own round's opening).
  const asked = opened.filter((o) => plans.some((p) => p.organisationId === o.organisation));
  const coordinators = await repos.cascade.coordinatorsOf(asked.map((o) => o.organisation));
  const from = (await orgNames(repos, [parentOrganisation])).get(parentOrganisation);
  for (const o of asked) {
    await notifyOnSeam(
      repos,
      {
        kind: "level_report.asked",
        params: { roundId: o.roundId, title: parentRound.title, dueDate: parentRound.dueDate, fromZh: from?.nameZh ?? parentOrganisation, fromEn: from?.nameEn ?? parentOrganisation },
        link: `/rounds/${o.roundId}`,
        userIds: coordinators.filter((c) => c.organisation === o.organisation).map((c) => c.userId),
      },
      channels,
      now,
    );
  }
  return opened;
}

/**
 * The compilation of an organisation's round as it would go up now: its departments' reports (text only where
 * submitted), the names of the files the level sees, its statistics, and each child's level report (its signed-off
 * text and compilation, or "not yet reported"). Shape: `LevelCompilation`.
 */
export async function compileLevel(repos: Repositories, round: RoundRecord, organisation: string, now: Date): Promise<LevelCompilation> {
  const rows = await repos.rounds.compiledRows(round.id, printedStatuses);
  const depts = new Map((await repos.rounds.departmentNames()).map((d) => [d.code, d]));
  const files = new Map<number, string[]>();
  for (const f of await repos.rounds.shownFileNames(round.id, departmentOnlyRoundReportStatuses)) {
    const list = files.get(f.reportId) ?? [];
    list.push(f.name);
    files.set(f.reportId, list);
  }
  const children = await repos.levelReports.toRound(round.id);
  const childFiles = await filesByReport(repos, children.map((c) => c.id));
  const names = await orgNames(repos, [organisation, ...children.map((c) => c.organisationId)]);
  const nameOf = (id: string) => names.get(id) ?? { id, nameZh: id, nameEn: id };
  return {
    organisation: nameOf(organisation),
    round: { id: round.id, title: round.title, periodStart: round.periodStart, periodEnd: round.periodEnd, dueDate: round.dueDate },
    compiledAt: now.toISOString(),
    statistics: roundStatistics(rows, round.dueDate, now),
    departments: rows.map((row) => {
      const d = depts.get(row.department);
      return {
        measureNumber: row.measureNumber,
        measureTitle: row.measureTitle,
        department: { code: row.department, nameZh: d?.nameZh ?? row.department, nameEn: d?.nameEn ?? row.department },
        role: row.role,
        standing: roundReportStanding(row, round.dueDate, now),
        submittedAt: row.submittedAt,
        progress: row.progress,
        problems: row.problems,
        nextSteps: row.nextSteps,
        attachments: files.get(row.id) ?? [],
      };
    }),
    children: children.map((c) => childReportOf(c, nameOf(c.organisationId), childFiles.get(c.id) ?? [])),
  };
}

/**
 * The level below's reports to round `roundId` as the compiled report (定期调度汇总, compile-round.ts) prints them:
 * each organisation's signed-off text, its departments' count and its own children's standings, or "not yet
 * reported". Shape: `CompiledLevelReport` of @countersign/exports, by organisation id.
 */
export async function compiledLevelReports(repos: Repositories, roundId: number): Promise<CompiledLevelReport[]> {
  const children = await repos.levelReports.toRound(roundId);
  if (children.length === 0) return [];
  const names = await orgNames(repos, children.map((c) => c.organisationId));
  const files = await filesByReport(repos, children.map((c) => c.id));
  return children.map((c) => {
    const child = childReportOf(c, names.get(c.organisationId) ?? { id: c.organisationId, nameZh: c.organisationId, nameEn: c.organisationId }, files.get(c.id) ?? []);
    const s = child.compilation?.statistics;
    return {
      organisation: child.organisation,
      standing: child.standing,
      submittedAt: child.submittedAt,
      progress: child.progress,
      problems: child.problems,
      nextSteps: child.nextSteps,
      departments: s === undefined ? null : { reported: s.reported + s.reportedLate, total: s.total },
      below: (child.compilation?.children ?? []).map((b) => ({ organisation: b.organisation, standing: b.standing })),
      files: child.files,
    };
  });
}

/** The evidence files of `reportIds`, by report id, in the order stored. */
async function filesByReport(repos: Repositories, reportIds: readonly number[]): Promise<Map<number, LevelReportFileRecord[]>> {
  const byReport = new Map<number, LevelReportFileRecord[]>();
  for (const f of await repos.levelReports.filesOf(reportIds)) {
    const list = byReport.get(f.levelReportId) ?? [];
    list.push(f);
    byReport.set(f.levelReportId, list);
  }
  return byReport;
}

/** The files of `report` that the level above sees (the domain's `levelReportFileSeenAboveUntil`). */
function filesSeenAbove(report: LevelReportRecord, files: readonly LevelReportFileRecord[]): LevelReportFileRecord[] {
  return files.filter((f) => levelReportFileSeenAboveUntil(report.status, report.submittedAt, f.createdAt, f.withdrawnAt));
}

/** What every level report's audit event names: the report, its organisation and the one above, and both rounds. */
function levelReportAuditBase(report: LevelReportRecord): AuditPayload {
  return {
    levelReportId: report.id,
    organisation: report.organisationId,
    parentOrganisation: report.parentOrganisationId,
    roundId: report.roundId,
    parentRoundId: report.parentRoundId,
  };
}

/** A file as listed; the level above never learns what the office withdrew after the sign-off it reads (`own` false). */
function fileViewOf(f: LevelReportFileRecord, own = true): LevelReportFileView {
  return {
    id: f.id,
    name: f.name,
    contentType: f.contentType,
    sizeBytes: f.sizeBytes,
    sha256: f.sha256,
    createdAt: f.createdAt,
    withdrawnAt: own ? f.withdrawnAt : null,
    supersededById: own ? f.supersededById : null,
  };
}

/** A child's report as the level above may read it (the signed-off text only; "not yet reported" otherwise). */
function childReportOf(c: LevelReportRecord, organisation: { id: string; nameZh: string; nameEn: string }, files: readonly LevelReportFileRecord[]): CompiledChildReport {
  const seen = levelReportSeenAbove(c.status) && c.submittedAt !== null;
  return {
    organisation,
    standing: levelReportStanding(c.status),
    submittedAt: seen ? c.submittedAt : null,
    progress: seen ? c.submittedProgress : null,
    problems: seen ? c.submittedProblems : null,
    nextSteps: seen ? c.submittedNextSteps : null,
    compilation: seen && c.compiled !== null ? (JSON.parse(c.compiled) as LevelCompilation) : null,
    files: filesSeenAbove(c, files).map((f) => f.name),
  };
}

function actorOfLevel(user: ActingUser, organisation: string): LevelReportActor {
  return { organisation, role: user.role, department: user.department, departmentRole: user.departmentRole ?? null };
}

async function contextOf(repos: Repositories, report: LevelReportRecord, parentRoundStatus: "open" | "closed"): Promise<LevelReportContext> {
  const office = await repos.levelReports.officeOf(report.organisationId);
  if (office === undefined) throw new ServiceError("internal", `Level report ${report.id} names an unknown organisation.`);
  return { organisation: report.organisationId, parent: report.parentOrganisationId, officeHost: office.host, hostLeaderApproval: office.hostLeaderApproval, parentRoundStatus };
}

type OrgName = { id: string; nameZh: string; nameEn: string };

function viewOf(
  report: LevelReportRecord,
  access: "full" | "submitted",
  names: Map<string, OrgName>,
  allowedActions: LevelReportActionType[],
  files: readonly LevelReportFileRecord[],
): LevelReportView {
  const nameOf = (id: string): OrgName => names.get(id) ?? { id, nameZh: id, nameEn: id };
  const submitted =
    report.submittedAt !== null && report.submittedProgress !== null && (access === "full" || levelReportSeenAbove(report.status))
      ? {
          progress: report.submittedProgress,
          problems: report.submittedProblems ?? "",
          nextSteps: report.submittedNextSteps ?? "",
          submittedAt: report.submittedAt,
          compilation: report.compiled === null ? null : (JSON.parse(report.compiled) as LevelCompilation),
        }
      : null;
  return {
    id: report.id,
    version: report.version,
    organisation: nameOf(report.organisationId),
    parentOrganisation: nameOf(report.parentOrganisationId),
    parentRoundId: report.parentRoundId,
    roundId: report.roundId,
    status: report.status,
    standing: levelReportStanding(report.status),
    draft: access === "full" ? { progress: report.progress, problems: report.problems, nextSteps: report.nextSteps } : null,
    submitted,
    // The level above's reason is for the office; the office leader's reason (returned_in_office) is the office's own.
    returnedReason: access === "full" || report.status === "returned" ? report.returnedReason : null,
    files: access === "full" ? files.filter((f) => f.withdrawnAt === null).map((f) => fileViewOf(f)) : filesSeenAbove(report, files).map((f) => fileViewOf(f, false)),
    // Kept for the audit trail and shown to the office apart, never as current.
    withdrawnFiles: access === "full" ? files.filter((f) => f.withdrawnAt !== null).map((f) => fileViewOf(f)) : [],
    allowedActions,
  };
}

export interface LevelReportActInput {
  levelReportId: number;
  /** The version the caller last saw; a stale one gets CONFLICT. */
  expectedVersion: number;
  action: LevelReportAction;
  /** The office's own evidence files (checked by `checkUpload`), with a draft or a submission only; none by default. */
  files?: readonly IncomingFile[];
}

export interface LevelReportActResult {
  id: number;
  version: number;
  status: LevelReportStatus;
  /** The ids of the files the act stored, in the order sent (empty without files). */
  fileIds: number[];
}

/**
 * One act on a level report (saveDraft, submit, signOff, reject: the reporting office; return: the office one level
 * up): the domain's `levelReportTransition` decides; the sign-off records the text and the compilation as they go up
 * (`compileLevel`, at the time of sign-off) and the signer; the audit event names the act, the organisations, the
 * rounds and (for a sign-off) the compilation's counts; a submission tells those who sign it off (notice
 * `level_report.awaiting_sign_off`: the host department's leaders under the leader's rule, else the office's other
 * coordinators); a return tells the reporting office's coordinators (notice
 * `level_report.returned`, with the outbox rows of `channels`). Errors: `forbidden_role` (no coordinator, nor a department
 * leader for a sign-off or a rejection), `not_found` (no such report, or one the caller's
 * organisation may not see: a sibling's, a grandchild's), the domain's refusals (`round_closed`,
 * `not_your_organisation`, `wrong_role`, `invalid_state`, `heading_required`, `reason_required`, `text_too_long`),
 * `stale_version`.
 */
export async function actOnLevelReport(
  tx: AnyStoreTransaction,
  user: ActingUser,
  input: LevelReportActInput,
  now: Date,
  channels: OutboundChannels,
): Promise<LevelReportActResult> {
  const { repos } = tx;
  const at = now.toISOString();
  // Who could ever take the act, before anything is looked up (the domain decides the rest on the report itself).
  if (input.action.type === "signOff" || input.action.type === "reject") {
    if (user.role !== "coordinator" && !(user.role === "liaison" && user.departmentRole === "leader")) {
      throw new ServiceError("forbidden_role", "A level report is signed off by its office's coordinator or the leader of the department hosting the office.");
    }
  } else requireRole(user, ["coordinator"], "write or return a report to the level above");
  const report = await repos.levelReports.find(input.levelReportId);
  const own = await organisationOfActor(repos, user);
  // A report the caller's organisation may not see does not exist for it (no leak of a sibling's report by id).
  if (report === undefined || levelReportAccess(own, { organisation: report.organisationId, parent: report.parentOrganisationId }) === "none") {
    throw new ServiceError("not_found", `There is no level report ${input.levelReportId}.`, { field: "levelReportId" });
  }
  // Kept from closing until this act commits (as a department's report act: rounds.findRoundForAct).
  const parentRound = await repos.rounds.findRoundForAct(report.parentRoundId);
  if (parentRound === undefined) throw new ServiceError("internal", `Level report ${report.id} has no round above.`);
  const ctx = await contextOf(repos, report, parentRound.status);
  const result = levelReportTransition(
    { status: report.status, progress: report.progress, problems: report.problems, nextSteps: report.nextSteps },
    input.action,
    actorOfLevel(user, own),
    ctx,
  );
  if (!result.ok) {
    const code: ErrorCode = result.refusal.code;
    throw new ServiceError(code, result.refusal.message, result.refusal.field === undefined ? {} : { field: result.refusal.field });
  }
  if (report.version !== input.expectedVersion) {
    throw new ServiceError("stale_version", `This report has changed since you loaded it (now version ${report.version}); reload it and try again.`);
  }
  const files = input.files ?? [];
  if (files.length > 0) {
    if (!levelReportActionTakesFiles(input.action.type)) {
      throw new ServiceError("invalid_input", "Files go with a level report's draft or submission.", { field: "files" });
    }
    checkActFiles(files);
  }
  const next = result.next;
  const change: LevelReportChange = { status: next.status, progress: next.progress, problems: next.problems, nextSteps: next.nextSteps, updatedAt: at };
  const payload: AuditPayload = { ...levelReportAuditBase(report), version: report.version + 1 };
  const action = input.action;
  if (action.type === "saveDraft" || action.type === "submit") {
    payload["progress"] = action.progress;
    payload["problems"] = action.problems;
    payload["nextSteps"] = action.nextSteps;
  }
  if (action.type === "reject" || action.type === "return") {
    change.returnedReason = action.reason;
    change.returnedAt = at;
    payload["reason"] = action.reason;
  }
  if (action.type === "signOff") {
    const round = await repos.rounds.findRound(report.roundId);
    if (round === undefined) throw new ServiceError("internal", `Level report ${report.id} has no round.`);
    const compilation = await compileLevel(repos, round, report.organisationId, now);
    change.submittedProgress = next.progress;
    change.submittedProblems = next.problems;
    change.submittedNextSteps = next.nextSteps;
    change.compiled = JSON.stringify(compilation);
    change.submittedAt = at;
    change.signedOffByUserId = user.id;
    change.returnedReason = null;
    payload["departmentReports"] = compilation.statistics.total;
    payload["departmentReportsSubmitted"] = compilation.statistics.reported + compilation.statistics.reportedLate;
    payload["childReports"] = compilation.children.length;
    payload["childReportsReported"] = compilation.children.filter((c) => c.standing === "reported").length;
  }
  const version = await repos.levelReports.updateIfVersion(report.id, report.version, change);
  // SQLite: unreachable (one writer). PostgreSQL: a concurrent act committed first; nothing of this one is written.
  if (version === undefined) throw new ServiceError("stale_version", "This report has just changed; reload it and try again.");
  // The files are stored in the act's unit of work, their bytes in the database; the audit event names each (name, sha256).
  const fileIds: number[] = [];
  for (const file of files) {
    fileIds.push(
      await repos.levelReports.recordFile(
        { levelReportId: report.id, name: file.name, contentType: file.contentType, sizeBytes: file.sizeBytes, sha256: file.sha256, uploadedByUserId: user.id, createdAt: at, ...storageOf(file) },
        file.bytes,
      ),
    );
  }
  if (files.length > 0) Object.assign(payload, attachmentsAuditPayload(files, fileIds));
  await tx.appendAuditEvent({
    at,
    type: result.event,
    ...auditActorOf(user),
    planId: report.planId,
    fromStatus: report.status,
    toStatus: next.status,
    payload,
  });
  if (action.type === "submit") {
    // Those who sign it off are told: the host department's leaders under the leader's rule, else the office's coordinators.
    const signers = ctx.hostLeaderApproval
      ? await repos.rounds.leadersOf(ctx.officeHost)
      : (await repos.cascade.coordinatorsOf([report.organisationId])).map((c) => c.userId).filter((id) => id !== user.id);
    const round = await repos.rounds.findRound(report.roundId);
    await notifyOnSeam(
      repos,
      { kind: "level_report.awaiting_sign_off", params: { roundId: report.roundId, title: round?.title ?? "" }, link: `/rounds/${report.roundId}`, userIds: signers },
      channels,
      now,
    );
  }
  if (action.type === "return") {
    // The reporting office's coordinators are told, with the reason and their round's page.
    const coordinators = await repos.cascade.coordinatorsOf([report.organisationId]);
    const round = await repos.rounds.findRound(report.roundId);
    const from = (await orgNames(repos, [report.parentOrganisationId])).get(report.parentOrganisationId);
    await notifyOnSeam(
      repos,
      {
        kind: "level_report.returned",
        params: {
          roundId: report.roundId,
          title: round?.title ?? "",
          text: action.reason,
          fromZh: from?.nameZh ?? report.parentOrganisationId,
          fromEn: from?.nameEn ?? report.parentOrganisationId,
        },
        link: `/rounds/${report.roundId}`,
        userIds: coordinators.map((c) => c.userId),
      },
      channels,
      now,
    );
  }
  return { id: report.id, version, status: next.status, fileIds };
}

/**
 * Who reads an organisation's level reports: those who read every department of it (its office's coordinators,
 * observers, administrators: the compiled report's readers, compile-round.ts) and the leader of the department
 * hosting its office (who may have to sign its report off). A department's other accounts get `forbidden_role`.
 */
async function requireLevelReader(repos: Repositories, user: ActingUser, organisation: string): Promise<void> {
  if (readsAllDepartments(user)) return;
  if (user.role === "liaison" && user.departmentRole === "leader") {
    const office = await repos.levelReports.officeOf(organisation);
    if (office !== undefined && office.host === user.department) return;
  }
  throw new ServiceError("forbidden_role", "The reports between levels are read by the office (its coordinators), observers, administrators and the leader of the department hosting the office.");
}

/**
 * The office's view of its report upward, for its own round `roundId`: the report (every state, its draft), the
 * compilation as it would go up now, and what the caller may do; null when the round answers no round above (the
 * national office's, or one an office opened itself). Errors: `forbidden_role` (`requireLevelReader`), `not_found`
 * (no such round). The boundary (cascade/boundary.ts) already keeps the round to the caller's organisation.
 */
export async function getOwnLevelReport(
  repos: Repositories,
  user: ActingUser,
  roundId: number,
  now: Date,
): Promise<{ report: LevelReportView; preview: LevelCompilation } | null> {
  const own = await organisationOfActor(repos, user);
  await requireLevelReader(repos, user, own);
  if ((await repos.rounds.findRound(roundId)) === undefined) throw new ServiceError("not_found", `There is no round ${roundId}.`, { field: "roundId" });
  const report = await repos.levelReports.ofRound(roundId);
  if (report === undefined || report.organisationId !== own) return null;
  const round = await repos.rounds.findRound(roundId);
  const parentRound = await repos.rounds.findRound(report.parentRoundId);
  if (round === undefined || parentRound === undefined) throw new ServiceError("internal", `Level report ${report.id} has no round.`);
  const ctx = await contextOf(repos, report, parentRound.status);
  const names = await orgNames(repos, [report.organisationId, report.parentOrganisationId]);
  const allowed = allowedLevelReportActions({ status: report.status, progress: report.progress, problems: report.problems, nextSteps: report.nextSteps }, actorOfLevel(user, own), ctx);
  const files = (await filesByReport(repos, [report.id])).get(report.id) ?? [];
  return {
    report: viewOf(report, "full", names, allowed, files),
    preview: await compileLevel(repos, round, own, now),
  };
}

/**
 * The level above's view of its children's reports to its round `roundId`: each child organisation with its standing,
 * its signed-off text and compilation once submitted (nothing of a draft), and what the caller may do (return).
 * Only the round's own organisation reads it (the boundary already refuses another's round), its readers as
 * `requireLevelReader` says. Errors: `forbidden_role`, `not_found`.
 */
export async function listChildLevelReports(repos: Repositories, user: ActingUser, roundId: number): Promise<LevelReportView[]> {
  const own = await organisationOfActor(repos, user);
  await requireLevelReader(repos, user, own);
  const round = await repos.rounds.findRound(roundId);
  if (round === undefined) throw new ServiceError("not_found", `There is no round ${roundId}.`, { field: "roundId" });
  const reports = await repos.levelReports.toRound(roundId);
  const names = await orgNames(repos, [own, ...reports.map((r) => r.organisationId)]);
  const files = await filesByReport(repos, reports.map((r) => r.id));
  const views: LevelReportView[] = [];
  for (const r of reports) {
    // Defence in depth: the boundary keeps the round to its organisation, and a report to it is its child's.
    if (levelReportAccess(own, { organisation: r.organisationId, parent: r.parentOrganisationId }) !== "submitted") continue;
    const ctx = await contextOf(repos, r, round.status);
    const allowed = allowedLevelReportActions({ status: r.status, progress: r.progress, problems: r.problems, nextSteps: r.nextSteps }, actorOfLevel(user, own), ctx);
    views.push(viewOf(r, "submitted", names, allowed, files.get(r.id) ?? []));
  }
  return views;
}

/**
 * One evidence file of a level report with its bytes, for `GET /attachments/level-report-files/:id`: the reporting organisation's
 * office reads every one; the office one level up, those sent up with the sign-off it reads (the domain's
 * `levelReportAccess` and `levelReportFileSeenAbove`); the readers of each as `requireLevelReader` says. Errors:
 * `forbidden_role`, `not_found` (no such file, or one the caller's organisation may not see: a sibling's, a
 * grandchild's, or one not yet sent up — no leak of its existence).
 */
export async function readLevelReportFile(
  repos: Repositories,
  user: ActingUser,
  fileId: number,
  objectStores: ObjectBytesReader = () => null,
): Promise<{ file: LevelReportFileView; bytes: Buffer }> {
  const own = await organisationOfActor(repos, user);
  await requireLevelReader(repos, user, own);
  const notFound = new ServiceError("not_found", `There is no level report file ${fileId}.`, { field: "id" });
  const file = await repos.levelReports.findFile(fileId);
  if (file === undefined) throw notFound;
  const report = await repos.levelReports.find(file.levelReportId);
  if (report === undefined) throw notFound;
  const access = levelReportAccess(own, { organisation: report.organisationId, parent: report.parentOrganisationId });
  if (access === "none" || (access === "submitted" && !levelReportFileSeenAboveUntil(report.status, report.submittedAt, file.createdAt, file.withdrawnAt))) throw notFound;
  // Kept in the database, or in the object store it was staged in (as an assignment's attachment: read-attachment.ts).
  const bytes =
    file.storage === databaseAttachmentStore.kind
      ? await repos.levelReports.fileBytes(file.id)
      : ((await objectStores(file.storage)?.get({ id: file.id, storageKey: file.storageKey, sha256: file.sha256 })) ?? undefined);
  if (bytes === undefined) throw new ServiceError("internal", `Level report file ${fileId} has no bytes (storage ${file.storage}).`);
  return { file: fileViewOf(file, access === "full"), bytes };
}

export interface LevelReportFileWithdrawalInput {
  fileId: number;
  /** The level report's version the caller last saw; a stale one gets CONFLICT. */
  expectedVersion: number;
  /** The new version (checked by `checkUpload`) for a replacement; none for a removal. */
  replacement?: IncomingFile;
}

/**
 * Removes a file of a level report attached by mistake, or replaces it by a new version (`replacement`): the domain's
 * `levelReportFileWithdrawal` decides (the office's coordinator, while the report is a draft or sent back; frozen once
 * submitted for sign-off or signed off). Nothing is deleted: the file is marked withdrawn (and superseded by the new
 * one), the report's version moves on, and the audit event (`level_report.file_removed` / `file_replaced`) names both
 * files' names and sha256, all in the caller's unit of work (`tx`). Errors: `forbidden_role`, `not_found` (no such file,
 * or one the caller's organisation may not see), the domain's refusals (`round_closed`, `not_your_organisation`,
 * `wrong_role`, `invalid_state`), `stale_version`.
 */
export async function withdrawLevelReportFile(
  tx: AnyStoreTransaction,
  user: ActingUser,
  input: LevelReportFileWithdrawalInput,
  now: Date,
): Promise<{ id: number; version: number; fileId: number; replacementId: number | null }> {
  const { repos } = tx;
  const at = now.toISOString();
  requireRole(user, ["coordinator"], "remove or replace a file of a report to the level above");
  const own = await organisationOfActor(repos, user);
  const notFound = new ServiceError("not_found", `There is no level report file ${input.fileId}.`, { field: "fileId" });
  const file = await repos.levelReports.findFile(input.fileId);
  if (file === undefined) throw notFound;
  const report = await repos.levelReports.find(file.levelReportId);
  if (report === undefined) throw notFound;
  const access = levelReportAccess(own, { organisation: report.organisationId, parent: report.parentOrganisationId });
  // The level above learns nothing of a file it was not sent (as readLevelReportFile).
  if (access === "none" || (access === "submitted" && !levelReportFileSeenAboveUntil(report.status, report.submittedAt, file.createdAt, file.withdrawnAt))) throw notFound;
  // Kept from closing until this act commits (as actOnLevelReport).
  const parentRound = await repos.rounds.findRoundForAct(report.parentRoundId);
  if (parentRound === undefined) throw new ServiceError("internal", `Level report ${report.id} has no round above.`);
  const kind = input.replacement === undefined ? "remove" : "replace";
  const decided = levelReportFileWithdrawal(kind, { id: report.id, status: report.status }, file, actorOfLevel(user, own), {
    organisation: report.organisationId,
    parentRoundStatus: parentRound.status,
  });
  if (!decided.ok) throw new ServiceError(decided.refusal.code, decided.refusal.message);
  if (report.version !== input.expectedVersion) {
    throw new ServiceError("stale_version", `This report has changed since you loaded it (now version ${report.version}); reload it and try again.`);
  }
  const version = await repos.levelReports.updateIfVersion(report.id, report.version, { updatedAt: at });
  if (version === undefined) throw new ServiceError("stale_version", "This report has just changed; reload it and try again.");
  const r = input.replacement;
  const replacementId =
    r === undefined
      ? null
      : await repos.levelReports.recordFile(
          { levelReportId: report.id, name: r.name, contentType: r.contentType, sizeBytes: r.sizeBytes, sha256: r.sha256, uploadedByUserId: user.id, createdAt: at, ...storageOf(r) },
          r.bytes,
        );
  if (!(await repos.levelReports.withdrawFile(file.id, at, replacementId))) throw new ServiceError("invalid_state", "This file is already removed or replaced.");
  const payload: AuditPayload = {
    ...levelReportAuditBase(report),
    version,
    fileId: file.id,
    name: file.name,
    sha256: file.sha256,
  };
  if (r !== undefined && replacementId !== null) Object.assign(payload, { byFileId: replacementId, byName: r.name, bySha256: r.sha256 });
  await tx.appendAuditEvent({ at, type: decided.event, ...auditActorOf(user), planId: report.planId, fromStatus: report.status, toStatus: report.status, payload });
  return { id: report.id, version, fileId: file.id, replacementId };
}

/** Where a checked file's bytes go: the store it was staged in (stageFiles), the database when none staged it. */
function storageOf(file: IncomingFile): { storage: string; storageKey: string | null } {
  const storage = file.storage ?? databaseAttachmentStore.kind;
  const storageKey = file.storageKey ?? null;
  if (storage !== databaseAttachmentStore.kind && storageKey === null) throw new ServiceError("internal", `${file.name} was not staged in the attachment store ${storage}.`);
  return { storage, storageKey };
}
