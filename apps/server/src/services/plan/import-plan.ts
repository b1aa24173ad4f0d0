import type {
  DepartmentCode,
  DivisionProposal,
  DraftMeasure,
  DraftSection,
  DraftWarning,
  DraftWarningKind,
  ImportPlanInput,
  Organisation,
  Span,
} from "@countersign/domain";
import { localRegisterEntries, nationalId, pastDeadlineWarnings, planCalendarDate, proposalAmongMembers } from "@countersign/domain";
import type { AnyStore, Repositories } from "@countersign/db";
import { organisationOfActor } from "../cascade/boundary.js";
import { organisationTreeOf } from "../cascade/cascade-read.js";
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
export function defaultRunner(): ImportRunner {
  sharedRunner ??= new ImportRunner();
  return sharedRunner;
}

/** What an import proposes before reading the document: the lead ministry and the member departments (in order of signature). */
export interface ImportDefaults {
  leadDepartment: DepartmentCode;
  members: DepartmentCode[];
}

/**
 * The defaults of an import for `user`, read through the store (either engine): the caller's organisation's
 * departments (issue 16: a province imports its document among its own members) in order of signature, less the
 * retired ones (offered for no new plan); the lead is the caller's department, else the first member ("MIIT" when
 * the organisation has none).
 */
export async function importDefaults(repos: Repositories, user: ActingUser): Promise<ImportDefaults> {
  const organisation = await organisationOfActor(repos, user);
  const members = (await repos.departmentRegister.list(organisation)).filter((d) => !d.retiredOn).map((d) => d.code);
  return { leadDepartment: user.department ?? members[0] ?? "MIIT", members };
}

/**
 * The caller's local organisation with its member departments, undefined nationally. Its document's notes are read
 * against the names it gives its members (`localRegisterEntries`: 省财政厅, 自治区财政厅 → 330000-MOF / 450000-MOF), as
 * `cascade.matchDocument` reads them, and the lexicon's central proposal is carried onto its members by line
 * (`proposalAmongMembers`). Either engine.
 */
async function localOrganisationOf(repos: Repositories, user: ActingUser): Promise<Organisation | undefined> {
  const id = await organisationOfActor(repos, user);
  if (id === nationalId) return undefined;
  return (await organisationTreeOf(repos, [id])).byId.get(id);
}

/**
 * Reads a policy document's text into a draft plan and a division of work (stated by the document, else proposed),
 * for the coordinator to review. Nothing is saved; `plan.create` saves the reviewed draft. The departments are read
 * through `store` first (committed state, either engine); the parsing then runs in a worker thread under the
 * runner's time budget, holding no connection. A measure whose deadline is before `now`'s date (the plan's calendar)
 * gets a `deadline_past` warning.
 *
 * @throws ServiceError `forbidden` (not the coordinator); the worker's refusals with their field (`invalid_input`,
 *   `unsupported_content_type`, `payload_too_large`: a file that is damaged, encrypted, of another type, or holds no
 *   measure); `import_timeout`, `import_busy`
 */
export async function importPlan(
  store: Pick<AnyStore, "read">,
  user: ActingUser,
  input: ImportPlanInput,
  runner: ImportRunner = defaultRunner(),
  now: Date = new Date(),
): Promise<ImportedDraft> {
  requireRole(user, ["coordinator"], "import a policy document");
  const { leadDepartment, members: departments, organisation } = await store.read(async (repos) => ({
    ...(await importDefaults(repos, user)),
    organisation: await localOrganisationOf(repos, user),
  }));
  const common = {
    leadMinistry: leadDepartment,
    members: departments,
    ...(organisation === undefined ? {} : { register: localRegisterEntries(organisation) }),
  };
  const job: ImportJob =
    input.file !== undefined
      ? { ...common, file: { name: input.file.name, base64: input.file.contentBase64 } }
      : { ...common, text: input.text ?? "" };
  const read = await runner.run(job);
  const { draft, language, omittedWarnings, source, sourceText } = read;
  const division = organisation === undefined ? read.division : proposalAmongMembers(read.division, organisation.members);
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
    // A deadline already past on the day of the import (in the plan's calendar) is warned of beside the reading's own.
    warnings: [...draft.warnings, ...pastDeadlineWarnings(draft.measures, planCalendarDate(now))].sort(
      (a, b) => a.span.start - b.span.start || a.span.end - b.span.end,
    ),
    division,
    source,
    sourceText,
    omittedWarnings,
    leadDepartment,
    departments: members,
  };
}
