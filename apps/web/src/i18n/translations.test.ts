import { cascadeRefusalCodes, glossary, retiredTerms } from "@countersign/domain";
import { describe, expect, it } from "vitest";
import { en } from "./en.js";
import { zh } from "./zh.js";

type Tree = { [key: string]: string | Tree };

function leaves(tree: Tree, prefix = ""): Array<[string, string]> {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === "string" ? [[`${prefix}${key}`, value] as [string, string]] : leaves(value, `${prefix}${key}.`),
  );
}

const variables = (text: string): string[] => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1] ?? "").sort();

describe("translations", () => {
  const english = new Map(leaves(en));
  const chinese = new Map(leaves(zh));

  it("have the same keys in both languages", () => {
    expect([...chinese.keys()].sort()).toEqual([...english.keys()].sort());
  });

  it("word every cascade refusal in Chinese (a Chinese reader was shown the server's English message)", () => {
    for (const code of cascadeRefusalCodes) {
      expect(chinese.get(`refusal.${code}`), code).toMatch(/[\u4e00-\u9fff]/);
      expect(english.get(`refusal.${code}`), code).toBeTruthy();
    }
  });

  it("are never empty", () => {
    for (const [key, text] of [...english, ...chinese]) expect(text.trim(), key).not.toBe("");
  });

  it("use the same interpolation variables in both languages", () => {
    // Sections are numbered I, II… in English and 一、二、… in Chinese: the caller passes both numerals. A forwarding's
    // notice names the forwarding office and the plan in the reader's language: the notice carries both names.
    const differ = new Map([
      ["measure.section", { en: ["numeral", "title"], zh: ["title", "zhNumeral"] }],
      ["notifications.kind_cascade_forwarded", { en: ["fromEn", "measures", "planDeadline", "titleEn"], zh: ["fromZh", "measures", "planDeadline", "titleZh"] }],
      // A round opened from above, a report returned from above: the level above named in the reader's language.
      ["notifications.kind_level_report_asked", { en: ["dueDate", "fromEn", "title"], zh: ["dueDate", "fromZh", "title"] }],
      ["notifications.kind_level_report_returned", { en: ["fromEn", "text", "title"], zh: ["fromZh", "text", "title"] }],
    ]);
    for (const [key, text] of english) {
      const expected = differ.get(key);
      expect(variables(text), key).toEqual(expected?.en ?? variables(text));
      expect(variables(chinese.get(key) ?? ""), key).toEqual(expected?.zh ?? variables(text));
    }
  });

  it("never interpolate `count` (i18next reserves it for plurals, which these strings do not define)", () => {
    for (const [key, text] of english) expect(variables(text), key).not.toContain("count");
  });

  it("say one measure, section or warning in the singular on the import page and the document preview", () => {
    // A single-measure document read "Found 0 sections, 1 measures and 2 warnings.": a count before a plural noun needs
    // a sibling …One key worded in the singular, which the page picks for one.
    const counted = /\{\{\w+\}\} (?:measures|sections|warnings)\b/;
    const checked = [...english].filter(([key, text]) => (key.startsWith("planImport.") || key.startsWith("cascade.doc.")) && counted.test(text));
    expect(checked.length).toBeGreaterThan(0);
    for (const [key] of checked) {
      for (const strings of [english, chinese]) {
        const one = strings.get(`${key}One`);
        expect(one, `${key}One`).toBeTruthy();
        expect(one, `${key}One`).not.toMatch(/\{\{n\}\}|\{\{total\}\}/);
      }
      expect(english.get(`${key}One`), `${key}One`).toMatch(/\b1 (?:measure|section|warning)\b(?!s)/);
    }
  });

  it("use none of the retired terms (会签 for all signed off, 完成签认, 拒收, 工作方案 …)", () => {
    for (const [lang, strings] of [["en", english], ["zh", chinese]] as const) {
      for (const [key, text] of strings) {
        for (const { word } of retiredTerms[lang]) expect(text, `${lang} ${key}`).not.toContain(word);
      }
    }
  });

  it("keep the glossary's terms in Chinese", () => {
    expect(zh.action.signOff).toBe("报结");
    expect(zh.action.accept).toBe("签收");
    expect(zh.measureStatus.countersigned).toBe("已全部报结");
    expect(zh.role.lead).toBe("牵头单位");
    expect(zh.lateness.long_overdue).toBe("严重逾期");
  });

  it("name states, roles, lateness and actions in the domain's glossary's words, as the exports do", () => {
    for (const [lang, strings] of [["en", en], ["zh", zh]] as const) {
      const terms = glossary[lang];
      expect(strings.status, lang).toEqual(terms.assignmentStatus);
      expect(strings.measureStatus, lang).toEqual(terms.measureStatus);
      expect(strings.role, lang).toEqual(terms.role);
      expect(strings.lateness, lang).toEqual(terms.lateness);
      expect(strings.actorRole, lang).toEqual(terms.actorRole);
      expect(strings.action, lang).toMatchObject(terms.action);
      expect(strings.due, lang).toEqual({ label: terms.term.deadline, ongoing: terms.term.ongoing });
    }
  });
});
