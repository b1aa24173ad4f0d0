import { describe, expect, it } from "vitest";
import { safeNext } from "./next-path.js";

describe("safeNext", () => {
  it("follows a path of this site", () => {
    expect(safeNext("/assignments/12?x=1")).toBe("/assignments/12?x=1");
  });
  it("refuses other origins, protocol-relative and backslash tricks, and sign-in itself", () => {
    for (const next of ["https://evil.example/", "//evil.example/", "/\\evil.example", "/sign-in?next=/x", "", null]) {
      expect(safeNext(next), String(next)).toBeNull();
    }
  });
});
