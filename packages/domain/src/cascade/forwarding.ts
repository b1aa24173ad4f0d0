/*
 * Forwarding (转发) down the levels (issue 16, point 2), as pure functions.
 *
 * A coordinator of an organisation's leading-group office forwards an issued plan, or chosen measures of it, to
 * organisations of the level below, with a deadline for their implementation plan (实施方案). The receiving office
 * derives its own plan: the forwarded measures kept with the id of the measure each implements, local measures added,
 * its own division among its member departments, its own deadlines (never after the parent's). Once issued, it can
 * forward further down. Every function returns the next value or a typed refusal with its message in both languages;
 * nothing here reads or writes storage.
 */
import { isIsoDate } from "../dates.js";
import type { DueDate, Measure, Responsibility, Role } from "../types.js";
import { childrenOf, type Organisation, type OrganisationTree } from "./organisations.js";

export type CascadePlanStatus = "draft" | "issued" | "withdrawn";
export const cascadePlanStatuses = ["draft", "issued", "withdrawn"] as const satisfies readonly CascadePlanStatus[];

/** The measure a measure implements: the parent's plan and the measure's id there. */
export interface MeasureOrigin {
  plan: string;
  measure: string;
}

export interface CascadeMeasure {
  /** Unique across every plan: the plan's id, a slash and the number ("GX-2020/3"). */
  id: string;
  /** 1-based within the plan: forwarded measures first in the parent's order, then local measures. */
  number: number;
  title: string;
  /** The text as forwarded (kept as published) or as the local office wrote it. */
  text: string;
  /** "ongoing" or YYYY-MM-DD. */
  dueDate: DueDate;
  /** The measure it implements; null for a measure of the plan's own (a national measure, a local measure added). */
  origin: MeasureOrigin | null;
}

/** One member department's part in one measure of a plan. */
export interface CascadeResponsibility {
  measure: string;
  department: string;
  role: Role;
}

export interface CascadePlan {
  id: string;
  /** The organisation whose plan it is. */
  organisation: string;
  status: CascadePlanStatus;
  /** The parent's plan it implements; null for a plan the organisation wrote on its own (the national plan). */
  implements: string | null;
  measures: readonly CascadeMeasure[];
  division: readonly CascadeResponsibility[];
}

/** One act of forwarding: chosen measures of an issued plan sent to one child organisation. */
export interface Forwarding {
  id: string;
  /** The forwarded plan. */
  plan: string;
  from: string;
  to: string;
  /** Ids of the forwarded measures, in the plan's order. */
  measures: readonly string[];
  /** The date (YYYY-MM-DD, Beijing) by which the child is to issue its implementation plan. */
  planDeadline: string;
  /** The day it was forwarded (YYYY-MM-DD). */
  forwardedOn: string;
}

/** Who acts: a person of an organisation, in one of its roles there. */
export interface CascadeActor {
  organisation: string;
  role: "coordinator" | "liaison" | "observer";
}

export type CascadeRefusalCode =
  | "not_coordinator" // only the coordinators of the plan's organisation's office forward, derive, divide and issue
  | "plan_not_issued" // only an issued plan is forwarded
  | "not_draft" // a plan is edited only while it is a draft
  | "no_targets" // forwarding to nobody
  | "not_a_child" // forwarding skips a level or goes sideways
  | "no_measures" // forwarding no measure, or deriving with nothing left to take
  | "unknown_measure" // a measure id not in the plan
  | "already_forwarded" // a measure is forwarded once per child
  | "invalid_deadline" // not a date, or before today
  | "deadline_after_parent" // a deadline after the parent's
  | "not_forwarded_here" // deriving from forwardings addressed to another organisation or from another plan
  | "unknown_department" // not a member department of the organisation
  | "division_shape" // not exactly one lead, or a department twice
  | "measure_not_implemented" // issuing an implementation plan that drops a forwarded measure
  | "missing_lead" // issuing with a measure that has no lead department
  | "text_required" // a local measure needs a title and a text
  | "document_without_measures" // deriving from a local document in which no measure was found
  | "unknown_department_choice" // a choice for a name the document does not give there, or of a department not a member
  | "undecided_departments" // deriving while a department the document names is neither recognised nor decided on
  | "not_visible"; // the organisation may not see this (a sibling's plan, an ancestor's progress)

/** A refusal: a stable code, the message in English and in Chinese, and the ids at fault where there are some. */
export interface CascadeRefusal {
  code: CascadeRefusalCode;
  message: string;
  messageZh: string;
  /** The measures, organisations or departments at fault, so a client can name them. */
  subjects?: readonly string[];
}

export type CascadeResult<T> = { ok: true; value: T } | { ok: false; refusal: CascadeRefusal };

/**
 * A plan of an organisation's own (the national plan) as the cascade sees it: measures numbered as in the document,
 * ids "<id>/<number>", due dates from `dueDate(number)`, the division as given (responsibilities of unknown measures
 * are dropped), origin null.
 */
export function ownCascadePlan(
  id: string,
  organisation: string,
  measures: readonly Pick<Measure, "number" | "title" | "text">[],
  responsibilities: readonly Responsibility[],
  dueDate: (measureNumber: number) => DueDate,
  status: CascadePlanStatus = "issued",
): CascadePlan {
  const numbers = new Set(measures.map((m) => m.number));
  return {
    id,
    organisation,
    status,
    implements: null,
    measures: measures.map((m) => ({ id: `${id}/${m.number}`, number: m.number, title: m.title, text: m.text, dueDate: dueDate(m.number), origin: null })),
    division: responsibilities
      .filter((r) => numbers.has(r.measureNumber))
      .map((r) => ({ measure: `${id}/${r.measureNumber}`, department: r.department, role: r.role })),
  };
}

const ok = <T>(value: T): CascadeResult<T> => ({ ok: true, value });

/** The refusal for `code`: messages in the glossary's terms (分工方案, 转发, 实施方案, 牵头单位, 完成时限). */
export function cascadeRefusal(code: CascadeRefusalCode, subjects?: readonly string[]): CascadeRefusal {
  const list = subjects === undefined || subjects.length === 0 ? "" : subjects.join(", ");
  const [message, messageZh] = refusalMessages[code](list);
  return subjects === undefined || subjects.length === 0 ? { code, message, messageZh } : { code, message, messageZh, subjects };
}

const refusalMessages: Record<CascadeRefusalCode, (list: string) => readonly [string, string]> = {
  not_coordinator: () => ["Only the coordinators of this organisation's leading-group office may do this.", "只有本级领导小组办公室的牵头协调人员可以进行此操作。"],
  plan_not_issued: () => ["The plan is not issued: only an issued plan is forwarded or taken in.", "该分工方案未立项交办：只有已立项交办的分工方案可以转发或承接。"],
  not_draft: () => ["This plan is no longer a draft; it cannot be edited here.", "该分工方案已不是草稿，不能在此修改。"],
  no_targets: () => ["Choose at least one organisation of the level below to forward to.", "请至少选择一个下一级单位进行转发。"],
  not_a_child: (l) => [`Plans are forwarded only to the level directly below: ${l} is not.`, `分工方案只能转发给直接下一级：${l} 不是下一级单位。`],
  no_measures: () => ["Choose at least one measure; none is left to take.", "请至少选择一项措施；没有可接收的措施。"],
  unknown_measure: (l) => [`No such measure in this plan: ${l}.`, `该分工方案中没有此措施：${l}。`],
  already_forwarded: (l) => [`Already forwarded to this organisation: ${l}. A measure is forwarded once to each.`, `已转发给该单位：${l}。每项措施对每个单位只转发一次。`],
  invalid_deadline: (l) => [`A deadline must be a date (YYYY-MM-DD) not before today${l === "" ? "" : `: ${l}`}.`, `完成时限须为不早于今天的日期（YYYY-MM-DD）${l === "" ? "" : `：${l}`}。`],
  deadline_after_parent: (l) => [
    `A deadline may not be later than the measure's own, set in this plan or one level up${l === "" ? "" : `: ${l}`}.`,
    `完成时限不得晚于该措施本身的时限（本方案或上一级确定）${l === "" ? "" : `：${l}`}。`,
  ],
  not_forwarded_here: () => ["These forwarded measures are not addressed to this organisation.", "这些转发的措施不是发给本单位的。"],
  unknown_department: (l) => [`Not a member department of this organisation's leading group: ${l}.`, `不是本级领导小组成员单位：${l}。`],
  division_shape: () => ["Each measure has exactly one lead department, and each department takes one part.", "每项措施须有且只有一个牵头单位，每个单位只承担一种角色。"],
  measure_not_implemented: (l) => [
    `The implementation plan must carry every measure forwarded to it; missing: ${l}.`,
    `实施方案须承接转发的全部措施；缺少：${l}。`,
  ],
  missing_lead: (l) => [`Name a lead department for each measure before issuing; none for ${l}.`, `立项交办前须为每项措施确定牵头单位；以下措施尚无：${l}。`],
  text_required: () => ["A local measure needs a title and a text.", "本地措施须有标题和内容。"],
  document_without_measures: () => [
    "No measure was found in your document: check that it is your implementation plan, numbered （一）（二）… or 1. 2. ….",
    "未在本单位文件中识别出措施：请确认是本单位的实施方案，并按（一）（二）……或1. 2. ……编号。",
  ],
  unknown_department_choice: (l) => [
    `This choice does not fit the document: ${l}. Choose only for a name the preview lists as not recognised, and only a member department.`,
    `该选择与文件不符：${l}。只能为预览中列为“未识别”的名称选择，且只能选择本级成员单位。`,
  ],
  undecided_departments: (l) => [
    `Your document names departments that are not recognised: ${l}. Choose which member department each means, or leave it out, then derive again.`,
    `本单位文件中有未识别的单位：${l}。请为每个名称选择对应的成员单位，或确认不列入，然后重新生成。`,
  ],
  not_visible: () => ["Your organisation may not see this: only its own plans, its parent's plan forwarded to it, and the progress below it.", "本单位无权查看：只能查看本级分工方案、上级转发给本单位的方案和下级的进展。"],
};

/** Every cascade refusal code, for clients that word refusals by code (the web's `refusal.*` texts). */
export const cascadeRefusalCodes = Object.keys(refusalMessages) as CascadeRefusalCode[];

const refuse = <T>(code: CascadeRefusalCode, subjects?: readonly string[]): CascadeResult<T> => ({ ok: false, refusal: cascadeRefusal(code, subjects) });

const isCoordinatorOf = (actor: CascadeActor, organisation: string): boolean => actor.role === "coordinator" && actor.organisation === organisation;

/**
 * Whether `dueDate` respects `parentDue`: an ongoing parent (持续推进) allows anything; a dated parent allows a date
 * on or before it (ISO dates compare as strings), never "ongoing".
 */
export function withinParentDeadline(dueDate: DueDate, parentDue: DueDate): boolean {
  if (parentDue === "ongoing" || !isIsoDate(parentDue)) return true;
  return dueDate !== "ongoing" && isIsoDate(dueDate) && dueDate <= parentDue;
}

const isDueDate = (d: DueDate): boolean => d === "ongoing" || isIsoDate(d);

export interface ForwardRequest {
  /** The child organisations' ids. */
  to: readonly string[];
  /** The measures' ids, or "all" for the whole plan. */
  measures: readonly string[] | "all";
  /** YYYY-MM-DD: when the children are to issue their implementation plans. */
  planDeadline: string;
}

export interface ForwardContext {
  tree: OrganisationTree;
  actor: CascadeActor;
  plan: CascadePlan;
  /** Every forwarding already made from this plan (others are ignored). */
  existing: readonly Forwarding[];
  /** Today's date in Beijing (YYYY-MM-DD, `planCalendarDate`). */
  today: string;
  /** The id for the new forwarding to `to` (the caller's key scheme). */
  newId: (to: string) => string;
}

/**
 * Forward an issued plan, or chosen measures of it, to children of its organisation: one Forwarding per child.
 *
 * Rules, checked in this order: the actor is a coordinator of the plan's organisation (`not_coordinator`); the plan
 * is issued (`plan_not_issued`); there is a target (`no_targets`) and each is a child (`not_a_child`); there is a
 * measure (`no_measures`) and each is the plan's (`unknown_measure`); no measure goes twice to the same child
 * (`already_forwarded`, naming "child:measure"); the plan deadline is a date not before today (`invalid_deadline`)
 * and not after the due date of any forwarded measure still ahead (`deadline_after_parent`): the level below plans
 * before the work is due; a measure already past due (forwarded late) bounds nothing. A target listed twice gets one
 * forwarding.
 */
export function forwardPlan(ctx: ForwardContext, request: ForwardRequest): CascadeResult<Forwarding[]> {
  const { plan, tree } = ctx;
  if (!isCoordinatorOf(ctx.actor, plan.organisation)) return refuse("not_coordinator");
  if (plan.status !== "issued") return refuse("plan_not_issued");
  const targets = [...new Set(request.to)];
  if (targets.length === 0) return refuse("no_targets");
  const children = new Set(childrenOf(tree, plan.organisation));
  const strangers = targets.filter((t) => !children.has(t));
  if (strangers.length > 0) return refuse("not_a_child", strangers);
  const planMeasures = new Map(plan.measures.map((m) => [m.id, m]));
  const chosen = request.measures === "all" ? plan.measures.map((m) => m.id) : [...new Set(request.measures)];
  if (chosen.length === 0) return refuse("no_measures");
  const unknown = chosen.filter((id) => !planMeasures.has(id));
  if (unknown.length > 0) return refuse("unknown_measure", unknown);
  const sent = new Set(ctx.existing.filter((f) => f.plan === plan.id).flatMap((f) => f.measures.map((m) => `${f.to}:${m}`)));
  const twice = targets.flatMap((t) => chosen.filter((m) => sent.has(`${t}:${m}`)).map((m) => `${t}:${m}`));
  if (twice.length > 0) return refuse("already_forwarded", twice);
  if (!isIsoDate(request.planDeadline) || request.planDeadline < ctx.today) return refuse("invalid_deadline", [request.planDeadline]);
  const ordered = plan.measures.filter((m) => chosen.includes(m.id));
  // A measure already past its due date is still forwarded for its work to be done (a plan forwarded late, or
  // forwarded again): it cannot bound a deadline that may not be before today, so only measures still ahead do.
  const stillAhead = ordered.filter((m) => !isIsoDate(m.dueDate) || m.dueDate >= ctx.today);
  const tooLate = stillAhead.filter((m) => !withinParentDeadline(request.planDeadline, m.dueDate)).map((m) => `(${m.number}) ${m.dueDate}`);
  if (tooLate.length > 0) return refuse("deadline_after_parent", tooLate);
  return ok(
    targets.map((to) => ({
      id: ctx.newId(to),
      plan: plan.id,
      from: plan.organisation,
      to,
      measures: ordered.map((m) => m.id),
      planDeadline: request.planDeadline,
      forwardedOn: ctx.today,
    })),
  );
}

/**
 * The forwarded measures an organisation has not yet taken into a plan of its own (its inbox of 转发 items):
 * per forwarding to it, the measures no plan of the organisation implements yet. Forwardings fully taken are left out.
 */
export function pendingForwardings(organisation: string, forwardings: readonly Forwarding[], plans: readonly CascadePlan[]): Forwarding[] {
  const taken = new Set(
    plans
      .filter((p) => p.organisation === organisation && p.status !== "withdrawn")
      .flatMap((p) => p.measures.flatMap((m) => (m.origin === null ? [] : [m.origin.measure]))),
  );
  return forwardings
    .filter((f) => f.to === organisation)
    .map((f) => ({ ...f, measures: f.measures.filter((m) => !taken.has(m)) }))
    .filter((f) => f.measures.length > 0);
}

export interface DeriveContext {
  actor: CascadeActor;
  /** The receiving organisation. */
  organisation: Organisation;
  /** The forwarded plan (the parent's). */
  parentPlan: CascadePlan;
  /** The parent's organisation: its members' lines guide the default division. */
  parentOrganisation: Organisation;
  /** The forwardings of `parentPlan` to `organisation` to take in. */
  forwardings: readonly Forwarding[];
  /** The organisation's plans so far: a measure already taken into one of them is not taken twice. */
  plans: readonly CascadePlan[];
  /** The new plan's id. */
  planId: string;
}

/** A derived draft, and the parent's responsibilities whose department has no counterpart at this level. */
export interface DerivedPlan {
  plan: CascadePlan;
  /** "measure id:parent department" for each responsibility that could not be mirrored (the office's host leads instead where it was the lead). */
  unmapped: readonly string[];
}

/**
 * Derive a draft implementation plan from forwarded measures: each measure copied (title, text, due date) with its
 * origin; numbered 1..n in the parent's order; a default division mirroring the parent's by line (the parent's 财政部
 * lead becomes this level's 财政厅/财政局 lead); where the lead's line has no member here, the office's host leads.
 * Refusals: `not_coordinator`, `plan_not_issued` (the parent's plan was withdrawn), `not_forwarded_here` (a forwarding to another organisation or of another plan),
 * `no_measures` (everything forwarded is already in a plan of this organisation).
 */
export function deriveLocalPlan(ctx: DeriveContext): CascadeResult<DerivedPlan> {
  const { organisation, parentPlan } = ctx;
  if (!isCoordinatorOf(ctx.actor, organisation.id)) return refuse("not_coordinator");
  if (parentPlan.status !== "issued") return refuse("plan_not_issued");
  if (ctx.forwardings.some((f) => f.to !== organisation.id || f.plan !== parentPlan.id)) return refuse("not_forwarded_here");
  const pending = pendingForwardings(organisation.id, ctx.forwardings, ctx.plans);
  const wanted = new Set(pending.flatMap((f) => f.measures));
  const taken = parentPlan.measures.filter((m) => wanted.has(m.id));
  if (taken.length === 0) return refuse("no_measures");
  const measures: CascadeMeasure[] = taken.map((m, i) => ({
    id: `${ctx.planId}/${i + 1}`,
    number: i + 1,
    title: m.title,
    text: m.text,
    dueDate: m.dueDate,
    origin: { plan: parentPlan.id, measure: m.id },
  }));
  const parentLine = new Map(ctx.parentOrganisation.members.map((d) => [d.code, d.line]));
  const localByLine = new Map(organisation.members.map((d) => [d.line, d.code]));
  const division: CascadeResponsibility[] = [];
  const unmapped: string[] = [];
  for (const m of measures) {
    const origin = m.origin?.measure;
    const parts = parentPlan.division.filter((r) => r.measure === origin);
    const placed = new Set<string>();
    let lead: string | null = null;
    for (const r of [...parts.filter((r) => r.role === "lead"), ...parts.filter((r) => r.role === "supporting")]) {
      const line = parentLine.get(r.department);
      const local = line === undefined ? undefined : localByLine.get(line);
      if (local === undefined) {
        unmapped.push(`${m.id}:${r.department}`);
        continue;
      }
      if (placed.has(local)) continue;
      const role: Role = r.role === "lead" && lead === null ? "lead" : "supporting";
      if (role === "lead") lead = local;
      placed.add(local);
      division.push({ measure: m.id, department: local, role });
    }
    if (lead === null && parts.length > 0) {
      // The lead's line has no member here: the office's host (the department in charge, measure (24)) leads.
      const host = organisation.office.host;
      const i = division.findIndex((r) => r.measure === m.id && r.department === host);
      if (i >= 0) division.splice(i, 1);
      division.push({ measure: m.id, department: host, role: "lead" });
    }
  }
  return ok({
    plan: { id: ctx.planId, organisation: organisation.id, status: "draft", implements: parentPlan.id, measures, division },
    unmapped,
  });
}

export interface LocalMeasureInput {
  title: string;
  text: string;
  dueDate: DueDate;
}

/** Add a measure of the organisation's own to a draft (numbered after the last), origin null. Refusals: `not_coordinator`, `not_draft`, `text_required`, `invalid_deadline`. */
export function addLocalMeasure(actor: CascadeActor, plan: CascadePlan, input: LocalMeasureInput): CascadeResult<CascadePlan> {
  if (!isCoordinatorOf(actor, plan.organisation)) return refuse("not_coordinator");
  if (plan.status !== "draft") return refuse("not_draft");
  if (input.title.trim() === "" || input.text.trim() === "") return refuse("text_required");
  if (!isDueDate(input.dueDate)) return refuse("invalid_deadline", [input.dueDate]);
  const number = plan.measures.reduce((n, m) => Math.max(n, m.number), 0) + 1;
  const measure: CascadeMeasure = { id: `${plan.id}/${number}`, number, title: input.title.trim(), text: input.text.trim(), dueDate: input.dueDate, origin: null };
  return ok({ ...plan, measures: [...plan.measures, measure] });
}

/**
 * Set one measure's division among the organisation's member departments: exactly one lead, each department once.
 * Refusals: `not_coordinator`, `not_draft`, `unknown_measure`, `unknown_department`, `division_shape`.
 */
export function setMeasureDivision(
  actor: CascadeActor,
  organisation: Organisation,
  plan: CascadePlan,
  measureId: string,
  parts: ReadonlyArray<{ department: string; role: Role }>,
): CascadeResult<CascadePlan> {
  if (!isCoordinatorOf(actor, plan.organisation) || organisation.id !== plan.organisation) return refuse("not_coordinator");
  if (plan.status !== "draft") return refuse("not_draft");
  if (!plan.measures.some((m) => m.id === measureId)) return refuse("unknown_measure", [measureId]);
  const members = new Set(organisation.members.map((d) => d.code));
  const strangers = parts.filter((p) => !members.has(p.department)).map((p) => p.department);
  if (strangers.length > 0) return refuse("unknown_department", strangers);
  const departments = new Set(parts.map((p) => p.department));
  if (departments.size !== parts.length || parts.filter((p) => p.role === "lead").length !== 1) return refuse("division_shape", [measureId]);
  const kept = plan.division.filter((r) => r.measure !== measureId);
  return ok({ ...plan, division: [...kept, ...parts.map((p) => ({ measure: measureId, department: p.department, role: p.role }))] });
}

/**
 * Set one measure's due date in a draft. A measure carried from above keeps within its origin's due date
 * (`withinParentDeadline`: on or before a dated origin; an ongoing origin allows anything). Refusals:
 * `not_coordinator`, `not_draft`, `unknown_measure`, `invalid_deadline`, `deadline_after_parent`.
 */
export function setMeasureDeadline(actor: CascadeActor, plan: CascadePlan, parentPlan: CascadePlan | null, measureId: string, dueDate: DueDate): CascadeResult<CascadePlan> {
  if (!isCoordinatorOf(actor, plan.organisation)) return refuse("not_coordinator");
  if (plan.status !== "draft") return refuse("not_draft");
  const measure = plan.measures.find((m) => m.id === measureId);
  if (measure === undefined) return refuse("unknown_measure", [measureId]);
  if (!isDueDate(dueDate)) return refuse("invalid_deadline", [dueDate]);
  const originDue = originDueDate(measure, parentPlan);
  if (originDue !== null && !withinParentDeadline(dueDate, originDue)) return refuse("deadline_after_parent", [`(${measure.number}) ${originDue}`]);
  return ok({ ...plan, measures: plan.measures.map((m) => (m.id === measureId ? { ...m, dueDate } : m)) });
}

function originDueDate(measure: CascadeMeasure, parentPlan: CascadePlan | null): DueDate | null {
  if (measure.origin === null || parentPlan === null) return null;
  const originId = measure.origin.measure;
  return parentPlan.measures.find((m) => m.id === originId)?.dueDate ?? null;
}

export interface IssueContext {
  actor: CascadeActor;
  plan: CascadePlan;
  /** The plan it implements (null for an organisation's own plan). */
  parentPlan: CascadePlan | null;
  /** The forwardings this plan takes in (those it was derived from): it must carry every measure they forwarded. */
  forwardings: readonly Forwarding[];
  /** The organisation's other plans: measures they already carry need not be carried again. */
  otherPlans: readonly CascadePlan[];
}

/**
 * Issue (立项交办) a draft. Checked in order: `not_coordinator`, `not_draft`; `missing_lead` (every measure has
 * exactly one lead); `deadline_after_parent` (no measure's due date after its origin's); `measure_not_implemented`
 * (every measure forwarded to the organisation from `parentPlan` is carried by this plan or another of its plans:
 * an implementation plan may add measures, never drop one).
 */
export function issueCascadePlan(ctx: IssueContext): CascadeResult<CascadePlan> {
  const { plan } = ctx;
  if (!isCoordinatorOf(ctx.actor, plan.organisation)) return refuse("not_coordinator");
  if (plan.status !== "draft") return refuse("not_draft");
  // Refusals name measures as people read them, "(3)", with the deadline one level up: never internal ids.
  const leads = plan.measures.filter((m) => plan.division.filter((r) => r.measure === m.id && r.role === "lead").length !== 1).map((m) => `(${m.number})`);
  if (leads.length > 0) return refuse("missing_lead", leads);
  const late = plan.measures.flatMap((m) => {
    const due = originDueDate(m, ctx.parentPlan);
    return due !== null && !withinParentDeadline(m.dueDate, due) ? [`(${m.number}) ${due}`] : [];
  });
  if (late.length > 0) return refuse("deadline_after_parent", late);
  if (ctx.parentPlan !== null) {
    const parentId = ctx.parentPlan.id;
    const carried = new Set(
      [plan, ...ctx.otherPlans.filter((p) => p.status === "issued" && p.organisation === plan.organisation)].flatMap((p) =>
        p.measures.flatMap((m) => (m.origin?.plan === parentId ? [m.origin.measure] : [])),
      ),
    );
    const forwarded = ctx.forwardings.filter((f) => f.plan === parentId && f.to === plan.organisation).flatMap((f) => f.measures);
    const dropped = [...new Set(forwarded.filter((m) => !carried.has(m)))];
    const parentMeasures = ctx.parentPlan.measures;
    const numbered = (id: string): string => {
      const n = parentMeasures.find((x) => x.id === id)?.number;
      return n === undefined ? id : `(${n})`;
    };
    if (dropped.length > 0) return refuse("measure_not_implemented", dropped.map(numbered));
  }
  return ok({ ...plan, status: "issued" });
}
