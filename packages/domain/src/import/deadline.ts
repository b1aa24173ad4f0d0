/*
 * Deadlines as policy documents and task-division tables state them: 2021年底前, 2022年6月底前, 2021年9月30日前,
 * 2022年上半年, 持续推进, 长期坚持, a date (2021-12-31, 2021/12/31, 2021年12月31日), and their English forms
 * ("by the end of 2021", "ongoing", "long-term").
 */
import type { StatedDeadline } from "../types.js";
import { deadlineRefusal } from "../plan-change.js";
import type { DraftMeasure, DraftWarning } from "./draft-plan.js";

/**
 * A measure's deadline in a draft. `date` is the last calendar day (YYYY-MM-DD, Beijing time, as every deadline of
 * the plan); `ongoing` is work without an end (持续推进, 长期坚持). `stated` is the wording as printed.
 */
export type DraftDeadline = { kind: "date"; date: string; stated: string } | { kind: "ongoing"; stated: string };

/**
 * The deadline a plan's measure keeps from its draft: the due date it means ("ongoing" or YYYY-MM-DD) and the
 * wording as printed; null when the draft states none. Used by the web's import and `plan.create` alike.
 */
export function statedDeadlineOf(deadline: DraftDeadline | null): StatedDeadline | null {
  if (deadline === null) return null;
  return { dueDate: deadline.kind === "ongoing" ? "ongoing" : deadline.date, stated: deadline.stated };
}

const pad = (n: number): string => String(n).padStart(2, "0");

function lastDayOfMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function validDate(year: number, month: number, day: number): string | null {
  if (year < 1949 || year > 2200 || month < 1 || month > 12 || day < 1 || day > lastDayOfMonth(year, month)) return null;
  return `${year}-${pad(month)}-${pad(day)}`;
}

const ongoingWords = /^(?:持续推进|长期坚持|持续实施|长期推进|持续开展|长期实施|持续|长期|ongoing|continuous(?:ly)?|long[- ]term)$/i;

/**
 * Every pattern is anchored and bounded ({1,2} digits, fixed words), so `deadlineAt` costs O(1) per position and a
 * scan of a text stays linear.
 */
const zhDate = /(\d{4})\s*年\s*(?:(\d{1,2})\s*月\s*(?:(\d{1,2})\s*日)?)?\s*(上半年|下半年|年底|底|末|年末)?\s*(?:之前|以前|前)?(?:完成)?/y;
const isoDate = /(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})/y;
const ongoingAt = /持续推进|长期坚持|持续实施|长期推进|持续开展|长期实施/y;
const enByEnd = /by the end of (\d{4})|(?:by|before) (\d{4})-(\d{2})-(\d{2})/iy;

/** The deadline stated at `pos` in `text`, with its end, or null. */
export function deadlineAt(text: string, pos: number): { deadline: DraftDeadline; end: number } | null {
  for (const pattern of [ongoingAt, isoDate, zhDate, enByEnd]) {
    pattern.lastIndex = pos;
    const m = pattern.exec(text);
    if (!m) continue;
    const stated = m[0];
    const end = pos + stated.length;
    if (pattern === ongoingAt) return { deadline: { kind: "ongoing", stated }, end };
    if (pattern === isoDate) {
      const date = validDate(Number(m[1]), Number(m[2]), Number(m[3]));
      if (date) return { deadline: { kind: "date", date, stated }, end };
      continue;
    }
    if (pattern === enByEnd) {
      const date = m[1] !== undefined ? validDate(Number(m[1]), 12, 31) : validDate(Number(m[2]), Number(m[3]), Number(m[4]));
      if (date) return { deadline: { kind: "date", date, stated }, end };
      continue;
    }
    const year = Number(m[1]);
    const month = m[2] !== undefined ? Number(m[2]) : null;
    const day = m[3] !== undefined ? Number(m[3]) : null;
    const part = m[4];
    // "2021年" alone is a year in prose, not a deadline: it needs 底/前/月/日 or a half-year.
    if (month === null && part === undefined && !/[前完]/.test(stated)) continue;
    const date =
      month === null
        ? part === "上半年"
          ? validDate(year, 6, 30)
          : validDate(year, 12, 31)
        : day === null
          ? validDate(year, month, lastDayOfMonth(year, month))
          : validDate(year, month, day);
    if (date) return { deadline: { kind: "date", date, stated }, end };
  }
  return null;
}

/**
 * Reads a deadline cell or phrase as a whole ("2021年底前", "持续推进", "2021-12-31", "长期"). Returns null when the
 * text states no deadline this function knows; the caller keeps the text and warns.
 */
export function parseDeadline(raw: string): DraftDeadline | null {
  const text = raw.trim();
  if (text === "") return null;
  if (ongoingWords.test(text)) return { kind: "ongoing", stated: text };
  const found = deadlineAt(text, 0);
  return found ? found.deadline : null;
}

/**
 * One `deadline_past` warning for each measure whose stated deadline (a date, not 持续推进) `deadlineRefusal` would
 * refuse as before `today` (YYYY-MM-DD, the plan's calendar: `planCalendarDate`), pointing at the measure: issued as it stands, its assignments
 * would be overdue at once. An old document imported as a record, or a year misprinted, both deserve a look before
 * the plan is created. Nothing is changed: the coordinator sets the deadline on the review page.
 */
export function pastDeadlineWarnings(measures: readonly DraftMeasure[], today: string): DraftWarning[] {
  const warnings: DraftWarning[] = [];
  for (const m of measures) {
    // The deadline rule every place that sets one applies (`deadlineRefusal`): here a warning, not a refusal.
    if (m.deadline === null || m.deadline.kind !== "date" || deadlineRefusal(m.deadline.date, today, false)?.code !== "deadline_in_past") continue;
    warnings.push({
      kind: "deadline_past",
      message: `The deadline of measure (${m.number}), ${m.deadline.stated} (${m.deadline.date}), is already past (today is ${today}): its assignments would be overdue when issued. Check the year, or set a new deadline.`,
      span: m.span,
      section: null,
      measure: m.number,
    });
  }
  return warnings;
}
