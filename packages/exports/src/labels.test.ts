import { glossary } from "@countersign/domain";
import { describe, expect, it } from "vitest";
import { labels, statusText } from "./labels.js";

describe("export labels", () => {
  it("print states, roles and lateness in the domain's glossary's words, as the web client shows them", () => {
    for (const lang of ["zh", "en"] as const) {
      const terms = glossary[lang];
      const l = labels[lang];
      expect(l.status, lang).toEqual(terms.assignmentStatus);
      expect(l.measureStatus, lang).toEqual(terms.measureStatus);
      expect(l.roleName, lang).toEqual(terms.role);
      expect(l.roleMark, lang).toEqual(terms.roleMark);
      expect(l.lateness, lang).toEqual(terms.lateness);
      expect([l.matrixTitle, l.divisionTitle, l.dueDate], lang).toEqual([
        terms.term.responsibilityMatrix,
        terms.term.taskDivisionTable,
        terms.term.deadline,
      ]);
    }
  });

  it("spell lateness out beside the state", () => {
    expect(statusText("in_progress", "overdue", "zh")).toBe("办理中（已逾期）");
    expect(statusText("in_progress", "none", "en")).toBe("In progress");
    expect(labels.zh.measureNumber(25)).toBe("（二十五）");
  });
});
