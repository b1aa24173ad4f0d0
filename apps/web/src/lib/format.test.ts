import { describe, expect, it } from "vitest";
import { chineseNumeral, sectionValues } from "./format.js";

describe("chineseNumeral", () => {
  it("writes section and measure numbers as the Chinese original does", () => {
    expect([1, 2, 7, 10, 11, 20, 25, 99].map(chineseNumeral)).toEqual(["一", "二", "七", "十", "十一", "二十", "二十五", "九十九"]);
  });
  it("falls back to digits outside 1–99", () => {
    expect(chineseNumeral(0)).toBe("0");
    expect(chineseNumeral(100)).toBe("100");
  });
});

describe("sectionValues", () => {
  it("gives the printed Roman numeral and the Chinese one", () => {
    expect(sectionValues({ number: 3, numeral: "III", title: "Financing" })).toEqual({ numeral: "III", zhNumeral: "三", title: "Financing" });
  });
});
