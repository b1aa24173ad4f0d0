import { describe, expect, it } from "vitest";
import { departmentLexicon } from "../import/department-lexicon.js";
import { parsePolicyDocument } from "../import/parse-policy-document.js";
import { proposeDivision } from "../import/propose-division.js";
import { localRegisterEntries } from "./local-document.js";
import { localOrganisation } from "./organisations.js";
import { provincialDivisions } from "./divisions.js";
import { buildNameIndex } from "../register/name-index.js";
import { proposalAmongMembers } from "./local-proposal.js";

const guangxiDivision = provincialDivisions.find((d) => d.code === "450000");
if (guangxiDivision === undefined) throw new Error("no Guangxi in the divisions");
const guangxi = localOrganisation(guangxiDivision, "province", "CN");

function proposalOf(text: string) {
  const draft = parsePolicyDocument(text, { register: buildNameIndex(localRegisterEntries(guangxi)) });
  const members = guangxi.members.map((m) => m.code);
  return proposalAmongMembers(proposeDivision(draft, departmentLexicon, { leadMinistry: guangxi.office.host, members }), guangxi.members);
}

describe("a province's import: the lexicon's proposal among its own departments", () => {
  it("carries proposed central departments onto the members of their line (the bug: MIIT proposed, no column, 'There is no department MIIT' on saving)", () => {
    const proposal = proposalOf("（一）推进中小企业数字化转型。加强专精特新企业培育，落实好小微企业税收优惠政策。\n");
    const measure = proposal.measures[0];
    expect(measure?.responsibilities.map((r) => [r.department, r.role, r.source.kind])).toEqual([
      ["450000-MIIT", "lead", "proposed"],
      ["450000-STA", "supporting", "proposed"],
    ]);
    expect(measure?.needsDecision).toBe(false);
    expect(measure?.matches.every((m) => m.department.startsWith("450000-"))).toBe(true);
    expect(proposal.responsibilities).toEqual(measure?.responsibilities);
  });

  it("keeps a stated division read against the local register as it is", () => {
    const proposal = proposalOf("（一）加大财税支持力度。（自治区财政厅牵头，自治区税务局参与）\n");
    expect(proposal.measures[0]?.responsibilities.map((r) => [r.department, r.role, r.source.kind])).toEqual([
      ["450000-MOF", "lead", "stated"],
      ["450000-STA", "supporting", "stated"],
    ]);
  });

  it("leaves out a proposed department with no member of its line, and then asks for a lead", () => {
    // Customs (GACC) has no local member: its proposal cannot be carried down.
    const proposal = proposalOf("（一）提高通关便利化水平。\n");
    const measure = proposal.measures[0];
    expect(measure?.responsibilities.map((r) => r.department)).toEqual([]);
    expect(measure?.matches).toEqual([]);
    expect(measure?.needsDecision).toBe(true);
  });
});
