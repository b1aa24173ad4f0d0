import { describe, expect, it } from "vitest";
import { sectionValues } from "./format.js";

describe("sectionValues", () => {
  it("gives the printed Roman numeral and the Chinese one", () => {
    expect(sectionValues({ number: 3, numeral: "III", title: "Financing" })).toEqual({ numeral: "III", zhNumeral: "三", title: "Financing" });
  });
});
