import { describe, expect, it } from "vitest";
import { actorRoles } from "../types.js";
import {
  type LevelReportActor,
  levelReportFileEventOf,
  levelReportFileSeenAboveUntil,
  levelReportFileWithdrawal,
  levelReportFileWithdrawals,
  levelReportStatuses,
  levelReportStatusesWithChangeableFiles,
} from "./level-reports.js";

// Guangxi (450000) reports to the national office (CN); Zhejiang (330000) is its sibling.
const ctx = { organisation: "450000", parentRoundStatus: "open" as const };
const coordinator: LevelReportActor = { organisation: "450000", role: "coordinator", department: null };
const report = { id: 7, status: "draft" as const };
const file = { levelReportId: 7, withdrawnAt: null };

describe("levelReportFileWithdrawal", () => {
  it.each(levelReportFileWithdrawals)("lets the office's coordinator %s a current file of a draft, with its event", (kind) => {
    expect(levelReportFileWithdrawal(kind, report, file, coordinator, ctx)).toEqual({ ok: true, event: levelReportFileEventOf[kind] });
  });

  it("allows it in exactly the changeable statuses, and refuses it once submitted for sign-off or signed off", () => {
    for (const kind of levelReportFileWithdrawals) {
      for (const status of levelReportStatuses) {
        const out = levelReportFileWithdrawal(kind, { id: 7, status }, file, coordinator, ctx);
        const changeable = (levelReportStatusesWithChangeableFiles as readonly string[]).includes(status);
        expect(out.ok, `${kind} in ${status}`).toBe(changeable);
        if (!out.ok) {
          expect(out.refusal.code).toBe("invalid_state");
          expect(out.refusal.message).toMatch(/frozen/);
        }
      }
    }
    expect([...levelReportStatusesWithChangeableFiles].sort()).toEqual(["draft", "not_reported", "returned", "returned_in_office"]);
  });

  it("refuses every role but the coordinator, another organisation (sibling, parent), a closed round, a withdrawn or foreign file", () => {
    for (const role of actorRoles) {
      const out = levelReportFileWithdrawal("remove", report, file, { ...coordinator, role }, ctx);
      expect(out.ok, role).toBe(role === "coordinator");
      if (!out.ok) expect(out.refusal.code).toBe("wrong_role");
    }
    for (const organisation of ["330000", "CN"]) {
      const out = levelReportFileWithdrawal("remove", report, file, { ...coordinator, organisation }, ctx);
      expect(out.ok ? null : out.refusal.code).toBe("not_your_organisation");
    }
    const closed = levelReportFileWithdrawal("replace", report, file, coordinator, { ...ctx, parentRoundStatus: "closed" });
    expect(closed.ok ? null : closed.refusal.code).toBe("round_closed");
    const gone = levelReportFileWithdrawal("replace", report, { ...file, withdrawnAt: "2026-01-01T00:00:00.000Z" }, coordinator, ctx);
    expect(gone.ok ? null : gone.refusal.code).toBe("invalid_state");
    const foreign = levelReportFileWithdrawal("remove", report, { ...file, levelReportId: 8 }, coordinator, ctx);
    expect(foreign.ok ? null : foreign.refusal.code).toBe("invalid_state");
  });

  it("checks the round first, then the organisation, then the role, then the file, then the state", () => {
    const worst = levelReportFileWithdrawal("remove", { id: 7, status: "submitted" }, { levelReportId: 8, withdrawnAt: "x" }, { organisation: "330000", role: "liaison", department: "d" }, { ...ctx, parentRoundStatus: "closed" });
    expect(worst.ok ? null : worst.refusal.code).toBe("round_closed");
    const org = levelReportFileWithdrawal("remove", { id: 7, status: "submitted" }, file, { organisation: "330000", role: "liaison", department: "d" }, ctx);
    expect(org.ok ? null : org.refusal.code).toBe("not_your_organisation");
  });
});

describe("levelReportFileSeenAboveUntil", () => {
  const signed = "2026-03-01T10:00:00.000Z";
  it("keeps a file withdrawn after the sign-off in the submission the level above holds, not one withdrawn before", () => {
    expect(levelReportFileSeenAboveUntil("returned", signed, "2026-03-01T09:00:00.000Z", null)).toBe(true);
    expect(levelReportFileSeenAboveUntil("returned", signed, "2026-03-01T09:00:00.000Z", "2026-03-02T00:00:00.000Z")).toBe(true);
    expect(levelReportFileSeenAboveUntil("submitted", signed, "2026-03-01T09:00:00.000Z", "2026-03-01T09:30:00.000Z")).toBe(false);
    expect(levelReportFileSeenAboveUntil("submitted", signed, "2026-03-01T11:00:00.000Z", null)).toBe(false);
    expect(levelReportFileSeenAboveUntil("draft", null, "2026-03-01T09:00:00.000Z", null)).toBe(false);
  });
});
