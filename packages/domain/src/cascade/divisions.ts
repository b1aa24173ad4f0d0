/*
 * Administrative divisions as data: the 31 provincial-level units of the mainland and a sample of prefectures and
 * counties under six of them (Beijing, Zhejiang, Hubei, Guangdong, Guangxi, Sichuan).
 *
 * Sources:
 * - Names and codes: GB/T 2260 (中华人民共和国行政区划代码) as kept current by the Ministry of Civil Affairs in its
 *   list 中华人民共和国县以上行政区划代码 (www.mca.gov.cn, 2023 edition). Codes are six digits: two for the province,
 *   two for the prefecture, two for the county; a provincial unit ends in 0000, a prefecture in 00.
 * - English names: the official pinyin of the place name (GB/T 16159 and 中国地名汉语拼音字母拼写规则), with the kind
 *   of unit in English as the State Council's English site writes it (english.www.gov.cn, "Provinces"): e.g.
 *   Guangxi Zhuang Autonomous Region, Liangshan Yi Autonomous Prefecture, Rongshui Miao Autonomous County.
 *   西藏自治区 is written Xizang Autonomous Region, as the State Council's publications have since 2023; the older
 *   "Tibet Autonomous Region" is kept as an alias so that older texts still match.
 * - Hong Kong, Macao and Taiwan have codes in GB/T 2260 (810000, 820000, 710000) but no leading group for SME
 *   development under the State Council's: they are not among the 31 and not in the tree.
 */

/** The kinds of unit, as the divisions list names them. */
export type DivisionKind =
  /** 省 */
  | "province"
  /** 自治区 */
  | "autonomous_region"
  /** 直辖市: a provincial-level city whose districts are county-level units directly under it. */
  | "municipality"
  /** 地级市 */
  | "prefecture_city"
  /** 自治州 */
  | "autonomous_prefecture"
  /** 市辖区 */
  | "district"
  /** 县 */
  | "county"
  /** 自治县 */
  | "autonomous_county"
  /** 县级市 */
  | "county_city";

export interface Division {
  /** The six-digit code of GB/T 2260. */
  code: string;
  kind: DivisionKind;
  nameZh: string;
  nameEn: string;
  /** Other English names found in official texts (older spellings). */
  aliasesEn?: readonly string[];
}

const p = (code: string, nameZh: string, nameEn: string, kind: DivisionKind = "province", aliasesEn?: readonly string[]): Division =>
  aliasesEn === undefined ? { code, kind, nameZh, nameEn } : { code, kind, nameZh, nameEn, aliasesEn };

/** The 31 provincial-level units (省级行政区) in the order of their codes. */
export const provincialDivisions: readonly Division[] = [
  p("110000", "北京市", "Beijing", "municipality"),
  p("120000", "天津市", "Tianjin", "municipality"),
  p("130000", "河北省", "Hebei"),
  p("140000", "山西省", "Shanxi"),
  p("150000", "内蒙古自治区", "Inner Mongolia Autonomous Region", "autonomous_region"),
  p("210000", "辽宁省", "Liaoning"),
  p("220000", "吉林省", "Jilin"),
  p("230000", "黑龙江省", "Heilongjiang"),
  p("310000", "上海市", "Shanghai", "municipality"),
  p("320000", "江苏省", "Jiangsu"),
  p("330000", "浙江省", "Zhejiang"),
  p("340000", "安徽省", "Anhui"),
  p("350000", "福建省", "Fujian"),
  p("360000", "江西省", "Jiangxi"),
  p("370000", "山东省", "Shandong"),
  p("410000", "河南省", "Henan"),
  p("420000", "湖北省", "Hubei"),
  p("430000", "湖南省", "Hunan"),
  p("440000", "广东省", "Guangdong"),
  p("450000", "广西壮族自治区", "Guangxi Zhuang Autonomous Region", "autonomous_region"),
  p("460000", "海南省", "Hainan"),
  p("500000", "重庆市", "Chongqing", "municipality"),
  p("510000", "四川省", "Sichuan"),
  p("520000", "贵州省", "Guizhou"),
  p("530000", "云南省", "Yunnan"),
  p("540000", "西藏自治区", "Xizang Autonomous Region", "autonomous_region", ["Tibet Autonomous Region"]),
  p("610000", "陕西省", "Shaanxi"),
  p("620000", "甘肃省", "Gansu"),
  p("630000", "青海省", "Qinghai"),
  p("640000", "宁夏回族自治区", "Ningxia Hui Autonomous Region", "autonomous_region"),
  p("650000", "新疆维吾尔自治区", "Xinjiang Uygur Autonomous Region", "autonomous_region"),
];

/** A prefecture-level unit with the sample of county-level units kept under it. */
export interface PrefectureSample {
  prefecture: Division;
  counties: readonly Division[];
}

/** A provincial unit's sample: its prefectures, and county-level units directly under it (a municipality's districts, 省直辖 cities). */
export interface ProvinceSample {
  province: string;
  prefectures: readonly PrefectureSample[];
  directCounties: readonly Division[];
}

const d = (code: string, kind: DivisionKind, nameZh: string, nameEn: string): Division => ({ code, kind, nameZh, nameEn });

/**
 * A sample of prefectures and counties under six provincial units, chosen to show every shape the tree takes:
 * ordinary counties and county-level cities (Zhejiang, Guangxi, Sichuan), autonomous prefectures and counties
 * (Liangshan, Rongshui, Sanjiang, Muli), a prefecture-level city without counties (东莞市), districts directly under a
 * municipality (Beijing) and a county-level city directly under its province (仙桃市, Hubei).
 */
export const divisionSamples: readonly ProvinceSample[] = [
  {
    province: "110000",
    prefectures: [],
    directCounties: [d("110101", "district", "东城区", "Dongcheng District"), d("110102", "district", "西城区", "Xicheng District")],
  },
  {
    province: "330000",
    prefectures: [
      {
        prefecture: d("330100", "prefecture_city", "杭州市", "Hangzhou"),
        counties: [
          d("330122", "county", "桐庐县", "Tonglu County"),
          d("330127", "county", "淳安县", "Chun'an County"),
          d("330182", "county_city", "建德市", "Jiande"),
        ],
      },
      {
        prefecture: d("330200", "prefecture_city", "宁波市", "Ningbo"),
        counties: [
          d("330225", "county", "象山县", "Xiangshan County"),
          d("330226", "county", "宁海县", "Ninghai County"),
          d("330281", "county_city", "余姚市", "Yuyao"),
          d("330282", "county_city", "慈溪市", "Cixi"),
        ],
      },
      {
        prefecture: d("330700", "prefecture_city", "金华市", "Jinhua"),
        counties: [
          d("330723", "county", "武义县", "Wuyi County"),
          d("330726", "county", "浦江县", "Pujiang County"),
          d("330727", "county", "磐安县", "Pan'an County"),
          d("330782", "county_city", "义乌市", "Yiwu"),
          d("330783", "county_city", "东阳市", "Dongyang"),
          d("330784", "county_city", "永康市", "Yongkang"),
        ],
      },
    ],
    directCounties: [],
  },
  {
    province: "420000",
    prefectures: [],
    directCounties: [d("429004", "county_city", "仙桃市", "Xiantao")],
  },
  {
    province: "440000",
    prefectures: [
      {
        prefecture: d("440100", "prefecture_city", "广州市", "Guangzhou"),
        counties: [
          d("440103", "district", "荔湾区", "Liwan District"),
          d("440104", "district", "越秀区", "Yuexiu District"),
          d("440106", "district", "天河区", "Tianhe District"),
        ],
      },
      {
        prefecture: d("440300", "prefecture_city", "深圳市", "Shenzhen"),
        counties: [
          d("440303", "district", "罗湖区", "Luohu District"),
          d("440304", "district", "福田区", "Futian District"),
          d("440305", "district", "南山区", "Nanshan District"),
        ],
      },
      // 东莞市 has towns directly under it and no county-level unit.
      { prefecture: d("441900", "prefecture_city", "东莞市", "Dongguan"), counties: [] },
    ],
    directCounties: [],
  },
  {
    province: "450000",
    prefectures: [
      {
        prefecture: d("450100", "prefecture_city", "南宁市", "Nanning"),
        counties: [
          d("450123", "county", "隆安县", "Long'an County"),
          d("450124", "county", "马山县", "Mashan County"),
          d("450125", "county", "上林县", "Shanglin County"),
          d("450126", "county", "宾阳县", "Binyang County"),
        ],
      },
      {
        prefecture: d("450200", "prefecture_city", "柳州市", "Liuzhou"),
        counties: [
          d("450222", "county", "柳城县", "Liucheng County"),
          d("450223", "county", "鹿寨县", "Luzhai County"),
          d("450224", "county", "融安县", "Rong'an County"),
          d("450225", "autonomous_county", "融水苗族自治县", "Rongshui Miao Autonomous County"),
          d("450226", "autonomous_county", "三江侗族自治县", "Sanjiang Dong Autonomous County"),
        ],
      },
      {
        prefecture: d("450300", "prefecture_city", "桂林市", "Guilin"),
        counties: [d("450321", "county", "阳朔县", "Yangshuo County")],
      },
    ],
    directCounties: [],
  },
  {
    province: "510000",
    prefectures: [
      {
        prefecture: d("510100", "prefecture_city", "成都市", "Chengdu"),
        counties: [
          d("510121", "county", "金堂县", "Jintang County"),
          d("510129", "county", "大邑县", "Dayi County"),
          d("510131", "county", "蒲江县", "Pujiang County"),
          d("510181", "county_city", "都江堰市", "Dujiangyan"),
        ],
      },
      {
        prefecture: d("513400", "autonomous_prefecture", "凉山彝族自治州", "Liangshan Yi Autonomous Prefecture"),
        counties: [
          d("513401", "county_city", "西昌市", "Xichang"),
          d("513422", "autonomous_county", "木里藏族自治县", "Muli Tibetan Autonomous County"),
        ],
      },
    ],
    directCounties: [],
  },
];
