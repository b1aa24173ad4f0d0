import { eq } from "drizzle-orm";
import type { Language } from "@countersign/domain";
import type { Queryable } from "@countersign/db";
import { departmentsTable, plansTable, sectionsTable } from "@countersign/db/schema";
import type { CompiledRound } from "@countersign/exports";
import { ServiceError } from "../../errors.js";
import { readsAllDepartments } from "../shared/acting-user.js";
import type { ActingUser } from "../shared/acting-user.js";
import { getRound } from "./get-round.js";

/**
 * The compiled report's content (定期调度汇总): every report of the round grouped by section and measure, lead first,
 * with the round's statistics; the text of submitted and returned reports only (a draft is the department's own).
 * For those who read every department (`forbidden_role` otherwise: it holds every department's words).
 */
export function compileRound(db: Queryable, user: ActingUser, roundId: number, lang: Language, now: Date): CompiledRound {
  if (!readsAllDepartments(user)) {
    throw new ServiceError("forbidden_role", "The compiled report holds every department's report: the lead ministry's coordinator, observers and administrators download it.");
  }
  const round = getRound(db, user, roundId, now);
  const plan = db.select({ titleZh: plansTable.titleZh, titleEn: plansTable.titleEn }).from(plansTable).where(eq(plansTable.id, round.planId)).get();
  const names = new Map(db.select().from(departmentsTable).all().map((d) => [d.code, d]));
  const numerals = new Map(db.select().from(sectionsTable).where(eq(sectionsTable.planId, round.planId)).all().map((s) => [s.number, s.numeral]));
  const sections: CompiledRound["sections"] = [];
  for (const r of [...round.reports].sort((a, b) => a.sectionNumber - b.sectionNumber || a.measureNumber - b.measureNumber)) {
    let section = sections.find((s) => s.number === r.sectionNumber);
    if (section === undefined) {
      section = { number: r.sectionNumber, numeral: numerals.get(r.sectionNumber) ?? String(r.sectionNumber), title: r.sectionTitle, measures: [] };
      sections.push(section);
    }
    let measure = section.measures.find((m) => m.number === r.measureNumber);
    if (measure === undefined) {
      measure = { number: r.measureNumber, title: r.measureTitle, reports: [] };
      section.measures.push(measure);
    }
    const d = names.get(r.department);
    const shown = r.status === "submitted" || r.status === "returned";
    measure.reports.push({
      department: { code: r.department, nameZh: d?.nameZh ?? r.department, nameEn: d?.nameEn ?? r.department },
      role: r.role,
      standing: r.standing,
      submittedAt: r.submittedAt,
      progress: shown ? r.progress : null,
      problems: shown ? r.problems : null,
      nextSteps: shown ? r.nextSteps : null,
      attachments: r.attachments.map((a) => a.name),
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
