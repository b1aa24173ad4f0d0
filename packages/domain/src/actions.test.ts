import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  actionFieldNames,
  actionFieldOptional,
  assignmentActionOrder,
  assignmentActions,
  assignmentActionTypes,
  parseActionRequest,
  requestOf,
} from "./actions.js";
import { glossary } from "./glossary.js";
import { actionRules } from "./workflow.js";

describe("the action registry", () => {
  it("has one rule in the transition table per action, and nothing else", () => {
    expect(new Set(Object.keys(actionRules))).toEqual(new Set(assignmentActionTypes));
  });

  it("requires, for each action that requires text, a field of the action that refuses text showing nothing", () => {
    for (const type of assignmentActionTypes) {
      const { requires } = assignmentActions[type];
      if (requires === null) continue;
      expect(actionFieldNames(type)).toContain(requires);
      expect(actionFieldOptional(type, requires)).toBe(false);
      const filled = parseActionRequest(type, { ...validInput(type), [requires]: " \u200b\n" });
      expect(filled.ok).toBe(false);
      if (!filled.ok) expect(filled.issues[0]?.path).toEqual([requires]);
    }
  });

  it("offers every action once, in a distinct place", () => {
    expect([...assignmentActionOrder].sort()).toEqual([...assignmentActionTypes].sort());
    const places = assignmentActionTypes.map((t) => assignmentActions[t].order);
    expect(new Set(places).size).toBe(places.length);
    expect(assignmentActionOrder.slice(0, 3)).toEqual(["accept", "approve", "reject"]);
  });

  it("names every action in both languages, and the glossary reads its names from the registry", () => {
    for (const type of assignmentActionTypes) {
      expect(assignmentActions[type].label.zh.trim()).not.toBe("");
      expect(assignmentActions[type].label.en.trim()).not.toBe("");
      expect(glossary.zh.action[type]).toBe(assignmentActions[type].label.zh);
      expect(glossary.en.action[type]).toBe(assignmentActions[type].label.en);
    }
  });

  it("turns a validated procedure input into the action asked for: the reference dropped, the type added", () => {
    expect(requestOf("decline", { id: 3, expectedVersion: 1, reason: "Outside our remit." })).toEqual({ type: "decline", reason: "Outside our remit." });
    expect(requestOf("accept", { id: 3, expectedVersion: 1 })).toEqual({ type: "accept" });
    const remind = parseActionRequest("remind", { id: 3, expectedVersion: 0 });
    expect(remind).toEqual({ ok: true, id: 3, expectedVersion: 0, request: { type: "remind", message: "" } });
    const reassign = parseActionRequest("reassign", { id: 3, expectedVersion: 0, toDepartment: "NDRC", note: "Its remit.", extra: "dropped" });
    expect(reassign).toEqual({ ok: true, id: 3, expectedVersion: 0, request: { type: "reassign", toDepartment: "NDRC", note: "Its remit." } });
    expect(parseActionRequest("requestExtension", { id: 3, expectedVersion: 0, until: "2027-02-30", reason: "x" }).ok).toBe(false);
  });

  it("keeps each procedure's input exactly as docs/api.md documents it", () => {
    const api = readFileSync(new URL("../../../docs/api.md", import.meta.url), "utf8");
    const documented = new Map<string, string[]>();
    for (const line of api.split("\n")) {
      const row = /^\| `assignment\.([A-Za-z]+)`[^|]*\| ([^|]*) \|/.exec(line);
      if (row === null || row[1] === "get" || row[2] === undefined) continue;
      const fields = row[2] === "—" ? [] : [...row[2].matchAll(/`([A-Za-z]+)\??(?::[^`]*)?`/g)].map((m) => m[1] ?? "");
      documented.set(row[1] ?? "", fields);
    }
    expect([...documented.keys()].sort()).toEqual([...assignmentActionTypes].sort());
    for (const type of assignmentActionTypes) expect([...actionFieldNames(type)].sort(), type).toEqual([...(documented.get(type) ?? [])].sort());
  });
});

/** A valid input of each action, with every field filled. */
function validInput(type: (typeof assignmentActionTypes)[number]): Record<string, unknown> {
  const values: Record<string, unknown> = {
    reason: "x",
    note: "x",
    summary: "x",
    body: "x",
    message: "x",
    until: "2027-06-30",
    dueDate: "2027-06-30",
    toDepartment: "NDRC",
    approve: true,
    divisionId: 1,
    handlerId: 2,
  };
  return { id: 1, expectedVersion: 0, ...Object.fromEntries(actionFieldNames(type).map((f) => [f, values[f]])) };
}

describe("validInput (the fixture above)", () => {
  it("is valid for every action", () => {
    for (const type of assignmentActionTypes) expect(parseActionRequest(type, validInput(type)).ok, type).toBe(true);
  });
});
