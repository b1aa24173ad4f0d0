import { defaultPlan, planCalendarDate } from "@countersign/domain";
import type { DueDate } from "@countersign/domain";
import { createSqliteStore, writeTransaction } from "@countersign/db";
import type { AnyStore, CountersignDb } from "@countersign/db";
import { actOnAssignment } from "../services/assignment/act-on-assignment.js";
import type { AssignmentRequest as AssignmentAction } from "../services/assignment/act-on-assignment.js";
import { localPlanChecksIn } from "../services/cascade/local-plan-rules.js";
import { closeOrReopenMeasureIn } from "../services/measure/close-measure.js";
import { noOutboundChannels } from "../services/notifications/notify.js";
import { issuePlanIn } from "../services/plan/issue-plan.js";
import type { ActingUser } from "../services/shared/acting-user.js";
import { createUser } from "../services/users/create-user.js";
import { demoAccounts, demoPassword, registerDemoOrganisations } from "./demo-accounts.js";
import type { DemoAccount } from "./demo-accounts.js";

export interface DemoSeedResult {
  /** False when the demo accounts were already there (the seed runs once). */
  seeded: boolean;
  accounts: DemoAccount[];
  planId: number | null;
}

const dayMs = 86_400_000;

function plusDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * dayMs).toISOString().slice(0, 10);
}

/**
 * The demo: the 2020 plan issued two months ago and in flight, every step taken through the same services (and so
 * the same workflow and audit trail) as a real request, on a clock that walks from the issue date to today. The plan's
 * issue, the acts and the closing run on the store seam, one unit of work each on this connection; the accounts and
 * organisations are written directly (their services take the SQLite handle).
 */
export async function seedDemo(db: CountersignDb, now: Date = new Date()): Promise<DemoSeedResult> {
  const store = createSqliteStore({ db, sqlite: db.$client });
  try {
    return await seedDemoOn(store, db, now);
  } finally {
    await store.close();
  }
}

async function seedDemoOn(store: AnyStore, db: CountersignDb, now: Date): Promise<DemoSeedResult> {
  const accounts = demoAccounts();
  const { planId, existing } = await store.read(async (repos) => ({
    planId: (await repos.catalog.planIdByKey(defaultPlan.key)) ?? null,
    existing: await repos.accounts.byUsername("miit"),
  }));
  if (existing !== undefined) return { seeded: false, accounts, planId };

  let clock = now.getTime() - 60 * dayMs;
  const tick = (hours: number): Date => {
    clock = Math.min(clock + hours * 3_600_000, now.getTime() - 60_000);
    return new Date(clock);
  };

  writeTransaction(db, (tx) => registerDemoOrganisations(tx));
  const users = new Map<string, ActingUser>();
  const created = await Promise.all(
    accounts.map((a) =>
      createUser(db, { ...a, password: demoPassword }, null, new Date(clock - 3_600_000)),
    ),
  );
  for (const u of created) users.set(u.username, u);
  const user = (username: string): ActingUser => {
    const u = users.get(username);
    if (u === undefined) throw new Error(`demo: no account ${username}`);
    return u;
  };
  if (planId === null) return { seeded: true, accounts, planId };

  const today = planCalendarDate(now);
  const due = (days: number): DueDate => plusDays(today, days);
  const dueDates: Array<{ measureNumber: number; dueDate: DueDate }> = [
    ...[3, 4].map((m) => ({ measureNumber: m, dueDate: due(-40) })), // long overdue
    ...[1, 7, 8, 11].map((m) => ({ measureNumber: m, dueDate: due(-12) })), // overdue
    ...[12, 15, 19].map((m) => ({ measureNumber: m, dueDate: due(4) })), // due soon
    ...[16, 17, 18, 24, 25].map((m) => ({ measureNumber: m, dueDate: "ongoing" })), // 持续推进
    { measureNumber: 5, dueDate: due(-5) },
    { measureNumber: 9, dueDate: due(20) },
  ];
  const coordinator = user("miit");
  // Every step runs on the store seam, as a request's does: one unit of work each, on this connection.
  // The demo queues no webhooks or mail: it is seeded before the server turns its channels on.
  const outbound = noOutboundChannels;
  // Back-dated on purpose: the demo shows work already overdue.
  const issuedAt = tick(0);
  await store.transaction((tx) =>
    issuePlanIn(tx, coordinator, { planId, dueDate: due(90), dueDates, backdated: true }, issuedAt, { local: localPlanChecksIn(tx.repos, coordinator, issuedAt), outbound }),
  );

  const liaisonOf = (department: string): ActingUser => user(department === "MIIT" ? "miit-liaison" : department.toLowerCase());
  const act = async (by: ActingUser, measureNumber: number, department: string, action: AssignmentAction): Promise<void> => {
    const row = await store.read(async (repos) => {
      const measure = await repos.catalog.measure(planId, measureNumber);
      if (measure === undefined) return undefined;
      return (await repos.planEditing.measureAssignments(measure.id)).find((a) => a.department === department);
    });
    if (row === undefined) throw new Error(`demo: no assignment for (${measureNumber}) ${department}`);
    const at = tick(5);
    await store.transaction((tx) => actOnAssignment(tx, by, { id: row.id, expectedVersion: row.version, action }, at, { outbound }));
  };
  const liaison = (measureNumber: number, department: string, action: AssignmentAction): Promise<void> =>
    act(liaisonOf(department), measureNumber, department, action);
  const lead = (measureNumber: number, department: string, action: AssignmentAction): Promise<void> =>
    act(coordinator, measureNumber, department, action);

  // The first week: most departments acknowledge receipt (签收).
  const acknowledged: Array<[number, string[]]> = [
    [1, ["MIIT"]],
    [2, ["SAMR", "NDRC", "MOFCOM"]],
    [3, ["NBS", "MIIT"]],
    [4, ["NDRC", "PBOC", "SAMR"]],
    [5, ["SAMR", "NDRC"]],
    [6, ["MOF", "MIIT"]],
    [7, ["STA", "MOF", "NDRC"]],
    [8, ["MOF"]],
    [9, ["PBOC", "CBIRC"]],
    [10, ["CBIRC", "CNIPA", "PBOC"]],
    [11, ["CBIRC", "MOF", "PBOC"]],
    [12, ["CSRC", "NDRC"]],
    [13, ["MOF", "CBIRC", "PBOC"]],
    [14, ["NDRC", "MOST"]],
    [15, ["MOST", "MIIT", "MOHRSS"]],
    [16, ["MIIT"]],
    [19, ["MIIT", "MOHRSS"]],
    [20, ["MIIT", "CNIPA", "SAMR", "GACC", "MOFCOM"]],
    [21, ["NDRC", "MIIT"]],
    [22, ["CNIPA"]],
    [24, ["MIIT", "NDRC", "MOST", "MOF", "MOHRSS", "MEE", "MARA", "MOFCOM", "PBOC", "STA", "SAMR", "CBIRC", "CSRC"]],
  ];
  for (const [measureNumber, list] of acknowledged) for (const d of list) await liaison(measureNumber, d, { type: "accept" });

  // One department contests an assignment outside its remit.
  await liaison(10, "STA", {
    type: "decline",
    reason: "中小企业贷款的税收优惠已在第（七）项措施中落实，税务总局在第（十）项中无单独任务，请调整交办。",
  });

  // Work under way (承办): progress reports, a fortnight on.
  tick(14 * 24);
  const progress: Array<[number, string, string]> = [
    [1, "MIIT", "《中小企业促进法》配套规章修订草案已印发征求意见。"],
    [2, "SAMR", "已完成1200件地方文件的公平竞争审查，修订37件。"],
    [3, "NBS", "会同人民银行起草中小企业统计监测指标，在5个省份试点。"],
    [4, "NDRC", "信用信息共享平台已与23个省级平台联通。"],
    [6, "MOF", "中小企业发展专项资金管理办法修订稿已形成（财建〔2020〕号征求意见稿）。"],
    [7, "STA", "中小企业税费负担指标评估正在开展。"],
    [11, "CBIRC", "普惠型贷款差异化监管指标已起草。"],
    [12, "CSRC", "中小企业债券融资规则正在审议。"],
    [13, "MOF", "融资担保基金资本金补充方案已报送。"],
    [14, "NDRC", "双创示范基地名单已汇总。"],
    [15, "MOST", "创新券政策已推广至12个省份。"],
    [20, "MIIT", "新批复中欧中小企业合作区2个。"],
    [21, "NDRC", "会同法院梳理产权保护案件。"],
    [24, "MIIT", "已召开领导小组会议，分工方案已印发各成员单位。"],
  ];
  for (const [m, d, note] of progress) await liaison(m, d, { type: "reportProgress", note });

  tick(10 * 24);
  // Supporting departments sign off first; the lead consolidates (牵头汇总) and signs off last.
  await liaison(5, "NDRC", { type: "signOff", summary: "公平监管规则已联合印发，发展改革委承担部分已完成。" });
  await liaison(5, "SAMR", { type: "signOff", summary: "公平监管制度自本季度起施行，报告附后。" });
  await liaison(9, "CBIRC", { type: "signOff", summary: "已为各银行设定普惠型小微企业贷款目标。" });
  await liaison(9, "PBOC", { type: "signOff", summary: "支小再贷款额度已提高，按月监测传导情况。" });
  await liaison(14, "MOST", { type: "signOff", summary: "科技园区孵化器已向中小企业创业者开放。" });
  await liaison(13, "CBIRC", { type: "signOff", summary: "融资担保业务监管规则已修订。" });
  await liaison(22, "CNIPA", { type: "signOff", summary: "知识产权保护援助中心已覆盖全部省份。" });
  await liaison(20, "SAMR", { type: "signOff", summary: "已与合作国家签署标准化合作协议。" });

  tick(7 * 24);
  // The lead ministry at work: closes a countersigned measure, returns a thin sign-off, chases late work.
  const closedAt = tick(6);
  await store.transaction((tx) => closeOrReopenMeasureIn(tx, coordinator, "close", { planId, measureNumber: 5, note: "报告已收悉，予以办结。" }, closedAt));
  await lead(13, "CBIRC", { type: "return", reason: "请补充2020年下半年担保费率数据后再报结。" });
  await lead(3, "PBOC", { type: "remind", message: "统计监测制度已逾期一个月，请尽快签收。" });
  await lead(8, "MIIT", { type: "remind", message: "政府采购预留份额支持中小企业事项，请反馈进展。" });
  await lead(4, "NDRC", { type: "remind", message: "请于本周五前反馈信用体系建设进展。" });

  // An extension request awaiting the lead ministry's decision.
  await liaison(7, "STA", {
    type: "requestExtension",
    until: due(30),
    reason: "税费负担评估需使用年度税收数据，该数据下月发布。",
  });
  // Comments between the lead ministry and departments.
  await lead(20, "GACC", { type: "comment", body: "通关便利化事项请先与商务部沟通后再反馈。" });
  await liaison(20, "GACC", { type: "comment", body: "收到，正与商务部联合起草说明。" });

  return { seeded: true, accounts, planId };
}
