import type {
  DepartmentCode,
  DivisionProposal,
  DraftMeasure,
  DraftSection,
  DraftWarning,
  DraftWarningKind,
  ImportPlanInput,
  Span,
} from "@countersign/domain";
import { isNotNull } from "drizzle-orm";
import type { Queryable } from "@countersign/db";
import { departmentsTable } from "@countersign/db/schema";
import { listDepartments } from "../catalog/list-departments.js";
import { organisationOf } from "../cascade/cascade-read.js";
import type { ImportJob, ImportJobResult } from "./import-job.js";
import { ImportRunner } from "./import-runner.js";
import { requireRole } from "../shared/acting-user.js";
import type { ActingUser } from "../shared/acting-user.js";

export interface ImportedDraft {
  /** The language of the text: "zh" when it is mostly Chinese, so the client knows which title it read. */
  language: "zh" | "en";
  /** The title: the one asked for, else the one the parser found ("" when none). */
  title: string;
  /** Where the parsed title stands in the text (null when none was found). */
  titleSpan: Span | null;
  documentNumber: string | null;
  sections: DraftSection[];
  measures: DraftMeasure[];
  warnings: DraftWarning[];
  /** Per measure: the proposed responsibilities (lead first) with their evidence, every lexicon match, needsDecision. */
  division: DivisionProposal;
  /** What was read: pasted text, or a file (its kind judged by content, and its name). */
  source: ImportJobResult["source"];
  /** For a file: the text all spans point into (a table is rendered as text); null for pasted text. */
  sourceText: string | null;
  /** Warnings of each kind beyond the 200 listed, counted (the text is very irregular). */
  omittedWarnings: Partial<Record<DraftWarningKind, number>>;
  /** The ministry proposed to lead measures that bind all member units: the coordinator's own. */
  leadDepartment: DepartmentCode;
  /**
   * The member departments proposed for the plan: every department of the database, in order of signature, then
   * each further unit the document states as responsible, in the order first named.
   */
  departments: DepartmentCode[];
}

let sharedRunner: ImportRunner | null = null;
/** The runner used when the caller passes none (the CLI, tests): default budget, created on first use. */
function defaultRunner(): ImportRunner {
  sharedRunner ??= new ImportRunner();
  return sharedRunner;
}

/**
 * Reads a policy document's text into a draft plan and a division of work (stated by the document, else proposed),
 * for the coordinator to review. Nothing is saved; `plan.create` saves the reviewed draft. The parsing runs in a
 * worker thread under the runner's time budget: errors `import_timeout`, `import_busy`.
 */
export async function importPlan(
  db: Queryable,
  user: ActingUser,
  input: ImportPlanInput,
  runner: ImportRunner = defaultRunner(),
): Promise<ImportedDraft> {
  requireRole(user, ["coordinator"], "import a policy document");
  // Retired departments are offered for no new plan.
  const retired = new Set(
    db.select({ code: departmentsTable.code }).from(departmentsTable).where(isNotNull(departmentsTable.retiredOn)).all().map((d) => d.code),
  );
  // The caller's organisation's departments (issue 16): a province imports its document among its own members.
  const departments = listDepartments(db, organisationOf(db, user))
    .map((d) => d.code)
    .filter((code) => !retired.has(code));
  const leadDepartment = user.department ?? departments[0] ?? "MIIT";
  const common = { leadMinistry: leadDepartment, members: departments };
  const job: ImportJob =
    input.file !== undefined
      ? { ...common, file: { name: input.file.name, base64: input.file.contentBase64 } }
      : { ...common, text: input.text ?? "" };
  const { draft, division, language, omittedWarnings, source, sourceText } = await runner.run(job);
  const stated = division.responsibilities.filter((r) => r.source.kind === "stated").map((r) => r.department);
  const members = [...new Set([...departments, ...stated])];
  const title = input.title !== undefined && input.title !== "" ? input.title : draft.title;
  const documentNumber =
    input.documentNumber !== undefined && input.documentNumber !== "" ? input.documentNumber : draft.documentNumber;
  return {
    language,
    title,
    titleSpan: draft.titleSpan,
    documentNumber,
    sections: draft.sections,
    measures: draft.measures,
    warnings: draft.warnings,
    division,
    source,
    sourceText,
    omittedWarnings,
    leadDepartment,
    departments: members,
  };
}
