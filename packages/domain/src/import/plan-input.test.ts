import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createPlanInputSchema, importPlanInputSchema, maxImportTextBytes, utf8ByteLength } from "./plan-input.js";

describe("the import inputs", () => {
  it("counts UTF-8 bytes as Node encodes them, lone surrogates included", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (text) => {
        expect(utf8ByteLength(text)).toBe(Buffer.byteLength(text, "utf8"));
      }),
    );
    expect(utf8ByteLength("若干意见")).toBe(12);
  });

  it("refuses a blank text and one over the limit, by bytes not characters", () => {
    expect(importPlanInputSchema.safeParse({ text: " \n " }).success).toBe(false);
    expect(importPlanInputSchema.safeParse({ text: "a".repeat(maxImportTextBytes) }).success).toBe(true);
    // Fewer characters than the limit, but three bytes each.
    const chinese = importPlanInputSchema.safeParse({ text: "中".repeat(maxImportTextBytes / 2) });
    expect(chinese.success).toBe(false);
    expect(chinese.error?.issues[0]?.path).toEqual(["text"]);
  });

  it("keeps a measure's text exactly as given, and asks for a section and a measure", () => {
    const parsed = createPlanInputSchema.parse({
      titleEn: " Opinions ",
      titleZh: "",
      sections: [{ number: 1, numeral: "I", title: "One" }],
      measures: [{ number: 1, section: 1, title: "Do it", text: "Do it. ", textCut: false }],
      responsibilities: [],
    });
    expect(parsed.titleEn).toBe("Opinions");
    expect(parsed.documentNumber).toBe("");
    expect(parsed.measures[0]?.text).toBe("Do it. ");
    expect(createPlanInputSchema.safeParse({ titleEn: "x", titleZh: "", sections: [], measures: [], responsibilities: [] }).success).toBe(false);
  });
});
