import { and, asc, eq, inArray, isNull, notInArray, sql } from "drizzle-orm";
import type { AnyColumn } from "drizzle-orm";
import { departmentOnlyRoundReportStatuses, roundReportStanding } from "@countersign/domain";
import type { Language, RoundReportStatus } from "@countersign/domain";
import type { Queryable } from "@countersign/db";
import { attachmentsTable, departmentsTable, measuresTable, plansTable, roundReportsTable, sectionsTable } from "@countersign/db/schema";
import type { CompiledRound } from "@countersign/exports";
import { ServiceError } from "../../errors.js";
import { readsAllDepartments } from "../shared/acting-user.js";
import type { ActingUser } from "../shared/acting-user.js";
import { getRoundSummary } from "./get-round.js";

/** The statuses whose text the compiled report prints: what was submitted to the lead ministry (a draft is the department's own). */
const printedStatuses = ["submitted", "returned"] as const satisfies readonly RoundReportStatus[];

/**
 * The compiled report's content (定期调度汇总): every report of the round grouped by section and measure, lead first,
 * with the round's statistics; the text of submitted and returned reports only (a draft is the department's own).
 * For those who read every department (`forbidden_role` otherwise: it holds every department's words).
 *
 * Reads only what the document prints: one row per report with the text only where it is printed (the database
 * leaves the rest out), the names of the files the lead ministry may see, and the statistics counted in the
 * database; no per-report view (allowed actions, file details) is built.
 */
export function compileRound(db: Queryable, user: ActingUser, roundId: number, lang: Language, now: Date): CompiledRound {
  if (!readsAllDepartments(user)) {
    throw new ServiceError("forbidden_role", "The compiled report holds every department's report: the lead ministry's coordinator, observers and administrators download it.");
  }
  const round = getRoundSummary(db, user, roundId, now);
  const plan = db.select({ titleZh: plansTable.titleZh, titleEn: plansTable.titleEn }).from(plansTable).where(eq(plansTable.id, round.planId)).get();
  const names = new Map(db.select().from(departmentsTable).all().map((d) => [d.code, d]));
  const r = roundReportsTable;
  const printed = inArray(r.status, [...printedStatuses]);
  const textOf = (column: AnyColumn) => sql<string | null>`case when ${printed} then ${column} else null end`;
  const rows = db
    .select({
      id: r.id,
      department: r.department,
      role: r.role,
      status: r.status,
      submittedAt: r.submittedAt,
      progress: textOf(r.progress),
      problems: textOf(r.problems),
      nextSteps: textOf(r.nextSteps),
      measureNumber: r.measureNumber,
      measureTitle: measuresTable.title,
      sectionNumber: sectionsTable.number,
      sectionTitle: sectionsTable.title,
      numeral: sectionsTable.numeral,
    })
    .from(r)
    .innerJoin(measuresTable, and(eq(measuresTable.planId, r.planId), eq(measuresTable.number, r.measureNumber)))
    .innerJoin(sectionsTable, and(eq(sectionsTable.planId, r.planId), eq(sectionsTable.number, measuresTable.sectionNumber)))
    .where(eq(r.roundId, round.id))
    .orderBy(asc(sectionsTable.number), asc(r.measureNumber), asc(r.role), asc(r.department), asc(r.id))
    .all();
  // The names of the files the lead ministry sees (not those of a report still the department's own), by a subquery.
  const files = new Map<number, string[]>();
  const shownReports = db
    .select({ id: r.id })
    .from(r)
    .where(and(eq(r.roundId, round.id), notInArray(r.status, [...departmentOnlyRoundReportStatuses])));
  for (const f of db
    .select({ ownerId: attachmentsTable.ownerId, name: attachmentsTable.name })
    .from(attachmentsTable)
    .where(and(eq(attachmentsTable.ownerKind, "round_report"), isNull(attachmentsTable.supersededById), inArray(attachmentsTable.ownerId, shownReports)))
    .orderBy(asc(attachmentsTable.id))
    .all()) {
    const list = files.get(f.ownerId) ?? [];
    list.push(f.name);
    files.set(f.ownerId, list);
  }
  const sections: CompiledRound["sections"] = [];
  for (const row of rows) {
    let section = sections[sections.length - 1];
    if (section === undefined || section.number !== row.sectionNumber) {
      section = { number: row.sectionNumber, numeral: row.numeral, title: row.sectionTitle, measures: [] };
      sections.push(section);
    }
    let measure = section.measures[section.measures.length - 1];
    if (measure === undefined || measure.number !== row.measureNumber) {
      measure = { number: row.measureNumber, title: row.measureTitle, reports: [] };
      section.measures.push(measure);
    }
    const d = names.get(row.department);
    measure.reports.push({
      department: { code: row.department, nameZh: d?.nameZh ?? row.department, nameEn: d?.nameEn ?? row.department },
      role: row.role,
      standing: roundReportStanding(row, round.dueDate, now),
      submittedAt: row.submittedAt,
      progress: row.progress,
      problems: row.problems,
      nextSteps: row.nextSteps,
      attachments: files.get(row.id) ?? [],
    });
  }
  return {
    title: round.title,
    planTitle: lang === "zh" ? (plan?.titleZh ?? "") : (plan?.titleEn ?? ""),
    periodStart: round.periodStart,
    periodEnd: round.periodEnd,
    dueDate: round.dueDate,
    compiledAt: now.toISOString(),
    statistics: round.statistics,
    sections,
  };
}
