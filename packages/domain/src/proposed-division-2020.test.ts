import { describe, expect, it } from "vitest";
import { departments, issuingDepartmentCodes } from "./departments.js";
import { defaultPlan } from "./plan-2020.js";
import { allMemberUnitsRule, proposedDivision2020, proposedDivisionFor } from "./proposed-division-2020.js";
import type { ProposedResponsibility } from "./types.js";

const measureNumbers = defaultPlan.measures.map((m) => m.number);
const measureText = (n: number): string => defaultPlan.measures.find((m) => m.number === n)?.text ?? "";
const measureTitle = (n: number): string => defaultPlan.measures.find((m) => m.number === n)?.title ?? "";
const phraseOf = (r: ProposedResponsibility): string | null =>
  r.justification.kind === "phrase" ? r.justification.phrase : null;

/**
 * Words of each department's remit, so that a phrase given to the wrong department fails. MIIT's remit is SME
 * policy in general, so any phrase about SMEs (or its own industries) fits it.
 */
const remitWords: Record<(typeof issuingDepartmentCodes)[number], RegExp> = {
  MIIT: /small and medium|SME|information technology|Manufacturing|specialized|Law on the Promotion/,
  NDRC: /market access|credit|enterprise-related fees|venture capital|entrepreneurship|property rights/,
  MOST: /innovation|entrepreneurial carriers|science and technology/,
  MOF: /financial support|fiscal|tax policies|procurement|financing guarantee|performance Evaluation of Financial/,
  MOHRSS: /talents|skilled personnel|employment|social security/,
  MEE: /environment|ecolog/,
  MARA: /agricult|rural/,
  MOFCOM: /market access|e-commerce|trade|going out/,
  MCT: /culture|tourism/,
  PBOC: /money|credit|financing situation|bond|lending|macro-prudential|movable property/,
  GACC: /customs|tariff|export/,
  STA: /tax/,
  SAMR: /competition|supervision|quality|enterprise credit information publicity/,
  NBS: /statistic/,
  CBIRC: /financial service|supervision|commercial banks|banking/,
  CSRC: /direct financing|capital market|listing|securities/,
  CNIPA: /intellectual property/,
};
const remitOf = new Map<string, RegExp>(Object.entries(remitWords));

describe("proposedDivision2020", () => {
  it("covers the 25 measures of the plan, listed in measure order", () => {
    expect([...new Set(proposedDivision2020.map((r) => r.measureNumber))]).toEqual(measureNumbers);
    const order = proposedDivision2020.map((r) => r.measureNumber);
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it.each(measureNumbers)("(%i) has exactly one lead, listed first, and no department twice", (n) => {
    const rows = proposedDivisionFor(n);
    expect(rows.filter((r) => r.role === "lead")).toHaveLength(1);
    expect(rows[0]?.role).toBe("lead");
    expect(new Set(rows.map((r) => r.department)).size).toBe(rows.length);
    expect(rows.every((r) => r.measureNumber === n)).toBe(true);
  });

  it("uses only the codes of the 17 issuing departments", () => {
    const known = new Set<string>(issuingDepartmentCodes);
    for (const r of proposedDivision2020) expect(known.has(r.department), r.department).toBe(true);
  });

  it("gives every department at least one responsibility", () => {
    for (const d of departments) {
      expect(proposedDivision2020.some((r) => r.department === d.code), d.code).toBe(true);
    }
  });

  it("binds all 17 to measure (24) by rule, MIIT leading, and uses a rule nowhere else", () => {
    const rows = proposedDivisionFor(24);
    expect(rows.map((r) => r.department)).toEqual([...issuingDepartmentCodes]);
    expect(rows.filter((r) => r.role === "lead").map((r) => r.department)).toEqual(["MIIT"]);
    for (const r of rows) expect(r.justification).toEqual({ kind: "rule", rule: allMemberUnitsRule });
    const quoted = /"([^"]+)"/.exec(allMemberUnitsRule)?.[1] ?? "";
    expect(quoted).toMatch(/^All member units of the leading group/);
    expect(measureText(24)).toContain(quoted);
    expect(proposedDivision2020.filter((r) => r.justification.kind === "rule").every((r) => r.measureNumber === 24)).toBe(
      true,
    );
  });

  it.each(proposedDivision2020.filter((r) => r.measureNumber !== 24).map((r) => [r.measureNumber, r.department, r] as const))(
    "(%i) %s: the justification is a verbatim phrase of the measure naming the department's remit",
    (n, code, r) => {
      const phrase = phraseOf(r);
      expect(phrase).not.toBeNull();
      expect(phrase?.trim()).toBe(phrase);
      expect(measureText(n)).toContain(phrase ?? "\u0000");
      // A pattern that never matches, should a code have no remit words.
      expect(phrase).toMatch(remitOf.get(code) ?? /(?!)/);
    },
  );

  it.each(measureNumbers.filter((n) => n !== 24))(
    "(%i) follows the rule: the unit named first leads (the title's, else MIIT), others in the order named",
    (n) => {
      const [lead, ...supporting] = proposedDivisionFor(n);
      const leadPhrase = lead === undefined ? null : phraseOf(lead);
      if (lead?.department !== "MIIT") expect(measureTitle(n)).toContain(leadPhrase ?? "\u0000");
      const positions = [lead, ...supporting].map((r) => (r === undefined ? -1 : measureText(n).indexOf(phraseOf(r) ?? "\u0000")));
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
      // A supporting department's remit named in the title would make it the first named, hence the lead.
      for (const r of supporting) expect(measureTitle(n)).not.toContain(phraseOf(r) ?? "\u0000");
    },
  );

  it("matches the remits named in the brief", () => {
    const roleOf = (n: number, code: string): string | undefined =>
      proposedDivisionFor(n).find((r) => r.department === code)?.role;
    expect(roleOf(7, "STA")).toBe("lead");
    expect(roleOf(7, "MOF")).toBe("supporting");
    expect(roleOf(22, "CNIPA")).toBe("lead");
    expect(roleOf(3, "NBS")).toBe("lead");
    expect(roleOf(12, "CSRC")).toBe("lead");
    expect(roleOf(20, "GACC")).toBe("supporting");
  });

  it("is pinned: the lead and supporting departments of each measure", () => {
    const table = measureNumbers.map((n) => {
      const rows = proposedDivisionFor(n);
      return [n, rows.filter((r) => r.role === "lead").map((r) => r.department).join(), rows.filter((r) => r.role === "supporting").map((r) => r.department).join()];
    });
    expect(table).toEqual([
      [1, "MIIT", ""],
      [2, "SAMR", "NDRC,MOFCOM"],
      [3, "NBS", "PBOC,MIIT"],
      [4, "NDRC", "PBOC,SAMR"],
      [5, "SAMR", "NDRC"],
      [6, "MOF", "MIIT"],
      [7, "STA", "MOF,NDRC,SAMR"],
      [8, "MOF", "MIIT"],
      [9, "PBOC", "CBIRC"],
      [10, "CBIRC", "CNIPA,STA,PBOC"],
      [11, "CBIRC", "MOF,PBOC"],
      [12, "CSRC", "NDRC,PBOC"],
      [13, "MOF", "CBIRC,PBOC"],
      [14, "NDRC", "MOST"],
      [15, "MOST", "MIIT,MOHRSS"],
      [16, "MIIT", ""],
      [17, "MIIT", ""],
      [18, "MIIT", ""],
      [19, "MIIT", "MOHRSS,SAMR"],
      [20, "MIIT", "CNIPA,SAMR,GACC,MOFCOM"],
      [21, "NDRC", "MIIT"],
      [22, "CNIPA", ""],
      [23, "MIIT", ""],
      [24, "MIIT", "NDRC,MOST,MOF,MOHRSS,MEE,MARA,MOFCOM,MCT,PBOC,GACC,STA,SAMR,NBS,CBIRC,CSRC,CNIPA"],
      [25, "MIIT", ""],
    ]);
  });

  it("proposedDivisionFor returns nothing for a number that is not a measure", () => {
    expect(proposedDivisionFor(0)).toEqual([]);
    expect(proposedDivisionFor(26)).toEqual([]);
  });
});
