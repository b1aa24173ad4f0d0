import { and, eq } from "drizzle-orm";
import { defaultPlan, planCalendarDate } from "@countersign/domain";
import type { DueDate } from "@countersign/domain";
import { writeTransaction } from "@countersign/db";
import type { CountersignDb } from "@countersign/db";
import { assignmentsTable, usersTable } from "@countersign/db/schema";
import { actOnAssignment } from "../services/assignment/act-on-assignment.js";
import type { AssignmentRequest as AssignmentAction } from "../services/assignment/act-on-assignment.js";
import { planIdByKey } from "../services/catalog/list-plans.js";
import { closeOrReopenMeasure } from "../services/measure/close-measure.js";
import { issuePlan } from "../services/plan/issue-plan.js";
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
 * the same workflow and audit trail) as a real request, on a clock that walks from the issue date to today.
 */
export async function seedDemo(db: CountersignDb, now: Date = new Date()): Promise<DemoSeedResult> {
  const accounts = demoAccounts();
  const planId = planIdByKey(db, defaultPlan.key);
  const existing = db.select({ id: usersTable.id }).from(usersTable).where(eq(usersTable.username, "miit")).get();
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
  // Back-dated on purpose: the demo shows work already overdue.
  issuePlan(db, coordinator, { planId, dueDate: due(90), dueDates, backdated: true }, tick(0));

  const liaisonOf = (department: string): ActingUser => user(department === "MIIT" ? "miit-liaison" : department.toLowerCase());
  const act = (by: ActingUser, measureNumber: number, department: string, action: AssignmentAction): void => {
    const row = db
      .select({ id: assignmentsTable.id, version: assignmentsTable.version })
      .from(assignmentsTable)
      .where(
        and(
          eq(assignmentsTable.planId, planId),
          eq(assignmentsTable.measureNumber, measureNumber),
          eq(assignmentsTable.department, department),
        ),
      )
      .get();
    if (row === undefined) throw new Error(`demo: no assignment for (${measureNumber}) ${department}`);
    actOnAssignment(db, by, { id: row.id, expectedVersion: row.version, action }, tick(5));
  };
  const liaison = (measureNumber: number, department: string, action: AssignmentAction): void =>
    act(liaisonOf(department), measureNumber, department, action);
  const lead = (measureNumber: number, department: string, action: AssignmentAction): void =>
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
  for (const [measureNumber, list] of acknowledged) for (const d of list) liaison(measureNumber, d, { type: "accept" });

  // One department contests an assignment outside its remit.
  liaison(10, "STA", {
    type: "decline",
    reason: "Tax incentives for SME lending are handled under measure (7); STA has no separate task in (10).",
  });

  // Work under way (承办): progress reports, a fortnight on.
  tick(14 * 24);
  const progress: Array<[number, string, string]> = [
    [1, "MIIT", "Draft amendments to the SME Promotion Law regulations circulated for comment."],
    [2, "SAMR", "Fair competition review of 1,200 local documents completed; 37 revised."],
    [3, "NBS", "SME statistical monitoring indicators drafted with PBOC; pilot in 5 provinces."],
    [4, "NDRC", "Credit information sharing platform connected to 23 provincial platforms."],
    [6, "MOF", "Central SME development fund guidelines revised (财建〔2020〕号 draft)."],
    [7, "STA", "Review of SME tax burden indicators under way."],
    [11, "CBIRC", "Differentiated supervision indicators for inclusive loans drafted."],
    [12, "CSRC", "Rules for SME bond financing under review."],
    [13, "MOF", "Guarantee fund capital replenishment plan submitted."],
    [14, "NDRC", "Entrepreneurship support demonstration bases: list compiled."],
    [15, "MOST", "Innovation vouchers scheme extended to 12 provinces."],
    [20, "MIIT", "China–EU SME cooperation zones: 2 new zones approved."],
    [21, "NDRC", "Property rights protection cases reviewed with the courts."],
    [24, "MIIT", "Leading group meeting held; work plan circulated to member units."],
  ];
  for (const [m, d, note] of progress) liaison(m, d, { type: "reportProgress", note });

  tick(10 * 24);
  // Supporting departments sign off first; the lead consolidates (牵头汇总) and signs off last.
  liaison(5, "NDRC", { type: "signOff", summary: "Fair supervision rules co-issued; NDRC's part completed." });
  liaison(5, "SAMR", { type: "signOff", summary: "Fair supervision system in force since this quarter; report attached." });
  liaison(9, "CBIRC", { type: "signOff", summary: "Inclusive SME loan targets set for all banks." });
  liaison(9, "PBOC", { type: "signOff", summary: "Re-lending quota for SMEs raised; transmission monitored monthly." });
  liaison(14, "MOST", { type: "signOff", summary: "Science parks' incubators opened to SME founders." });
  liaison(13, "CBIRC", { type: "signOff", summary: "Guarantee business supervision rules updated." });
  liaison(22, "CNIPA", { type: "signOff", summary: "IP protection assistance centres cover all provinces." });
  liaison(20, "SAMR", { type: "signOff", summary: "Standards cooperation with partner countries signed." });

  tick(7 * 24);
  // The lead ministry at work: closes a countersigned measure, returns a thin sign-off, chases late work.
  closeOrReopenMeasure(db, coordinator, "close", { planId, measureNumber: 5, note: "办结: report received." }, tick(6));
  lead(13, "CBIRC", { type: "return", reason: "Please add the 2020 H2 figures for guarantee fees before signing off." });
  lead(3, "PBOC", { type: "remind", message: "The statistical monitoring system was due a month ago; please acknowledge." });
  lead(8, "MIIT", { type: "remind", message: "Government procurement reservation for SMEs: please report progress." });
  lead(4, "NDRC", { type: "remind", message: "Please report on the credit system by Friday." });

  // An extension request awaiting the lead ministry's decision.
  liaison(7, "STA", {
    type: "requestExtension",
    until: due(30),
    reason: "The tax burden review needs the annual tax data, published next month.",
  });
  // Comments between the lead ministry and departments.
  lead(20, "GACC", { type: "comment", body: "Please coordinate customs facilitation items with MOFCOM before reporting." });
  liaison(20, "GACC", { type: "comment", body: "Noted; a joint note with MOFCOM is in preparation." });

  return { seeded: true, accounts, planId };
}
