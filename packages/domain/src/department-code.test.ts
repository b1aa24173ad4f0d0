// A department code: a central one (MOF) or a local government's member (issue 16: its organisation's division code
// and the central line, 450000-MOF); nothing else.
import { describe, expect, it } from "vitest";
import { departmentCodeSchema } from "./schemas.js";

describe("departmentCodeSchema", () => {
  it("accepts the central codes and the local ones", () => {
    for (const code of ["MOF", "LGOSME", "DRILL_1", "450000-MOF", "450123-STA", "110101-MIIT"]) expect(departmentCodeSchema.safeParse(code).success, code).toBe(true);
  });

  it("refuses anything else", () => {
    for (const code of ["", "M", "mof", "45-MOF", "4500000-MOF", "450000MOF", "450000-", "450000-mof", "CN-MOF", "450000-MOF-X", "MOF 1"]) {
      expect(departmentCodeSchema.safeParse(code).success, code).toBe(false);
    }
  });
});
