import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { chineseNumeralValue } from "./import/numerals.js";
import { parseSearchQuery, searchableText, searchTextLength } from "./search.js";

describe("parseSearchQuery", () => {
  it.each(["7", "７", "(7)", "（7）", "（７）", "(七)", "（七）", "七", "第七", "第7", "第（七）条", "第七项", " ７ ", "\u200b（七）\u3000"])(
    "reads %j as measure 7",
    (query) => {
      expect(parseSearchQuery(query).measureNumber).toBe(7);
    },
  );

  it("reads two-digit numbers in every writing", () => {
    for (const query of ["25", "２５", "（二十五）", "第二十五", "(25)", "十一", "（十一）"]) {
      expect(parseSearchQuery(query).measureNumber, query).toBe(query.includes("十一") ? 11 : 25);
    }
  });

  it("names no number for words, mixed text, zero or blanks", () => {
    for (const query of ["", "\u200b", "tax", "税收", "7 tax", "第", "0", "（〇）", "二五", "十十", "12345"]) {
      expect(parseSearchQuery(query).measureNumber, query).toBeNull();
    }
  });

  it("folds width and case for the text search, keeping offsets of ASCII lower-casing", () => {
    expect(parseSearchQuery("ＴＡＸ\u3000Policies").text).toBe("tax policies");
    expect(parseSearchQuery("（七）").text).toBe("(七)");
    expect(parseSearchQuery("  税收   优惠 ").text).toBe("税收 优惠");
    expect(parseSearchQuery("\u200b\u200b").text).toBe("");
    // Only ASCII letters change case, as SQLite's lower() does.
    expect(parseSearchQuery("Ärger").text).toBe("Ärger");
  });

  it("is the same for a query and its width-folded form", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 20 }), (query) => {
        expect(parseSearchQuery(query.normalize("NFKC"))).toEqual(parseSearchQuery(query));
      }),
    );
  });
});

describe("chineseNumeralValue", () => {
  it("reads numerals with units", () => {
    const cases: Array<[string, number]> = [
      ["一", 1],
      ["九", 9],
      ["十", 10],
      ["十一", 11],
      ["二十", 20],
      ["二十五", 25],
      ["两百", 200],
      ["一百零三", 103],
      ["一千零一十", 1010],
      ["九千九百九十九", 9999],
    ];
    for (const [text, value] of cases) expect(chineseNumeralValue(text), text).toBe(value);
  });

  it("agrees with a writer of numerals for 1–9999", () => {
    const digits = "〇一二三四五六七八九";
    const write = (n: number): string => {
      const parts: string[] = [];
      const units: Array<[number, string]> = [
        [1000, "千"],
        [100, "百"],
        [10, "十"],
      ];
      let rest = n;
      let zero = false;
      for (const [size, name] of units) {
        const d = Math.floor(rest / size);
        rest %= size;
        if (d > 0) {
          if (zero) parts.push("零");
          zero = false;
          parts.push(size === 10 && d === 1 && parts.length === 0 ? name : `${digits[d]}${name}`);
        } else if (parts.length > 0) zero = true;
      }
      if (rest > 0) parts.push(`${zero ? "零" : ""}${digits[rest]}`);
      return parts.join("");
    };
    fc.assert(fc.property(fc.integer({ min: 1, max: 9999 }), (n) => chineseNumeralValue(write(n)) === n));
  });

  it("refuses what is not a numeral", () => {
    for (const text of ["", "零", "二五", "十十", "百千", "七a", "abc", "一二三四五六七八九十一二三"]) {
      expect(chineseNumeralValue(text), text).toBeNull();
    }
  });
});

describe("searchableText (the indexed form of measure text)", () => {
  it("folds width, compatibility forms, white space and ASCII case as a query is folded", () => {
    expect(searchableText("第（７）条 ＴＡＸ\u3000Burden\n\n融资")).toBe("第(7)条 tax burden 融资");
    // Only ASCII is lower-cased, as in a query: É stays É.
    expect(searchableText("Évaluer")).toBe("Évaluer");
  });

  it("contains every query's text that a measure's text contains, whatever width either was written in", () => {
    const written = fc
      .array(fc.constantFrom("Ａ", "a", "B", "７", "7", "中", "小", "（", "(", "）", "\u3000", " "), { minLength: 0, maxLength: 8 })
      .map((cs) => cs.join(""));
    fc.assert(
      fc.property(written, written, written, (before, word, after) => {
        const query = parseSearchQuery(word).text;
        return searchableText(`${before}${word}${after}`).includes(query);
      }),
    );
    for (const [text, query] of [
      ["支持中小企业发展", "中小企业"],
      ["（７）加强融资", "(7)"],
      ["ＦＩＮＡＮＣＩＮＧ", "financing"],
    ] as const) {
      expect(searchableText(text).includes(parseSearchQuery(query).text), query).toBe(true);
    }
  });

  it("counts characters, not UTF-16 units", () => {
    expect(searchTextLength("中小")).toBe(2);
    expect(searchTextLength("𠀀a")).toBe(2);
    expect(searchTextLength("")).toBe(0);
  });
});
