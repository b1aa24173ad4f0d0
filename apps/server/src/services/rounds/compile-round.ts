import { departmentOnlyRoundReportStatuses, roundReportStanding } from "@countersign/domain";
import type { Language, RoundReportStatus } from "@countersign/domain";
import type { Repositories } from "@countersign/db";
import type { CompiledRound } from "@countersign/exports";
import { ServiceError } from "../../errors.js";
import { readsAllDepartments } from "../shared/acting-user.js";
import type { ActingUser } from "../shared/acting-user.js";
import { getRoundSummary } from "./get-round.js";
import { compiledLevelReports } from "./level-reports.js";

/** The statuses whose text the compiled report prints: what was submitted to the lead ministry (a draft is the department's own). */
const printedStatuses = ["submitted", "returned"] as const satisfies readonly RoundReportStatus[];

/**
 * The compiled report's content (定期调度汇总): every report of the round grouped by section and measure, lead first,
 * with the round's statistics; the text of submitted and returned reports only (a draft is the department's own);
 * and the level below's reports to the round (issue 16, point 3: each as signed off, or "not yet reported").
 * For those who read every department (`forbidden_role` otherwise: it holds every department's words).
 *
 * Reads only what the document prints: one row per report with the text only where it is printed (the database
 * leaves the rest out), the names of the files the lead ministry may see, and the statistics counted in the
 * database; no per-report view (allowed actions, file details) is built.
 */
export async function compileRound(repos: Repositories, user: ActingUser, roundId: number, lang: Language, now: Date): Promise<CompiledRound> {
  if (!readsAllDepartments(user)) {
    throw new ServiceError("forbidden_role", "The compiled report holds every department's report: the lead ministry's coordinator, observers and administrators download it.");
  }
  const round = await getRoundSummary(repos, user, roundId, now);
  const plan = await repos.rounds.planOf(round.planId);
  const names = new Map((await repos.rounds.departmentNames()).map((d) => [d.code, d]));
  const rows = await repos.rounds.compiledRows(round.id, printedStatuses);
  // The names of the files the lead ministry sees (not those of a report still the department's own).
  const files = new Map<number, string[]>();
  for (const f of await repos.rounds.shownFileNames(round.id, departmentOnlyRoundReportStatuses)) {
    const list = files.get(f.reportId) ?? [];
    list.push(f.name);
    files.set(f.reportId, list);
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
    levels: await compiledLevelReports(repos, round.id),
  };
}
