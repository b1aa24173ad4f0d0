import { assignmentStatuses, planCalendarDate, textLanguageOf } from "@countersign/domain";
import type { AssignmentStatus, DepartmentCode, Language, Lateness } from "@countersign/domain";
import { latenessBounds } from "@countersign/db";
import type { InboxFilter, Repositories } from "@countersign/db";
import { ServiceError } from "../../errors.js";
import { readsAllDepartments } from "../shared/acting-user.js";
import { handlerReachOf } from "../shared/handler-reach.js";
import type { ActingUser } from "../shared/acting-user.js";
import { declineReasonsFrom } from "../shared/assignment-notes.js";
import { shownSummaryOf } from "../shared/assignment-view.js";
import { inboxSearchOf, searchTermsOf } from "./inbox-search.js";
import type { ShownSummary } from "../shared/assignment-view.js";

export interface InboxQuery {
  planId?: number | undefined;
  /** A department code; `null` for every department (not for a liaison). Defaults to the caller's own department. */
  department?: DepartmentCode | null | undefined;
  status?: AssignmentStatus | undefined;
  lateness?: Lateness | undefined;
  /** Words of the measure's title or text, or its number. */
  search?: string | undefined;
  /** Only what waits for the department leader's approval (the leader's approval queue, 待审核). */
  awaitingApproval?: boolean | undefined;
  /** `nextCursor` of the previous page. */
  cursor?: string | undefined;
  limit?: number | undefined;
}

/**
 * An inbox row: the assignment, with what the list shows of its measure, so that no other request is needed. Without
 * the assignment's times (its page, `assignment.get`, has them): about 100 of some 790 bytes a row, neither read nor
 * sent (issue 17: trim what a page carries).
 */
export interface InboxRow extends ShownSummary {
  /**
   * The measure's text, at most `measureExcerptLength` characters: its start, or with a search the passage around the
   * first match (after "…"), so that a list shows why a row was found.
   */
  measureExcerpt: string;
  /** The published text of the measure is cut short (flagged, never completed). */
  textCut: boolean;
  /** On a declined assignment, the reason given with its latest decline. */
  declineReason: string | null;
  /**
   * Something addressed to the department (a reminder, a return, a decision, a change) that its liaison has not
   * opened yet: the latest such event's type, or null. Cleared by `inbox.markRead` when the liaison opens it.
   */
  unreadNotice: string | null;
}

/** One plan in which the department has work: what the inbox's plan filter lists, with its counts. */
export interface InboxPlan {
  planId: number;
  key: string;
  titleEn: string;
  titleZh: string;
  documentNumber: string;
  status: "draft" | "issued" | "withdrawn";
  /** Assignments to acknowledge or in progress (assigned, accepted, in progress). */
  open: number;
  /** Of those, past their deadline (Beijing calendar days). */
  overdue: number;
  /** Assignments with an unread notice. */
  unread: number;
  /**
   * The language of the plan's measure text, which is what the inbox search looks in (not a translation added later):
   * the search box tells the reader which words will find something (new-user trial, fault 6).
   */
  searchLanguage: Language;
}

export const measureExcerptLength = 240;

export interface InboxPage {
  /** The department listed, or null for all. */
  department: DepartmentCode | null;
  /** Ordered by due date ("ongoing" last), then id. */
  rows: InboxRow[];
  /** Per status, under every filter except `status` (for the tabs). */
  counts: Record<AssignmentStatus, number>;
  /** Rows under every filter except `status`. */
  total: number;
  nextCursor: string | null;
}

export const inboxDefaultLimit = 50;
export const inboxMaxLimit = 200;

/**
 * One page of an inbox (the caller's department's by default; every department's for the coordinator, observers and
 * administrators asking for `null`; a handler's only what reaches them), with the per-status counts of the tabs.
 * On either engine (the store seam, issue 13): reads through `repos.inbox`.
 * Errors: `not_your_department` (a liaison naming another department), `invalid_input` (a cursor not given out here).
 */
export async function listInbox(repos: Repositories, user: ActingUser, query: InboxQuery, now: Date): Promise<InboxPage> {
  const department = inboxDepartment(user, query.department);
  const limit = Math.min(Math.max(query.limit ?? inboxDefaultLimit, 1), inboxMaxLimit);
  const search = inboxSearchOf(query.search);
  const after = query.cursor === undefined ? null : decodeCursor(query.cursor);
  const filter: InboxFilter = {
    department,
    // The visibility rule (policy.ts): a handler's inbox is what was handed to them or to their division.
    handler: handlerReachOf(user),
    planId: query.planId ?? null,
    awaitingApproval: query.awaitingApproval === true,
    lateness: query.lateness ?? null,
    bounds: latenessBounds(now),
    search: searchTermsOf(search),
  };

  // The tabs' counts and the page asked at once: on PostgreSQL two pooled connections, so a search waits for the
  // slower of the two (the counts read every matching index entry) rather than for both in turn (issue 17).
  const [counted, rows] = await Promise.all([
    repos.inbox.statusCounts(filter),
    // Without a search the excerpt is the text's beginning: only that much is read (with one, the match may be later).
    repos.inbox.page({ ...filter, status: query.status ?? null, after, limit: limit + 1, textChars: search.needle === "" ? measureExcerptLength : null }),
  ]);
  const counts = Object.fromEntries(assignmentStatuses.map((s) => [s, 0])) as Record<AssignmentStatus, number>;
  for (const r of counted) counts[r.status] = r.n;
  const total = assignmentStatuses.reduce((sum, s) => sum + counts[s], 0);

  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const declined = page.filter((r) => r.status === "declined").map((r) => r.id);
  const declineReasons = declineReasonsFrom(declined.length === 0 ? [] : await repos.inbox.declinePayloads(declined));
  return {
    department,
    rows: page.map((r) => {
      // The summary object extended in place, not spread into a new one: a page's rows are most of what a call
      // allocates (issue 17: the inbox's p95 tails are young-generation collections).
      const row: InboxRow = Object.assign(shownSummaryOf(r, r.measureTitle, now), {
        measureExcerpt: measureExcerpt(r.measureText, search.needle),
        textCut: r.textCut,
        declineReason: r.status === "declined" ? (declineReasons.get(r.id) ?? null) : null,
        unreadNotice: r.unreadNotice,
      });
      return row;
    }),
    counts,
    total,
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(last.dueDate, last.id) : null,
  };
}

const openStatuses = ["assigned", "accepted", "in_progress"] as const;

/** At most this many plans in `inbox.plans`: the newest with open or unread work (a department may be in thousands). */
export const inboxPlansLimit = 100;

/**
 * The plans in which a department has open work (assigned, accepted, in progress) or an unread notice, newest first
 * (at most `inboxPlansLimit`), each with its open, overdue and unread counts: the inbox's plan filter and per-plan
 * counts, so that work in an older plan stays in sight after a newer plan is issued. Its own query (`inbox.plans`),
 * so that paging, filtering and searching the inbox do not pay for it.
 */
export async function inboxPlans(
  repos: Repositories,
  user: ActingUser,
  requested: DepartmentCode | null | undefined,
  now: Date,
): Promise<InboxPlan[]> {
  const department = inboxDepartment(user, requested);
  if (department === null) return [];
  // The kept totals answer which plans and how many open; late and unread walk only the department's late or unread rows.
  // A handler's plans and counts are of what was handed to them or their division only (policy.ts), walked row by row.
  const handler = handlerReachOf(user);
  const totals = await repos.inbox.planStatusTotals(department, handler);
  if (totals.length === 0) return [];
  const isOpen = (status: AssignmentStatus): boolean => (openStatuses as readonly string[]).includes(status);
  const openIn = new Set(totals.filter((t) => isOpen(t.status)).map((t) => t.planId));
  const overdue = await repos.inbox.overdueByPlan(department, handler, openStatuses, planCalendarDate(now));
  const unread = await repos.inbox.unreadByPlan(department, handler);
  const ids = [...new Set([...openIn, ...unread.map((u) => u.planId)])];
  if (ids.length === 0) return [];
  const plans = await repos.inbox.plansByIds(ids, inboxPlansLimit);
  // The language of each plan's text, read from its first measure (a plan's measures are in one language).
  const firstMeasures = await repos.inbox.firstMeasureTexts(plans.map((p) => p.id));
  const searchLanguage = (planId: number): Language => textLanguageOf(firstMeasures.find((m) => m.planId === planId)?.text ?? "");
  const open = (planId: number): number => totals.filter((t) => t.planId === planId && isOpen(t.status)).reduce((sum, t) => sum + t.n, 0);
  return plans.map((p) => ({
    planId: p.id,
    key: p.key,
    titleEn: p.titleEn,
    titleZh: p.titleZh,
    documentNumber: p.documentNumber,
    status: p.status,
    open: open(p.id),
    overdue: overdue.find((o) => o.planId === p.id)?.n ?? 0,
    unread: unread.find((u) => u.planId === p.id)?.n ?? 0,
    searchLanguage: searchLanguage(p.id),
  }));
}

/** Lower-cases ASCII only, as SQLite's lower() does, so that offsets stay those of the text. */
const asciiLower = (text: string): string => text.replace(/[A-Z]/g, (c) => c.toLowerCase());

/** Text of the Basic Multilingual Plane only: one UTF-16 unit per character. */
const noSurrogates = /^[^\uD800-\uDFFF]*$/;

/** Whole characters (code points) of the text around the search's first match, or from its start. */
export function measureExcerpt(text: string, search: string): string {
  if (noSurrogates.test(text)) {
    if (text.length <= measureExcerptLength) return text;
    const needle = search.trim().toLowerCase();
    const at = needle === "" ? -1 : asciiLower(text).indexOf(needle);
    const start = at < 0 ? 0 : Math.max(0, Math.min(at - 40, text.length - measureExcerptLength));
    const excerpt = text.slice(start, start + measureExcerptLength);
    return start > 0 ? `…${excerpt}` : excerpt;
  }
  const chars = [...text];
  if (chars.length <= measureExcerptLength) return text;
  const needle = search.trim().toLowerCase();
  const at = needle === "" ? -1 : asciiLower(text).indexOf(needle);
  // A little of what comes before the match, for context.
  const start = at < 0 ? 0 : Math.max(0, Math.min([...text.slice(0, at)].length - 40, chars.length - measureExcerptLength));
  const excerpt = chars.slice(start, start + measureExcerptLength).join("");
  return start > 0 ? `…${excerpt}` : excerpt;
}

/** The caller's own department by default; a liaison may name no other. */
function inboxDepartment(user: ActingUser, asked: DepartmentCode | null | undefined): DepartmentCode | null {
  if (!readsAllDepartments(user)) {
    if (asked !== undefined && asked !== user.department) {
      throw new ServiceError("not_your_department", "A liaison's inbox lists their own department only.", {
        field: "department",
      });
    }
    return user.department;
  }
  return asked === undefined ? user.department : asked;
}

function encodeCursor(dueDate: string, id: number): string {
  return Buffer.from(JSON.stringify([dueDate, id])).toString("base64url");
}

function decodeCursor(cursor: string): { dueDate: string; id: number } {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(value) && typeof value[0] === "string" && Number.isSafeInteger(value[1])) {
      return { dueDate: value[0], id: Number(value[1]) };
    }
  } catch {
    // fall through to the refusal below
  }
  throw new ServiceError("invalid_input", "This cursor is not one the inbox gave out.", { field: "cursor" });
}
