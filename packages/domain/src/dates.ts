/**
 * Calendar dates of the plan. Deadlines are calendar days in Beijing time (UTC+8), the time of the issuing
 * ministries, whatever the server's own time zone.
 */
const isoDatePattern = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written YYYY-MM-DD (2021-02-30 is not one). */
export function isIsoDate(value: string): boolean {
  const match = isoDatePattern.exec(value);
  if (!match) return false;
  const [, y, m, d] = match;
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  return date.toISOString().slice(0, 10) === value;
}

export const planUtcOffsetHours = 8;
const dayMs = 86_400_000;

/** The calendar date in Beijing at the instant `now`. */
export function planCalendarDate(now: Date): string {
  return new Date(now.getTime() + planUtcOffsetHours * 3_600_000).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to`, both YYYY-MM-DD (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / dayMs);
}

/** The instant a plan calendar day ends (the next day's 00:00 in Beijing), for "as of the end of a day" views. */
export function endOfPlanDay(date: string): Date {
  return new Date(Date.parse(`${date}T00:00:00Z`) + dayMs - planUtcOffsetHours * 3_600_000);
}

/** The zone every time is shown in, named in each language. */
export const planTimeZoneName = { zh: "北京时间", en: "Beijing time" } as const;

/**
 * An instant as the plan's offices read it, on screen and in exports alike: its date and minute in Beijing time
 * with the zone named, "2026-11-30 14:05（北京时间）" / "2026-11-30 14:05 (Beijing time)", whatever the reader's or
 * the server's own zone (issue 12: a late act could look on time in another zone). `iso` is a UTC ISO 8601 instant;
 * an unreadable one is returned as given.
 */
export function formatPlanDateTime(iso: string, lang: "zh" | "en"): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const local = new Date(ms + planUtcOffsetHours * 3_600_000).toISOString();
  const text = `${local.slice(0, 10)} ${local.slice(11, 16)}`;
  return lang === "zh" ? `${text}（${planTimeZoneName.zh}）` : `${text} (${planTimeZoneName.en})`;
}

/** A plan calendar day (YYYY-MM-DD) with its zone named: "2026-11-30（北京时间）" / "2026-11-30 (Beijing time)". */
export function formatPlanDate(date: string, lang: "zh" | "en"): string {
  return lang === "zh" ? `${date}（${planTimeZoneName.zh}）` : `${date} (${planTimeZoneName.en})`;
}
