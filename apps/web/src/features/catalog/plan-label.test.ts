import { describe, expect, it } from "vitest";
import { plansNeedingDetail } from "./plan-label.js";

const plan = (id: number, titleZh: string, titleEn: string, documentNumber = "") => ({ id, titleZh, titleEn, documentNumber, issuedOn: "2026-01-01", status: "draft" });

describe("plans with the same title are told apart in the picker (new-user trial, fault 3)", () => {
  it("marks every plan whose shown title another shares, and only those", () => {
    const plans = [plan(1, "中小企业意见", "SME opinions"), plan(2, "中小企业意见", "SME opinions (revised)"), plan(3, "另一方案", "Another")];
    expect([...plansNeedingDetail(plans, "zh")].sort()).toEqual([1, 2]);
    // In English the titles differ: nothing to add.
    expect([...plansNeedingDetail(plans, "en")]).toEqual([]);
  });
  it("compares the title shown (the other language's when one is empty), ignoring surrounding spaces", () => {
    expect([...plansNeedingDetail([plan(4, "", "Draft "), plan(5, "", "Draft")], "zh")].sort()).toEqual([4, 5]);
  });
});
