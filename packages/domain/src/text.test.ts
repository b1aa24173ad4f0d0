import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createPlanInputSchema, importTextSchema } from "./import/plan-input.js";
import { declineInputSchema, remindInputSchema } from "./actions.js";
import { optionalTextSchema, requiredTextSchema } from "./schemas.js";
import { isBlankText, normaliseText } from "./text.js";
import { transition } from "./workflow.js";

const invisibles = [
  " ",
  "\t",
  "\n",
  "\r",
  "\u00a0", // no-break space
  "\u3000", // ideographic (full-width) space
  "\u0000",
  "\u0007",
  "\u001b",
  "\u007f",
  "\u0085",
  "\u00ad",
  "\u200b",
  "\u200c",
  "\u200d",
  "\u200e",
  "\u200f",
  "\u202e",
  "\u2060",
  "\u2066",
  "\u3164",
  "\ufeff",
];

describe("isBlankText", () => {
  it.each(invisibles.map((c) => [JSON.stringify(c), c]))("counts %s alone, and repeated, as blank", (_, c) => {
    expect(isBlankText(c)).toBe(true);
    expect(isBlankText(c.repeat(3))).toBe(true);
  });

  it("counts the issue's examples and any mixture of invisible characters as blank", () => {
    expect(isBlankText("")).toBe(true);
    expect(isBlankText("\u200b\u200b")).toBe(true);
    expect(isBlankText("\u0000")).toBe(true);
    fc.assert(fc.property(fc.array(fc.constantFrom(...invisibles)), (parts) => isBlankText(parts.join(""))));
  });

  it("sees any visible character, in any script", () => {
    for (const text of ["a", "。", "关于", "٣", "👍", "\u200b x \u200b", "-", "0", "e\u0301", "👩‍👩‍👧"]) {
      expect(isBlankText(text)).toBe(false);
    }
  });
});

describe("normaliseText", () => {
  it("removes invisible and control characters at both ends, keeps everything between exactly", () => {
    expect(normaliseText("\u200b\ufeff 已处理 \u3000\u200d")).toBe("已处理");
    expect(normaliseText("\u0000a\u0000b\u0007c\u0007")).toBe("a\u0000b\u0007c");
    expect(normaliseText("line one\r\nline two\rthree\r\n")).toBe("line one\r\nline two\rthree");
    expect(normaliseText("col\tcol")).toBe("col\tcol");
    // A zero-width joiner inside an emoji sequence holds it together.
    expect(normaliseText("👩‍👩‍👧")).toBe("👩‍👩‍👧");
  });

  it("makes blank text empty and is idempotent", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (text) => {
        const once = normaliseText(text);
        expect(normaliseText(once)).toBe(once);
        expect(once === "").toBe(isBlankText(text));
      }),
    );
  });
});

describe("the shared schemas use the one rule", () => {
  it("refuse invisible-only required text, as a missing field", () => {
    for (const reason of ["\u200b\u200b", "\u0000", " \u3000 ", "\ufeff"]) {
      const parsed = declineInputSchema.safeParse({ id: 1, expectedVersion: 0, reason });
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues[0]?.path).toEqual(["reason"]);
    }
    expect(requiredTextSchema.parse("\u200b 理由 \u0000")).toBe("理由");
  });

  it("turn invisible-only optional text into empty text", () => {
    expect(optionalTextSchema.parse("\u200b\u200b")).toBe("");
    expect(remindInputSchema.parse({ id: 1, expectedVersion: 0, message: "\u0000" }).message).toBe("");
  });

  it("refuse an import whose text or titles show nothing", () => {
    expect(importTextSchema.safeParse("\u200b\n\u200b").success).toBe(false);
    const plan = {
      titleEn: "T",
      titleZh: "",
      sections: [{ number: 1, numeral: "I", title: "\u200b" }],
      measures: [{ number: 1, section: 1, title: "m", text: "x", textCut: false }],
      responsibilities: [],
    };
    expect(createPlanInputSchema.safeParse(plan).success).toBe(false);
    expect(createPlanInputSchema.safeParse({ ...plan, sections: [{ number: 1, numeral: "I", title: "S" }] }).success).toBe(true);
  });

  it("the workflow refuses invisible-only text even when the schema is bypassed", () => {
    const result = transition(
      { status: "assigned", role: "supporting", department: "MOF", dueDate: "ongoing", pendingExtension: null },
      { type: "decline", reason: "\u200b\u0000" },
      { role: "liaison", department: "MOF" },
      { measureClosed: false, others: [] },
    );
    expect(result).toMatchObject({ ok: false, refusal: { code: "reason_required" } });
  });
});
