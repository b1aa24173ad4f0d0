import { randomUUID } from "node:crypto";
import type { createPlanInputSchema, DepartmentCode, PlanDocument } from "@countersign/domain";
import { ensureRegisterDepartmentsIn } from "@countersign/db";
import type { AnyStoreTransaction, NewPlanResponsibility } from "@countersign/db";
import type { z } from "zod";
import { ServiceError } from "../../errors.js";
import { organisationOfActor } from "../cascade/boundary.js";
import { auditActorOf, requireRole } from "../shared/acting-user.js";
import type { ActingUser } from "../shared/acting-user.js";
import { envelope } from "../shared/live-change.js";
import type { Outcome } from "../shared/live-change.js";

/** The input after parsing (defaults applied, titles trimmed). */
export type CreatePlanData = z.output<typeof createPlanInputSchema>;

export interface CreatedPlan {
  planId: number;
  key: string;
  status: "draft";
  sections: number;
  measures: number;
  responsibilities: number;
  /** Measures still without a lead: the plan cannot be issued until each has one. */
  measuresWithoutLead: number[];
}

function invalid(field: string, message: string): ServiceError {
  return new ServiceError("invalid_input", message, { field });
}

/** Every rule of a plan that the schema cannot check alone; throws on the first broken one, naming its field. */
function checkPlan(input: CreatePlanData, known: ReadonlySet<DepartmentCode>, members: readonly DepartmentCode[]): void {
  if (input.titleEn === "" && input.titleZh === "") throw invalid("titleEn", "Give the plan a title, in English or in Chinese.");
  const memberSet = new Set(members);
  members.forEach((code, i) => {
    if (!known.has(code)) throw new ServiceError("unknown_department", `There is no department ${code}.`, { field: `departments[${i}]` });
    if (members.indexOf(code) !== i) throw invalid(`departments[${i}]`, `${code} is listed twice among the member departments.`);
  });

  const sections = new Set<number>();
  input.sections.forEach((s, i) => {
    if (sections.has(s.number)) throw invalid(`sections[${i}].number`, `Two sections are numbered ${s.number}.`);
    sections.add(s.number);
  });
  const texts = new Map<number, string>();
  input.measures.forEach((m, i) => {
    if (texts.has(m.number)) throw invalid(`measures[${i}].number`, `Two measures are numbered (${m.number}).`);
    if (!sections.has(m.section)) {
      throw invalid(`measures[${i}].section`, `Measure (${m.number}) is in section ${m.section}, which the plan does not have.`);
    }
    texts.set(m.number, m.text);
  });

  const leads = new Set<number>();
  const seen = new Set<string>();
  input.responsibilities.forEach((r, i) => {
    const text = texts.get(r.measureNumber);
    if (text === undefined) throw invalid(`responsibilities[${i}].measureNumber`, `The plan has no measure (${r.measureNumber}).`);
    if (!known.has(r.department)) {
      throw new ServiceError("unknown_department", `There is no department ${r.department}.`, { field: `responsibilities[${i}].department` });
    }
    if (!memberSet.has(r.department)) {
      throw invalid(`responsibilities[${i}].department`, `${r.department} is not one of the plan's member departments.`);
    }
    const pair = `${r.measureNumber}:${r.department}`;
    if (seen.has(pair)) throw invalid(`responsibilities[${i}].department`, `${r.department} is listed twice on measure (${r.measureNumber}).`);
    seen.add(pair);
    if (r.role === "lead") {
      if (leads.has(r.measureNumber)) throw invalid(`responsibilities[${i}].role`, `Measure (${r.measureNumber}) has two lead departments.`);
      leads.add(r.measureNumber);
    }
    // Evidence must be the measure's own words: a justification quoting text that is not there would mislead.
    if (r.justification?.kind === "phrase" && !text.toLowerCase().includes(r.justification.phrase.toLowerCase())) {
      throw invalid(`responsibilities[${i}].justification`, `Measure (${r.measureNumber}) does not contain the phrase "${r.justification.phrase}".`);
    }
  });
}

/**
 * Saves a reviewed draft (from `plan.import`, with the coordinator's edits) as a new plan in `draft` of the caller's
 * organisation, with a `plan.created` event, in the caller's unit of work (either engine): read the departments →
 * `checkPlan` → write the plan's rows (`planCreation.insertDraftPlan`) and its events. A unit of the register of
 * departments named for the first time joins the installation (its `department.added` event first). A measure may
 * still lack a lead: `plan.issue` refuses until each has one.
 *
 * @throws ServiceError `forbidden` (not the coordinator), `invalid_input` (with the field: a retired or repeated
 *   department, a section or measure numbered twice, a responsibility off the plan, evidence not in the measure's
 *   text), `unknown_department`
 */
export async function createPlan(tx: AnyStoreTransaction, user: ActingUser, input: CreatePlanData, now: Date): Promise<Outcome<CreatedPlan>> {
  requireRole(user, ["coordinator"], "create a plan");
  const at = now.toISOString();
  const repos = tx.repos;
  // Any unit of the register of departments may be a member: named for the first time, it joins the installation.
  const named = [...(input.departments ?? []), ...input.responsibilities.map((r) => r.department), ...(input.leadDepartment ? [input.leadDepartment] : [])];
  await ensureRegisterDepartmentsIn(tx, named, at, { userId: user.id, username: user.username, role: user.role });
  const retired = new Map((await repos.departmentRegister.list()).map((d) => [d.code, d.retiredOn]));
  (input.departments ?? []).forEach((code, i) => {
    const on = retired.get(code);
    if (on) throw invalid(`departments[${i}]`, `${code} was retired on ${on}; a new plan cannot name it.`);
  });
  // A plan belongs to the caller's organisation (issue 16) and names its departments only.
  const organisation = await organisationOfActor(repos, user);
  const all = (await repos.departmentRegister.list(organisation)).filter((d) => !d.retiredOn).map((d) => d.code);
  const known = new Set(all);
  const members = input.departments ?? all;
  const leadDepartment = input.leadDepartment ?? user.department ?? members[0];
  if (leadDepartment === undefined || !known.has(leadDepartment)) {
    throw new ServiceError("unknown_department", `There is no department ${leadDepartment ?? "(none)"}.`, { field: "leadDepartment" });
  }
  checkPlan(input, known, members);

  const key = `imported-${randomUUID()}`;
  const document: PlanDocument = {
    key,
    titleEn: input.titleEn,
    titleZh: input.titleZh,
    documentNumber: input.documentNumber,
    issuedOn: input.issuedOn ?? "",
    publishedOn: input.publishedOn ?? "",
    leadDepartment,
    departments: members,
    sections: input.sections,
    measures: input.measures,
  };
  const responsibilities: NewPlanResponsibility[] = input.responsibilities.map((r) => ({
    measureNumber: r.measureNumber,
    department: r.department,
    role: r.role,
    justification: r.justification ?? null,
  }));
  const planId = await repos.planCreation.insertDraftPlan({ document, responsibilities, organisationId: organisation, createdAt: at });
  const led = new Set(responsibilities.filter((r) => r.role === "lead").map((r) => r.measureNumber));
  const measuresWithoutLead = input.measures.map((m) => m.number).filter((n) => !led.has(n)).sort((a, b) => a - b);
  await tx.appendAuditEvent({
    at,
    type: "plan.created",
    ...auditActorOf(user),
    planId,
    payload: {
      key,
      titleEn: input.titleEn,
      titleZh: input.titleZh,
      documentNumber: input.documentNumber,
      sections: input.sections.length,
      measures: input.measures.length,
      responsibilities: responsibilities.length,
      measuresWithoutLead: measuresWithoutLead.length,
    },
  });
  const change = envelope({ planId, assignmentIds: [], measureNumbers: [], departments: [], at }, []);
  return {
    value: {
      planId,
      key,
      status: "draft",
      sections: input.sections.length,
      measures: input.measures.length,
      responsibilities: responsibilities.length,
      measuresWithoutLead,
    },
    change,
  };
}
