import { deriveLocalPlan, pendingForwardings } from "@countersign/domain";
import type { CascadePlan, DerivedPlan, DeriveContext, Organisation } from "@countersign/domain";
import { localDepartmentRow } from "@countersign/db";
import type { AnyStoreTransaction, CascadePlanRow, Repositories } from "@countersign/db";
import { ServiceError } from "../../errors.js";
import { auditActorOf } from "../shared/acting-user.js";
import type { ActingUser } from "../shared/acting-user.js";
import { envelope } from "../shared/live-change.js";
import type { Outcome } from "../shared/live-change.js";
import { cascadeActorOf, type CascadeData, loadCascade, organisationTreeOf } from "./cascade-read.js";
import { valueOrRefuse } from "./refusal.js";
import { localDepartmentAddedEvent } from "./register-local.js";

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

/** What deriving reads before deciding: the domain's context, the stored cascade and the parent's plan row. */
export interface DeriveReading {
  context: DeriveContext;
  data: CascadeData;
  organisation: Organisation;
  parentPlan: CascadePlan;
  parentRow: CascadePlanRow;
}

/**
 * Reads what deriving from the forwarding `forwardingId` needs (either engine): the caller's organisation with its
 * members, the parent's plan, every forwarding of that plan to the organisation. Errors: not_forwarded_here
 * (FORBIDDEN: no such forwarding to the caller's organisation, whether it exists or not), plan_not_issued (the
 * forwarded plan was withdrawn), not_found.
 */
export async function readForDerive(repos: Repositories, user: ActingUser, forwardingId: number, now: Date): Promise<DeriveReading> {
  const forwarding = await repos.cascade.forwarding(forwardingId);
  const actor = await cascadeActorOf(repos, user);
  // A forwarding to another organisation is refused exactly as one that does not exist: no answer tells them apart.
  if (forwarding === undefined || forwarding.toOrganisation !== actor.organisation) {
    throw new ServiceError("not_forwarded_here", `There is no forwarding ${forwardingId} to your organisation.`, { field: "forwardingId" });
  }
  // The members of the receiving organisation and of the parent: the division is mirrored by line between them.
  const data = await loadCascade(repos, now, forwarding.planId, await organisationTreeOf(repos, [actor.organisation, forwarding.fromOrganisation]));
  const { tree } = data.snapshot;
  const organisation = tree.byId.get(actor.organisation);
  const parentPlan = data.snapshot.plans.find((p) => p.id === String(forwarding.planId));
  const parentOrganisation = tree.byId.get(forwarding.fromOrganisation);
  if (organisation === undefined || parentPlan === undefined || parentOrganisation === undefined) {
    throw new ServiceError("plan_not_issued", "The forwarded plan was withdrawn.");
  }
  const forwardings = data.snapshot.forwardings.filter((f) => f.plan === parentPlan.id && f.to === organisation.id);
  const parentRow = await repos.cascade.plan(forwarding.planId);
  if (parentRow === undefined) throw new ServiceError("not_found", `There is no plan ${forwarding.planId}.`);
  const context: DeriveContext = {
    actor,
    organisation,
    parentPlan,
    parentOrganisation,
    forwardings,
    plans: data.snapshot.plans.filter((p) => p.organisation === organisation.id),
    planId: "derived",
  };
  return { context, data, organisation, parentPlan, parentRow };
}

/**
 * Writes a derived draft as one change set in the caller's unit of work: the organisation's member departments
 * registered as departments where missing (so division, issue and the inbox work on them), the plan, its measures
 * (origin, due date as the stated one, the origin's section; a local measure the section of the measure before it),
 * its division, the forwardings marked derived, and the `cascade.plan_derived` event (`payload` adds to its fields).
 * Returns the new plan's id, the unmapped responsibilities by new measure number, the departments added, and the
 * stored measures by the domain's id.
 */
export async function writeDerivedPlan(
  tx: AnyStoreTransaction,
  user: ActingUser,
  reading: DeriveReading,
  derived: DerivedPlan,
  now: Date,
  payload: Record<string, string | number> = {},
): Promise<Outcome<DerivedPlanOutput & { measureIds: ReadonlyMap<string, { id: number; number: number }> }>> {
  const repos = tx.repos;
  const { data, organisation, parentRow } = reading;
  const at = now.toISOString();
  const today = data.snapshot.today;
  // The key: the parent's, the organisation, and a count (a later batch of forwarded measures makes a second plan).
  const keyBase = `${parentRow.key}@${organisation.id}`;
  const earlier = await repos.cascade.countImplementationPlans(organisation.id, parentRow.id);

  // The organisation's member departments registered where missing (its first plan), each with its event.
  const added: string[] = [];
  for (const [i, member] of organisation.members.entries()) {
    if ((await repos.departmentRegister.find(member.code)) !== undefined) continue;
    await repos.departmentRegister.add(localDepartmentRow(organisation.id, member, i));
    await tx.appendAuditEvent(localDepartmentAddedEvent(auditActorOf(user), organisation.id, member, "cascade", at));
    added.push(member.code);
  }
  // The origins' sections, so the plan reads in the parent's structure; a local measure stays in the section of the
  // measure before it (the first origin's section when it opens the plan).
  const originSection = (m: DerivedPlan["plan"]["measures"][number]): number | undefined =>
    m.origin === null ? undefined : data.measures.get(m.origin.measure)?.sectionNumber;
  let current = derived.plan.measures.map(originSection).find((s) => s !== undefined) ?? 1;
  const sectionOf = new Map<string, number>();
  for (const m of derived.plan.measures) {
    current = originSection(m) ?? current;
    sectionOf.set(m.id, current);
  }
  const sections = await repos.cascade.sectionsOf(parentRow.id, [...new Set(sectionOf.values())]);
  const planId = await repos.cascade.addImplementationPlan(
    {
      key: earlier === 0 ? keyBase : `${keyBase}-${earlier + 1}`,
      titleZh: `${organisation.nameZh}贯彻落实《${parentRow.titleZh}》实施方案`,
      titleEn: `${organisation.nameEn}: implementation plan of "${parentRow.titleEn}"`,
      issuedOn: today,
      publishedOn: today,
      leadDepartment: organisation.office.host,
      createdAt: at,
      organisationId: organisation.id,
      implementsPlanId: parentRow.id,
    },
    organisation.members.map((d) => d.code),
    sections,
  );
  const measureIds = new Map<string, { id: number; number: number }>();
  for (const m of derived.plan.measures) {
    const origin = m.origin === null ? undefined : data.measures.get(m.origin.measure);
    const id = await repos.cascade.addMeasure({
      planId,
      number: m.number,
      sectionNumber: sectionOf.get(m.id) ?? 1,
      title: m.title,
      text: m.text,
      // The due date stands unless the office sets an earlier one at issue.
      statedDueDate: m.dueDate,
      originMeasureId: origin?.id ?? null,
    });
    measureIds.set(m.id, { id, number: m.number });
  }
  const positions = new Map<string, number>();
  for (const r of derived.plan.division) {
    const measure = measureIds.get(r.measure);
    if (measure === undefined) continue;
    // The lead first (0), then the supporting departments in the domain's order.
    const supporting = positions.get(r.measure) ?? 0;
    if (r.role !== "lead") positions.set(r.measure, supporting + 1);
    await repos.cascade.addResponsibility({ planId, measureId: measure.id, measureNumber: measure.number, department: r.department, role: r.role, position: r.role === "lead" ? 0 : supporting + 1 });
  }
  const forwardings = reading.context.forwardings;
  const taken = pendingForwardings(organisation.id, forwardings, data.snapshot.plans).map((f) => Number(f.id));
  await repos.cascade.markDerived(taken, planId);
  const numberOf = (id: string): string => `(${measureIds.get(id)?.number ?? "?"})`;
  const unmapped = derived.unmapped.map((u) => {
    const [measure = "", department = ""] = u.split(":");
    return `${numberOf(measure)}:${department}`;
  });
  await tx.appendAuditEvent({
    at,
    type: "cascade.plan_derived",
    ...auditActorOf(user),
    planId,
    payload: { implements: parentRow.id, organisation: organisation.id, forwardings: taken.join(","), measures: derived.plan.measures.length, unmapped: unmapped.join(" "), ...payload },
  });
  // The parent's grid (a cell leaves "planning" only at issue, but its drill-down gains the plan) refetches.
  const change = envelope({ planId: parentRow.id, assignmentIds: [], measureNumbers: [], departments: [], at }, [organisation.office.host]);
  return { value: { planId, measures: derived.plan.measures.length, unmapped, departmentsAdded: added, measureIds }, change };
}

/**
 * The receiving office derives its draft implementation plan (实施方案) from forwarded measures: read
 * (`readForDerive`) → the domain's `deriveLocalPlan` (measures kept with their origin and due date, the division
 * mirrored by line) → one change set (`writeDerivedPlan`). Runs in the caller's unit of work, on either engine. The
 * plan is then edited and issued through plan.setResponsibilities and plan.issue like any draft. Errors:
 * not_forwarded_here, plan_not_issued, not_found (`readForDerive`), and the domain's refusals.
 */
export async function derivePlan(tx: AnyStoreTransaction, user: ActingUser, input: DerivePlanInput, now: Date): Promise<Outcome<DerivedPlanOutput>> {
  const reading = await readForDerive(tx.repos, user, input.forwardingId, now);
  const derived = valueOrRefuse(deriveLocalPlan(reading.context));
  const { value, change } = await writeDerivedPlan(tx, user, reading, derived, now);
  return { value: { planId: value.planId, measures: value.measures, unmapped: value.unmapped, departmentsAdded: value.departmentsAdded }, change };
}
