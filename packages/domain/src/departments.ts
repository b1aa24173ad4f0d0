import type { Department } from "./types.js";

/**
 * The 17 departments that issued the 2020 opinions (工信部联企业〔2020〕108号), in the order of signature of the
 * Chinese original. `shortZh` is the form used in the signature line of Chinese joint documents; for MIIT that is the
 * customary 工信部 (as in the document number), the signature line itself spells out 工业和信息化部.
 * Names are those of 2020: a later reorganisation is recorded as a successor, never as a rename, so the plan keeps
 * the names its signatories had.
 */
export const departments: readonly Department[] = [
  {
    code: "MIIT",
    nameEn: "Ministry of Industry and Information Technology",
    nameZh: "工业和信息化部",
    shortEn: "MIIT",
    shortZh: "工信部",
    order: 1,
    successor: null,
  },
  {
    code: "NDRC",
    nameEn: "National Development and Reform Commission",
    nameZh: "国家发展和改革委员会",
    shortEn: "NDRC",
    shortZh: "发展改革委",
    order: 2,
    successor: null,
  },
  {
    code: "MOST",
    nameEn: "Ministry of Science and Technology",
    nameZh: "科学技术部",
    shortEn: "MOST",
    shortZh: "科技部",
    order: 3,
    successor: null,
  },
  {
    code: "MOF",
    nameEn: "Ministry of Finance",
    nameZh: "财政部",
    shortEn: "MOF",
    shortZh: "财政部",
    order: 4,
    successor: null,
  },
  {
    code: "MOHRSS",
    nameEn: "Ministry of Human Resources and Social Security",
    nameZh: "人力资源和社会保障部",
    shortEn: "MOHRSS",
    shortZh: "人力资源社会保障部",
    order: 5,
    successor: null,
  },
  {
    code: "MEE",
    nameEn: "Ministry of Ecology and Environment",
    nameZh: "生态环境部",
    shortEn: "MEE",
    shortZh: "生态环境部",
    order: 6,
    successor: null,
  },
  {
    code: "MARA",
    nameEn: "Ministry of Agriculture and Rural Affairs",
    nameZh: "农业农村部",
    shortEn: "MARA",
    shortZh: "农业农村部",
    order: 7,
    successor: null,
  },
  {
    code: "MOFCOM",
    nameEn: "Ministry of Commerce",
    nameZh: "商务部",
    shortEn: "MOFCOM",
    shortZh: "商务部",
    order: 8,
    successor: null,
  },
  {
    code: "MCT",
    nameEn: "Ministry of Culture and Tourism",
    nameZh: "文化和旅游部",
    shortEn: "MCT",
    shortZh: "文化和旅游部",
    order: 9,
    successor: null,
  },
  {
    code: "PBOC",
    nameEn: "People's Bank of China",
    nameZh: "中国人民银行",
    shortEn: "PBOC",
    shortZh: "人民银行",
    order: 10,
    successor: null,
  },
  {
    code: "GACC",
    nameEn: "General Administration of Customs",
    nameZh: "海关总署",
    shortEn: "GACC",
    shortZh: "海关总署",
    order: 11,
    successor: null,
  },
  {
    code: "STA",
    nameEn: "State Taxation Administration",
    nameZh: "国家税务总局",
    shortEn: "STA",
    shortZh: "税务总局",
    order: 12,
    successor: null,
  },
  {
    code: "SAMR",
    nameEn: "State Administration for Market Regulation",
    nameZh: "国家市场监督管理总局",
    shortEn: "SAMR",
    shortZh: "市场监管总局",
    order: 13,
    successor: null,
  },
  {
    code: "NBS",
    nameEn: "National Bureau of Statistics",
    nameZh: "国家统计局",
    shortEn: "NBS",
    shortZh: "统计局",
    order: 14,
    successor: null,
  },
  {
    code: "CBIRC",
    nameEn: "China Banking and Insurance Regulatory Commission",
    nameZh: "中国银行保险监督管理委员会",
    shortEn: "CBIRC",
    shortZh: "银保监会",
    order: 15,
    // Replaced in the 2023 reform of financial regulation; assignments made under the 2020 plan keep CBIRC.
    successor: { code: "NAFR", nameEn: "National Administration of Financial Regulation", nameZh: "国家金融监督管理总局", since: "2023-05-18" },
  },
  {
    code: "CSRC",
    nameEn: "China Securities Regulatory Commission",
    nameZh: "中国证券监督管理委员会",
    shortEn: "CSRC",
    shortZh: "证监会",
    order: 16,
    successor: null,
  },
  {
    code: "CNIPA",
    nameEn: "China National Intellectual Property Administration",
    nameZh: "国家知识产权局",
    shortEn: "CNIPA",
    shortZh: "知识产权局",
    order: 17,
    successor: null,
  },
];

/** The codes of the 17 issuing departments, in order of signature, as a literal tuple for exhaustive typing. */
export const issuingDepartmentCodes = [
  "MIIT",
  "NDRC",
  "MOST",
  "MOF",
  "MOHRSS",
  "MEE",
  "MARA",
  "MOFCOM",
  "MCT",
  "PBOC",
  "GACC",
  "STA",
  "SAMR",
  "NBS",
  "CBIRC",
  "CSRC",
  "CNIPA",
] as const;

export type IssuingDepartmentCode = (typeof issuingDepartmentCodes)[number];

const departmentsByCode: ReadonlyMap<string, Department> = new Map(departments.map((d) => [d.code, d]));

/** The 2020 department with this code, or undefined (a plan is data, so unknown codes can reach here). */
export function departmentByCode(code: string): Department | undefined {
  return departmentsByCode.get(code);
}
