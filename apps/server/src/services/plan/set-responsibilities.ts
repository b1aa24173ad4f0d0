import { asc, eq, inArray } from "drizzle-orm";
import type { DepartmentCode, Justification, Role } from "@countersign/domain";
import { appendAuditEvent, writeTransaction } from "@countersign/db";
import type { CountersignDb } from "@countersign/db";
import { departmentsTable, responsibilitiesTable } from "@countersign/db/schema";
import { ServiceError } from "../../errors.js";
import { assertLocalDivision } from "../cascade/local-plan-rules.js";
import { auditActorOf, requireRole } from "../shared/acting-user.js";
import type { ActingUser } from "../shared/acting-user.js";
import { envelope } from "../shared/live-change.js";
import type { Outcome } from "../shared/live-change.js";
import { measureOrNotFound, planOrNotFound } from "../shared/plan-lookup.js";

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
 * The coordinator edits one measure's lead and supporting departments while the plan is a draft. A department that
 * stays keeps the justification it was proposed with.
 */
export function setResponsibilities(
  db: CountersignDb,
  user: ActingUser,
  input: SetResponsibilitiesInput,
  now: Date,
): Outcome<MeasureResponsibility[]> {
  requireRole(user, ["coordinator"], "edit the division of work");
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
  const at = now.toISOString();
  return writeTransaction(db, (tx) => {
    const plan = planOrNotFound(tx, input.planId);
    if (plan.status !== "draft") {
      throw new ServiceError("plan_not_draft", "This plan has been issued; change its work by reassigning or withdrawing assignments.");
    }
    const measure = measureOrNotFound(tx, input.planId, input.measureNumber);
    const wanted = [input.lead, ...input.supporting];
    // An implementation plan (issue 16) divides its work among its own organisation's members only.
    assertLocalDivision(tx, user, plan, input.measureNumber, wanted.map((department, i) => ({ department, role: i === 0 ? "lead" : "supporting" })), now);
    const known = new Set(
      tx
        .select({ code: departmentsTable.code })
        .from(departmentsTable)
        .where(inArray(departmentsTable.code, wanted))
        .all()
        .map((d) => d.code),
    );
    const unknown = wanted.find((d) => !known.has(d));
    if (unknown !== undefined) {
      throw new ServiceError("unknown_department", `There is no department ${unknown}.`, {
        field: unknown === input.lead ? "lead" : "supporting",
      });
    }
    const before = tx
      .select()
      .from(responsibilitiesTable)
      .where(eq(responsibilitiesTable.measureId, measure.id))
      .orderBy(asc(responsibilitiesTable.position))
      .all();
    const justificationOf = new Map(before.map((r) => [r.department, r.justification]));
    tx.delete(responsibilitiesTable).where(eq(responsibilitiesTable.measureId, measure.id)).run();
    const after: MeasureResponsibility[] = wanted.map((department, position) => ({
      measureNumber: measure.number,
      department,
      role: position === 0 ? "lead" : "supporting",
      position,
      justification: justificationOf.get(department) ?? null,
    }));
    for (const r of after) {
      tx.insert(responsibilitiesTable)
        .values({ planId: plan.id, measureId: measure.id, ...r })
        .run();
    }
    appendAuditEvent(tx, {
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
  });
}
