import { centralDocumentNames, deriveFromLocalDocument, localRegisterEntries, requireDepartmentDecisions } from "@countersign/domain";
import type { CascadePlan, DepartmentChoice, DocumentDerivedPlan, DueDate, LocalDocumentMeasure, MatchReason, Organisation, Role } from "@countersign/domain";
import type { AnyStore, AnyStoreTransaction, Repositories } from "@countersign/db";
import { ServiceError } from "../../errors.js";
import type { ImportJob, ImportJobResult } from "../plan/import-job.js";
import type { ImportRunner } from "../plan/import-runner.js";
import { requireRole } from "../shared/acting-user.js";
import type { ActingUser } from "../shared/acting-user.js";
import type { Outcome } from "../shared/live-change.js";
import { cascadeActorOf, organisationTreeOf } from "./cascade-read.js";
import { type DerivedPlanOutput, type DeriveReading, readForDerive, writeDerivedPlan } from "./derive-plan.js";
import { valueOrRefuse } from "./refusal.js";

/** The office's own document: pasted text or a file (as plan.import takes them), for the forwarding `forwardingId`. */
export interface LocalDocumentInput {
  forwardingId: number;
  text?: string | undefined;
  file?: { name: string; contentBase64: string } | undefined;
  /** Decisions for the names not recognised (`DepartmentChoice`: measure number, name as printed, member or null). */
  departmentChoices?: DepartmentChoice[] | undefined;
}

/** A local document as the import's parser read it: its measures, what was read, and the text its spans point into. */
export interface ParsedLocalDocument {
  measures: LocalDocumentMeasure[];
  source: ImportJobResult["source"];
  /** The text read (the pasted text, or the file's): where the central document's short name is looked for. */
  text: string;
}

/**
 * Reads the caller's own document with the import's parser in its worker (`runner`, under its time budget, holding no
 * connection): the organisation's member departments are read first (either engine) and the document's division
 * notes are read against them (`localRegisterEntries`: 自治区财政厅 → 450000-MOF). Saves nothing.
 * @throws ServiceError forbidden_role (not a coordinator); the import's refusals (invalid_input,
 *   unsupported_content_type, payload_too_large, import_timeout, import_busy).
 */
export async function parseLocalDocument(
  store: Pick<AnyStore, "read">,
  user: ActingUser,
  input: LocalDocumentInput,
  runner: ImportRunner,
): Promise<ParsedLocalDocument> {
  requireRole(user, ["coordinator"], "derive a plan from a document");
  const organisation = await store.read(async (repos) => organisationOf(repos, user));
  const common = { leadMinistry: organisation.office.host, members: organisation.members.map((d) => d.code), register: localRegisterEntries(organisation) };
  const job: ImportJob =
    input.file !== undefined ? { ...common, file: { name: input.file.name, base64: input.file.contentBase64 } } : { ...common, text: input.text ?? "" };
  const { draft, source, sourceText } = await runner.run(job);
  return {
    measures: draft.measures.map((m) => ({
      number: m.number,
      label: m.label,
      title: m.title,
      text: m.text,
      deadline: m.deadline,
      notes: m.notes.map((n) => ({ text: n.text, units: n.units.map((u) => ({ code: u.code, name: u.name, role: u.role, closest: u.closest })) })),
    })),
    source,
    text: sourceText ?? input.text ?? "",
  };
}

async function organisationOf(repos: Repositories, user: ActingUser): Promise<Organisation> {
  const actor = await cascadeActorOf(repos, user);
  const organisation = (await organisationTreeOf(repos, [actor.organisation])).byId.get(actor.organisation);
  if (organisation === undefined) throw new ServiceError("not_found", "Your organisation is not in the tree.");
  return organisation;
}

/**
 * Reads the forwarding and the parent's plan (`readForDerive`), the parent measures' translations and the plans above
 * the parent (whose numbers a document may cite by their names), then decides
 * with the domain's `deriveFromLocalDocument`: the document's measures matched to the forwarded ones (citation,
 * quoted title, likeness, compared in the plan's language and its translation's), those it leaves out carried as
 * forwarded. Throws the domain's refusals.
 */
async function decide(
  repos: Repositories,
  user: ActingUser,
  forwardingId: number,
  document: ParsedLocalDocument,
  choices: readonly DepartmentChoice[],
  now: Date,
): Promise<{ reading: DeriveReading; derived: DocumentDerivedPlan }> {
  const reading = await readForDerive(repos, user, forwardingId, now);
  const parentIds = reading.parentPlan.measures.map((m) => Number(m.id));
  const translations = new Map((await repos.catalog.measureTranslations(parentIds)).map((t) => [String(t.measureId), { title: t.title, text: t.text }]));
  const names = [...centralDocumentNames(document.text, reading.parentRow.titleZh), reading.parentRow.titleEn];
  // The plans above the forwarded one (a city's document may cite the national opinions' numbers), nearest first.
  const ancestors: Array<{ names: string[]; plan: CascadePlan }> = [];
  for (let id = reading.parentRow.implementsPlanId; id !== null && ancestors.length < 8; ) {
    const row = await repos.cascade.plan(id);
    const plan = reading.data.snapshot.plans.find((p) => p.id === String(id));
    if (row === undefined || plan === undefined) break;
    ancestors.push({ names: [...centralDocumentNames(document.text, row.titleZh), row.titleEn], plan });
    id = row.implementsPlanId;
  }
  const derived = valueOrRefuse(deriveFromLocalDocument(reading.context, document.measures, names, translations, ancestors, choices));
  return { reading, derived };
}

/** One department's part in a measure of the preview, with its names. */
export interface PreviewPart {
  department: string;
  nameZh: string;
  nameEn: string;
  role: Role;
}

export interface DocumentPreviewMeasure {
  /** Its number in the plan that would be derived. */
  number: number;
  /** Where it comes from: a measure of the document, or a forwarded measure the document leaves out. */
  from: "document" | "forwarded";
  /** The document's marker as printed ("（三）"); null for a forwarded measure. */
  label: string | null;
  title: string;
  /**
   * The measure's text as the derived plan would hold it (the document's words without the number; a forwarded
   * measure's as forwarded), so the coordinator sees what was read: nothing of a signature or an attachment list.
   */
  text: string;
  /** The forwarded measure it implements (its number and title in the parent's plan); null for a local measure. */
  implements: { number: number; title: string } | null;
  /** Why (a document measure only; null for a forwarded one). */
  reason: MatchReason | null;
  division: PreviewPart[];
  divisionFrom: "document" | "parent" | "host";
  /**
   * Department names the document gives here that are none of the organisation's members, as printed, with the role
   * the note gives, the members most alike (best first) and the decision taken (null: none yet; deriving refuses
   * `undecided_departments` until each has one).
   */
  unrecognised: Array<{
    name: string;
    role: Role;
    suggested: Array<{ department: string; nameZh: string; nameEn: string }>;
    decision: { kind: "member"; department: string } | { kind: "left_out" } | null;
  }>;
  dueDate: DueDate;
  dueDateFrom: "document" | "parent" | "default";
}

export interface DocumentPreview {
  source: ImportJobResult["source"];
  /** The plan that would be derived, measure by measure. */
  measures: DocumentPreviewMeasure[];
  /** The forwarded measures' numbers the document implements none of (carried as forwarded). */
  unimplemented: number[];
  /** How many of the document's measures implement a forwarded one, and how many are local. */
  matched: number;
  local: number;
  /** "(measure number):parent department" for each mirrored responsibility with no counterpart here. */
  unmapped: string[];
}

function previewOf(reading: DeriveReading, derived: DocumentDerivedPlan, source: ImportJobResult["source"]): DocumentPreview {
  const members = new Map(reading.organisation.members.map((d) => [d.code, d]));
  const parent = new Map(reading.parentPlan.measures.map((m) => [m.id, m]));
  const outcomes = new Map(derived.measures.map((o) => [o.measure, o]));
  const numberOf = new Map(derived.plan.measures.map((m) => [m.id, m.number]));
  const measures = derived.plan.measures.map((m): DocumentPreviewMeasure => {
    const o = outcomes.get(m.id);
    const origin = m.origin === null ? undefined : parent.get(m.origin.measure);
    const division = derived.plan.division
      .filter((r) => r.measure === m.id)
      .map((r) => ({ department: r.department, nameZh: members.get(r.department)?.nameZh ?? r.department, nameEn: members.get(r.department)?.nameEn ?? r.department, role: r.role }));
    return {
      number: m.number,
      from: o === undefined ? "forwarded" : "document",
      label: o?.label ?? null,
      title: m.title,
      text: m.text,
      implements: origin === undefined ? null : { number: origin.number, title: origin.title },
      reason: o?.reason ?? null,
      division,
      divisionFrom: o?.divisionFrom ?? "parent",
      unrecognised: (o?.unrecognised ?? []).map((u) => ({
        name: u.name,
        role: u.role,
        suggested: u.suggested.map((code) => ({ department: code, nameZh: members.get(code)?.nameZh ?? code, nameEn: members.get(code)?.nameEn ?? code })),
        decision: u.decision,
      })),
      dueDate: m.dueDate,
      dueDateFrom: o?.dueDateFrom ?? "parent",
    };
  });
  const unmapped = derived.unmapped.map((u) => {
    const [measure = "", department = ""] = u.split(":");
    return `(${numberOf.get(measure) ?? "?"}):${department}`;
  });
  const matched = derived.measures.filter((o) => o.implements !== null).length;
  return {
    source,
    measures,
    unimplemented: derived.unimplemented.map((id) => parent.get(id)?.number ?? 0),
    matched,
    local: derived.measures.length - matched,
    unmapped,
  };
}

/**
 * The preview of `cascade.deriveFromDocument`: what the parsed document would make of the forwarding, measure by
 * measure, with the reason of each match and the names not recognised (with `choices` applied, so the coordinator
 * sees the division they make). Reads committed state (either engine); saves nothing. Errors: those of
 * `readForDerive` and the domain's refusals (`document_without_measures`, `no_measures`, `unknown_department_choice` …).
 */
export async function previewFromDocument(
  store: Pick<AnyStore, "read">,
  user: ActingUser,
  forwardingId: number,
  document: ParsedLocalDocument,
  now: Date,
  choices: readonly DepartmentChoice[] = [],
): Promise<DocumentPreview> {
  return store.read(async (repos) => {
    const { reading, derived } = await decide(repos, user, forwardingId, document, choices, now);
    return previewOf(reading, derived, document.source);
  });
}

export interface DerivedFromDocumentOutput extends DerivedPlanOutput {
  /** How many of the document's measures implement a forwarded one, and how many are local. */
  matched: number;
  local: number;
  /** The forwarded measures' numbers (in the parent's plan) the document implements none of, carried as forwarded. */
  unimplemented: number[];
}

/**
 * The receiving office derives its draft implementation plan from its own document: read → the domain's
 * `deriveFromLocalDocument` → one change set (`writeDerivedPlan`: the plan, its measures with their origins, the
 * division, the forwardings marked derived, the member departments registered where missing, and one
 * `cascade.plan_derived` event naming the document and what was matched). Runs in the caller's unit of work, on
 * either engine; the document was parsed before it (`parseLocalDocument`), outside the unit of work. Every name the
 * document gives that is no member must be decided in `choices` (a member, or left out): an undecided one refuses
 * `undecided_departments` naming it, with nothing written (`requireDepartmentDecisions`: a department is never lost
 * from the division unseen). The event's `departmentChoices` records each decision ("（三）南宁海关 → left out").
 * Errors: as `previewFromDocument`, and `undecided_departments`.
 */
export async function deriveFromDocument(
  tx: AnyStoreTransaction,
  user: ActingUser,
  forwardingId: number,
  document: ParsedLocalDocument,
  now: Date,
  choices: readonly DepartmentChoice[] = [],
): Promise<Outcome<DerivedFromDocumentOutput>> {
  const decided = await decide(tx.repos, user, forwardingId, document, choices, now);
  const reading = decided.reading;
  const derived = valueOrRefuse(requireDepartmentDecisions(decided.derived));
  const preview = previewOf(reading, derived, document.source);
  const decisions = derived.measures.flatMap((m) =>
    m.unrecognised.map((u) => `${m.label}${u.name} → ${u.decision?.kind === "member" ? u.decision.department : "left out"}`),
  );
  const { value, change } = await writeDerivedPlan(tx, user, reading, derived, now, {
    document: document.source.name ?? "pasted",
    matched: preview.matched,
    local: preview.local,
    unimplemented: preview.unimplemented.join(","),
    ...(decisions.length === 0 ? {} : { departmentChoices: decisions.join("; ") }),
  });
  return {
    value: {
      planId: value.planId,
      measures: value.measures,
      unmapped: value.unmapped,
      departmentsAdded: value.departmentsAdded,
      matched: preview.matched,
      local: preview.local,
      unimplemented: preview.unimplemented,
    },
    change,
  };
}
