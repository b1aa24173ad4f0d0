import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { actorRoles, departmentRoles } from "../types.js";
import {
  allowedLevelReportActions,
  childRoundMeasureNumbers,
  type LevelReportAction,
  type LevelReportActor,
  type LevelReportContext,
  levelReportAccess,
  levelReportActionTypes,
  levelReportSeenAbove,
  levelReportFileSeenAbove,
  levelReportActionTakesFiles,
  levelReportStanding,
  levelReportStatuses,
  type LevelReportStatus,
  levelReportTransition,
} from "./level-reports.js";

// Guangxi (450000) reports to the national office (CN); Zhejiang (330000) is its sibling.
const ctx = (over: Partial<LevelReportContext> = {}): LevelReportContext => ({
  organisation: "450000",
  parent: "CN",
  officeHost: "450000-MIIT",
  hostLeaderApproval: false,
  parentRoundStatus: "open",
  ...over,
});
const text = { progress: "p", problems: "q", nextSteps: "n" };
const state = (status: LevelReportStatus) => ({ status, ...text });
const gxCoordinator: LevelReportActor = { organisation: "450000", role: "coordinator", department: "450000-MIIT" };
const gxLeader: LevelReportActor = { organisation: "450000", role: "liaison", department: "450000-MIIT", departmentRole: "leader" };
const cnCoordinator: LevelReportActor = { organisation: "CN", role: "coordinator", department: "MIIT" };
const zjCoordinator: LevelReportActor = { organisation: "330000", role: "coordinator", department: "330000-MIIT" };
const probe: Record<(typeof levelReportActionTypes)[number], LevelReportAction> = {
  saveDraft: { type: "saveDraft", ...text },
  submit: { type: "submit", ...text },
  signOff: { type: "signOff" },
  reject: { type: "reject", reason: "why" },
  return: { type: "return", reason: "why" },
};

/** The whole table: every state × action × actor × sign-off rule, what is allowed and where it leads. */
const expected = (status: LevelReportStatus, action: keyof typeof probe, who: "gxCoordinator" | "gxLeader" | "cnCoordinator" | "zjCoordinator", leaderRule: boolean): LevelReportStatus | null => {
  const writable = ["not_reported", "draft", "returned_in_office", "returned"].includes(status);
  switch (action) {
    case "saveDraft":
      return who === "gxCoordinator" && writable ? "draft" : null;
    case "submit":
      return who === "gxCoordinator" && writable ? "awaiting_sign_off" : null;
    case "signOff":
    case "reject": {
      const signer = leaderRule ? who === "gxLeader" : who === "gxCoordinator";
      if (!signer || status !== "awaiting_sign_off") return null;
      return action === "signOff" ? "submitted" : "returned_in_office";
    }
    case "return":
      return who === "cnCoordinator" && status === "submitted" ? "returned" : null;
  }
};

describe("levelReportTransition: every state × act × actor × sign-off rule", () => {
  const actors = { gxCoordinator, gxLeader, cnCoordinator, zjCoordinator };
  for (const status of levelReportStatuses) {
    for (const action of levelReportActionTypes) {
      for (const [who, actor] of Object.entries(actors) as [keyof typeof actors, LevelReportActor][]) {
        for (const leaderRule of [false, true]) {
          it(`${status} · ${action} · ${who} · leader approval ${leaderRule}`, () => {
            const result = levelReportTransition(state(status), probe[action], actor, ctx({ hostLeaderApproval: leaderRule }));
            const want = expected(status, action, who, leaderRule);
            if (want === null) expect(result.ok).toBe(false);
            else {
              expect(result).toMatchObject({ ok: true, next: { status: want } });
            }
          });
        }
      }
    }
  }

  it("nothing moves once the round above is closed", () => {
    for (const status of levelReportStatuses) {
      for (const action of levelReportActionTypes) {
        for (const actor of [gxCoordinator, gxLeader, cnCoordinator]) {
          const r = levelReportTransition(state(status), probe[action], actor, ctx({ parentRoundStatus: "closed" }));
          expect(r).toMatchObject({ ok: false, refusal: { code: "round_closed" } });
        }
      }
    }
  });

  it("a sibling's coordinator is refused as not of the organisation, whatever the act", () => {
    for (const action of levelReportActionTypes) {
      const r = levelReportTransition(state(action === "return" ? "submitted" : "awaiting_sign_off"), probe[action], zjCoordinator, ctx());
      expect(r).toMatchObject({ ok: false, refusal: { code: "not_your_organisation" } });
    }
  });

  it("the parent's coordinator may neither write nor sign off the child's report", () => {
    expect(levelReportTransition(state("draft"), probe.submit, cnCoordinator, ctx())).toMatchObject({ ok: false, refusal: { code: "not_your_organisation" } });
    expect(levelReportTransition(state("awaiting_sign_off"), probe.signOff, cnCoordinator, ctx())).toMatchObject({ ok: false, refusal: { code: "not_your_organisation" } });
  });

  it("the child's coordinator may not return its own report; an observer or a liaison neither writes nor signs", () => {
    expect(levelReportTransition(state("submitted"), probe.return, gxCoordinator, ctx())).toMatchObject({ ok: false, refusal: { code: "not_your_organisation" } });
    for (const role of actorRoles.filter((r) => r !== "coordinator")) {
      for (const departmentRole of departmentRoles) {
        const actor: LevelReportActor = { organisation: "450000", role, department: "450000-MIIT", departmentRole };
        expect(levelReportTransition(state("draft"), probe.submit, actor, ctx()).ok).toBe(false);
        const leaderOfHost = role === "liaison" && departmentRole === "leader";
        expect(levelReportTransition(state("awaiting_sign_off"), probe.signOff, actor, ctx({ hostLeaderApproval: true })).ok).toBe(leaderOfHost);
      }
    }
  });

  it("with the leader's rule, only the leader of the host department signs off (not another department's leader, not a coordinator)", () => {
    const otherLeader: LevelReportActor = { ...gxLeader, department: "450000-MOF" };
    expect(levelReportTransition(state("awaiting_sign_off"), probe.signOff, otherLeader, ctx({ hostLeaderApproval: true }))).toMatchObject({ ok: false, refusal: { code: "wrong_role" } });
    expect(levelReportTransition(state("awaiting_sign_off"), probe.signOff, gxCoordinator, ctx({ hostLeaderApproval: true }))).toMatchObject({ ok: false, refusal: { code: "wrong_role" } });
    const cityLeader: LevelReportActor = { ...gxLeader, organisation: "450100" };
    expect(levelReportTransition(state("awaiting_sign_off"), probe.signOff, cityLeader, ctx({ hostLeaderApproval: true }))).toMatchObject({ ok: false, refusal: { code: "not_your_organisation" } });
  });

  it("a submission needs every heading; a draft does not; text over the limit is refused", () => {
    for (const heading of ["progress", "problems", "nextSteps"] as const) {
      const r = levelReportTransition(state("draft"), { type: "submit", ...text, [heading]: "  " }, gxCoordinator, ctx());
      expect(r).toMatchObject({ ok: false, refusal: { code: "heading_required", field: heading } });
      expect(levelReportTransition(state("draft"), { type: "saveDraft", ...text, [heading]: "" }, gxCoordinator, ctx()).ok).toBe(true);
      const long = levelReportTransition(state("draft"), { type: "saveDraft", ...text, [heading]: "x".repeat(10_001) }, gxCoordinator, ctx());
      expect(long).toMatchObject({ ok: false, refusal: { code: "text_too_long", field: heading } });
    }
  });

  it("a return and a rejection need a reason", () => {
    expect(levelReportTransition(state("submitted"), { type: "return", reason: " " }, cnCoordinator, ctx())).toMatchObject({ ok: false, refusal: { code: "reason_required" } });
    expect(levelReportTransition(state("awaiting_sign_off"), { type: "reject", reason: "" }, gxCoordinator, ctx())).toMatchObject({ ok: false, refusal: { code: "reason_required" } });
    expect(levelReportTransition(state("submitted"), { type: "return", reason: "x".repeat(10_001) }, cnCoordinator, ctx())).toMatchObject({ ok: false, refusal: { code: "text_too_long" } });
  });

  it("each act records its own event; a submission keeps the text and a sign-off keeps it unchanged", () => {
    const submitted = levelReportTransition(state("not_reported"), { type: "submit", progress: "a", problems: "b", nextSteps: "c" }, gxCoordinator, ctx());
    expect(submitted).toEqual({ ok: true, next: { status: "awaiting_sign_off", progress: "a", problems: "b", nextSteps: "c" }, event: "level_report.sign_off_requested" });
    expect(levelReportTransition(state("awaiting_sign_off"), probe.signOff, gxCoordinator, ctx())).toEqual({ ok: true, next: state("submitted"), event: "level_report.submitted" });
    expect(levelReportTransition(state("submitted"), probe.return, cnCoordinator, ctx())).toMatchObject({ event: "level_report.returned" });
    expect(levelReportTransition(state("awaiting_sign_off"), probe.reject, gxCoordinator, ctx())).toMatchObject({ event: "level_report.rejected" });
    expect(levelReportTransition(state("draft"), probe.saveDraft, gxCoordinator, ctx())).toMatchObject({ event: "level_report.draft_saved" });
  });

  it("a returned report is revised and submitted again, through a new sign-off", () => {
    const back = levelReportTransition(state("returned"), { type: "submit", ...text, progress: "revised" }, gxCoordinator, ctx());
    expect(back).toMatchObject({ ok: true, next: { status: "awaiting_sign_off", progress: "revised" } });
  });

  it("allowedLevelReportActions agrees with the transition", () => {
    for (const status of levelReportStatuses) {
      for (const actor of [gxCoordinator, gxLeader, cnCoordinator, zjCoordinator]) {
        const allowed = allowedLevelReportActions(state(status), actor, ctx());
        expect(allowed).toEqual(levelReportActionTypes.filter((a) => levelReportTransition(state(status), probe[a], actor, ctx()).ok));
      }
    }
    expect(allowedLevelReportActions(state("awaiting_sign_off"), gxCoordinator, ctx())).toEqual(["signOff", "reject"]);
    expect(allowedLevelReportActions(state("submitted"), cnCoordinator, ctx())).toEqual(["return"]);
  });
});

describe("who sees a level report", () => {
  it("its organisation fully, its parent once submitted, nobody else (never a sibling, nor a grandparent, nor a child)", () => {
    const c = { organisation: "450100", parent: "450000" };
    expect(levelReportAccess("450100", c)).toBe("full");
    expect(levelReportAccess("450000", c)).toBe("submitted");
    expect(levelReportAccess("CN", c)).toBe("none");
    expect(levelReportAccess("450200", c)).toBe("none");
    expect(levelReportAccess("330000", c)).toBe("none");
    expect(levelReportAccess("450123", c)).toBe("none");
  });
  it("the level above sees the text of a submitted or returned report only", () => {
    expect(levelReportStatuses.filter(levelReportSeenAbove)).toEqual(["submitted", "returned"]);
  });
  it("standing: submitted is reported, returned is returned, every other state is not yet reported", () => {
    expect(levelReportStatuses.map(levelReportStanding)).toEqual(["not_reported", "not_reported", "not_reported", "not_reported", "reported", "returned"]);
  });
});

describe("childRoundMeasureNumbers", () => {
  const measures = [
    { number: 1, originNumber: 3 },
    { number: 2, originNumber: 5 },
    { number: 3, originNumber: null },
    { number: 4, originNumber: 7 },
  ];
  it("every measure when the round above asks about every measure", () => {
    expect(childRoundMeasureNumbers([], measures)).toEqual({ all: true });
  });
  it("the local measures implementing the asked ones, local measures of its own left out", () => {
    expect(childRoundMeasureNumbers([7, 3], measures)).toEqual({ all: false, numbers: [1, 4] });
    expect(childRoundMeasureNumbers([9], measures)).toEqual({ all: false, numbers: [] });
  });
});

describe("any sequence of acts (property)", () => {
  const actors = [gxCoordinator, gxLeader, cnCoordinator, zjCoordinator];
  const actions = levelReportActionTypes.map((t) => probe[t]);
  it("goes up only through a sign-off by its signer, is returned only from above, and is seen above only once submitted", () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.array(fc.tuple(fc.nat({ max: actions.length - 1 }), fc.nat({ max: actors.length - 1 })), { maxLength: 30 }),
        (leaderRule, steps) => {
          let current = state("not_reported");
          let everSignedOff = false;
          for (const [a, who] of steps) {
            const action = actions[a];
            const actor = actors[who];
            if (action === undefined || actor === undefined) continue;
            const c = ctx({ hostLeaderApproval: leaderRule });
            const r = levelReportTransition(current, action, actor, c);
            if (!r.ok) {
              expect("next" in r).toBe(false);
              continue;
            }
            if (r.next.status === "submitted") {
              expect(action.type).toBe("signOff");
              expect(actor).toBe(leaderRule ? gxLeader : gxCoordinator);
              everSignedOff = true;
            }
            if (r.next.status === "returned") expect(actor).toBe(cnCoordinator);
            // The level above sees text only of what was signed off (a returned one: its last submission).
            if (levelReportSeenAbove(r.next.status)) expect(everSignedOff).toBe(true);
            current = r.next;
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe("a level report's evidence files", () => {
  it("come with a draft or a submission only", () => {
    expect(levelReportActionTypes.filter(levelReportActionTakesFiles)).toEqual(["saveDraft", "submit"]);
  });
  it("are seen above only once signed off, and only those stored up to that sign-off", () => {
    const signedOff = "2026-01-05T00:00:00.000Z";
    for (const status of levelReportStatuses) {
      expect(levelReportFileSeenAbove(status, signedOff, "2026-01-04T00:00:00.000Z")).toBe(levelReportSeenAbove(status));
      expect(levelReportFileSeenAbove(status, signedOff, signedOff)).toBe(levelReportSeenAbove(status));
      expect(levelReportFileSeenAbove(status, signedOff, "2026-01-06T00:00:00.000Z")).toBe(false);
      expect(levelReportFileSeenAbove(status, null, "2026-01-04T00:00:00.000Z")).toBe(false);
    }
  });
});
