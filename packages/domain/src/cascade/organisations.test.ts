import { describe, expect, it } from "vitest";
import { issuingDepartmentCodes } from "../departments.js";
import { registerEntry } from "../register/departments-register.js";
import { divisionSamples, provincialDivisions } from "./divisions.js";
import {
  ancestorsOf,
  buildOrganisationTree,
  centralOnly,
  checkOrganisationTree,
  childrenOf,
  currentLineOf,
  defaultOrganisations,
  descendantsOf,
  isAncestor,
  localLineCodes,
  localLines,
  nationalId,
  type Organisation,
  OrganisationTreeError,
} from "./organisations.js";

const organisations = defaultOrganisations();
const tree = buildOrganisationTree(organisations);
const org = (id: string): Organisation => {
  const o = tree.byId.get(id);
  if (o === undefined) throw new Error(`no organisation ${id}`);
  return o;
};
const memberNames = (id: string): string[] => org(id).members.map((m) => m.nameZh);

describe("the 31 provincial-level units", () => {
  it("are 31, with unique six-digit codes ending in 0000 and unique names", () => {
    expect(provincialDivisions).toHaveLength(31);
    expect(new Set(provincialDivisions.map((p) => p.code)).size).toBe(31);
    expect(new Set(provincialDivisions.map((p) => p.nameZh)).size).toBe(31);
    expect(new Set(provincialDivisions.map((p) => p.nameEn)).size).toBe(31);
    for (const p of provincialDivisions) expect(p.code).toMatch(/^[1-6]\d0000$/);
  });

  it("are 22 provinces, 5 autonomous regions and 4 municipalities, named by their kind", () => {
    const count = (kind: string) => provincialDivisions.filter((p) => p.kind === kind).length;
    expect([count("province"), count("autonomous_region"), count("municipality")]).toEqual([22, 5, 4]);
    for (const p of provincialDivisions) {
      if (p.kind === "province") expect(p.nameZh).toMatch(/省$/u);
      if (p.kind === "municipality") expect(p.nameZh).toMatch(/^\p{Script=Han}{2}市$/u);
      if (p.kind === "autonomous_region") {
        expect(p.nameZh).toMatch(/自治区$/u);
        expect(p.nameEn).toMatch(/Autonomous Region$/);
      }
    }
  });

  it("carry the names and codes as published (GB/T 2260)", () => {
    const byCode = new Map(provincialDivisions.map((p) => [p.code, `${p.nameZh} ${p.nameEn}`]));
    expect(byCode.get("110000")).toBe("北京市 Beijing");
    expect(byCode.get("150000")).toBe("内蒙古自治区 Inner Mongolia Autonomous Region");
    expect(byCode.get("450000")).toBe("广西壮族自治区 Guangxi Zhuang Autonomous Region");
    expect(byCode.get("500000")).toBe("重庆市 Chongqing");
    expect(byCode.get("540000")).toBe("西藏自治区 Xizang Autonomous Region");
    expect(byCode.get("610000")).toBe("陕西省 Shaanxi");
    expect(byCode.get("140000")).toBe("山西省 Shanxi");
    expect(byCode.get("640000")).toBe("宁夏回族自治区 Ningxia Hui Autonomous Region");
    expect(byCode.get("650000")).toBe("新疆维吾尔自治区 Xinjiang Uygur Autonomous Region");
    // Hong Kong, Macao and Taiwan are not among the 31.
    for (const code of ["710000", "810000", "820000"]) expect(byCode.has(code)).toBe(false);
  });
});

describe("the sample of prefectures and counties", () => {
  it("covers at least three provinces, with unique codes inside their parent's", () => {
    const withPrefectures = divisionSamples.filter((s) => s.prefectures.length > 0);
    expect(withPrefectures.length).toBeGreaterThanOrEqual(3);
    const codes = divisionSamples.flatMap((s) => [...s.directCounties, ...s.prefectures.flatMap((p) => [p.prefecture, ...p.counties])]).map((d) => d.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const s of divisionSamples) {
      for (const { prefecture, counties } of s.prefectures) {
        expect(prefecture.code.slice(0, 2)).toBe(s.province.slice(0, 2));
        expect(prefecture.code).toMatch(/^\d{4}00$/);
        for (const c of counties) {
          expect(c.code.slice(0, 4)).toBe(prefecture.code.slice(0, 4));
          expect(c.code).not.toMatch(/00$/);
        }
      }
    }
  });

  it("names counties by their kind", () => {
    for (const s of divisionSamples) {
      for (const c of [...s.directCounties, ...s.prefectures.flatMap((p) => p.counties)]) {
        if (c.kind === "county") expect([c.nameZh, c.nameEn]).toEqual([expect.stringMatching(/县$/u), expect.stringMatching(/ County$/)]);
        if (c.kind === "autonomous_county") expect([c.nameZh, c.nameEn]).toEqual([expect.stringMatching(/自治县$/u), expect.stringMatching(/Autonomous County$/)]);
        if (c.kind === "district") expect([c.nameZh, c.nameEn]).toEqual([expect.stringMatching(/区$/u), expect.stringMatching(/ District$/)]);
        if (c.kind === "county_city") expect(c.nameZh).toMatch(/市$/u);
      }
    }
  });
});

describe("the organisation tree", () => {
  it("is well-formed: one national root, 31 provinces under it, the sample below", () => {
    expect(checkOrganisationTree(organisations)).toEqual([]);
    expect(tree.root).toBe(nationalId);
    expect(childrenOf(tree, nationalId)).toHaveLength(31);
    expect(childrenOf(tree, "450000")).toEqual(["450100", "450200", "450300"]);
    expect(childrenOf(tree, "450100")).toEqual(["450123", "450124", "450125", "450126"]);
    expect(childrenOf(tree, "110000")).toEqual(["110101", "110102"]);
    expect(childrenOf(tree, "441900")).toEqual([]);
    expect(org("429004").level).toBe("county");
    expect(org("429004").parent).toBe("420000");
  });

  it("answers ancestors and descendants", () => {
    expect(ancestorsOf(tree, "450123")).toEqual(["450100", "450000", nationalId]);
    expect(ancestorsOf(tree, nationalId)).toEqual([]);
    expect(isAncestor(tree, "450000", "450123")).toBe(true);
    expect(isAncestor(tree, "450123", "450123")).toBe(false);
    expect(isAncestor(tree, "330000", "450123")).toBe(false);
    expect(descendantsOf(tree, "510000")).toEqual(["510100", "510121", "510129", "510131", "510181", "513400", "513401", "513422"]);
    expect(descendantsOf(tree, nationalId)).toHaveLength(organisations.length - 1);
  });

  it("refuses what is not a tree, naming each problem", () => {
    const [national, guangxi, nanning] = [org(nationalId), org("450000"), org("450100")];
    expect(checkOrganisationTree([national, guangxi, guangxi])).toContainEqual({ organisation: "450000", problem: "duplicate_id" });
    expect(checkOrganisationTree([guangxi])).toContainEqual({ organisation: "", problem: "no_root" });
    expect(checkOrganisationTree([national, { ...national, id: "CN2" }])).toContainEqual({ organisation: nationalId, problem: "no_root" });
    expect(checkOrganisationTree([national, nanning])).toContainEqual({ organisation: "450100", problem: "unknown_parent" });
    expect(checkOrganisationTree([national, { ...nanning, parent: nationalId }])).toContainEqual({ organisation: "450100", problem: "level_order" });
    expect(checkOrganisationTree([national, guangxi, { ...org("330100"), parent: "450000" }])).toContainEqual({ organisation: "330100", problem: "code_prefix" });
    expect(checkOrganisationTree([national, { ...guangxi, office: { ...guangxi.office, host: "nobody" } }])).toContainEqual({ organisation: "450000", problem: "office_host" });
    const a = { ...org("450100"), parent: "450200" };
    const b = { ...org("450200"), level: "prefecture" as const, parent: "450100" };
    expect(checkOrganisationTree([national, a, b]).map((p) => p.problem)).toContain("cycle");
    expect(() => buildOrganisationTree([guangxi])).toThrow(OrganisationTreeError);
  });
});

describe("the local department register", () => {
  it("derives every line from a current department of the central register", () => {
    for (const code of localLineCodes) {
      const entry = registerEntry(code);
      expect(entry, code).toBeDefined();
      expect(entry?.successor).toBeNull();
    }
    expect(new Set(localLineCodes).size).toBe(localLines.length);
  });

  it("has a line for each of the 17 departments of the 2020 plan (through successors), or says why not", () => {
    expect(currentLineOf("CBIRC")).toBe("NAFR");
    expect(currentLineOf("MOF")).toBe("MOF");
    expect(currentLineOf("CBRC")).toBe("NAFR");
    for (const code of issuingDepartmentCodes) {
      const line = currentLineOf(code);
      expect(localLineCodes.includes(line) || centralOnly.has(line), code).toBe(true);
    }
  });

  it("names a province's departments 厅 and its office's host the industry department", () => {
    expect(memberNames("330000")).toEqual(
      expect.arrayContaining([
        "浙江省工业和信息化厅",
        "浙江省发展和改革委员会",
        "浙江省财政厅",
        "浙江省科学技术厅",
        "浙江省人力资源和社会保障厅",
        "浙江省生态环境厅",
        "浙江省文化和旅游厅",
        "浙江省市场监督管理局",
        "浙江省统计局",
        "浙江省知识产权局",
        "国家税务总局浙江省税务局",
        "中国人民银行浙江省分行",
        "国家金融监督管理总局浙江监管局",
        "中国证券监督管理委员会浙江监管局",
      ]),
    );
    expect(memberNames("450000")).toContain("广西壮族自治区工业和信息化厅");
    expect(memberNames("450000")).toContain("国家金融监督管理总局广西监管局");
    expect(org("450000").office).toEqual({
      nameZh: "广西壮族自治区促进中小企业发展工作领导小组办公室",
      nameEn: "Office of the Guangxi Zhuang Autonomous Region Leading Group for Promoting the Development of SMEs",
      host: "450000-MIIT",
    });
    expect(org("450000").members[0]?.nameZh).toBe("广西壮族自治区工业和信息化厅");
    const en = (id: string, line: string) => org(id).members.find((m) => m.line === line)?.nameEn;
    expect(en("330000", "MOF")).toBe("Zhejiang Department of Finance");
    expect(en("450100", "MOF")).toBe("Nanning Finance Bureau");
    expect(en("450123", "PBOC")).toBe("People's Bank of China Long'an County Sub-branch");
    expect(en("450100", "PBOC")).toBe("People's Bank of China Nanning Branch");
    expect(en("450000", "STA")).toBe("Guangxi Zhuang Autonomous Region Tax Service, State Taxation Administration");
  });

  it("names a municipality's, a prefecture's and a county's departments 局", () => {
    expect(memberNames("110000")).toEqual(expect.arrayContaining(["北京市财政局", "北京市工业和信息化局", "北京市文化和旅游局", "中国证券监督管理委员会北京监管局"]));
    expect(memberNames("110000")).not.toContain("北京市财政厅");
    expect(memberNames("450100")).toEqual(
      expect.arrayContaining(["南宁市财政局", "南宁市发展和改革委员会", "南宁市文化广电和旅游局", "中国人民银行南宁市分行", "国家金融监督管理总局南宁监管分局", "国家税务总局南宁市税务局"]),
    );
    expect(memberNames("450123")).toEqual(expect.arrayContaining(["隆安县财政局", "隆安县发展和改革局", "隆安县工业和信息化局", "国家税务总局隆安县税务局", "中国人民银行隆安县支行"]));
  });

  it("leaves out lines with no member at a level (no county environment bureau, no local securities regulator below the province)", () => {
    const lines = (id: string) => org(id).members.map((m) => m.line);
    expect(lines("450123")).not.toContain("MEE");
    expect(lines("450123")).not.toContain("CNIPA");
    expect(lines("450123")).not.toContain("NAFR");
    expect(lines("450100")).not.toContain("CSRC");
    expect(lines("450100")).toContain("MEE");
    for (const o of organisations) if (o.level !== "national") expect(lines(o.id)).not.toContain("GACC");
    expect(org(nationalId).members.map((m) => m.code)).toEqual([...issuingDepartmentCodes]);
    expect(org(nationalId).members.find((m) => m.code === "CBIRC")?.line).toBe("NAFR");
  });

  it("gives every member a unique code made of the organisation and the line, and names in both languages", () => {
    const codes = organisations.flatMap((o) => o.members.map((m) => m.code));
    expect(new Set(codes).size).toBe(codes.length);
    for (const o of organisations) {
      if (o.level === "national") continue;
      expect(o.members.length).toBeGreaterThanOrEqual(18);
      for (const m of o.members) {
        expect(m.code).toBe(`${o.id}-${m.line}`);
        expect(m.nameZh).toMatch(/^\p{Script=Han}+$/u);
        expect(m.nameEn).not.toMatch(/\p{Script=Han}/u);
        expect(m.nameZh.includes(o.nameZh) || m.nameZh.includes(o.nameZh.replace(/(壮族自治区|回族自治区|维吾尔自治区|自治区|省|市)$/u, ""))).toBe(true);
      }
    }
  });
});
