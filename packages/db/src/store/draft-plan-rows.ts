import type { PlanDocument } from "@countersign/domain";
import type { DraftPlanRows, NewPlanResponsibility } from "./repos/plan-creation.js";

/**
 * The rows a plan document becomes below its `plans` row, the same on every engine (one place for the rule): member
 * departments by position; each measure's stated deadline as its due date and the words that stated it; each
 * measure's division with the lead at position 0, then the supporting departments in the order given.
 *
 * @throws Error when a responsibility names a measure the document does not have (the caller checks first).
 */
export function draftPlanRows(document: PlanDocument, responsibilities: readonly NewPlanResponsibility[]): DraftPlanRows {
  const numbers = new Set(document.measures.map((m) => m.number));
  const byMeasure = new Map<number, NewPlanResponsibility[]>();
  for (const r of responsibilities) {
    if (!numbers.has(r.measureNumber)) throw new Error(`responsibility for unknown measure ${r.measureNumber}`);
    byMeasure.set(r.measureNumber, [...(byMeasure.get(r.measureNumber) ?? []), r]);
  }
  return {
    members: document.departments.map((department, position) => ({ department, position })),
    sections: document.sections.map((s) => ({ number: s.number, numeral: s.numeral, title: s.title })),
    measures: document.measures.map((m) => ({
      number: m.number,
      sectionNumber: m.section,
      title: m.title,
      text: m.text,
      textCut: m.textCut,
      statedDueDate: m.statedDeadline?.dueDate ?? null,
      statedDeadline: m.statedDeadline?.stated ?? null,
    })),
    responsibilities: [...byMeasure].flatMap(([measureNumber, list]) =>
      [...list.filter((r) => r.role === "lead"), ...list.filter((r) => r.role === "supporting")].map((r, position) => ({
        measureNumber,
        department: r.department,
        role: r.role,
        position,
        justification: r.justification ?? null,
      })),
    ),
  };
}
