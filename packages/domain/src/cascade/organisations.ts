/*
 * Levels of government as data (issue 16, point 1).
 *
 * Measure (24) of the 2020 opinions asks every local government at or above the county level to set up a leading
 * group for promoting SME development, with an office in the department in charge, reporting to the office one level
 * up. An organisation here is one such government: its leading-group office (the coordinators who forward and track)
 * and its member departments (the local departments whose liaisons take assignments).
 */
import { issuingDepartmentCodes } from "../departments.js";
import { registerEntry } from "../register/departments-register.js";
import type { RegisterEntry } from "../register/departments-register.js";
import { type Division, type DivisionKind, divisionSamples, provincialDivisions } from "./divisions.js";

export type OrganisationLevel = "national" | "province" | "prefecture" | "county";
export const organisationLevels = ["national", "province", "prefecture", "county"] as const satisfies readonly OrganisationLevel[];

/** A department of a local government (省财政厅, 南宁市财政局), in the line of a central department of the register. */
export interface LocalDepartment {
  /** Stable code: the organisation's id, a hyphen, and the central line's code ("450100-MOF"). */
  code: string;
  /** The register code of the central department whose line it belongs to ("MOF"). */
  line: string;
  nameZh: string;
  nameEn: string;
}

/** The office of the leading group for promoting SME development (促进中小企业发展工作领导小组办公室). */
export interface LeadingGroupOffice {
  nameZh: string;
  nameEn: string;
  /** The code of the member department that hosts the office (the department in charge, measure (24)). */
  host: string;
}

export interface Organisation {
  /** Stable key: the division code ("450000"), or "CN" for the national level. */
  id: string;
  /** The parent's id; null only for the national level. */
  parent: string | null;
  level: OrganisationLevel;
  /** The division's kind; null for the national level. */
  kind: DivisionKind | null;
  nameZh: string;
  nameEn: string;
  office: LeadingGroupOffice;
  /** The member departments of the leading group. */
  members: readonly LocalDepartment[];
}

/** The national level's id. */
export const nationalId = "CN";

/**
 * The local lines: for each central department of the register, what its counterpart is called at each level.
 *
 * Where the names come from: the conventional names of local government departments after the 2018 reform of
 * local institutions (各省市县机构改革方案, 2018–2019), e.g. 浙江省财政厅, 北京市财政局, 南宁市财政局, 隆安县财政局.
 * - Provinces and autonomous regions name their departments 厅 (or 委员会 for commissions); municipalities
 *   (直辖市), prefectures and counties name them 局 (北京市财政局, not 北京市财政厅).
 * - Culture and tourism is 文化和旅游厅 in the provinces but usually 文化广电和旅游局 below (radio and television
 *   were merged in at those levels).
 * - Ecology and environment has no county department: since the 2016 reform of vertical management of environmental
 *   bodies below the province (省以下环保机构监测监察执法垂直管理), the county office is a branch of the city bureau.
 * - Intellectual property is its own bureau at provincial and prefecture level; at county level it is part of the
 *   market regulation bureau (市场监督管理局(知识产权局)), so it has no separate member there.
 * - Vertically managed units (tax, the central bank, financial and securities regulation) carry the central body's
 *   name before the place name, as they sign: 国家税务总局浙江省税务局, 中国人民银行浙江省分行 (branches renamed in the
 *   2023 reform: 省级分行, 地市分行, 县(市)支行), 国家金融监督管理总局浙江监管局 (分局 below the province), 中国证券监督
 *   管理委员会浙江监管局 (provinces only).
 * - Customs districts (南宁海关) do not follow the divisions, so customs is no local member.
 * Real names vary locally (北京市经济和信息化局, 上海市经济和信息化委员会 for the industry line): an organisation's register
 * is data and its office edits it; these are the defaults.
 * English names are the conventional renderings ("Department of Finance", "Finance Bureau"; vertical units as they
 * sign in English: "People's Bank of China Zhejiang Branch"), not official ones.
 */
export interface LocalLine {
  /** The register code of the central department. */
  line: string;
  /** The name after the place name, per level; null where the line has no member at that level. */
  province: string | null;
  municipality: string | null;
  prefecture: string | null;
  county: string | null;
  enProvince: string;
  enLocal: string;
  /** The county's English form where it differs (a 支行 is a sub-branch). */
  enCounty?: string;
  /** Vertically managed: the central body's name comes first (国家税务总局{place}税务局); `{place}` marks the place name. */
  vertical?: boolean;
}

const line = (code: string, province: string | null, local: string | null, enProvince: string, enLocal: string, county: string | null = local): LocalLine => ({
  line: code,
  province,
  municipality: local,
  prefecture: local,
  county,
  enProvince,
  enLocal,
});

/** The lines of the leading group's usual members, the industry line (the office's host) first. */
export const localLines: readonly LocalLine[] = [
  line("MIIT", "工业和信息化厅", "工业和信息化局", "Department of Industry and Information Technology", "Industry and Information Technology Bureau"),
  { ...line("NDRC", "发展和改革委员会", "发展和改革委员会", "Development and Reform Commission", "Development and Reform Commission"), county: "发展和改革局" },
  line("MOE", "教育厅", "教育局", "Department of Education", "Education Bureau"),
  line("MOST", "科学技术厅", "科学技术局", "Department of Science and Technology", "Science and Technology Bureau"),
  line("MCA", "民政厅", "民政局", "Department of Civil Affairs", "Civil Affairs Bureau"),
  line("MOJ", "司法厅", "司法局", "Department of Justice", "Justice Bureau"),
  line("MOF", "财政厅", "财政局", "Department of Finance", "Finance Bureau"),
  line("MOHRSS", "人力资源和社会保障厅", "人力资源和社会保障局", "Department of Human Resources and Social Security", "Human Resources and Social Security Bureau"),
  line("MNR", "自然资源厅", "自然资源局", "Department of Natural Resources", "Natural Resources Bureau"),
  line("MEE", "生态环境厅", "生态环境局", "Department of Ecology and Environment", "Ecology and Environment Bureau", null),
  line("MOHURD", "住房和城乡建设厅", "住房和城乡建设局", "Department of Housing and Urban-Rural Development", "Housing and Urban-Rural Development Bureau"),
  line("MOT", "交通运输厅", "交通运输局", "Department of Transport", "Transport Bureau"),
  line("MARA", "农业农村厅", "农业农村局", "Department of Agriculture and Rural Affairs", "Agriculture and Rural Affairs Bureau"),
  line("MOFCOM", "商务厅", "商务局", "Department of Commerce", "Commerce Bureau"),
  { ...line("MCT", "文化和旅游厅", "文化广电和旅游局", "Department of Culture and Tourism", "Culture, Radio, Television and Tourism Bureau"), municipality: "文化和旅游局" },
  { ...line("PBOC", "中国人民银行{place}分行", "中国人民银行{place}分行", "People's Bank of China {place} Branch", "People's Bank of China {place} Branch", "中国人民银行{place}支行"), enCounty: "People's Bank of China {place} Sub-branch", vertical: true },
  { ...line("STA", "国家税务总局{place}税务局", "国家税务总局{place}税务局", "{place} Tax Service, State Taxation Administration", "{place} Tax Service, State Taxation Administration"), vertical: true },
  line("SAMR", "市场监督管理局", "市场监督管理局", "Administration for Market Regulation", "Market Regulation Bureau"),
  line("NBS", "统计局", "统计局", "Bureau of Statistics", "Statistics Bureau"),
  {
    ...line("NAFR", "国家金融监督管理总局{place}监管局", "国家金融监督管理总局{place}监管分局", "National Administration of Financial Regulation {place} Office", "National Administration of Financial Regulation {place} Sub-office", null),
    municipality: "国家金融监督管理总局{place}监管局",
    vertical: true,
  },
  {
    ...line("CSRC", "中国证券监督管理委员会{place}监管局", null, "China Securities Regulatory Commission {place} Office", "China Securities Regulatory Commission {place} Office", null),
    municipality: "中国证券监督管理委员会{place}监管局",
    vertical: true,
  },
  line("CNIPA", "知识产权局", "知识产权局", "Intellectual Property Administration", "Intellectual Property Bureau", null),
  line("ACFIC", "工商业联合会", "工商业联合会", "Federation of Industry and Commerce", "Federation of Industry and Commerce"),
];

/** The central departments with no local member at any level, and why (see `localLines`). */
export const centralOnly: ReadonlyMap<string, string> = new Map([
  ["GACC", "customs districts (南宁海关 …) do not follow the administrative divisions"],
]);

/** The central department whose line carries `code`'s remit today: the register's successor chain (CBIRC → NAFR). */
export function currentLineOf(code: string): string {
  let entry: RegisterEntry | undefined = registerEntry(code);
  const seen = new Set<string>();
  while (entry?.successor && !seen.has(entry.code)) {
    seen.add(entry.code);
    const next = registerEntry(entry.successor.code);
    if (next === undefined) break;
    entry = next;
  }
  return entry?.code ?? code;
}

type NameLevel = "province" | "municipality" | "prefecture" | "county";

function nameLevelOf(level: OrganisationLevel, kind: DivisionKind | null): NameLevel | null {
  if (level === "national") return null;
  if (level === "province") return kind === "municipality" ? "municipality" : "province";
  return level;
}

/**
 * The short place name the regulators use (国家金融监督管理总局浙江监管局, …南宁监管分局, but 中国人民银行浙江省分行):
 * they drop the 省/市/自治区 suffix, the central bank and the tax administration keep the full name. An autonomous
 * prefecture keeps its full name here (the regulator writes 凉山监管分局): dropping an ethnic name needs a list.
 */
function placeFor(l: LocalLine, division: Division): string {
  const regulator = l.line === "NAFR" || l.line === "CSRC";
  if (!regulator || division.kind === "autonomous_prefecture") return division.nameZh;
  return division.nameZh.replace(/(维吾尔自治区|壮族自治区|回族自治区|自治区|省|市)$/u, "");
}

/**
 * The default member departments of a local government: one per line of `localLines` that has a member at this level,
 * named as the line names them there. Shape: the industry line first (it hosts the office), then the lines' order.
 * The national level has none here: its members are the central departments of the register themselves.
 */
export function localDepartmentsFor(id: string, level: OrganisationLevel, division: Division): LocalDepartment[] {
  const nameLevel = nameLevelOf(level, division.kind);
  if (nameLevel === null) return [];
  const members: LocalDepartment[] = [];
  for (const l of localLines) {
    const suffix = l[nameLevel];
    if (suffix === null) continue;
    const nameZh = suffix.includes("{place}") ? suffix.replace("{place}", placeFor(l, division)) : `${division.nameZh}${suffix}`;
    const en = nameLevel === "province" ? l.enProvince : nameLevel === "county" ? (l.enCounty ?? l.enLocal) : l.enLocal;
    const nameEn = en.includes("{place}") ? en.replace("{place}", division.nameEn) : `${division.nameEn} ${en}`;
    members.push({ code: `${id}-${l.line}`, line: l.line, nameZh, nameEn });
  }
  return members;
}

/** The office of a local leading group, hosted by the industry line (measure (24): "the department in charge"). */
function localOffice(id: string, division: Division): LeadingGroupOffice {
  return {
    nameZh: `${division.nameZh}促进中小企业发展工作领导小组办公室`,
    nameEn: `Office of the ${division.nameEn} Leading Group for Promoting the Development of SMEs`,
    host: `${id}-MIIT`,
  };
}

/** A local organisation for a division, with the default register and office. */
export function localOrganisation(division: Division, level: Exclude<OrganisationLevel, "national">, parent: string): Organisation {
  return {
    id: division.code,
    parent,
    level,
    kind: division.kind,
    nameZh: division.nameZh,
    nameEn: division.nameEn,
    office: localOffice(division.code, division),
    members: localDepartmentsFor(division.code, level, division),
  };
}

/**
 * The national organisation: the State Council leading group, its office hosted by MIIT (the register's LGOSME entry
 * names it), its members the central departments of the register that are current ministries, administrations …
 * (`members` lists the given codes; by default the 17 issuers' current lines are what a plan names).
 */
export function nationalOrganisation(memberCodes: readonly string[]): Organisation {
  const office = registerEntry("LGOSME");
  const members: LocalDepartment[] = [];
  for (const code of memberCodes) {
    const e = registerEntry(code);
    if (e === undefined) continue;
    members.push({ code: e.code, line: currentLineOf(e.code), nameZh: e.nameZh, nameEn: e.nameEn });
  }
  return {
    id: nationalId,
    parent: null,
    level: "national",
    kind: null,
    nameZh: "国务院",
    nameEn: "State Council",
    office: {
      nameZh: office?.nameZh ?? "国务院促进中小企业发展工作领导小组办公室",
      nameEn: office?.nameEn ?? "Office of the State Council Leading Group for Promoting the Development of SMEs",
      host: "MIIT",
    },
    members,
  };
}

/** The organisation tree: every organisation by id, and the children of each in order. */
export interface OrganisationTree {
  readonly byId: ReadonlyMap<string, Organisation>;
  readonly children: ReadonlyMap<string, readonly string[]>;
  readonly root: string;
}

/** A problem that makes a list of organisations no tree. */
export interface TreeProblem {
  organisation: string;
  problem:
    | "duplicate_id" // two organisations share an id
    | "no_root" // no national organisation, or more than one
    | "unknown_parent" // the parent is not in the list
    | "level_order" // the parent's level is not above (province under national, prefecture under province, county under prefecture or province)
    | "code_prefix" // a division code does not start with its parent's (GB/T 2260: 45 01 23)
    | "cycle" // unreachable from the root
    | "office_host"; // the office's host is not a member department
}

const allowedParentLevel: Record<OrganisationLevel, readonly OrganisationLevel[]> = {
  national: [],
  province: ["national"],
  prefecture: ["province"],
  // A county-level unit sits under a prefecture, or directly under its province (a municipality's districts, 省直辖县级市).
  county: ["prefecture", "province"],
};

/** The shared code prefix a child keeps from its parent: 2 digits under a province, 4 under a prefecture. */
function codePrefix(parent: Organisation): string | null {
  if (parent.level === "province") return parent.id.slice(0, 2);
  if (parent.level === "prefecture") return parent.id.slice(0, 4);
  return null;
}

/** Every reason the organisations do not form a well-formed tree; [] when they do. */
export function checkOrganisationTree(organisations: readonly Organisation[]): TreeProblem[] {
  const problems: TreeProblem[] = [];
  const byId = new Map<string, Organisation>();
  for (const o of organisations) {
    if (byId.has(o.id)) problems.push({ organisation: o.id, problem: "duplicate_id" });
    byId.set(o.id, o);
  }
  const roots = organisations.filter((o) => o.parent === null);
  if (roots.length !== 1 || roots[0]?.level !== "national") problems.push({ organisation: roots[0]?.id ?? "", problem: "no_root" });
  for (const o of organisations) {
    if (!o.members.some((m) => m.code === o.office.host)) problems.push({ organisation: o.id, problem: "office_host" });
    if (o.parent === null) continue;
    const parent = byId.get(o.parent);
    if (parent === undefined) {
      problems.push({ organisation: o.id, problem: "unknown_parent" });
      continue;
    }
    if (!allowedParentLevel[o.level].includes(parent.level)) problems.push({ organisation: o.id, problem: "level_order" });
    const prefix = codePrefix(parent);
    if (prefix !== null && !o.id.startsWith(prefix)) problems.push({ organisation: o.id, problem: "code_prefix" });
  }
  // Reachability from the root catches cycles (a cycle has no path to the root).
  const children = childrenIndex(organisations);
  const reached = new Set<string>();
  const stack = roots.map((r) => r.id);
  while (stack.length > 0) {
    const id = stack.pop();
    if (id === undefined || reached.has(id)) continue;
    reached.add(id);
    stack.push(...(children.get(id) ?? []));
  }
  for (const o of organisations) if (!reached.has(o.id) && byId.has(o.parent ?? "")) problems.push({ organisation: o.id, problem: "cycle" });
  return problems;
}

function childrenIndex(organisations: readonly Organisation[]): Map<string, string[]> {
  const children = new Map<string, string[]>();
  for (const o of organisations) {
    if (o.parent === null) continue;
    const list = children.get(o.parent);
    if (list === undefined) children.set(o.parent, [o.id]);
    else list.push(o.id);
  }
  return children;
}

/** Thrown by `buildOrganisationTree` on a malformed list; carries every problem. */
export class OrganisationTreeError extends Error {
  constructor(readonly problems: readonly TreeProblem[]) {
    super(`Not a well-formed organisation tree: ${problems.map((p) => `${p.organisation} ${p.problem}`).join(", ")}`);
    this.name = "OrganisationTreeError";
  }
}

/** The tree of `organisations`. Throws OrganisationTreeError when `checkOrganisationTree` finds a problem. */
export function buildOrganisationTree(organisations: readonly Organisation[]): OrganisationTree {
  const problems = checkOrganisationTree(organisations);
  if (problems.length > 0) throw new OrganisationTreeError(problems);
  const root = organisations.find((o) => o.parent === null);
  return {
    byId: new Map(organisations.map((o) => [o.id, o])),
    children: childrenIndex(organisations),
    root: root?.id ?? nationalId,
  };
}

/** The ids of the organisation's children (the level below it), [] for a leaf. */
export function childrenOf(tree: OrganisationTree, id: string): readonly string[] {
  return tree.children.get(id) ?? [];
}

/** The ids from the organisation's parent up to the root, nearest first. */
export function ancestorsOf(tree: OrganisationTree, id: string): string[] {
  const out: string[] = [];
  let parent = tree.byId.get(id)?.parent ?? null;
  while (parent !== null && out.length <= tree.byId.size) {
    out.push(parent);
    parent = tree.byId.get(parent)?.parent ?? null;
  }
  return out;
}

/** Whether `ancestor` is a strict ancestor of `id`. */
export function isAncestor(tree: OrganisationTree, ancestor: string, id: string): boolean {
  return ancestor !== id && ancestorsOf(tree, id).includes(ancestor);
}

/** The ids of every organisation below `id` (not `id` itself), depth first. */
export function descendantsOf(tree: OrganisationTree, id: string): string[] {
  const out: string[] = [];
  const stack = [...childrenOf(tree, id)].reverse();
  while (stack.length > 0) {
    const next = stack.pop();
    if (next === undefined) continue;
    out.push(next);
    stack.push(...[...childrenOf(tree, next)].reverse());
  }
  return out;
}

/** The central departments that have a local line (for tests and the seed): the register codes in `localLines`. */
export const localLineCodes: readonly string[] = localLines.map((l) => l.line);

/**
 * The default organisations: the national level with the given central members (by default the 17 issuers of the
 * 2020 plan, which are the State Council leading group's members the plan names), the 31 provincial units, and the sample prefectures and counties of `divisionSamples`.
 */
export function defaultOrganisations(nationalMembers: readonly string[] = issuingDepartmentCodes): Organisation[] {
  const out: Organisation[] = [nationalOrganisation(nationalMembers)];
  for (const division of provincialDivisions) out.push(localOrganisation(division, "province", nationalId));
  for (const sample of divisionSamples) {
    for (const county of sample.directCounties) out.push(localOrganisation(county, "county", sample.province));
    for (const { prefecture, counties } of sample.prefectures) {
      out.push(localOrganisation(prefecture, "prefecture", sample.province));
      for (const county of counties) out.push(localOrganisation(county, "county", prefecture.code));
    }
  }
  return out;
}
