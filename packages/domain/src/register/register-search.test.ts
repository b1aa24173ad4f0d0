import { describe, expect, it } from "vitest";
import { registerHistory, searchRegister } from "./register-search.js";

describe("searchRegister", () => {
  it("finds a unit by any of its names: full, short, other form, traditional, English, code; exact first", () => {
    expect(searchRegister("教育部")[0]).toMatchObject({ code: "MOE", closeness: "exact", matched: "教育部" });
    expect(searchRegister("住房城乡建设部")[0]).toMatchObject({ code: "MOHURD", closeness: "exact" });
    expect(searchRegister("住建部")[0]).toMatchObject({ code: "MOHURD", closeness: "exact" });
    expect(searchRegister("國家發展和改革委員會")[0]).toMatchObject({ code: "NDRC", closeness: "exact" });
    expect(searchRegister("ministry of education")[0]).toMatchObject({ code: "MOE", closeness: "exact" });
    expect(searchRegister("nafr")[0]).toMatchObject({ code: "NAFR", closeness: "exact" });
    // An earlier name finds the unit that bore it.
    expect(searchRegister("环境保护部")[0]).toMatchObject({ code: "MEE", closeness: "exact" });
  });

  it("lists every unit whose name contains the words, in the register's order, up to the limit", () => {
    const hits = searchRegister("监督管理", 50);
    expect(hits.filter((h) => h.closeness === "contains").map((h) => h.code)).toEqual(expect.arrayContaining(["SAMR", "NAFR", "CSRC"]));
    expect(searchRegister("监督管理", 2)).toHaveLength(2);
    expect(searchRegister("   ")).toEqual([]);
    expect(searchRegister("教育部", 0)).toEqual([]);
  });

  it("offers the closest entries when no name contains the query", () => {
    const hits = searchRegister("国家教育部门");
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((h) => h.closeness === "close" && h.matched === null)).toBe(true);
    expect(hits.map((h) => h.code)).toContain("MOE");
  });
});

describe("registerHistory", () => {
  it("names the successor of a replaced unit, the units a successor replaced, and earlier names", () => {
    expect(registerHistory("CBIRC").successor).toMatchObject({ code: "NAFR", since: "2023-05-18" });
    expect(registerHistory("NAFR").predecessors.map((p) => p.code)).toEqual(["CBIRC"]);
    expect(registerHistory("CBIRC").predecessors.map((p) => p.code).sort()).toEqual(["CBRC", "CIRC"]);
    expect(registerHistory("MEE").earlierNames).toEqual([{ nameZh: "环境保护部", nameEn: "Ministry of Environmental Protection", until: "2018-03-17" }]);
    expect(registerHistory("SMEB")).toEqual({ successor: null, predecessors: [], earlierNames: [] });
  });
});
