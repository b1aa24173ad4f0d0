import type { DivisionProposal, DivisionResponsibility, LexiconMatch } from "../import/propose-division.js";
import type { LocalDepartment } from "./organisations.js";

/**
 * A division proposed by the central lexicon (`proposeDivision`: MOF, STA, MIIT …), carried onto a local
 * organisation's member departments by line (MOF → 450000-MOF), as `deriveLocalPlan` mirrors a parent's division:
 * a province's office importing its own document sees the proposal in its own columns, and may save it (a central
 * code is no department of its plan: `plan.create` refuses it). Responsibilities already naming a member (stated
 * notes read against the local register) stay as they are; a proposed department whose line has no member at that
 * level is left out, with its lexicon matches; when that leaves a measure without a lead, the measure needs the
 * coordinator's decision. Pure; `members` in the organisation's order, the first member of a line taken.
 */
export function proposalAmongMembers(proposal: DivisionProposal, members: readonly LocalDepartment[]): DivisionProposal {
  const codes = new Set(members.map((m) => m.code));
  const byLine = new Map<string, string>();
  for (const m of members) if (!byLine.has(m.line)) byLine.set(m.line, m.code);
  const local = (code: string): string | undefined => (codes.has(code) ? code : byLine.get(code));
  const measures = proposal.measures.map((m) => {
    const seen = new Set<string>();
    const responsibilities: DivisionResponsibility[] = [];
    for (const r of m.responsibilities) {
      const department = r.source.kind === "stated" ? r.department : local(r.department);
      if (department === undefined || seen.has(department)) continue;
      seen.add(department);
      responsibilities.push({ ...r, department });
    }
    const matches: LexiconMatch[] = m.matches.flatMap((x) => {
      const department = local(x.department);
      return department === undefined ? [] : [{ ...x, department }];
    });
    const needsDecision = m.needsDecision || !responsibilities.some((r) => r.role === "lead");
    return { ...m, responsibilities, matches, needsDecision };
  });
  return { measures, responsibilities: measures.flatMap((m) => m.responsibilities) };
}
