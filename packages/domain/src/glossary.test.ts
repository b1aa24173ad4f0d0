import { describe, expect, it } from "vitest";
import { glossary } from "./glossary.js";
import type { GlossaryTerms } from "./glossary.js";
import type { Language } from "./matrix.js";
import { actorRoles, assignmentStatuses, latenessLevels, measureStatuses, roles } from "./types.js";
import { assignmentActionTypes } from "./actions.js";

const languages: readonly Language[] = ["zh", "en"];

/** Every stable state name of the domain, by the glossary group that names it. */
const stateNames: ReadonlyArray<[Exclude<keyof GlossaryTerms, "term">, readonly string[]]> = [
  ["assignmentStatus", assignmentStatuses],
  ["measureStatus", measureStatuses],
  ["role", roles],
  ["roleMark", roles],
  ["lateness", latenessLevels],
  ["actorRole", actorRoles],
  ["action", assignmentActionTypes],
];

const termOf = (lang: Language, group: keyof GlossaryTerms, key: string): string | undefined =>
  (glossary[lang][group] as Record<string, string>)[key];

/**
 * The glossary table of the domain reference (domain.md, "A glossary for the two languages"), where it names a
 * state, an action or a concept the glossary holds: [group, key, English, 中文]. A state is named by its participle
 * (已签收 for 签收), so a state's term contains the table's word; an action or a concept is the word itself.
 */
const referenceTable: ReadonlyArray<[keyof GlossaryTerms, string, string, string, "contains" | "is"]> = [
  ["role", "lead", "lead", "牵头单位", "is"],
  ["role", "supporting", "supporting", "参与单位", "is"],
  ["assignmentStatus", "accepted", "accept", "签收", "contains"],
  ["assignmentStatus", "declined", "decline", "申请调整", "contains"],
  ["assignmentStatus", "signed_off", "signed off", "报结", "contains"],
  ["assignmentStatus", "withdrawn", "withdraw", "撤销", "contains"],
  ["measureStatus", "countersigned", "all signed off", "已全部报结", "is"],
  ["measureStatus", "closed", "close", "办结", "contains"],
  ["lateness", "due_soon", "due soon", "即将到期", "is"],
  ["lateness", "overdue", "overdue", "已逾期", "is"],
  ["lateness", "long_overdue", "long overdue", "严重逾期", "is"],
  ["action", "accept", "accept", "签收", "is"],
  ["action", "decline", "decline", "申请调整", "is"],
  ["action", "reportProgress", "report progress", "进展反馈", "is"],
  ["action", "signOff", "sign off", "报结", "is"],
  ["action", "requestExtension", "extension", "延期申请", "is"],
  ["action", "reassign", "reassign", "改派", "is"],
  ["action", "reaffirm", "reaffirm", "维持交办", "is"],
  ["action", "return", "return", "退回重办", "is"],
  ["action", "withdraw", "withdraw", "撤销", "is"],
  ["action", "remind", "remind", "催办", "is"],
  ["actorRole", "coordinator", "coordinator", "牵头协调", "is"],
  ["actorRole", "liaison", "liaison", "联络员", "is"],
  ["term", "plan", "plan", "分工方案", "is"],
  ["term", "inbox", "inbox", "待办事项", "is"],
  ["term", "deadline", "deadline", "完成时限", "is"],
  ["term", "ongoing", "ongoing", "持续推进", "is"],
  ["term", "responsibilityMatrix", "responsibility matrix", "责任分工矩阵", "is"],
  ["term", "taskDivisionTable", "task-division table", "任务分工表", "is"],
];

describe("glossary", () => {
  it("names every state, role, lateness level, actor role and action in both languages, and nothing else", () => {
    for (const lang of languages) {
      for (const [group, names] of stateNames) {
        expect(Object.keys(glossary[lang][group]).sort(), `${lang}.${group}`).toEqual([...names].sort());
        for (const name of names) expect(termOf(lang, group, name)?.trim(), `${lang}.${group}.${name}`).toBeTruthy();
      }
      for (const [key, text] of Object.entries(glossary[lang].term)) expect(text.trim(), `${lang}.term.${key}`).not.toBe("");
    }
  });

  it("gives two states of one kind two different terms", () => {
    for (const lang of languages) {
      for (const [group, names] of stateNames) {
        const terms = names.map((name) => termOf(lang, group, name));
        expect(new Set(terms).size, `${lang}.${group}`).toBe(names.length);
      }
    }
  });

  it("keeps the terms of the glossary table in domain.md", () => {
    for (const [group, key, english, chinese, how] of referenceTable) {
      const zh = termOf("zh", group, key);
      if (how === "is") expect(zh, `zh.${group}.${key}`).toBe(chinese);
      else expect(zh, `zh.${group}.${key}`).toContain(chinese);
      expect(termOf("en", group, key)?.toLowerCase(), `en.${group}.${key}`).toContain(english);
    }
  });

  it("marks a role in a matrix cell with the start of its full name", () => {
    for (const lang of languages) {
      for (const role of roles) expect(glossary[lang].role[role].startsWith(glossary[lang].roleMark[role]), `${lang}.${role}`).toBe(true);
    }
  });
});
