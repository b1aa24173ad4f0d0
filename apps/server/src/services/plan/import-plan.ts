import { departmentLexicon, parsePolicyDocument, proposeDivision } from "@countersign/domain";
import type {
  DepartmentCode,
  DivisionProposal,
  DraftMeasure,
  DraftSection,
  DraftWarning,
  ImportPlanInput,
  Span,
} from "@countersign/domain";
import type { Queryable } from "@countersign/db";
import { listDepartments } from "../catalog/list-departments.js";
import { toSimplified } from "./script.js";
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
  /** The ministry proposed to lead measures that bind all member units: the coordinator's own. */
  leadDepartment: DepartmentCode;
  /**
   * The member departments proposed for the plan: every department of the database, in order of signature, then
   * each further unit the document states as responsible, in the order first named.
   */
  departments: DepartmentCode[];
}

const han = /\p{Script=Han}/gu;
const letters = /\p{L}/gu;

function languageOf(text: string): "zh" | "en" {
  const hanCount = text.match(han)?.length ?? 0;
  const letterCount = text.match(letters)?.length ?? 0;
  return hanCount > 0 && hanCount * 2 >= letterCount ? "zh" : "en";
}

/**
 * Reads a policy document's text into a draft plan and a proposed division of work, for the coordinator to review.
 * Pure: nothing is saved; `plan.create` saves the reviewed draft.
 */
export function importPlan(db: Queryable, user: ActingUser, input: ImportPlanInput): ImportedDraft {
  requireRole(user, ["coordinator"], "import a policy document");
  const departments = listDepartments(db).map((d) => d.code);
  const leadDepartment = user.department ?? departments[0] ?? "MIIT";
  const draft = parsePolicyDocument(input.text, { toSimplified });
  const division = proposeDivision(draft, departmentLexicon, {
    leadMinistry: leadDepartment,
    members: departments,
  });
  const stated = division.responsibilities.filter((r) => r.source.kind === "stated").map((r) => r.department);
  const members = [...new Set([...departments, ...stated])];
  const title = input.title !== undefined && input.title !== "" ? input.title : draft.title;
  const documentNumber =
    input.documentNumber !== undefined && input.documentNumber !== "" ? input.documentNumber : draft.documentNumber;
  return {
    language: languageOf(input.text),
    title,
    titleSpan: draft.titleSpan,
    documentNumber,
    sections: draft.sections,
    measures: draft.measures,
    warnings: draft.warnings,
    division,
    leadDepartment,
    departments: members,
  };
}
