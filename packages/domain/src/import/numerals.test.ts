import { describe, expect, it } from "vitest";
import { arabicNumeralValue, chineseNumeral, chineseNumeralValue, ordinalWordValue, romanNumeralValue } from "./numerals.js";

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

describe("chineseNumeral", () => {
  it("writes section and measure numbers as the Chinese original does", () => {
    expect([1, 2, 7, 10, 11, 20, 25, 99].map(chineseNumeral)).toEqual(["一", "二", "七", "十", "十一", "二十", "二十五", "九十九"]);
  });

  it("writes what chineseNumeralValue reads back, for every number from 1 to 99", () => {
    for (let n = 1; n <= 99; n++) expect(chineseNumeralValue(chineseNumeral(n)), String(n)).toBe(n);
  });

  it("falls back to digits outside 1–99", () => {
    expect([0, 100, 2.5, -3].map(chineseNumeral)).toEqual(["0", "100", "2.5", "-3"]);
  });
});
