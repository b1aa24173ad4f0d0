import { and, eq, inArray } from "drizzle-orm";
import { deriveLocalPlan, pendingForwardings } from "@countersign/domain";
import { appendAuditEvent, ensureOrganisationDepartments } from "@countersign/db";
import type { Queryable } from "@countersign/db";
import { forwardingsTable, measuresTable, planDepartmentsTable, plansTable, responsibilitiesTable, sectionsTable } from "@countersign/db/schema";
import { ServiceError } from "../../errors.js";
import { auditActorOf } from "../shared/acting-user.js";
import type { ActingUser } from "../shared/acting-user.js";
import { envelope } from "../shared/live-change.js";
import type { Outcome } from "../shared/live-change.js";
import { cascadeActorOf, loadCascade, organisationTreeOf } from "./cascade-read.js";
import { valueOrRefuse } from "./refusal.js";
import { recordLocalDepartmentsAdded } from "./register-local.js";

export interface DerivePlanInput {
  /** A forwarding addressed to the caller's organisation; every pending forwarding of the same plan to it is taken in. */
  forwardingId: number;
}

export interface DerivedPlanOutput {
  planId: number;
  measures: number;
  /** "(measure number):parent department" for each responsibility with no counterpart here (the office's host leads instead). */
  unmapped: string[];
  /** The member departments registered for the organisation by this act (its first plan). */
  departmentsAdded: string[];
}

/**
 * The receiving office derives its draft implementation plan (实施方案) from forwarded measures: read → the domain's
 * `deriveLocalPlan` (measures kept with their origin and due date, the division mirrored by line) → one change set:
 * the organisation's member departments registered as departments where missing (so division, issue and the inbox
 * work on them), the plan, its measures (origin, the parent's due date as the stated one), its division, the
 * forwardings marked derived, and the audit events. Runs in the caller's transaction. The plan is then edited and
 * issued through plan.setResponsibilities and plan.issue like any draft. Errors: not_forwarded_here (FORBIDDEN: no
 * such forwarding to the caller's organisation, whether it exists or not), and the domain's refusals.
 */
export function derivePlan(tx: Queryable, user: ActingUser, input: DerivePlanInput, now: Date): Outcome<DerivedPlanOutput> {
  const forwarding = tx.select().from(forwardingsTable).where(eq(forwardingsTable.id, input.forwardingId)).get();
  const actor = cascadeActorOf(tx, user);
  // A forwarding to another organisation is refused exactly as one that does not exist: no answer tells them apart.
  if (forwarding === undefined || forwarding.toOrganisation !== actor.organisation) {
    throw new ServiceError("not_forwarded_here", `There is no forwarding ${input.forwardingId} to your organisation.`, { field: "forwardingId" });
  }
  // The members of the receiving organisation and of the parent: the division is mirrored by line between them.
  const data = loadCascade(tx, now, forwarding.planId, organisationTreeOf(tx, [actor.organisation, forwarding.fromOrganisation]));
  const { tree } = data.snapshot;
  const organisation = tree.byId.get(actor.organisation);
  const parentPlan = data.snapshot.plans.find((p) => p.id === String(forwarding.planId));
  const parentOrganisation = tree.byId.get(forwarding.fromOrganisation);
  if (organisation === undefined || parentPlan === undefined || parentOrganisation === undefined) {
    throw new ServiceError("plan_not_issued", "The forwarded plan was withdrawn.");
  }
  const forwardings = data.snapshot.forwardings.filter((f) => f.plan === parentPlan.id && f.to === organisation.id);
  const parentRow = tx.select().from(plansTable).where(eq(plansTable.id, forwarding.planId)).get();
  if (parentRow === undefined) throw new ServiceError("not_found", `There is no plan ${forwarding.planId}.`);
  const at = now.toISOString();
  const today = data.snapshot.today;
  // The key: the parent's, the organisation, and a count (a later batch of forwarded measures makes a second plan).
  const keyBase = `${parentRow.key}@${organisation.id}`;
  const earlier = tx
    .select({ id: plansTable.id })
    .from(plansTable)
    .where(and(eq(plansTable.organisationId, organisation.id), eq(plansTable.implementsPlanId, parentRow.id)))
    .all().length;
  const derived = valueOrRefuse(
    deriveLocalPlan({
      actor,
      organisation,
      parentPlan,
      parentOrganisation,
      forwardings,
      plans: data.snapshot.plans.filter((p) => p.organisation === organisation.id),
      planId: "derived",
    }),
  );

  const added = ensureOrganisationDepartments(tx, organisation.id, organisation.members);
  recordLocalDepartmentsAdded(tx, auditActorOf(user), organisation.id, organisation.members, added, "cascade", at);
  const plan = tx
    .insert(plansTable)
    .values({
      key: earlier === 0 ? keyBase : `${keyBase}-${earlier + 1}`,
      titleZh: `${organisation.nameZh}贯彻落实《${parentRow.titleZh}》实施方案`,
      titleEn: `${organisation.nameEn}: implementation plan of "${parentRow.titleEn}"`,
      documentNumber: "",
      issuedOn: today,
      publishedOn: today,
      leadDepartment: organisation.office.host,
      status: "draft",
      createdAt: at,
      organisationId: organisation.id,
      implementsPlanId: parentRow.id,
    })
    .returning({ id: plansTable.id })
    .get();
  organisation.members.forEach((d, position) => {
    tx.insert(planDepartmentsTable).values({ planId: plan.id, department: d.code, position }).run();
  });
  // The origins' sections, so the plan reads in the parent's structure.
  const origins = derived.plan.measures.flatMap((m) => (m.origin === null ? [] : [data.measures.get(m.origin.measure)]));
  const sectionNumbers = [...new Set(origins.flatMap((o) => (o === undefined ? [] : [o.sectionNumber])))];
  const sections = sectionNumbers.length === 0 ? [] : tx.select().from(sectionsTable).where(and(eq(sectionsTable.planId, parentRow.id), inArray(sectionsTable.number, sectionNumbers))).all();
  for (const s of sections) tx.insert(sectionsTable).values({ planId: plan.id, number: s.number, numeral: s.numeral, title: s.title }).run();
  const measureIds = new Map<string, { id: number; number: number }>();
  for (const m of derived.plan.measures) {
    const origin = m.origin === null ? undefined : data.measures.get(m.origin.measure);
    const row = tx
      .insert(measuresTable)
      .values({
        planId: plan.id,
        number: m.number,
        sectionNumber: origin?.sectionNumber ?? 1,
        title: m.title,
        text: m.text,
        textCut: false,
        // The parent's due date stands unless the office sets an earlier one at issue.
        statedDueDate: m.dueDate,
        statedDeadline: m.dueDate,
        originMeasureId: origin?.id ?? null,
      })
      .returning({ id: measuresTable.id })
      .get();
    measureIds.set(m.id, { id: row.id, number: m.number });
  }
  const positions = new Map<string, number>();
  for (const r of derived.plan.division) {
    const measure = measureIds.get(r.measure);
    if (measure === undefined) continue;
    // The lead first (0), then the supporting departments in the domain's order.
    const supporting = positions.get(r.measure) ?? 0;
    if (r.role !== "lead") positions.set(r.measure, supporting + 1);
    tx.insert(responsibilitiesTable)
      .values({ planId: plan.id, measureId: measure.id, measureNumber: measure.number, department: r.department, role: r.role, position: r.role === "lead" ? 0 : supporting + 1, justification: null })
      .run();
  }
  const taken = pendingForwardings(organisation.id, forwardings, data.snapshot.plans).map((f) => Number(f.id));
  if (taken.length > 0) {
    tx.update(forwardingsTable).set({ status: "derived", derivedPlanId: plan.id }).where(inArray(forwardingsTable.id, taken)).run();
  }
  const numberOf = (id: string): string => `(${measureIds.get(id)?.number ?? "?"})`;
  const unmapped = derived.unmapped.map((u) => {
    const [measure = "", department = ""] = u.split(":");
    return `${numberOf(measure)}:${department}`;
  });
  appendAuditEvent(tx, {
    at,
    type: "cascade.plan_derived",
    ...auditActorOf(user),
    planId: plan.id,
    payload: { implements: parentRow.id, organisation: organisation.id, forwardings: taken.join(","), measures: derived.plan.measures.length, unmapped: unmapped.join(" ") },
  });
  // The parent's grid (a cell leaves "planning" only at issue, but its drill-down gains the plan) refetches.
  const change = envelope({ planId: parentRow.id, assignmentIds: [], measureNumbers: [], departments: [], at }, [organisation.office.host]);
  return { value: { planId: plan.id, measures: derived.plan.measures.length, unmapped, departmentsAdded: added }, change };
}
