/**
 * Text copied from a PDF: hard line breaks every ~80 columns, CRLF. The copy of the 2020 source is generated here
 * (each paragraph wrapped at word boundaries), and must import to the same 7 sections and 25 measures, texts equal
 * whitespace aside, the last measure whole and wrapped headings whole.
 */
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { draftPlanCoverage } from "./draft-plan.js";
import { defaultPlan } from "../plan-2020.js";
import { parsePolicyDocument } from "./parse-policy-document.js";

const source2020 = readFileSync(new URL("../../data/opinions-2020-sme-support-system.txt", import.meta.url), "utf8");

/** Wraps one paragraph at `width` columns, breaking between words (CJK text: between any two characters). */
function wrapParagraph(paragraph: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  const cjkText = /[\u4e00-\u9fff]/.test(paragraph) && !/ /.test(paragraph);
  const pieces = cjkText ? [...paragraph] : paragraph.split(/(?<= )/);
  for (const piece of pieces) {
    if (line.length + piece.trimEnd().length > width && line.trim() !== "") {
      lines.push(line.trimEnd());
      line = "";
    }
    line += piece;
  }
  if (line.trim() !== "") lines.push(line.trimEnd());
  return lines;
}

function hardWrapped(text: string, width: number, options: { blankLines: boolean }): string {
  const paragraphs = text.split(/\n/).filter((p) => options.blankLines || p.trim() !== "");
  return paragraphs.flatMap((p) => (p.trim() === "" ? [""] : wrapParagraph(p, width))).join("\r\n");
}

const squash = (s: string): string => s.replace(/\s+/g, " ").trim();

describe("a hard-wrapped CRLF copy of the 2020 source", () => {
  for (const blankLines of [true, false]) {
    it(`imports to the same 7 sections and 25 measures (${blankLines ? "blank lines between paragraphs" : "no blank lines"})`, () => {
      const text = hardWrapped(source2020, 80, { blankLines });
      const lines = text.split("\r\n");
      expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(80);
      expect(text.includes("\n") && !/[^\r]\n/.test(text)).toBe(true);
      const draft = parsePolicyDocument(text);
      expect(draft.title).toBe(defaultPlan.titleEn);
      expect(draft.sections.map(({ number, numeral, title }) => ({ number, numeral, title }))).toEqual(defaultPlan.sections);
      expect(draft.measures).toHaveLength(25);
      draft.measures.forEach((m, i) => {
        const expected = defaultPlan.measures[i];
        expect({ number: m.number, section: m.section, title: m.title, text: squash(m.text), textCut: m.textCut }).toEqual({
          number: expected?.number,
          section: expected?.section,
          title: expected?.title,
          text: squash(expected?.text ?? ""),
          textCut: expected?.textCut,
        });
      });
      expect(draft.warnings.filter((w) => w.kind.startsWith("number_") || w.kind === "measure_outside_section")).toEqual([]);
    });
  }

  it("recognises a Chinese document wrapped at 38 characters, its wrapped headings and notes", () => {
    const zh = readFileSync(new URL("./fixtures/zh-stated-notes.txt", import.meta.url), "utf8");
    const flat = parsePolicyDocument(zh);
    const wrapped = parsePolicyDocument(hardWrapped(zh, 38, { blankLines: false }));
    expect(wrapped.title).toBe(flat.title);
    expect(wrapped.sections.map((s) => s.title)).toEqual(flat.sections.map((s) => s.title));
    expect(wrapped.measures.map((m) => [m.title, squash(m.text).replace(/ /g, "")])).toEqual(flat.measures.map((m) => [m.title, squash(m.text).replace(/ /g, "")]));
  });
});

describe("hard-wrapped text (property-based)", () => {
  const piece = fc.constantFrom("一、", "（一）", "（二）", "1.", "(2)", "I.", "财政部", "负责", "。", "，", "word ", "We ", "small and medium-", "（财政部负责）", " ", "x");
  const doc = fc.array(piece, { minLength: 20, maxLength: 200 }).map((p) => p.join(""));
  it("never throws, and every non-whitespace character is owned exactly once", () => {
    fc.assert(
      fc.property(doc, fc.integer({ min: 20, max: 90 }), (text, width) => {
        const wrapped = hardWrapped(text, width, { blankLines: false });
        const draft = parsePolicyDocument(wrapped);
        const owners = new Uint8Array(wrapped.length);
        for (const { span } of draftPlanCoverage(draft)) for (let i = span.start; i < span.end; i++) owners[i] = (owners[i] ?? 0) + 1;
        for (let i = 0; i < wrapped.length; i++) {
          const n = owners[i] ?? 0;
          expect(n > 1 || (n === 0 && !/\s/.test(wrapped.charAt(i)))).toBe(false);
        }
      }),
      { numRuns: 200 },
    );
  });
});
