import { describe, expect, it } from "vitest";
import { defaultPlan } from "../plan-2020.js";
import { proposedDivision2020 } from "../proposed-division-2020.js";
import {
  addLocalMeasure,
  type CascadeActor,
  type CascadePlan,
  type CascadeRefusalCode,
  type CascadeResult,
  cascadeRefusal,
  deriveLocalPlan,
  type Forwarding,
  type ForwardRequest,
  forwardPlan,
  issueCascadePlan,
  ownCascadePlan,
  pendingForwardings,
  setMeasureDeadline,
  setMeasureDivision,
  withinParentDeadline,
} from "./forwarding.js";
import { buildOrganisationTree, defaultOrganisations, nationalId, type Organisation } from "./organisations.js";

const tree = buildOrganisationTree(defaultOrganisations());
const org = (id: string): Organisation => {
  const o = tree.byId.get(id);
  if (o === undefined) throw new Error(`no organisation ${id}`);
  return o;
};
const coordinator = (organisation: string): CascadeActor => ({ organisation, role: "coordinator" });
const today = "2026-12-01";
// Measures (1)–(12) due mid-2027, the rest ongoing (持续推进).
const national = ownCascadePlan("CN-2020", nationalId, defaultPlan.measures, proposedDivision2020, (n) => (n <= 12 ? "2027-06-30" : "ongoing"));
const m = (n: number) => `CN-2020/${n}`;

function value<T>(result: CascadeResult<T>): T {
  if (!result.ok) throw new Error(`refused: ${result.refusal.code} ${result.refusal.message}`);
  return result.value;
}
function refusal<T>(result: CascadeResult<T>): CascadeRefusalCode {
  if (result.ok) throw new Error("expected a refusal");
  return result.refusal.code;
}

const forward = (request: Partial<ForwardRequest>, more: { plan?: CascadePlan; actor?: CascadeActor; existing?: Forwarding[] } = {}) =>
  forwardPlan(
    {
      tree,
      actor: more.actor ?? coordinator(nationalId),
      plan: more.plan ?? national,
      existing: more.existing ?? [],
      today,
      newId: (to) => `F-${to}`,
    },
    { to: ["450000", "330000"], measures: "all", planDeadline: "2027-03-31", ...request },
  );

describe("forwarding (转发) a plan to the level below", () => {
  it("forwards the whole issued plan to two provinces, one forwarding each, with the plan deadline", () => {
    const sent = value(forward({}));
    expect(sent.map((f) => [f.id, f.from, f.to, f.planDeadline, f.forwardedOn])).toEqual([
      ["F-450000", nationalId, "450000", "2027-03-31", today],
      ["F-330000", nationalId, "330000", "2027-03-31", today],
    ]);
    expect(sent[0]?.measures).toEqual(national.measures.map((x) => x.id));
  });

  it("forwards chosen measures in the plan's order, and a target listed twice once", () => {
    const sent = value(forward({ to: ["450000", "450000"], measures: [m(20), m(7), m(7)] }));
    expect(sent).toHaveLength(1);
    expect(sent[0]?.measures).toEqual([m(7), m(20)]);
  });

  it("refuses anyone but the plan's own coordinators", () => {
    expect(refusal(forward({}, { actor: { organisation: nationalId, role: "liaison" } }))).toBe("not_coordinator");
    expect(refusal(forward({}, { actor: { organisation: nationalId, role: "observer" } }))).toBe("not_coordinator");
    expect(refusal(forward({}, { actor: coordinator("450000") }))).toBe("not_coordinator");
  });

  it("forwards only issued plans", () => {
    expect(refusal(forward({}, { plan: { ...national, status: "draft" } }))).toBe("plan_not_issued");
    expect(refusal(forward({}, { plan: { ...national, status: "withdrawn" } }))).toBe("plan_not_issued");
  });

  it("forwards only to children: never a grandchild, itself, a stranger, or nobody", () => {
    expect(refusal(forward({ to: [] }))).toBe("no_targets");
    const skip = forward({ to: ["450000", "450100"] });
    expect(skip.ok ? null : skip.refusal.subjects).toEqual(["450100"]);
    expect(refusal(forward({ to: [nationalId] }))).toBe("not_a_child");
    expect(refusal(forward({ to: ["999999"] }))).toBe("not_a_child");
    // A province forwards to its prefectures, not to another province's.
    const gx: CascadePlan = { ...national, id: "GX", organisation: "450000", implements: national.id };
    expect(value(forward({ to: ["450100"] }, { plan: gx, actor: coordinator("450000") }))).toHaveLength(1);
    expect(refusal(forward({ to: ["330100"] }, { plan: gx, actor: coordinator("450000") }))).toBe("not_a_child");
  });

  it("refuses no measure and a measure not in the plan", () => {
    expect(refusal(forward({ measures: [] }))).toBe("no_measures");
    const r = forward({ measures: [m(1), "CN-2020/99"] });
    expect(r.ok ? null : [r.refusal.code, r.refusal.subjects]).toEqual(["unknown_measure", ["CN-2020/99"]]);
  });

  it("forwards a measure once per child: a second batch takes other measures, another child may still get it", () => {
    const first = value(forward({ to: ["450000"], measures: [m(3)] }));
    const again = forward({ to: ["450000", "330000"], measures: [m(3), m(4)] }, { existing: first });
    expect(again.ok ? null : [again.refusal.code, again.refusal.subjects]).toEqual(["already_forwarded", ["450000:CN-2020/3"]]);
    expect(value(forward({ to: ["450000"], measures: [m(4)] }, { existing: first }))[0]?.measures).toEqual([m(4)]);
    expect(value(forward({ to: ["330000"], measures: [m(3)] }, { existing: first }))[0]?.to).toBe("330000");
    // Forwardings of another plan do not count.
    expect(value(forward({ to: ["450000"], measures: [m(3)] }, { existing: first.map((f) => ({ ...f, plan: "other" })) }))).toHaveLength(1);
  });

  it("needs a plan deadline that is a date, not before today, not after a forwarded measure's due date", () => {
    expect(refusal(forward({ planDeadline: "next spring" }))).toBe("invalid_deadline");
    expect(refusal(forward({ planDeadline: "2026-11-30" }))).toBe("invalid_deadline");
    expect(value(forward({ planDeadline: today }))).toHaveLength(2);
    expect(value(forward({ planDeadline: "2027-06-30" }))).toHaveLength(2);
    const late = forward({ planDeadline: "2027-07-01", measures: [m(12), m(13)] });
    expect(late.ok ? null : [late.refusal.code, late.refusal.subjects]).toEqual(["deadline_after_parent", ["(12) 2027-06-30"]]);
    // Ongoing measures (持续推进) bound nothing.
    expect(value(forward({ planDeadline: "2030-01-01", measures: [m(13), m(25)] }))).toHaveLength(2);
  });

  it("forwards measures already past due (a plan forwarded late): they bound no deadline, the measures still ahead do", () => {
    const later = "2027-07-01"; // measure (12) was due 2027-06-30
    const late = (request: Partial<ForwardRequest>) =>
      forwardPlan({ tree, actor: coordinator(nationalId), plan: national, existing: [], today: later, newId: (to) => `F-${to}` }, {
        to: ["450000"],
        measures: "all",
        planDeadline: "2027-09-30",
        ...request,
      });
    expect(value(late({ measures: [m(12)] }))).toHaveLength(1);
    // The same measure while still ahead bounds it (today 2026-12-01): the test above.
  });
});

describe("deriving a province's implementation plan", () => {
  const [toGuangxi] = value(forward({ to: ["450000"] }));
  if (toGuangxi === undefined) throw new Error("no forwarding");
  const derive = (more: Partial<Parameters<typeof deriveLocalPlan>[0]> = {}) =>
    deriveLocalPlan({
      actor: coordinator("450000"),
      organisation: org("450000"),
      parentPlan: national,
      parentOrganisation: org(nationalId),
      forwardings: [toGuangxi],
      plans: [],
      planId: "GX-2020",
      ...more,
    });

  it("keeps every forwarded measure with its origin, text and due date, numbered in the parent's order", () => {
    const { plan } = value(derive());
    expect(plan).toMatchObject({ id: "GX-2020", organisation: "450000", status: "draft", implements: "CN-2020" });
    expect(plan.measures).toHaveLength(25);
    plan.measures.forEach((x, i) => {
      const parent = national.measures[i];
      expect(x).toEqual({ id: `GX-2020/${i + 1}`, number: i + 1, title: parent?.title, text: parent?.text, dueDate: parent?.dueDate, origin: { plan: "CN-2020", measure: parent?.id } });
    });
  });

  it("mirrors the parent's division by line: 税务总局 → 国家税务总局广西壮族自治区税务局, 银保监会 → its successor's office", () => {
    const { plan, unmapped } = value(derive());
    const parts = (n: number) => plan.division.filter((r) => r.measure === `GX-2020/${n}`).map((r) => `${r.department} ${r.role}`);
    expect(parts(7)[0]).toBe("450000-STA lead");
    expect(parts(10)[0]).toBe("450000-NAFR lead");
    expect(parts(9)).toEqual(expect.arrayContaining(["450000-PBOC lead", "450000-NAFR supporting"]));
    // Customs has no provincial member: named as unmapped, never invented.
    expect(unmapped).toEqual(expect.arrayContaining(["GX-2020/20:GACC", "GX-2020/24:GACC"]));
    expect(parts(20)).not.toContain(expect.stringContaining("GACC"));
    for (const x of plan.measures) expect(plan.division.filter((r) => r.measure === x.id && r.role === "lead").length).toBeLessThanOrEqual(1);
  });

  it("lets the office's host lead where the lead's line has no member at that level (证监会 below the province)", () => {
    const gx = value(issueCascadePlan({ actor: coordinator("450000"), plan: value(derive()).plan, parentPlan: national, forwardings: [toGuangxi], otherPlans: [] }));
    const [toNanning] = value(forwardPlan({ tree, actor: coordinator("450000"), plan: gx, existing: [], today, newId: () => "F-NN" }, { to: ["450100"], measures: ["GX-2020/12"], planDeadline: "2027-02-28" }));
    if (toNanning === undefined) throw new Error("no forwarding");
    const { plan, unmapped } = value(
      deriveLocalPlan({ actor: coordinator("450100"), organisation: org("450100"), parentPlan: gx, parentOrganisation: org("450000"), forwardings: [toNanning], plans: [], planId: "NN-2020" }),
    );
    expect(plan.division.filter((r) => r.role === "lead")).toEqual([{ measure: "NN-2020/1", department: "450100-MIIT", role: "lead" }]);
    expect(unmapped).toContain("NN-2020/1:450000-CSRC");
    expect(plan.measures[0]?.origin).toEqual({ plan: "GX-2020", measure: "GX-2020/12" });
  });

  it("refuses another office, forwardings to someone else, a withdrawn parent plan, and measures already taken", () => {
    expect(refusal(derive({ actor: coordinator("330000") }))).toBe("not_coordinator");
    expect(refusal(derive({ organisation: org("330000"), actor: coordinator("330000") }))).toBe("not_forwarded_here");
    expect(refusal(derive({ forwardings: [{ ...toGuangxi, plan: "other" }] }))).toBe("not_forwarded_here");
    expect(refusal(derive({ parentPlan: { ...national, status: "withdrawn" } }))).toBe("plan_not_issued");
    const first = value(derive()).plan;
    expect(refusal(derive({ plans: [first], planId: "GX-2020b" }))).toBe("no_measures");
  });

  it("takes a later batch into a second plan, only the measures not yet taken", () => {
    const [batch1] = value(forward({ to: ["450000"], measures: [m(1), m(2)] }));
    if (batch1 === undefined) throw new Error("no forwarding");
    const [batch2] = value(forward({ to: ["450000"], measures: [m(3)] }, { existing: [batch1] }));
    if (batch2 === undefined) throw new Error("no forwarding");
    const first = value(derive({ forwardings: [batch1] })).plan;
    expect(pendingForwardings("450000", [batch1, batch2], [first]).map((f) => f.measures)).toEqual([[m(3)]]);
    const second = value(derive({ forwardings: [batch1, batch2], plans: [first], planId: "GX-2020b" })).plan;
    expect(second.measures.map((x) => x.origin?.measure)).toEqual([m(3)]);
    expect(pendingForwardings("450000", [batch1, batch2], [first, second])).toEqual([]);
    // Another organisation's plans take nothing from Guangxi's inbox.
    expect(pendingForwardings("450000", [batch1], [{ ...first, organisation: "330000" }])).toHaveLength(1);
  });
});

describe("editing and issuing the implementation plan", () => {
  const [toGuangxi] = value(forward({ to: ["450000"], measures: [m(7), m(13)] }));
  if (toGuangxi === undefined) throw new Error("no forwarding");
  const gxActor = coordinator("450000");
  const draft = value(
    deriveLocalPlan({ actor: gxActor, organisation: org("450000"), parentPlan: national, parentOrganisation: org(nationalId), forwardings: [toGuangxi], plans: [], planId: "GX" }),
  ).plan;
  const issue = (plan: CascadePlan, forwardings: Forwarding[] = [toGuangxi], otherPlans: CascadePlan[] = []) =>
    issueCascadePlan({ actor: gxActor, plan, parentPlan: national, forwardings, otherPlans });

  it("adds a local measure after the forwarded ones, origin null", () => {
    const plan = value(addLocalMeasure(gxActor, draft, { title: "  边境贸易中小企业  ", text: "支持沿边中小企业发展。", dueDate: "2027-12-31" }));
    expect(plan.measures.at(-1)).toEqual({ id: "GX/3", number: 3, title: "边境贸易中小企业", text: "支持沿边中小企业发展。", dueDate: "2027-12-31", origin: null });
    expect(refusal(addLocalMeasure(gxActor, draft, { title: " ", text: "x", dueDate: "ongoing" }))).toBe("text_required");
    expect(refusal(addLocalMeasure(gxActor, draft, { title: "t", text: "x", dueDate: "soon" }))).toBe("invalid_deadline");
    expect(refusal(addLocalMeasure(coordinator(nationalId), draft, { title: "t", text: "x", dueDate: "ongoing" }))).toBe("not_coordinator");
    expect(refusal(addLocalMeasure(gxActor, { ...draft, status: "issued" }, { title: "t", text: "x", dueDate: "ongoing" }))).toBe("not_draft");
  });

  it("divides a measure among its own member departments, exactly one lead", () => {
    const plan = value(
      setMeasureDivision(gxActor, org("450000"), draft, "GX/1", [
        { department: "450000-MOF", role: "lead" },
        { department: "450000-STA", role: "supporting" },
      ]),
    );
    expect(plan.division.filter((r) => r.measure === "GX/1")).toEqual([
      { measure: "GX/1", department: "450000-MOF", role: "lead" },
      { measure: "GX/1", department: "450000-STA", role: "supporting" },
    ]);
    expect(plan.division.filter((r) => r.measure === "GX/2")).toEqual(draft.division.filter((r) => r.measure === "GX/2"));
    const set = (parts: Parameters<typeof setMeasureDivision>[4], measure = "GX/1") => setMeasureDivision(gxActor, org("450000"), draft, measure, parts);
    expect(refusal(set([{ department: "330000-MOF", role: "lead" }]))).toBe("unknown_department");
    expect(refusal(set([{ department: "MOF", role: "lead" }]))).toBe("unknown_department");
    expect(refusal(set([]))).toBe("division_shape");
    expect(refusal(set([{ department: "450000-MOF", role: "supporting" }]))).toBe("division_shape");
    expect(refusal(set([{ department: "450000-MOF", role: "lead" }, { department: "450000-STA", role: "lead" }]))).toBe("division_shape");
    expect(refusal(set([{ department: "450000-MOF", role: "lead" }, { department: "450000-MOF", role: "supporting" }]))).toBe("division_shape");
    expect(refusal(set([{ department: "450000-MOF", role: "lead" }], "GX/9"))).toBe("unknown_measure");
    expect(refusal(setMeasureDivision(gxActor, org("330000"), draft, "GX/1", [{ department: "330000-MOF", role: "lead" }]))).toBe("not_coordinator");
  });

  it("sets its own deadlines, never after the parent's", () => {
    // (7) is due 2027-06-30 nationally; (13) is ongoing.
    expect(value(setMeasureDeadline(gxActor, draft, national, "GX/1", "2027-03-31")).measures[0]?.dueDate).toBe("2027-03-31");
    expect(value(setMeasureDeadline(gxActor, draft, national, "GX/1", "2027-06-30")).measures[0]?.dueDate).toBe("2027-06-30");
    const late = setMeasureDeadline(gxActor, draft, national, "GX/1", "2027-07-01");
    expect(late.ok ? null : [late.refusal.code, late.refusal.subjects]).toEqual(["deadline_after_parent", ["(1) 2027-06-30"]]);
    expect(refusal(setMeasureDeadline(gxActor, draft, national, "GX/1", "ongoing"))).toBe("deadline_after_parent");
    expect(value(setMeasureDeadline(gxActor, draft, national, "GX/2", "2026-12-31")).measures[1]?.dueDate).toBe("2026-12-31");
    expect(value(setMeasureDeadline(gxActor, draft, national, "GX/2", "ongoing")).measures[1]?.dueDate).toBe("ongoing");
    expect(refusal(setMeasureDeadline(gxActor, draft, national, "GX/2", "2026-02-30"))).toBe("invalid_deadline");
    expect(refusal(setMeasureDeadline(gxActor, draft, national, "GX/5", "2026-12-31"))).toBe("unknown_measure");
    expect(refusal(setMeasureDeadline(gxActor, { ...draft, status: "issued" }, national, "GX/1", "2027-01-01"))).toBe("not_draft");
  });

  it("issues a complete draft", () => {
    const issued = value(issue(draft));
    expect(issued.status).toBe("issued");
    expect(refusal(issue(issued))).toBe("not_draft");
    expect(refusal(issueCascadePlan({ actor: coordinator(nationalId), plan: draft, parentPlan: national, forwardings: [toGuangxi], otherPlans: [] }))).toBe("not_coordinator");
  });

  it("refuses to issue a measure without a lead, a deadline after the parent's, or a forwarded measure dropped", () => {
    const noLead = { ...draft, division: draft.division.filter((r) => !(r.measure === "GX/2" && r.role === "lead")) };
    const r = issue(noLead);
    // Named as people read them: the measure's number (and the deadline one level up), not an internal id.
    expect(r.ok ? null : [r.refusal.code, r.refusal.subjects]).toEqual(["missing_lead", ["(2)"]]);
    const late = { ...draft, measures: draft.measures.map((x) => (x.id === "GX/1" ? { ...x, dueDate: "2028-01-01" } : x)) };
    const l = issue(late);
    expect(l.ok ? null : l.refusal.code).toBe("deadline_after_parent");
    expect(l.ok ? [] : l.refusal.subjects).toEqual([expect.stringMatching(/^\(1\) \d{4}-\d{2}-\d{2}$/)]);
    const dropped = { ...draft, measures: draft.measures.filter((x) => x.id !== "GX/2"), division: draft.division.filter((x) => x.measure !== "GX/2") };
    const d = issue(dropped);
    expect(d.ok ? null : [d.refusal.code, d.refusal.subjects]).toEqual(["measure_not_implemented", ["(13)"]]);
    // …unless another issued plan of the organisation carries it.
    const other: CascadePlan = { ...draft, id: "GX-b", status: "issued", measures: draft.measures.filter((x) => x.id === "GX/2") };
    expect(value(issue(dropped, [toGuangxi], [other])).status).toBe("issued");
    expect(refusal(issue(dropped, [toGuangxi], [{ ...other, status: "draft" }]))).toBe("measure_not_implemented");
  });
});

describe("refusals", () => {
  const codes: CascadeRefusalCode[] = [
    "not_coordinator",
    "plan_not_issued",
    "not_draft",
    "no_targets",
    "not_a_child",
    "no_measures",
    "unknown_measure",
    "already_forwarded",
    "invalid_deadline",
    "deadline_after_parent",
    "not_forwarded_here",
    "unknown_department",
    "division_shape",
    "measure_not_implemented",
    "missing_lead",
    "text_required",
    "not_visible",
  ];
  it.each(codes)("%s speaks both languages and names its subjects", (code) => {
    const bare = cascadeRefusal(code);
    expect(bare.message).toMatch(/^[A-Z].*\.$/);
    expect(bare.message).not.toMatch(/\p{Script=Han}/u);
    expect(bare.messageZh).toMatch(/\p{Script=Han}.*。$/u);
    expect(bare.subjects).toBeUndefined();
    const named = cascadeRefusal(code, ["X-1"]);
    expect(named.subjects).toEqual(["X-1"]);
  });

  it("puts the subjects into the messages where they help", () => {
    expect(cascadeRefusal("not_a_child", ["450100"]).messageZh).toContain("450100");
    expect(cascadeRefusal("missing_lead", ["GX/2"]).message).toContain("GX/2");
  });
});

describe("withinParentDeadline", () => {
  it.each([
    ["2027-01-01", "2027-06-30", true],
    ["2027-06-30", "2027-06-30", true],
    ["2027-07-01", "2027-06-30", false],
    ["ongoing", "2027-06-30", false],
    ["ongoing", "ongoing", true],
    ["2040-01-01", "ongoing", true],
  ] as const)("%s under %s: %s", (due, parent, expected) => {
    expect(withinParentDeadline(due, parent)).toBe(expected);
  });
});
