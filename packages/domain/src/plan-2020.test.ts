import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { issuingDepartmentCodes } from "./departments.js";
import { defaultPlan, defaultPlanClosing, defaultPlanPreamble, textCutEvidence2020 } from "./plan-2020.js";

const sourceName = "opinions-2020-sme-support-system.txt";
const repoCopy = fileURLToPath(new URL(`../data/${sourceName}`, import.meta.url));
// The shared original sits beside the repository (../shared/source from the repo root), not in a clone of it.
const sharedCopy = fileURLToPath(new URL(`../../../../shared/source/${sourceName}`, import.meta.url));

const source = readFileSync(repoCopy, "utf8");
const sourceLines = source.split("\n");
const normalise = (s: string): string => s.replace(/\s+/g, " ").trim();
const normalisedSource = normalise(source);

const { sections, measures } = defaultPlan;
const headingOf = (s: { numeral: string; title: string }): string => `${s.numeral}. ${s.title}`;

/** The news site's page around the document: not part of the document, so not in the plan. Pinned here. */
const pageHeader = [
  `Home / Metal News / ${defaultPlan.titleEn}`,
  defaultPlan.titleEn,
  "iconJul 24, 2020 10:36",
  "Source:Ministry of Industry and Information Technology",
  "SMM:",
];
const pageFooter = [
  "Scan the QR code and join the SMM metal communication group.",
  "Enterprise development",
  "policy",
  "For queries, please contact Michael Jiang at michaeljiang@smm.cn",
  "For more information on how to access our research reports, please email service.en@smm.cn",
  "Related news",
  "SMM Events & Webinars",
  "All",
];

/** Measures whose published text is cut short, determined by reading the text (see textCutEvidence2020). */
const cutMeasures = [1, 3, 6, 12, 16, 21, 25];

describe("the source text kept in the repository", () => {
  it("is the published page, with the 25 measures", () => {
    expect(source.length).toBeGreaterThan(20_000);
    expect(sourceLines.filter((l) => /^\(\d+\) /.test(l))).toHaveLength(25);
  });

  it.skipIf(!existsSync(sharedCopy))("is a byte-exact copy of the shared source", () => {
    expect(readFileSync(repoCopy).equals(readFileSync(sharedCopy))).toBe(true);
  });
});

describe("defaultPlan: the document's facts", () => {
  it("identifies the 2020 opinions", () => {
    expect(defaultPlan.key).toBe("2020-sme-support-system");
    expect(defaultPlan.titleZh).toBe("关于健全支持中小企业发展制度的若干意见");
    expect(defaultPlan.documentNumber).toBe("工信部联企业〔2020〕108号");
    expect(defaultPlan.leadDepartment).toBe("MIIT");
    expect(defaultPlan.departments).toEqual([...issuingDepartmentCodes]);
  });

  it("has the English title of the source", () => {
    expect(sourceLines[2]).toBe(defaultPlan.titleEn);
  });

  it("is dated as the source says: signed 3 July 2020, published 24 July 2020", () => {
    expect(defaultPlan.issuedOn).toBe("2020-07-03");
    expect(defaultPlan.publishedOn).toBe("2020-07-24");
    expect(defaultPlanClosing.date).toBe("July 3, 2020");
    expect(source).toContain("\nJuly 3, 2020\n");
    expect(source).toContain("Jul 24, 2020");
  });

  it("names all 17 departments in its closing, under the translation's names", () => {
    // How the English source spells each signatory (several are pre-2018 or mistranslated names).
    const asPrinted: Record<(typeof issuingDepartmentCodes)[number], string> = {
      MIIT: "Ministry of Industry and Information Technology",
      NDRC: "National Development and Reform Commission",
      MOST: "Ministry of Science and Technology",
      MOF: "Ministry of Finance",
      MOHRSS: "Ministry of Human Resources and Social Security",
      MEE: "Ministry of Ecology and Environment",
      MARA: "Department of Agriculture and villages",
      MOFCOM: "Ministry of Commerce",
      MCT: "Department of Culture and Tourism",
      PBOC: "people's Bank of China",
      GACC: "General Administration of Customs",
      STA: "State Administration of Taxation",
      SAMR: "State Administration of Market Supervision and Administration",
      NBS: "National Bureau of Statistics",
      CBIRC: "Bank of China Insurance Regulatory Commission",
      CSRC: "China Securities Regulatory Commission",
      CNIPA: "State intellectual property Office",
    };
    const closing = defaultPlanClosing.signatories.join("\n");
    for (const code of issuingDepartmentCodes) expect(closing, code).toContain(asPrinted[code]);
  });
});

describe("defaultPlan: sections", () => {
  it("are I..VII, numbered 1..7, in order", () => {
    expect(sections.map((s) => s.number)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(sections.map((s) => s.numeral)).toEqual(["I", "II", "III", "IV", "V", "VI", "VII"]);
  });

  it("have the headings of the source, exactly, in the source's order", () => {
    const headingLines = sourceLines.filter((l) => /^[IVX]+\. /.test(l));
    expect(sections.map(headingOf)).toEqual(headingLines);
    for (const s of sections) expect(s.title).toBe(s.title.trim());
  });
});

describe("defaultPlan: measures", () => {
  it("are 1..25, in order", () => {
    expect(measures.map((m) => m.number)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
  });

  it("are, marker and text, exactly the source's measure paragraphs", () => {
    const measureLines = sourceLines.filter((l) => /^\(\d+\) /.test(l)).map((l) => l.trim());
    expect(measures.map((m) => `(${m.number}) ${m.text}`)).toEqual(measureLines);
  });

  it.each(measures.map((m) => [m.number, m] as const))(
    "(%i) is found verbatim in the source, after measure before it",
    (n, m) => {
      expect(m.text).toBe(m.text.trim());
      expect(m.text).not.toBe("");
      const at = normalisedSource.indexOf(`(${n}) ${normalise(m.text)}`);
      expect(at).toBeGreaterThan(-1);
      const previous = measures[n - 2];
      if (previous !== undefined) {
        expect(at).toBeGreaterThan(normalisedSource.indexOf(`(${previous.number}) ${normalise(previous.text)}`));
      }
    },
  );

  it.each(measures.map((m) => [m.number, m] as const))("(%i) belongs to the section heading it sits under", (n, m) => {
    const at = normalisedSource.indexOf(`(${n}) ${normalise(m.text)}`);
    const headingsBefore = sections.filter((s) => {
      const h = normalisedSource.indexOf(normalise(headingOf(s)));
      return h > -1 && h < at;
    });
    expect(headingsBefore.at(-1)?.number).toBe(m.section);
  });

  it("fill every section, in section order", () => {
    const sectionOfEach = measures.map((m) => m.section);
    expect(sectionOfEach).toEqual([...sectionOfEach].sort((a, b) => a - b));
    expect(new Set(sectionOfEach)).toEqual(new Set(sections.map((s) => s.number)));
    expect(sectionOfEach).toEqual([1, 1, 1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 6, 6, 6, 7, 7]);
  });

  it.each(measures.map((m) => [m.number, m] as const))("(%i) has its opening phrase as title", (_n, m) => {
    expect(m.title).not.toBe("");
    expect(m.text.startsWith(m.title)).toBe(true);
    // The opening phrase runs up to the first full stop.
    expect(m.text.slice(0, m.title.length + 1)).toBe(`${m.title}.`);
    expect(m.title).not.toContain(".");
  });

  it("titles are distinct", () => {
    expect(new Set(measures.map((m) => m.title)).size).toBe(25);
  });
});

describe("defaultPlan: the preamble and closing are kept, outside the measures", () => {
  it("spans tile the source: page, preamble, headings, markers, measure texts, closing, page, nothing lost", () => {
    const parts: string[] = [...pageHeader, defaultPlanPreamble.addressee, defaultPlanPreamble.text];
    for (const s of sections) {
      parts.push(headingOf(s));
      for (const m of measures.filter((x) => x.section === s.number)) parts.push(`(${m.number})`, m.text);
    }
    parts.push(...defaultPlanClosing.signatories, defaultPlanClosing.date, ...pageFooter);
    expect(normalise(parts.join(" "))).toBe(normalisedSource);
  });

  it("the preamble comes before section I and the closing after measure (25), each a paragraph of the source", () => {
    const firstHeading = sourceLines.indexOf(headingOf({ numeral: "I", title: sections[0]?.title ?? "" }));
    const preambleLine = sourceLines.indexOf(defaultPlanPreamble.text);
    expect(preambleLine).toBeGreaterThan(-1);
    expect(preambleLine).toBeLessThan(firstHeading);
    expect(sourceLines).toContain(`SMM: ${defaultPlanPreamble.addressee}`);

    const lastMeasure = sourceLines.findIndex((l) => l.startsWith("(25) "));
    for (const line of [...defaultPlanClosing.signatories, defaultPlanClosing.date]) {
      expect(sourceLines.indexOf(line)).toBeGreaterThan(lastMeasure);
    }
  });

  it("no measure carries the preamble, a heading or the closing", () => {
    for (const m of measures) {
      expect(m.text).not.toContain(defaultPlanPreamble.text.slice(0, 60));
      for (const s of sections) expect(m.text).not.toContain(s.title);
      expect(m.text).not.toContain(defaultPlanClosing.date);
      for (const line of defaultPlanClosing.signatories) expect(m.text).not.toContain(line);
    }
  });
});

describe("defaultPlan: measures whose published text is cut short", () => {
  it("are exactly the ones found by reading the text", () => {
    expect(measures.filter((m) => m.textCut).map((m) => m.number)).toEqual(cutMeasures);
  });

  it("each flag has evidence and each piece of evidence a flag", () => {
    expect(textCutEvidence2020.map((e) => e.measureNumber)).toEqual(cutMeasures);
  });

  it.each(textCutEvidence2020.map((e) => [e.measureNumber, e] as const))(
    "(%i): the evidence is a verbatim excerpt showing the cut",
    (n, e) => {
      const m = measures.find((x) => x.number === n);
      expect(m?.text).toContain(e.excerpt);
      expect(e.note).not.toBe("");
      if (e.where === "end") {
        expect(m?.text.endsWith(e.excerpt)).toBe(true);
      } else {
        // A sentence runs into the next without a full stop: a lower-case word or a hyphen, then a capital.
        expect(e.excerpt).toMatch(/[a-z-] [A-Z]/);
      }
    },
  );

  it("a measure whose text stops without a full stop is flagged as ending mid-sentence", () => {
    const unfinished = measures.filter((m) => !m.text.endsWith(".")).map((m) => m.number);
    expect(unfinished).toEqual([12, 16]);
    expect(textCutEvidence2020.filter((e) => e.where === "end").map((e) => e.measureNumber)).toEqual(unfinished);
  });

  it("places that only lose a full stop, with the sentence complete, are not flagged for it", () => {
    // Judged by reading: these sentences are whole; only the stop between two sentences is missing.
    const stopOnly: ReadonlyArray<readonly [number, string]> = [
      [3, "financial condition index of small and medium-sized enterprises Strengthen"],
      [3, "development index of small and medium-sized enterprises Timely revise"],
      [15, "pilot-scale test bases of universities, scientific research institutes and large enterprises to small and medium-sized enterprises We will adjust"],
      [20, "technical trade measures, quality certification We will support"],
    ];
    for (const [n, excerpt] of stopOnly) {
      expect(measures.find((m) => m.number === n)?.text).toContain(excerpt);
      expect(textCutEvidence2020.some((e) => e.measureNumber === n && e.excerpt === excerpt)).toBe(false);
    }
    expect(measures.filter((m) => m.number === 15 || m.number === 20).map((m) => m.textCut)).toEqual([false, false]);
  });
});
