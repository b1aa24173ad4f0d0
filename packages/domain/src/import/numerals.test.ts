import { describe, expect, it } from "vitest";
import { arabicNumeralValue, chineseNumeralValue, ordinalWordValue, romanNumeralValue } from "./numerals.js";

describe("numerals as printed", () => {
  it("reads Chinese numerals and rejects malformed ones", () => {
    const cases: Array<[string, number | null]> = [
      ["一", 1],
      ["十", 10],
      ["十一", 11],
      ["二十", 20],
      ["二十五", 25],
      ["九十九", 99],
      ["一百零三", 103],
      ["两", 2],
      ["二三", null],
      ["十十", null],
      ["零", null],
      ["", null],
    ];
    for (const [numeral, value] of cases) expect([numeral, chineseNumeralValue(numeral)]).toEqual([numeral, value]);
  });

  it("reads Roman numerals and rejects malformed ones", () => {
    const cases: Array<[string, number | null]> = [
      ["I", 1],
      ["IV", 4],
      ["VII", 7],
      ["IX", 9],
      ["XIV", 14],
      ["XL", 40],
      ["LXXXIX", 89],
      ["IIII", null],
      ["VX", null],
      ["C", null],
      ["", null],
    ];
    for (const [numeral, value] of cases) expect([numeral, romanNumeralValue(numeral)]).toEqual([numeral, value]);
  });

  it("reads half- and full-width digits, and ordinal words", () => {
    expect(arabicNumeralValue("12")).toBe(12);
    expect(arabicNumeralValue("１２")).toBe(12);
    expect(arabicNumeralValue("1a")).toBeNull();
    expect(ordinalWordValue("First")).toBe(1);
    expect(ordinalWordValue("Firstly")).toBe(1);
    expect(ordinalWordValue("Twelfth")).toBe(12);
    expect(ordinalWordValue("Twenty-fifth")).toBe(25);
    expect(ordinalWordValue("Thirtieth")).toBe(30);
    expect(ordinalWordValue("Fiftieth")).toBeNull();
  });
});
