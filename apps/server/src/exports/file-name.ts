/**
 * Export file names: what, which plan (its short name) and which day, e.g.
 * `责任分工矩阵_工信部联企业〔2020〕108号_2026-11-30.xlsx` or `responsibility-matrix_2020-sme-support-system_2026-11-30.xlsx`,
 * so that two downloads of different plans or days never share a name.
 */
import type { Language } from "@countersign/domain";

export interface NamedPlan {
  key: string;
  titleEn: string;
  titleZh: string;
  documentNumber: string;
}

/** Characters no file system accepts in a name, and control characters. */
const unsafe = /[\\/:*?"<>|\p{Cc}]+/gu;

function safe(part: string): string {
  return part.replace(unsafe, "-").replace(/\s+/g, "-").replace(/-{2,}/g, "-").replace(/^[-.]+|[-.]+$/g, "");
}

/**
 * A plan's short name in a file name: in Chinese its document number (工信部联企业〔2020〕108号), else the start of its
 * Chinese title, else as in English; in English its key, unless the key is a generated one (`imported-<uuid>`), then the first words of its
 * English title, else its document number, else the key.
 */
export function planShortName(plan: NamedPlan, lang: Language): string {
  const generated = plan.key.startsWith("imported-");
  if (lang === "zh") {
    const zh = safe(plan.documentNumber) || safe([...plan.titleZh].slice(0, 16).join(""));
    if (zh !== "") return zh;
  }
  if (!generated) return safe(plan.key);
  const words = plan.titleEn
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s-]/gu, " ")
    .split(/\s+/)
    .filter((w) => w !== "" && !["of", "on", "the", "and", "for", "to", "a", "an", "in"].includes(w))
    .slice(0, 5)
    .join("-");
  return safe(words) || safe(plan.documentNumber.replace(/[^\x20-\x7e]/g, "")) || safe(plan.key);
}

/**
 * `<what>_<plan>[_<department>]_<day>.<format>`; `day` is the day the file shows: the "as of" day when asked
 * (截至2026-03-01 / as-of-2026-03-01), else the day of export, in Beijing time.
 */
export function exportFileName(parts: {
  stem: string;
  plan: NamedPlan;
  lang: Language;
  department: string | null;
  asOf: string | null;
  today: string;
  format: string;
}): string {
  const day = parts.asOf === null ? parts.today : `${parts.lang === "zh" ? "截至" : "as-of-"}${parts.asOf}`;
  const name = [parts.stem, planShortName(parts.plan, parts.lang), parts.department, day].filter((p): p is string => p !== null && p !== "");
  return `${name.join("_")}.${parts.format}`;
}
