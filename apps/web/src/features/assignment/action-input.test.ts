import { assignmentActionTypes } from "@countersign/domain";
import { describe, expect, it } from "vitest";
import { actionInput, dialogFields, invalidFields, isDialogAction, isRequiredField, offeredActions, uploadFields } from "./action-input.js";

const ref = { id: 4, expectedVersion: 2 };

describe("the dialogs read the domain's action registry", () => {
  it("asks each action's fields in the registry's order, 分办's division and handler as one choice", () => {
    expect(dialogFields("decline")).toEqual(["reason"]);
    expect(dialogFields("requestExtension")).toEqual(["until", "reason"]);
    expect(dialogFields("reassign")).toEqual(["toDepartment", "note", "dueDate"]);
    expect(dialogFields("decideExtension")).toEqual(["approve", "until", "note"]);
    expect(dialogFields("assignHandler")).toEqual(["handler", "note"]);
    expect(dialogFields("accept")).toEqual([]);
  });

  it("marks required what the registry's schema requires, and a note to refuse an extension", () => {
    expect(isRequiredField("reassign", "dueDate", undefined)).toBe(false);
    expect(isRequiredField("reassign", "toDepartment", undefined)).toBe(true);
    expect(isRequiredField("remind", "message", undefined)).toBe(false);
    expect(isRequiredField("approve", "note", undefined)).toBe(false);
    expect(isRequiredField("reject", "reason", undefined)).toBe(true);
    expect(isRequiredField("decideExtension", "until", true)).toBe(false);
    expect(isRequiredField("decideExtension", "note", true)).toBe(false);
    expect(isRequiredField("decideExtension", "note", false)).toBe(true);
  });

  it("offers every action but comments as a button, the usual next step first; every other but accept opens a dialog", () => {
    expect(new Set(offeredActions)).toEqual(new Set(assignmentActionTypes.filter((a) => a !== "comment")));
    expect(offeredActions[0]).toBe("accept");
    expect(assignmentActionTypes.filter(isDialogAction).sort()).toEqual(assignmentActionTypes.filter((a) => a !== "accept" && a !== "comment").sort());
  });
});

describe("actionInput", () => {
  it("sends each action's fields under its API names, texts normalised, optional fields left empty not sent", () => {
    expect(actionInput("accept", ref, { reason: "ignored" })).toEqual(ref);
    expect(actionInput("decline", ref, { reason: "  Outside our remit.\u200b " })).toEqual({ ...ref, reason: "Outside our remit." });
    expect(actionInput("reassign", ref, { toDepartment: "NDRC", note: "Its remit.", dueDate: "" })).toEqual({ ...ref, toDepartment: "NDRC", note: "Its remit." });
    expect(actionInput("reassign", ref, { toDepartment: "NDRC", note: "x", dueDate: "2027-01-31" })).toMatchObject({ dueDate: "2027-01-31" });
    expect(actionInput("remind", ref, {})).toEqual(ref);
    expect(actionInput("assignHandler", ref, { handler: "10:101", note: "Yours." })).toEqual({ ...ref, divisionId: 10, handlerId: 101, note: "Yours." });
  });

  it("grants another date only on approval", () => {
    expect(actionInput("decideExtension", ref, { approve: true, until: "2027-03-31", note: "" })).toEqual({ ...ref, approve: true, until: "2027-03-31" });
    expect(actionInput("decideExtension", ref, { approve: false, until: "2027-03-31", note: "No." })).toEqual({ ...ref, approve: false, note: "No." });
  });

  it("sends an upload's text fields as the procedure's", () => {
    expect(uploadFields("requestExtension", ref, { until: "2027-03-31", reason: "Late data." })).toEqual({ until: "2027-03-31", reason: "Late data." });
    expect(uploadFields("comment", ref, { body: "See the file." })).toEqual({ body: "See the file." });
  });
});

describe("invalidFields", () => {
  it("names the fields to fill in before anything is sent", () => {
    expect(invalidFields("decline", ref, { reason: " \u200b" })).toEqual(["reason"]);
    expect(invalidFields("requestExtension", ref, { until: "2027-02-30", reason: "x" })).toEqual(["until"]);
    expect(invalidFields("assignHandler", ref, { note: "x" })).toEqual(["handler"]);
    expect(invalidFields("decideExtension", ref, { note: "" })).toEqual(["approve"]);
    expect(invalidFields("decideExtension", ref, { approve: false, note: "" })).toEqual(["note"]);
    expect(invalidFields("reassign", ref, { toDepartment: "NDRC", note: "x" })).toEqual([]);
  });
});
