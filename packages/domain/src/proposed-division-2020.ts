import { issuingDepartmentCodes, type IssuingDepartmentCode } from "./departments.js";
import type { ProposedResponsibility } from "./types.js";

/*
 * The 2020 document names no department per measure; the lead ministry issues a separate task-division plan
 * (任务分工方案). This file is Countersign's PROPOSAL for that plan, derived from the measure texts only. The lead
 * ministry (MIIT) reviews and edits it before anything is assigned; nothing here is an official division.
 *
 * The rule followed, after the 2012 precedent (国办函〔2012〕141号: the lead department bears overall responsibility,
 * the others actively cooperate) and the usual task-division table (the first unit named in a cell leads):
 * - A department takes part in a measure when the measure's text names its remit; the phrase that does so is kept
 *   verbatim as the justification, so a reviewer sees why at a glance.
 * - The lead is the first unit named: the department whose remit the measure's opening phrase (its title) names.
 *   Where the opening phrase names only SME policy in general, MIIT leads, as the ministry in charge of SMEs and
 *   host of the office of the State Council leading group for promoting SME development.
 * - The other departments whose remit the text names are supporting.
 * - Measure (24) binds "All member units of the leading group": all 17 departments, MIIT leading.
 * MEE, MARA and MCT have no remit named in any measure text, so (24) is their only responsibility.
 */

type Named = readonly [department: IssuingDepartmentCode, phrase: string];

interface ProposedRow {
  measureNumber: number;
  lead: Named;
  supporting: readonly Named[];
}

const rows: readonly ProposedRow[] = [
  { measureNumber: 1, lead: ["MIIT", "Law on the Promotion of small and medium-sized Enterprises"], supporting: [] },
  {
    measureNumber: 2,
    lead: ["SAMR", "the system of fair competition"],
    supporting: [
      ["NDRC", "negative list system for market access"],
      ["MOFCOM", "negative list system for market access"],
    ],
  },
  {
    measureNumber: 3,
    lead: ["NBS", "statistical monitoring"],
    supporting: [
      ["PBOC", "investigating the financing situation of small and medium-sized enterprises"],
      ["MIIT", "classification standards for small and medium-sized enterprises"],
    ],
  },
  {
    measureNumber: 4,
    lead: ["NDRC", "credit system"],
    supporting: [
      ["PBOC", "basic database of financial credit information"],
      ["SAMR", "national enterprise credit information publicity system"],
    ],
  },
  { measureNumber: 5, lead: ["SAMR", "fair supervision system"], supporting: [["NDRC", "credit supervision"]] },
  {
    measureNumber: 6,
    lead: ["MOF", "financial support system"],
    supporting: [["MIIT", "National SME Development Fund"]],
  },
  {
    measureNumber: 7,
    lead: ["STA", "tax burden"],
    supporting: [
      ["MOF", "tax policies"],
      ["NDRC", "catalogue system of enterprise-related fees"],
      ["SAMR", "supervision and inspection of enterprise-related fees"],
    ],
  },
  {
    measureNumber: 8,
    lead: ["MOF", "government procurement"],
    supporting: [
      ["MIIT", "interim measures for Government Procurement to promote the Development of small and medium-sized Enterprises"],
    ],
  },
  {
    measureNumber: 9,
    lead: ["PBOC", "money and credit"],
    supporting: [["CBIRC", "guide commercial banks to increase the lending of small and micro enterprises"]],
  },
  {
    measureNumber: 10,
    lead: ["CBIRC", "financial service system"],
    supporting: [
      ["CNIPA", "intellectual property pledge loans"],
      ["STA", "interaction between banks and taxes"],
      ["PBOC", "regulations on non-deposit lending organizations"],
    ],
  },
  {
    measureNumber: 11,
    lead: ["CBIRC", "financial differential supervision"],
    supporting: [
      ["MOF", "measures for performance Evaluation of Financial Enterprises"],
      ["PBOC", "(MPA) assessment of macro-prudential assessment"],
    ],
  },
  {
    measureNumber: 12,
    lead: ["CSRC", "direct financing"],
    supporting: [
      ["NDRC", "venture capital"],
      ["PBOC", "bond financing"],
    ],
  },
  {
    measureNumber: 13,
    lead: ["MOF", "financing guarantee system"],
    supporting: [
      ["CBIRC", "banking financial institutions"],
      ["PBOC", "unified registration and publicity system for movable property and rights guarantee"],
    ],
  },
  { measureNumber: 14, lead: ["NDRC", "support for entrepreneurship"], supporting: [["MOST", "entrepreneurial carriers"]] },
  {
    measureNumber: 15,
    lead: ["MOST", "innovation support system"],
    supporting: [
      ["MIIT", "Manufacturing Innovation Center"],
      ["MOHRSS", "innovative talents"],
    ],
  },
  { measureNumber: 16, lead: ["MIIT", '"specialized and innovative" development mechanism'], supporting: [] },
  { measureNumber: 17, lead: ["MIIT", "information technology"], supporting: [] },
  { measureNumber: 18, lead: ["MIIT", "service system for small and medium-sized enterprises"], supporting: [] },
  {
    measureNumber: 19,
    lead: ["MIIT", "training system for small and medium-sized enterprises"],
    supporting: [
      ["MOHRSS", "skilled personnel"],
      ["SAMR", "quality management improvement actions"],
    ],
  },
  {
    measureNumber: 20,
    lead: ["MIIT", "international exchanges and cooperation of small and medium-sized enterprises"],
    supporting: [
      ["CNIPA", "intellectual property protection"],
      ["SAMR", "quality certification"],
      ["GACC", "tariff guarantee insurance"],
      ["MOFCOM", "cross-border e-commerce"],
    ],
  },
  {
    measureNumber: 21,
    lead: ["NDRC", "legitimate property rights"],
    supporting: [["MIIT", "regulations on ensuring the payment of small and medium-sized Enterprises"]],
  },
  { measureNumber: 22, lead: ["CNIPA", "intellectual property protection system"], supporting: [] },
  { measureNumber: 23, lead: ["MIIT", "rights protection and relief system for small and medium-sized enterprises"], supporting: [] },
  // (24) is handled by rule below.
  { measureNumber: 25, lead: ["MIIT", "decision-making guarantee mechanism for small and medium-sized enterprises"], supporting: [] },
];

/** The justification of measure (24): it quotes the measure, which binds every member unit. */
export const allMemberUnitsRule =
  'Measure (24): "All member units of the leading group should conscientiously implement the matters agreed by the leading group": all 17 issuing departments, MIIT leading as host of the leading group\'s office.';

const measure24: readonly ProposedResponsibility[] = issuingDepartmentCodes.map((department) => ({
  measureNumber: 24,
  department,
  role: department === "MIIT" ? "lead" : "supporting",
  justification: { kind: "rule", rule: allMemberUnitsRule },
}));

function fromRow(row: ProposedRow): ProposedResponsibility[] {
  const [leadDepartment, leadPhrase] = row.lead;
  return [
    {
      measureNumber: row.measureNumber,
      department: leadDepartment,
      role: "lead",
      justification: { kind: "phrase", phrase: leadPhrase },
    },
    ...row.supporting.map(([department, phrase]): ProposedResponsibility => ({
      measureNumber: row.measureNumber,
      department,
      role: "supporting",
      justification: { kind: "phrase", phrase },
    })),
  ];
}

/**
 * The PROPOSED division of work for the 2020 plan, for the lead ministry to review and edit before assigning:
 * per measure, one lead then its supporting departments, measures in order 1..25.
 */
export const proposedDivision2020: readonly ProposedResponsibility[] = [...rows.flatMap(fromRow), ...measure24].sort(
  (a, b) => a.measureNumber - b.measureNumber,
);

/** The proposed responsibilities for one measure of the 2020 plan (lead first), empty for an unknown number. */
export function proposedDivisionFor(measureNumber: number): readonly ProposedResponsibility[] {
  return proposedDivision2020.filter((r) => r.measureNumber === measureNumber);
}
