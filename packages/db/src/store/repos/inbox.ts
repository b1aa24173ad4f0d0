import type { AssignmentStatus, Lateness } from "@countersign/domain";
import type { assignmentsTable } from "../../schema/assignments.js";

/** A stored assignment as every engine hands it over (SQLite's row shape: booleans, parsed JSON, ISO text times). */
export type StoredAssignment = typeof assignmentsTable.$inferSelect;

/** The plan calendar days (YYYY-MM-DD) bounding the lateness levels at a moment (the domain's thresholds). */
export interface LatenessBounds {
  today: string;
  /** Due before this day (and owed): due soon or late. */
  dueSoonEnd: string;
  /** Due before this day (and owed): long overdue. */
  longOverdueBefore: string;
}

/** A handler's reach (承办人): what was handed to them or to their division (an id no row has for a missing one). */
export interface HandlerReach {
  userId: number;
  divisionId: number;
}

/** The inbox's search, as the domain's `parseSearchQuery` read it. */
export interface InboxSearchTerms {
  /** Width- and ASCII-case-folded text to find in a measure's title or text (`searchableText` form). */
  needle: string;
  /** The measure number the query names, or null. */
  number: number | null;
  /** "index" (3 or more characters) or "scan" (1–2 characters, which no trigram index serves). */
  mode: "index" | "scan";
}

/** Which assignments an inbox lists, every filter but the status tab and the page. */
export interface InboxFilter {
  /** A department code, or null for every department. */
  department: string | null;
  /** For a handler: only what reaches them. */
  handler: HandlerReach | null;
  /** A plan, or null for every plan. */
  planId: number | null;
  /** Only what waits for the department leader's approval. */
  awaitingApproval: boolean;
  lateness: Lateness | null;
  bounds: LatenessBounds;
  search: InboxSearchTerms | null;
}

/** One page of an inbox: the filter, the status tab, and where the previous page ended. */
export interface InboxPageQuery extends InboxFilter {
  status: AssignmentStatus | null;
  /** The last row of the previous page (due date, then id, ascending). */
  after: { dueDate: string; id: number } | null;
  /** The most rows to answer. */
  limit: number;
  /**
   * At most this many characters (code points) of each measure's text, or null for the whole text. The inbox shows a
   * 240-character excerpt, and a page of 50 whole texts (about 950 characters each at the benchmark's scale) was most
   * of what a page read and decoded (issue 17: trim what a page carries).
   */
  textChars: number | null;
}

/** The fields of a stored assignment an inbox row shows: none of its times, nor its measure id or search key. */
export const inboxAssignmentFields = [
  "id",
  "version",
  "planId",
  "measureNumber",
  "department",
  "role",
  "status",
  "dueDate",
  "pendingExtensionUntil",
  "pendingExtensionReason",
  "divisionId",
  "handlerUserId",
  "pendingApproval",
] as const satisfies ReadonlyArray<keyof StoredAssignment>;

type InboxAssignmentField = (typeof inboxAssignmentFields)[number];
export type InboxAssignment = Pick<StoredAssignment, InboxAssignmentField>;

/**
 * The columns of `inboxAssignmentFields` out of either engine's assignments table (drizzle's `getTableColumns`), for a
 * flat select of an inbox page.
 */
export function inboxAssignmentColumns<C extends Record<InboxAssignmentField, unknown>>(columns: C): Pick<C, InboxAssignmentField> {
  return Object.fromEntries(inboxAssignmentFields.map((field) => [field, columns[field]])) as Pick<C, InboxAssignmentField>;
}

/**
 * An inbox row as stored: the assignment's shown fields, what the list shows of its measure, and its unread notice
 * type, in one flat row. Flat and trimmed (issue 17): a nested `assignment` object per row, and the times the list does
 * not show, were allocations on every page that PostgreSQL's inbox tails (young-generation pauses) paid for.
 */
export interface InboxPageRow extends InboxAssignment {
  measureTitle: string;
  /** The measure's text, cut to `textChars` characters when the query asked for that. */
  measureText: string;
  textCut: boolean;
  /** The type of the unread notice addressed to the assignment's department, or null. */
  unreadNotice: string | null;
}

/**
 * The liaison's and the coordinator's inbox (apps/server services/inbox): assignments by department, plan, status,
 * lateness and search, in pages ordered by due date ("ongoing" last) then id, with per-status counts, and the plans a
 * department has work in. Every verb reads committed state or the open unit of work it was built on.
 */
export interface InboxRepo {
  /** At most `limit` rows after `after`, ordered by due date then id. */
  page(query: InboxPageQuery): Promise<InboxPageRow[]>;
  /** How many assignments match `filter`, per status (statuses without any may be left out). */
  statusCounts(filter: InboxFilter): Promise<Array<{ status: AssignmentStatus; n: number }>>;
  /** The payloads (canonical JSON text) of these assignments' `assignment.declined` events, oldest first. */
  declinePayloads(assignmentIds: readonly number[]): Promise<Array<{ assignmentId: number; payload: string }>>;
  /** How many of a department's assignments carry an unread inbox mark. */
  markCount(department: string): Promise<number>;
  /** Per plan and status, how many of a department's assignments there are (none with 0); every plan's, not plan 0's. */
  planStatusTotals(department: string, handler: HandlerReach | null): Promise<Array<{ planId: number; status: AssignmentStatus; n: number }>>;
  /** Per plan, a department's assignments in `statuses` due before `today` (YYYY-MM-DD). */
  overdueByPlan(department: string, handler: HandlerReach | null, statuses: readonly AssignmentStatus[], today: string): Promise<Array<{ planId: number; n: number }>>;
  /** Per plan, a department's assignments with an unread inbox mark. */
  unreadByPlan(department: string, handler: HandlerReach | null): Promise<Array<{ planId: number; n: number }>>;
  /** The plans with these ids, newest issued first (then id, descending), at most `limit`. */
  plansByIds(planIds: readonly number[], limit: number): Promise<
    Array<{ id: number; key: string; titleEn: string; titleZh: string; documentNumber: string; status: "draft" | "issued" | "withdrawn" }>
  >;
  /** The text of each plan's first measure (lowest id), by plan. */
  firstMeasureTexts(planIds: readonly number[]): Promise<Array<{ planId: number; text: string }>>;
}
