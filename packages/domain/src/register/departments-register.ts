/*
 * The register of departments: every unit a State Council or joint document may name as responsible, as data.
 *
 * Sources (names, short forms and dates as published):
 * - 国务院组成部门、直属特设机构、直属机构、办事机构、直属事业单位、部委管理的国家局: the State Council's list of
 *   its bodies, www.gov.cn/guowuyuan/zuzhi.htm (after the 2023 reform), and the English names on english.www.gov.cn
 *   ("State Council → Ministries", "Departments").
 * - 2018 reform: 国务院机构改革方案 (第十三届全国人民代表大会第一次会议批准, 2018-03-17); the new bodies took over
 *   on their listing days (e.g. 国家市场监督管理总局 2018-04-10, 中国银行保险监督管理委员会 2018-04-08).
 * - 2023 reform: 国务院机构改革方案 (第十四届全国人民代表大会第一次会议批准, 2023-03-10); 国家金融监督管理总局
 *   was unveiled on 2023-05-18, when 中国银行保险监督管理委员会 ceased to exist.
 * - Short forms: those used in the signature lines and 任务分工 notes of State Council documents
 *   (国务院办公厅 style, e.g. 发展改革委, 人力资源社会保障部, 市场监管总局, 金融监管总局).
 * - Co-signers: units that co-sign State Council departments' joint documents (全国工商联, 共青团中央, 全国妇联 …),
 *   under their full names as printed in those documents.
 *
 * Traditional-script forms are not typed here: they are derived with opencc-js (see `traditional.generated.ts`,
 * written by `scripts/register-traditional.mjs` and checked by the register's test), so they cannot drift.
 * Codes are stable: the 17 departments of the 2020 plan keep the codes of `departments.ts`.
 */

/** What kind of body a unit is, as the State Council lists them (and two kinds outside it). */
export type RegisterKind =
  /** 国务院组成部门: ministries, commissions, the central bank, the audit office. */
  | "ministry"
  /** 国务院直属特设机构 (SASAC). */
  | "special"
  /** 国务院直属机构. */
  | "directly_affiliated"
  /** 国务院直属事业单位. */
  | "institution"
  /** 部委管理的国家局: an administration under a ministry or commission. */
  | "administration"
  /** A unit outside the State Council that commonly co-signs (courts, procuratorate, people's organisations, Party offices, policy banks). */
  | "co_signer"
  /** Local governments named as a group (各地区, 各省级人民政府): kept as such, never dropped. */
  | "local_government";

/** An earlier name of the same unit (a rename, not a replacement), in force until the day before `until`. */
export interface EarlierName {
  nameZh: string;
  shortZh: string;
  nameEn: string;
  /** ISO date (YYYY-MM-DD) the current name took effect. */
  until: string;
}

/** A unit that took over this one's remit, from `since` (ISO date). */
export interface RegisterSuccession {
  code: string;
  since: string;
  /** Why, in English, for the mapping note. */
  note: string;
}

export interface RegisterEntry {
  /** Stable upper-case code: the department's key everywhere (database, exports, liaison accounts). */
  code: string;
  kind: RegisterKind;
  nameZh: string;
  /** The short form used in State Council documents (发展改革委). Equal to `nameZh` when none is shorter. */
  shortZh: string;
  nameEn: string;
  /** The usual English abbreviation (NDRC). */
  shortEn: string;
  /** Other forms documents use for the unit (工信部, 国资委, 各地区 …), beyond the full and short names. */
  aliases: readonly string[];
  earlierNames: readonly EarlierName[];
  /** The unit that replaced it, when it no longer exists. */
  successor: RegisterSuccession | null;
  /** ISO date the unit came into being, when it is recent enough to matter for mapping names (2018, 2023). */
  established: string | null;
  /** For an administration: the ministry or commission that manages it. */
  parent: string | null;
}

type Row = Omit<RegisterEntry, "aliases" | "earlierNames" | "successor" | "established" | "parent"> &
  Partial<Pick<RegisterEntry, "aliases" | "earlierNames" | "successor" | "established" | "parent">>;

function entry(row: Row): RegisterEntry {
  return {
    aliases: [],
    earlierNames: [],
    successor: null,
    established: null,
    parent: null,
    ...row,
  };
}

const m = (code: string, nameZh: string, shortZh: string, nameEn: string, shortEn: string, more: Partial<Row> = {}): RegisterEntry =>
  entry({ code, kind: "ministry", nameZh, shortZh, nameEn, shortEn, ...more });
const d = (code: string, nameZh: string, shortZh: string, nameEn: string, shortEn: string, more: Partial<Row> = {}): RegisterEntry =>
  entry({ code, kind: "directly_affiliated", nameZh, shortZh, nameEn, shortEn, ...more });
const inst = (code: string, nameZh: string, shortZh: string, nameEn: string, shortEn: string, more: Partial<Row> = {}): RegisterEntry =>
  entry({ code, kind: "institution", nameZh, shortZh, nameEn, shortEn, ...more });
const a = (code: string, parent: string, nameZh: string, shortZh: string, nameEn: string, shortEn: string, more: Partial<Row> = {}): RegisterEntry =>
  entry({ code, kind: "administration", parent, nameZh, shortZh, nameEn, shortEn, ...more });
const c = (code: string, nameZh: string, shortZh: string, nameEn: string, shortEn: string, more: Partial<Row> = {}): RegisterEntry =>
  entry({ code, kind: "co_signer", nameZh, shortZh, nameEn, shortEn, ...more });

/** The register, ministries first in the State Council's order, then the other kinds. */
export const departmentRegister: readonly RegisterEntry[] = [
  // 国务院组成部门 (26 after 2023)
  m("MFA", "外交部", "外交部", "Ministry of Foreign Affairs", "MFA"),
  m("MND", "国防部", "国防部", "Ministry of National Defense", "MND"),
  m("NDRC", "国家发展和改革委员会", "发展改革委", "National Development and Reform Commission", "NDRC", { aliases: ["国家发展改革委", "国家发改委", "发改委"] }),
  m("MOE", "教育部", "教育部", "Ministry of Education", "MOE"),
  m("MOST", "科学技术部", "科技部", "Ministry of Science and Technology", "MOST"),
  m("MIIT", "工业和信息化部", "工业和信息化部", "Ministry of Industry and Information Technology", "MIIT", { aliases: ["工信部"] }),
  m("NEAC", "国家民族事务委员会", "国家民委", "National Ethnic Affairs Commission", "NEAC", { aliases: ["民委"] }),
  m("MPS", "公安部", "公安部", "Ministry of Public Security", "MPS"),
  m("MSS", "国家安全部", "国家安全部", "Ministry of State Security", "MSS"),
  m("MCA", "民政部", "民政部", "Ministry of Civil Affairs", "MCA"),
  m("MOJ", "司法部", "司法部", "Ministry of Justice", "MOJ"),
  m("MOF", "财政部", "财政部", "Ministry of Finance", "MOF"),
  m("MOHRSS", "人力资源和社会保障部", "人力资源社会保障部", "Ministry of Human Resources and Social Security", "MOHRSS", { aliases: ["人社部"] }),
  m("MNR", "自然资源部", "自然资源部", "Ministry of Natural Resources", "MNR", { established: "2018-03-17" }),
  m("MEE", "生态环境部", "生态环境部", "Ministry of Ecology and Environment", "MEE", {
    earlierNames: [{ nameZh: "环境保护部", shortZh: "环境保护部", nameEn: "Ministry of Environmental Protection", until: "2018-03-17" }],
    aliases: ["环保部"],
  }),
  m("MOHURD", "住房和城乡建设部", "住房城乡建设部", "Ministry of Housing and Urban-Rural Development", "MOHURD", { aliases: ["住建部"] }),
  m("MOT", "交通运输部", "交通运输部", "Ministry of Transport", "MOT"),
  m("MWR", "水利部", "水利部", "Ministry of Water Resources", "MWR"),
  m("MARA", "农业农村部", "农业农村部", "Ministry of Agriculture and Rural Affairs", "MARA", {
    earlierNames: [{ nameZh: "农业部", shortZh: "农业部", nameEn: "Ministry of Agriculture", until: "2018-03-17" }],
  }),
  m("MOFCOM", "商务部", "商务部", "Ministry of Commerce", "MOFCOM"),
  m("MCT", "文化和旅游部", "文化和旅游部", "Ministry of Culture and Tourism", "MCT", {
    earlierNames: [{ nameZh: "文化部", shortZh: "文化部", nameEn: "Ministry of Culture", until: "2018-03-17" }],
  }),
  m("NHC", "国家卫生健康委员会", "国家卫生健康委", "National Health Commission", "NHC", {
    aliases: ["卫生健康委", "国家卫健委", "卫健委"],
    earlierNames: [{ nameZh: "国家卫生和计划生育委员会", shortZh: "国家卫生计生委", nameEn: "National Health and Family Planning Commission", until: "2018-03-17" }],
  }),
  m("MVA", "退役军人事务部", "退役军人部", "Ministry of Veterans Affairs", "MVA", { established: "2018-03-17" }),
  m("MEM", "应急管理部", "应急管理部", "Ministry of Emergency Management", "MEM", { established: "2018-03-17" }),
  m("PBOC", "中国人民银行", "人民银行", "People's Bank of China", "PBOC", { aliases: ["人行", "央行"] }),
  m("NAO", "审计署", "审计署", "National Audit Office", "NAO"),
  // 国务院直属特设机构
  entry({ code: "SASAC", kind: "special", nameZh: "国务院国有资产监督管理委员会", shortZh: "国务院国资委", nameEn: "State-owned Assets Supervision and Administration Commission of the State Council", shortEn: "SASAC", aliases: ["国资委"] }),
  // 国务院直属机构
  d("GACC", "海关总署", "海关总署", "General Administration of Customs", "GACC"),
  d("STA", "国家税务总局", "税务总局", "State Taxation Administration", "STA"),
  d("SAMR", "国家市场监督管理总局", "市场监管总局", "State Administration for Market Regulation", "SAMR", { established: "2018-04-10", aliases: ["国家市场监管总局"] }),
  d("NAFR", "国家金融监督管理总局", "金融监管总局", "National Administration of Financial Regulation", "NAFR", { established: "2023-05-18", aliases: ["国家金融监管总局"] }),
  d("CSRC", "中国证券监督管理委员会", "证监会", "China Securities Regulatory Commission", "CSRC", { aliases: ["中国证监会"] }),
  d("NRTA", "国家广播电视总局", "广电总局", "National Radio and Television Administration", "NRTA", { aliases: ["国家广电总局"] }),
  d("GASS", "国家体育总局", "体育总局", "General Administration of Sport", "GASS"),
  d("NPCB", "国家信访局", "信访局", "National Public Complaints and Proposals Administration", "NPCB"),
  d("NBS", "国家统计局", "统计局", "National Bureau of Statistics", "NBS"),
  d("CNIPA", "国家知识产权局", "知识产权局", "China National Intellectual Property Administration", "CNIPA"),
  d("CIDCA", "国家国际发展合作署", "国际发展合作署", "China International Development Cooperation Agency", "CIDCA", { established: "2018-04-18" }),
  d("NHSA", "国家医疗保障局", "医保局", "National Healthcare Security Administration", "NHSA", { established: "2018-05-31", aliases: ["国家医保局"] }),
  d("GOA", "国家机关事务管理局", "国管局", "National Government Offices Administration", "GOA"),
  d("CSCO", "国务院参事室", "国务院参事室", "Counsellors' Office of the State Council", "CSCO"),
  // 国务院办公厅 (the State Council's General Office, which sometimes leads)
  entry({ code: "GOSC", kind: "special", nameZh: "国务院办公厅", shortZh: "国务院办公厅", nameEn: "General Office of the State Council", shortEn: "GOSC", aliases: ["国办"] }),
  // 国务院直属事业单位
  inst("XINHUA", "新华通讯社", "新华社", "Xinhua News Agency", "Xinhua"),
  inst("CAS", "中国科学院", "中科院", "Chinese Academy of Sciences", "CAS"),
  inst("CASS", "中国社会科学院", "社科院", "Chinese Academy of Social Sciences", "CASS", { aliases: ["中国社科院"] }),
  inst("CAE", "中国工程院", "工程院", "Chinese Academy of Engineering", "CAE"),
  inst("DRC", "国务院发展研究中心", "国务院发展研究中心", "Development Research Center of the State Council", "DRC"),
  inst("CMG", "中央广播电视总台", "中央广播电视总台", "China Media Group", "CMG", { established: "2018-04-19" }),
  inst("CMA", "中国气象局", "气象局", "China Meteorological Administration", "CMA"),
  // 部委管理的国家局
  a("NFSRA", "NDRC", "国家粮食和物资储备局", "粮食和储备局", "National Food and Strategic Reserves Administration", "NFSRA", { established: "2018-03-17", aliases: ["国家粮食和储备局"] }),
  a("NEA", "NDRC", "国家能源局", "能源局", "National Energy Administration", "NEA"),
  a("NDA", "NDRC", "国家数据局", "数据局", "National Data Administration", "NDA", { established: "2023-10-25" }),
  a("SASTIND", "MIIT", "国家国防科技工业局", "国防科工局", "State Administration of Science, Technology and Industry for National Defense", "SASTIND"),
  a("STMA", "MIIT", "国家烟草专卖局", "烟草局", "State Tobacco Monopoly Administration", "STMA"),
  a("NIA", "MPS", "国家移民管理局", "移民局", "National Immigration Administration", "NIA", { established: "2018-04-02" }),
  a("NFGA", "MNR", "国家林业和草原局", "林草局", "National Forestry and Grassland Administration", "NFGA", { established: "2018-04-10" }),
  a("NRA", "MOT", "国家铁路局", "铁路局", "National Railway Administration", "NRA"),
  a("CAAC", "MOT", "中国民用航空局", "民航局", "Civil Aviation Administration of China", "CAAC"),
  a("SPB", "MOT", "国家邮政局", "邮政局", "State Post Bureau", "SPB"),
  a("NCHA", "MCT", "国家文物局", "文物局", "National Cultural Heritage Administration", "NCHA"),
  a("NATCM", "NHC", "国家中医药管理局", "中医药局", "National Administration of Traditional Chinese Medicine", "NATCM"),
  a("NDCPA", "NHC", "国家疾病预防控制局", "疾控局", "National Disease Control and Prevention Administration", "NDCPA", { established: "2021-05-13" }),
  a("NMSA", "MEM", "国家矿山安全监察局", "矿山安全监察局", "National Mine Safety Administration", "NMSA", {
    earlierNames: [{ nameZh: "国家煤矿安全监察局", shortZh: "煤矿安监局", nameEn: "State Administration of Coal Mine Safety", until: "2020-10-27" }],
  }),
  a("NFRA", "MEM", "国家消防救援局", "消防救援局", "National Fire and Rescue Administration", "NFRA", { established: "2023-10-01" }),
  a("SAFE", "PBOC", "国家外汇管理局", "外汇局", "State Administration of Foreign Exchange", "SAFE"),
  a("NMPA", "SAMR", "国家药品监督管理局", "药监局", "National Medical Products Administration", "NMPA", { established: "2018-04-10", aliases: ["国家药监局"] }),
  // Units replaced by a reform: kept so that older documents map, each to its successor from the day it took over.
  d("CBIRC", "中国银行保险监督管理委员会", "银保监会", "China Banking and Insurance Regulatory Commission", "CBIRC", {
    established: "2018-04-08",
    aliases: ["中国银保监会"],
    successor: { code: "NAFR", since: "2023-05-18", note: "replaced by the National Administration of Financial Regulation on 2023-05-18 (2023 reform)" },
  }),
  d("CBRC", "中国银行业监督管理委员会", "银监会", "China Banking Regulatory Commission", "CBRC", {
    aliases: ["中国银监会"],
    successor: { code: "CBIRC", since: "2018-04-08", note: "merged into the China Banking and Insurance Regulatory Commission on 2018-04-08 (2018 reform)" },
  }),
  d("CIRC", "中国保险监督管理委员会", "保监会", "China Insurance Regulatory Commission", "CIRC", {
    aliases: ["中国保监会"],
    successor: { code: "CBIRC", since: "2018-04-08", note: "merged into the China Banking and Insurance Regulatory Commission on 2018-04-08 (2018 reform)" },
  }),
  d("SAIC", "国家工商行政管理总局", "工商总局", "State Administration for Industry and Commerce", "SAIC", {
    successor: { code: "SAMR", since: "2018-04-10", note: "merged into the State Administration for Market Regulation on 2018-04-10 (2018 reform)" },
  }),
  d("AQSIQ", "国家质量监督检验检疫总局", "质检总局", "General Administration of Quality Supervision, Inspection and Quarantine", "AQSIQ", {
    successor: { code: "SAMR", since: "2018-04-10", note: "merged into the State Administration for Market Regulation on 2018-04-10 (2018 reform)" },
  }),
  d("SAWS", "国家安全生产监督管理总局", "安全监管总局", "State Administration of Work Safety", "SAWS", {
    successor: { code: "MEM", since: "2018-04-16", note: "merged into the Ministry of Emergency Management on 2018-04-16 (2018 reform)" },
  }),
  m("MLR", "国土资源部", "国土资源部", "Ministry of Land and Resources", "MLR", {
    successor: { code: "MNR", since: "2018-04-10", note: "merged into the Ministry of Natural Resources on 2018-04-10 (2018 reform)" },
  }),
  d("CNTA", "国家旅游局", "旅游局", "China National Tourism Administration", "CNTA", {
    successor: { code: "MCT", since: "2018-04-08", note: "merged into the Ministry of Culture and Tourism on 2018-04-08 (2018 reform)" },
  }),
  d("NRRA", "国家乡村振兴局", "乡村振兴局", "National Rural Revitalization Administration", "NRRA", {
    established: "2021-02-25",
    earlierNames: [{ nameZh: "国务院扶贫开发领导小组办公室", shortZh: "国务院扶贫办", nameEn: "State Council Leading Group Office of Poverty Alleviation and Development", until: "2021-02-25" }],
    successor: { code: "MARA", since: "2023-05-10", note: "its duties went to the Ministry of Agriculture and Rural Affairs in 2023 (2023 reform)" },
  }),
  // Units outside the State Council that commonly co-sign joint documents
  c("SPC", "最高人民法院", "最高人民法院", "Supreme People's Court", "SPC", { aliases: ["最高法"] }),
  c("SPP", "最高人民检察院", "最高人民检察院", "Supreme People's Procuratorate", "SPP", { aliases: ["最高检"] }),
  c("ACFIC", "中华全国工商业联合会", "全国工商联", "All-China Federation of Industry and Commerce", "ACFIC", { aliases: ["工商联"] }),
  c("CYLC", "中国共产主义青年团中央委员会", "共青团中央", "Central Committee of the Communist Youth League of China", "CYLC", { aliases: ["团中央"] }),
  c("ACWF", "中华全国妇女联合会", "全国妇联", "All-China Women's Federation", "ACWF", { aliases: ["妇联"] }),
  c("ACFTU", "中华全国总工会", "全国总工会", "All-China Federation of Trade Unions", "ACFTU"),
  c("CDPF", "中国残疾人联合会", "中国残联", "China Disabled Persons' Federation", "CDPF"),
  c("CAST", "中国科学技术协会", "中国科协", "China Association for Science and Technology", "CAST"),
  c("CAC", "中央网络安全和信息化委员会办公室", "中央网信办", "Office of the Central Cyberspace Affairs Commission", "CAC", { aliases: ["国家互联网信息办公室", "国家网信办", "网信办"] }),
  c("CPD", "中共中央宣传部", "中央宣传部", "Publicity Department of the CPC Central Committee", "CPD", { aliases: ["中宣部"] }),
  c("OD", "中共中央组织部", "中央组织部", "Organization Department of the CPC Central Committee", "OD", { aliases: ["中组部"] }),
  c("CCOEO", "中央机构编制委员会办公室", "中央编办", "Office of the Central Institutional Organization Commission", "CCOEO"),
  c("CFEAC", "中央财经委员会办公室", "中央财办", "Office of the Central Financial and Economic Affairs Commission", "CFEAC"),
  c("CDB", "国家开发银行", "国家开发银行", "China Development Bank", "CDB", { aliases: ["国开行"] }),
  c("EXIMBANK", "中国进出口银行", "进出口银行", "Export-Import Bank of China", "China Exim Bank"),
  c("ADBC", "中国农业发展银行", "农业发展银行", "Agricultural Development Bank of China", "ADBC", { aliases: ["农发行"] }),
  c("SINOSURE", "中国出口信用保险公司", "中国信保", "China Export and Credit Insurance Corporation", "Sinosure"),
  c("CCPIT", "中国国际贸易促进委员会", "中国贸促会", "China Council for the Promotion of International Trade", "CCPIT", { aliases: ["贸促会"] }),
  c("LGOSME", "国务院促进中小企业发展工作领导小组办公室", "国务院促进中小企业发展工作领导小组办公室", "Office of the State Council Leading Group for Promoting the Development of SMEs", "SME Leading Group Office", { aliases: ["领导小组办公室"] }),
  // Local governments named as a group: a responsible unit of its own, kept as such.
  entry({
    code: "LOCAL",
    kind: "local_government",
    nameZh: "地方各级人民政府",
    shortZh: "各地区",
    nameEn: "Local governments",
    shortEn: "Local governments",
    aliases: [
      "各地",
      "各地方",
      "各省级人民政府",
      "省级人民政府",
      "各省、自治区、直辖市人民政府",
      "各省（自治区、直辖市）人民政府",
      "各省(自治区、直辖市)人民政府",
      "各地方人民政府",
      "地方人民政府",
      "各级人民政府",
      "各地人民政府",
      "地方政府",
    ],
  }),
];

const byCode: ReadonlyMap<string, RegisterEntry> = new Map(departmentRegister.map((e) => [e.code, e]));

/** The register entry with this code, or undefined. */
export function registerEntry(code: string): RegisterEntry | undefined {
  return byCode.get(code);
}

/**
 * Every Chinese form a document may use for the unit: full and short names, aliases and earlier names, each with the
 * date after which it no longer names this unit (`until`, null when current).
 */
export function namesOf(e: RegisterEntry): Array<{ name: string; until: string | null }> {
  const names: Array<{ name: string; until: string | null }> = [
    { name: e.nameZh, until: null },
    { name: e.shortZh, until: null },
    ...e.aliases.map((name) => ({ name, until: null })),
    ...e.earlierNames.flatMap((n) => [
      { name: n.nameZh, until: n.until },
      { name: n.shortZh, until: n.until },
    ]),
  ];
  const seen = new Set<string>();
  return names.filter((n) => {
    if (seen.has(n.name)) return false;
    seen.add(n.name);
    return true;
  });
}
