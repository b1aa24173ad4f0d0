import type { DepartmentCode, Justification, Role } from "@countersign/domain";
import type { AnyStoreTransaction } from "@countersign/db";
import { ServiceError } from "../../errors.js";
import type { LocalPlanChecks } from "../cascade/local-plan-rules.js";
import { auditActorOf, requireRole } from "../shared/acting-user.js";
import type { ActingUser } from "../shared/acting-user.js";
import { envelope } from "../shared/live-change.js";
import type { Outcome } from "../shared/live-change.js";
import { readMeasureOrNotFound, readPlanOrNotFound } from "../shared/plan-lookup.js";

export interface SetResponsibilitiesInput {
  planId: number;
  measureNumber: number;
  lead: DepartmentCode;
  supporting: DepartmentCode[];
}

export interface MeasureResponsibility {
  measureNumber: number;
  department: DepartmentCode;
  role: Role;
  position: number;
  justification: Justification | null;
}

/**
 * Refuses a division that names a department twice (as lead and supporting, or twice among the supporting ones).
 * Pure. @throws ServiceError `invalid_input` (field supporting)
 */
export function assertDivisionShape(input: Pick<SetResponsibilitiesInput, "lead" | "supporting">): void {
  if (input.supporting.includes(input.lead)) {
    throw new ServiceError("invalid_input", `${input.lead} cannot be both the lead and a supporting department.`, {
      field: "supporting",
    });
  }
  const duplicate = input.supporting.find((d, i) => input.supporting.indexOf(d) !== i);
  if (duplicate !== undefined) {
    throw new ServiceError("invalid_input", `${duplicate} is listed twice among the supporting departments.`, {
      field: "supporting",
    });
  }
}

/**
 * The coordinator edits one measure's lead and supporting departments while the plan is a draft, in the caller's
 * unit of work (either engine), with its `plan.responsibilities_set` audit event. A department that stays keeps the
 * justification it was proposed with. Answers the measure's division after, lead first.
 *
 * Errors: `forbidden` (not the coordinator), `invalid_input`, `not_found` (plan or measure), `plan_not_draft`,
 * `unknown_department` (field lead or supporting), the cascade's refusals for an implementation plan (`local`).
 */
export async function setResponsibilities(
  tx: AnyStoreTransaction,
  user: ActingUser,
  input: SetResponsibilitiesInput,
  now: Date,
  local: LocalPlanChecks,
): Promise<Outcome<MeasureResponsibility[]>> {
  requireRole(user, ["coordinator"], "edit the division of work");
  assertDivisionShape(input);
  const at = now.toISOString();
  const repos = tx.repos;
  const plan = await readPlanOrNotFound(repos, input.planId);
  if (plan.status !== "draft") {
    throw new ServiceError("plan_not_draft", "This plan has been issued; change its work by reassigning or withdrawing assignments.");
  }
  const measure = await readMeasureOrNotFound(repos, input.planId, input.measureNumber);
  const wanted = [input.lead, ...input.supporting];
  // An implementation plan (issue 16) divides its work among its own organisation's members only.
  await local.division(plan, input.measureNumber, wanted.map((department, i) => ({ department, role: i === 0 ? "lead" : "supporting" })));
  const known = new Set(await repos.planEditing.knownDepartments(wanted));
  const unknown = wanted.find((d) => !known.has(d));
  if (unknown !== undefined) {
    throw new ServiceError("unknown_department", `There is no department ${unknown}.`, {
      field: unknown === input.lead ? "lead" : "supporting",
    });
  }
  const before = await repos.planEditing.measureDivision(measure.id);
  const justificationOf = new Map(before.map((r) => [r.department, r.justification]));
  const after: MeasureResponsibility[] = wanted.map((department, position) => ({
    measureNumber: measure.number,
    department,
    role: position === 0 ? "lead" : "supporting",
    position,
    justification: justificationOf.get(department) ?? null,
  }));
  await repos.planEditing.replaceMeasureDivision(
    plan.id,
    measure.id,
    measure.number,
    after.map(({ department, role, position, justification }) => ({ department, role, position, justification })),
  );
  await tx.appendAuditEvent({
    at,
    type: "plan.responsibilities_set",
    ...auditActorOf(user),
    planId: plan.id,
    measureNumber: measure.number,
    payload: {
      lead: input.lead,
      supporting: input.supporting.join(","),
      previousLead: before.find((r) => r.role === "lead")?.department ?? null,
      previousSupporting: before
        .filter((r) => r.role === "supporting")
        .map((r) => r.department)
        .join(","),
    },
  });
  const change = envelope(
    { planId: plan.id, assignmentIds: [], measureNumbers: [measure.number], departments: [], at },
    [...before.map((r) => r.department), ...wanted],
  );
  return { value: after, change };
}
