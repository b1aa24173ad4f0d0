/**
 * One export (a file to download) of a plan: read the rows through the store (either engine), rebuild the past
 * from the audit trail when asked "as of" a day, let the domain build the matrix, and hand it to
 * @countersign/exports to render. Shared by the HTTP downloads and the command line.
 */
import {
  buildDivisionTable,
  buildResponsibilityMatrix,
  buildProgressReport,
  daysLate,
  departmentView,
  inboxScope,
  isIsoDate,
  latenessOf,
  measureDueDates,
  planCalendarDate,
  replayAsOf,
} from "@countersign/domain";
import type {
  AssignmentAsOf,
  Department,
  DepartmentCode,
  InboxScope,
  Language,
  MatrixInput,
  Responsibility,
  TrailEvent,
} from "@countersign/domain";
import type { AnyStore, Repositories } from "@countersign/db";
import {
  labels,
  renderDivisionPdf,
  renderDivisionXlsx,
  renderMatrixCsv,
  renderMatrixPdf,
  renderMatrixXlsx,
  renderProgressPdf,
  renderProgressXlsx,
} from "@countersign/exports";
import { ServiceError } from "../errors.js";
import { readPlanDetail } from "../services/catalog/get-plan.js";
import type { PlanDetail } from "../services/catalog/get-plan.js";
import { readDepartments } from "../services/catalog/list-departments.js";
import { actorOf, readsAllDepartments } from "../services/shared/acting-user.js";
import type { ActingUser } from "../services/shared/acting-user.js";
import { statesVisibleTo } from "../services/matrix/visible-states.js";
import { requireDivisionReadableIn } from "../services/shared/plan-lookup.js";
import { exportFiles } from "./export-files.js";
import { exportFileName } from "./file-name.js";
import type { ExportFileName, ExportFormat, ExportReport } from "./export-files.js";

export interface ExportRequest {
  file: ExportFileName;
  planId: number;
  /** One department's view: the measures it is responsible for. */
  department: DepartmentCode | null;
  lang: Language;
  /** Overlay the assignments' states. */
  withStatus: boolean;
  /** YYYY-MM-DD: as things stood at the end of that day, Beijing time. */
  asOf: string | null;
}

/** Who asks: a signed-in user (whose role limits what they may export), or the operator at the command line. */
export type ExportViewer = ActingUser | "operator";

export interface ExportedFile {
  body: Buffer;
  contentType: string;
  filename: string;
  /** The same name in ASCII, for clients that ignore `filename*`. */
  asciiFilename: string;
}

const contentTypes: Record<ExportFormat, string> = {
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  csv: "text/csv; charset=utf-8",
  pdf: "application/pdf",
};

const fileStem: Record<ExportReport, Record<Language, string>> = {
  matrix: { zh: "责任分工矩阵", en: "responsibility-matrix" },
  division: { zh: "任务分工表", en: "task-division-table" },
  progress: { zh: "落实进展情况", en: "progress-report" },
};

/**
 * A liaison may export the whole plan or their own department, never another department alone; their progress
 * report is their own department's. Returns the department the export is limited to.
 */
function authorize(viewer: ExportViewer, request: ExportRequest): DepartmentCode | null {
  if (viewer === "operator" || readsAllDepartments(viewer)) return request.department;
  const own = viewer.department;
  if (request.department !== null && request.department !== own) {
    throw new ServiceError("not_your_department", `A liaison may export the whole plan or their own department (${own ?? "none"}), not ${request.department}.`, {
      field: "department",
    });
  }
  if (exportFiles[request.file].report === "progress") return own;
  return request.department;
}

/** A plan's detail with its division of work and states, now or as of a past day. */
export interface PlanState {
  detail: PlanDetail;
  responsibilities: Responsibility[];
  assignments: AssignmentAsOf[];
  closedMeasures: number[];
  /** Where each assignment is handed now (分办), by assignment id: what a handler's view is limited by. */
  placements: Array<{ id: number; divisionId: number | null; handlerUserId: number | null }>;
}

/**
 * The plan now, or as it stood at the end of `asOf` (Beijing time), rebuilt from the audit trail: four reads for the
 * plan's detail, one for its assignments and, for `asOf`, one for its trail (no read per row, whatever the plan's size).
 *
 * @throws ServiceError `not_found` for no such plan
 */
async function planState(repos: Repositories, planId: number, asOf: string | null, now: Date): Promise<PlanState> {
  // In sequence: one snapshot is one connection on PostgreSQL (see readPlanDetail).
  const detail = await readPlanDetail(repos, planId);
  const rows = await repos.catalog.issuedAssignments(planId);
  const responsibilities = detail.responsibilities.map(({ measureNumber, department, role }) => ({ measureNumber, department, role }));
  const placements = rows.map(({ id, divisionId, handlerUserId }) => ({ id, divisionId, handlerUserId }));
  if (asOf === null) {
    return {
      detail,
      responsibilities,
      assignments: rows.map(({ divisionId: _division, handlerUserId: _handler, ...a }) => ({
        ...a,
        lateness: latenessOf(a.dueDate, a.status, now),
        daysLate: a.status === "signed_off" || a.status === "withdrawn" ? 0 : daysLate(a.dueDate, now),
      })),
      closedMeasures: detail.measures.filter((m) => m.closed).map((m) => m.number),
      placements,
    };
  }
  const events: TrailEvent[] = (await repos.catalog.planTrail(planId)).map((e) => ({ ...e, payload: parsePayload(e.payload) }));
  const past = replayAsOf({ assignments: rows, responsibilities, events, date: asOf });
  return { detail, responsibilities: past.responsibilities, assignments: past.assignments, closedMeasures: past.closedMeasures, placements };
}

function parsePayload(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** What an export is rendered from, read and checked (`readExportSource`) before any rendering starts. */
export interface ExportSource {
  request: ExportRequest;
  /** The department the export is limited to (a liaison's progress report: their own), or null for the whole plan. */
  department: DepartmentCode | null;
  /** Every department, in order of signature. */
  departments: Department[];
  state: PlanState;
  /** The states the viewer may see (`statesVisibleTo`: a liaison's on the measures their department shares, a handler's in their scope). */
  visible: AssignmentAsOf[];
}

/**
 * Checks an export's request against the viewer's rights and reads what it is rendered from, through the store
 * (either engine). Six reads at most, none per row. Run it in one snapshot (`buildExport` does) so that an "as of"
 * replay sees the assignments and the trail as of one moment.
 *
 * @throws ServiceError `invalid_input` (asOf not a date, or after today), `unknown_department`, `not_your_department`
 *   (a liaison asking another department's view), `not_found` (no such plan), `plan_not_issued` (a draft, to a
 *   department)
 */
export async function readExportSource(repos: Repositories, viewer: ExportViewer, request: ExportRequest, now: Date): Promise<ExportSource> {
  if (request.asOf !== null) {
    if (!isIsoDate(request.asOf)) throw new ServiceError("invalid_input", "asOf must be a date written YYYY-MM-DD.", { field: "asOf" });
    if (request.asOf > planCalendarDate(now)) {
      throw new ServiceError("invalid_input", `asOf (${request.asOf}) is after today (${planCalendarDate(now)}, Beijing time).`, { field: "asOf" });
    }
  }
  const departments = await readDepartments(repos);
  if (request.department !== null && !departments.some((d) => d.code === request.department)) {
    throw new ServiceError("unknown_department", `There is no department ${request.department}.`, { field: "department" });
  }
  const department = authorize(viewer, request);
  await requireDivisionReadableIn(repos, viewer, request.planId);
  const state = await planState(repos, request.planId, request.asOf, now);
  // The states the matrix page shows the viewer (`statesVisibleTo`): a liaison's on the measures their department
  // shares, a handler's in their scope. As of a past day: the department then holding each assignment, where it is
  // handed now (the trail does not replay 分办).
  const scope: InboxScope = viewer === "operator" ? { kind: "all" } : inboxScope(actorOf(viewer));
  const placement = new Map(state.placements.map((p) => [p.id, p]));
  const placed = state.assignments.map((a) => ({
    ...a,
    divisionId: placement.get(a.id)?.divisionId ?? null,
    handlerUserId: placement.get(a.id)?.handlerUserId ?? null,
  }));
  const shown = new Set(statesVisibleTo(scope, placed).map((a) => a.id));
  const visible = state.assignments.filter((a) => shown.has(a.id));
  return { request, department, departments, state, visible };
}

/**
 * Builds and renders one export: its reads in one snapshot of the store (`readExportSource`), then the rendering
 * outside it (on SQLite the snapshot holds the writer queue; a PDF takes seconds). Throws ServiceError for a refusal
 * or a bad request (`readExportSource`).
 */
export async function buildExport(store: AnyStore, viewer: ExportViewer, request: ExportRequest, now: Date): Promise<ExportedFile> {
  const source = await store.readSnapshot((repos) => readExportSource(repos, viewer, request, now));
  return renderExport(source, now);
}

/** Renders an export from what `readExportSource` read: the domain builds the matrix, @countersign/exports renders it. */
export async function renderExport(source: ExportSource, now: Date): Promise<ExportedFile> {
  const { request, department, departments, state, visible } = source;
  const { report, format } = exportFiles[request.file];
  const { detail } = state;
  const { lang } = request;
  const l = labels[lang];
  const withStatus = request.withStatus || report === "progress";
  const whole: MatrixInput = {
    plan: { sections: detail.sections, measures: detail.measures, departments: detail.departments },
    departments,
    responsibilities: state.responsibilities,
    closedMeasures: state.closedMeasures,
    ...(withStatus ? { assignments: visible } : {}),
  };
  const input = department === null ? whole : departmentView(whole, department);

  const planTitle = lang === "zh" ? detail.plan.titleZh : detail.plan.titleEn;
  const named = department === null ? undefined : departments.find((d) => d.code === department);
  const subtitle = [
    detail.plan.documentNumber,
    named === undefined ? null : lang === "zh" ? named.nameZh : named.nameEn,
    request.asOf === null ? null : l.asOf(request.asOf),
    l.generatedOn(planCalendarDate(now)),
  ]
    .filter((s): s is string => s !== null)
    .join(lang === "zh" ? "　" : " · ");
  const titleOf = (what: string): string => `${planTitle} — ${what}`;

  let body: Buffer;
  if (report === "progress") {
    const progress = buildProgressReport({
      plan: input.plan,
      departments,
      responsibilities: input.responsibilities,
      assignments: state.assignments.filter((a) => input.plan.measures.some((m) => m.number === a.measureNumber)),
      closedMeasures: state.closedMeasures,
      ...(department === null ? {} : { countOnly: department }),
    });
    const options = { lang, title: titleOf(l.progressTitle), subtitle };
    body = format === "pdf" ? await renderProgressPdf(progress, options) : await renderProgressXlsx(progress, options);
  } else {
    const matrix = buildResponsibilityMatrix(input);
    const divisionRows = buildDivisionTable(matrix, lang, measureDueDates(state.assignments, state.responsibilities));
    if (report === "division") {
      const options = { lang, title: titleOf(l.divisionTitle), subtitle };
      body = format === "pdf" ? await renderDivisionPdf(divisionRows, options) : await renderDivisionXlsx(divisionRows, options);
    } else if (format === "csv") {
      body = Buffer.from(renderMatrixCsv(matrix, { lang }), "utf8");
    } else if (format === "pdf") {
      body = await renderMatrixPdf(matrix, { lang, title: titleOf(l.matrixTitle), subtitle });
    } else {
      body = await renderMatrixXlsx(matrix, {
        lang,
        title: titleOf(l.matrixTitle),
        subtitle,
        divisionRows,
        departmentSheets: department === null ? "all" : [department],
      });
    }
  }

  const nameParts = { stem: fileStem[report][lang], plan: detail.plan, lang, department, asOf: request.asOf, today: planCalendarDate(now), format };
  return {
    body,
    contentType: contentTypes[format],
    filename: exportFileName(nameParts),
    asciiFilename: exportFileName({ ...nameParts, stem: fileStem[report].en, lang: "en" }),
  };
}
