// What liaisons and the lead ministry write in a generated history: short phrases in the offices' own words.

export const progressNotes = [
  "已召开专题会议研究部署，明确责任处室和时间节点。",
  "已印发配套实施细则，正在组织各地贯彻落实。",
  "正在开展调研摸底，已形成初步工作方案。",
  "已完成阶段性任务，下一步将会同有关部门推进。",
  "已会同有关地方开展试点，试点情况良好。",
  "相关政策文件已报部领导审定。",
  "已组织专家论证，正在修改完善。",
  "已完成征求意见，正在汇总各方意见。",
] as const;

export const signOffSummaries = [
  "已按要求完成任务，办结报告随附。",
  "相关制度已正式印发实施，任务完成。",
  "已完成全部工作并报送落实情况。",
  "配套政策已出台，已建立长效工作机制。",
] as const;

export const declineReasons = [
  "该事项不属于本单位职责范围，建议由相关主管部门负责。",
  "本单位已于上一方案中承担相关任务，建议调整分工。",
] as const;

export const reaffirmNotes = ["经研究，该事项仍由贵单位负责，请按期办理。", "按照三定职责，维持原交办。"] as const;

export const remindMessages = [
  "该任务即将到期，请抓紧推进并反馈进展。",
  "该任务已逾期，请尽快报送办理情况。",
  "请于本周内报送最新进展。",
] as const;

export const extensionReasons = [
  "需会同地方开展试点，申请延期。",
  "配套文件尚在会签，申请延长完成时限。",
  "受立法进度影响，申请延期办理。",
] as const;

export const extensionDecisionNotes = ["同意延期，请按新时限完成。", "不同意延期，请按原时限办结。"] as const;

export const returnReasons = ["办结报告内容不完整，请补充相关数据后重新报送。", "请补充落实情况的佐证材料。"] as const;

export const withdrawReasons = ["任务调整，撤销交办。", "该事项已并入其他方案，撤销本项交办。"] as const;

export const commentBodies = [
  "请牵头单位明确具体分工安排。",
  "本单位已报送相关材料，请查收。",
  "建议召开协调会议统筹推进。",
] as const;

export const closeNotes = ["各单位均已报结，予以办结。", "经审核，任务已完成，办结。"] as const;

/** Subjects of the generated plans, in both languages. */
export const planSubjects: ReadonlyArray<readonly [zh: string, en: string]> = [
  ["促进中小企业数字化转型", "promoting the digital transformation of SMEs"],
  ["进一步优化营商环境", "further improving the business environment"],
  ["加强知识产权保护", "strengthening intellectual property protection"],
  ["支持专精特新中小企业高质量发展", "supporting specialised and innovative SMEs"],
  ["缓解中小企业融资难融资贵", "easing SME financing"],
  ["促进大中小企业融通创新", "integrated innovation of large and small enterprises"],
  ["健全中小企业公共服务体系", "improving public services for SMEs"],
  ["加大减税降费力度", "further tax and fee reductions"],
  ["推动中小企业绿色低碳发展", "green and low-carbon development of SMEs"],
  ["防范和化解拖欠中小企业账款", "preventing payment arrears to SMEs"],
  ["促进个体工商户发展", "supporting individual businesses"],
  ["加强中小企业人才队伍建设", "building SME talent"],
];

export const planKinds: ReadonlyArray<readonly [zh: string, en: string]> = [
  ["实施方案", "Implementation plan on"],
  ["若干措施", "Measures on"],
  ["工作要点", "Work priorities for"],
  ["任务分工方案", "Task division plan on"],
];

/**
 * Measure titles of the generated plans, in Chinese as such plans are written (the seeded default plan keeps its
 * English text): so that the search benchmark's Chinese queries (融资, a two-character word; 中小企业融资担保, a
 * phrase) find rows the way they would in a real department's history. Written for the benchmark, in the manner
 * of the 2020 document's measures; not quotations of it.
 */
export const measureTitlesZh = [
  "健全中小企业法律法规体系",
  "坚持和完善中小企业财税支持制度",
  "完善中小企业融资担保体系",
  "健全中小企业信用信息共享机制",
  "拓宽中小企业直接融资渠道",
  "完善中小企业创新发展支持制度",
  "优化中小企业公共服务体系",
  "健全中小企业人才培养机制",
  "完善支持中小企业发展的基础性制度",
  "落实中小企业融资担保降费奖补政策",
  "推动中小企业数字化转型",
  "加强中小企业知识产权保护",
  "健全防范和化解拖欠中小企业账款长效机制",
  "完善中小企业统计监测制度",
  "推进中小企业专精特新发展",
  "完善政府采购支持中小企业政策",
  "健全普惠金融服务中小企业机制",
  "优化中小企业发展环境",
  "加强中小企业合法权益保护",
  "完善中小企业减税降费政策",
  "健全中小企业融资风险分担机制",
  "促进大中小企业融通发展",
  "加强中小企业工作组织领导",
  "完善中小企业评价指标体系",
  "健全中小企业政策宣传解读机制",
] as const;
