import { departmentByCode, issuingDepartmentCodes, type IssuingDepartmentCode } from "../departments.js";
import type { DepartmentCode } from "../types.js";

/**
 * The words that name one department's remit, in English and in Chinese. Matching rules (see `findLexiconMatches`):
 * - English terms match whole words, ignoring case; a trailing `*` matches any ending ("agricultur*").
 * - Chinese terms match anywhere (Chinese has no spaces between words).
 * - A match inside one of `notRemit` does not count: phrases that contain a term but name something else
 *   ("social security events" are public-safety events, not 社会保障; 关税 is customs' business, not the tax office's).
 */
export interface DepartmentTerms {
  en: readonly string[];
  zh: readonly string[];
  notRemit: readonly string[];
}

/** A lexicon per department code. Object order is the order of signature: it breaks ties between departments. */
export type DepartmentLexicon = Readonly<Record<DepartmentCode, DepartmentTerms>>;

/*
 * Why some obvious words are missing:
 * - "small and medium-sized enterprises" / "SME" / 中小企业 name no department: every measure says them. MIIT's
 *   terms are its SME programmes instead (the SME Promotion Law, the SME development fund, 专精特新, SME services,
 *   training, payment of SMEs, policy consultation...).
 * - Bare "innovation" / 创新, "credit" / 信用, "financial" / 金融, "industry", "quality", "standard", "insurance",
 *   "negative list" and "training" occur in too many remits; the lexicon holds the narrower phrases instead
 *   ("technological innovation", "credit system", "inclusive finance", "industrial", "quality management",
 *   "market access" (市场准入负面清单), "vocational training").
 * - "financing" / 融资 is the central bank's (credit and financing conditions); banks' supervision (CBIRC) has its
 *   own terms (banks, financial institutions, loans).
 */
const remits = {
  MIIT: {
    en: [
      "industrial",
      "industrialization",
      "manufactur*",
      "information technology",
      "information technologies",
      "informatization",
      "big data",
      "cloud computing",
      "artificial intelligence",
      "5G",
      "specialized and innovative",
      "specialization and innovation",
      "little giant",
      "individual champion",
      "single champion",
      "SME Promotion Law",
      "Law on the Promotion of small and medium-sized Enterprises",
      "promote the development of small and medium-sized enterprises",
      "promoting the development of small and medium-sized enterprises",
      "classification standards",
      "SME development fund*",
      "service system for small and medium-sized enterprises",
      "public service platform*",
      "training system for small and medium-sized enterprises",
      "international exchanges and cooperation",
      "cooperation zones",
      "payment of small and medium-sized enterprises",
      "arrears",
      "rights protection and relief",
      "policy consultation",
      "development environment of small and medium-sized enterprises",
    ],
    zh: [
      "工业",
      "制造业",
      "信息技术",
      "信息化",
      "大数据",
      "云计算",
      "人工智能",
      "专精特新",
      "小巨人",
      "单项冠军",
      "中小企业促进法",
      "促进中小企业发展",
      "划型标准",
      "中小企业发展基金",
      "中小企业服务体系",
      "公共服务平台",
      "中小企业培训",
      "国际交流合作",
      "合作区",
      "款项支付",
      "拖欠",
      "权益保护",
      "政策咨询",
      "中小企业发展环境",
    ],
    notRemit: [],
  },
  NDRC: {
    en: [
      "market access",
      "credit system",
      "social credit",
      "credit information sharing",
      "credit supervision",
      "enterprise-related fees",
      "venture capital",
      "entrepreneurship",
      "property rights",
      "investment",
      "development and reform",
    ],
    zh: ["市场准入", "社会信用", "信用体系", "信用信息共享", "信用监管", "涉企收费", "创业投资", "创业", "产权", "投资", "发展改革"],
    notRemit: ["intellectual property rights", "知识产权"],
  },
  MOST: {
    en: [
      "science and technology",
      "scientific",
      "technological",
      "R & D",
      "R&D",
      "research and development",
      "incubator*",
      "mass innovation",
      "entrepreneurial carriers",
      "innovation support",
    ],
    zh: ["科技", "科学技术", "技术创新", "研发", "孵化", "众创空间", "创业载体", "创新支持"],
    notRemit: [],
  },
  MOF: {
    en: [
      "fiscal",
      "central finance",
      "special funds",
      "tax polic*",
      "government procurement",
      "budget*",
      "financing guarantee",
      "performance evaluation",
      "administrative fees",
    ],
    zh: ["财政", "财税", "专项资金", "税收政策", "政府采购", "预算", "融资担保", "绩效评价", "行政事业性收费"],
    notRemit: [],
  },
  MOHRSS: {
    en: [
      "employment",
      "talents",
      "skilled personnel",
      "social security",
      "social insurance",
      "human resources",
      "vocational",
      "labour",
      "labor",
    ],
    zh: ["就业", "人才", "社会保障", "社保", "社会保险", "人力资源", "职业技能", "技能人才", "劳动"],
    notRemit: ["social security events", "社会安全事件"],
  },
  MEE: {
    en: ["environmental", "ecolog*", "pollution", "emission*"],
    zh: ["生态环境", "环保", "环境保护", "污染", "排放"],
    notRemit: [],
  },
  MARA: {
    en: ["agricultur*", "rural", "farm*"],
    zh: ["农业", "农村", "乡村", "农民"],
    notRemit: [],
  },
  MOFCOM: {
    en: ["commerce", "e-commerce", "foreign trade", "trade", "market access", "foreign investment", "outward investment"],
    zh: ["商务", "外贸", "对外贸易", "贸易", "电子商务", "市场准入", "外资", "对外投资"],
    notRemit: [],
  },
  MCT: {
    en: ["culture", "cultural", "tourism", "tourist"],
    zh: ["文化", "旅游"],
    notRemit: [],
  },
  PBOC: {
    en: [
      "financing",
      "money and credit",
      "monetary",
      "re-lending",
      "rediscount",
      "deposit reserve",
      "interest rate*",
      "macro-prudential",
      "financial credit information",
      "credit reporting",
      "credit loans",
      "loan*",
      "lending",
      "bond*",
      "supply chain finance",
      "Internet finance",
      "financial technology",
      "movable property",
    ],
    zh: ["融资", "货币", "再贷款", "再贴现", "存款准备金", "利率", "宏观审慎", "金融信用信息", "征信", "信贷", "贷款", "债券", "供应链金融", "金融科技", "动产"],
    notRemit: ["不动产"],
  },
  GACC: {
    en: ["customs", "tariff*", "import*", "export*", "cross-border"],
    zh: ["海关", "关税", "进口", "出口", "跨境"],
    notRemit: [],
  },
  STA: {
    en: ["tax", "taxes", "taxation", "taxpayer*", "State Administration of Taxation"],
    zh: ["税"],
    notRemit: ["关税"],
  },
  SAMR: {
    en: [
      "market regulation",
      "market supervision",
      "fair competition",
      "anti-monopoly",
      "unfair competition",
      "market competition",
      "fair supervision",
      "credit information publicity",
      "supervision and inspection",
      "quality management",
      "quality supervision",
      "certification",
      "standardization",
    ],
    zh: ["市场监管", "市场监督", "公平竞争", "反垄断", "不正当竞争", "信用信息公示", "监督检查", "质量管理", "质量监督", "认证", "标准化"],
    notRemit: [],
  },
  NBS: {
    en: ["statistic*"],
    zh: ["统计"],
    notRemit: [],
  },
  CBIRC: {
    en: [
      "bank",
      "banks",
      "banking",
      "financial institutions",
      "inclusive financ*",
      "microfinance",
      "differential supervision",
      "credit loans",
      "loan*",
      "lending",
      "insurance institutions",
      "insurers",
    ],
    zh: ["银行", "银行业", "金融机构", "普惠金融", "小额贷款", "差异化监管", "信贷", "贷款", "保险机构"],
    notRemit: ["People's Bank", "People’s Bank", "人民银行"],
  },
  CSRC: {
    en: [
      "capital market*",
      "listing",
      "listed",
      "direct financing",
      "equity financing",
      "private equity",
      "securities",
      "stock",
      "stocks",
      "new third board",
      "registration system",
      "mergers and acquisitions",
    ],
    zh: ["资本市场", "上市", "直接融资", "股权", "证券", "新三板", "注册制", "并购"],
    notRemit: [],
  },
  CNIPA: {
    en: ["intellectual property", "patent*", "trademark*"],
    zh: ["知识产权", "专利", "商标"],
    notRemit: [],
  },
} as const satisfies Record<IssuingDepartmentCode, DepartmentTerms>;

/** Each department also answers to its own names ("Ministry of Finance", 财政部, and 财政部门 as a substring). */
export const departmentLexicon: DepartmentLexicon = Object.fromEntries(
  issuingDepartmentCodes.map((code) => {
    const terms: DepartmentTerms = remits[code];
    const department = departmentByCode(code);
    const namesEn = department ? [department.nameEn] : [];
    const namesZh = department ? [department.nameZh, department.shortZh] : [];
    return [code, { en: [...namesEn, ...terms.en], zh: [...new Set([...namesZh, ...terms.zh])], notRemit: terms.notRemit }];
  }),
);
