import { and, asc, count, desc, eq, gt, inArray, isNotNull, lt, ne, or, sql } from "drizzle-orm";
import type { SQL } from "drizzle-orm";
import { assignmentStatuses, inboxScope, planCalendarDate, textLanguageOf } from "@countersign/domain";
import type { AssignmentStatus, DepartmentCode, Language, Lateness } from "@countersign/domain";
import type { Queryable } from "@countersign/db";
import {
  allDepartments,
  allPlans,
  assignmentCountsTable,
  assignmentNoticesTable,
  assignmentsTable,
  measuresTable,
  plansTable,
} from "@countersign/db/schema";
import { handlerReachCondition } from "../shared/handler-reach.js";
import { ServiceError } from "../../errors.js";
import { actorOf, readsAllDepartments } from "../shared/acting-user.js";
import type { ActingUser } from "../shared/acting-user.js";
import { latestDeclineReasons } from "../shared/assignment-notes.js";
import { summarizeAssignment } from "../shared/assignment-view.js";
import { inboxSearchCondition, inboxSearchOf } from "./inbox-search.js";
import type { InboxSearchShape } from "./inbox-search.js";
import type { AssignmentSummary } from "../shared/assignment-view.js";
import { dueSoonOrLateCondition, latenessBounds, latenessConditionWithin, latenessPlaceholders } from "../shared/lateness-filter.js";

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
 * Timestamps of the assignment an inbox does not show (its page, `assignment.get`, has them): left out of every row,
 * about 100 of some 790 bytes a row (issue 17: trim what a page carries).
 */
type InboxOmitted = "issuedAt" | "updatedAt" | "lastRemindedAt";

/** An inbox row: the assignment, with what the list shows of its measure, so that no other request is needed. */
export interface InboxRow extends Omit<AssignmentSummary, InboxOmitted> {
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

export function listInbox(db: Queryable, user: ActingUser, query: InboxQuery, now: Date): InboxPage {
  const department = inboxDepartment(user, query.department);
  // The visibility rule (policy.ts): a handler's inbox is what was handed to them or to their division.
  const scope = inboxScope(actorOf(user));
  const handler = scope.kind === "handler" ? scope : null;
  const limit = Math.min(Math.max(query.limit ?? inboxDefaultLimit, 1), inboxMaxLimit);
  const search = inboxSearchOf(query.search);
  const after = query.cursor === undefined ? null : decodeCursor(query.cursor);
  const shape: InboxShape = {
    handler: handler !== null,
    awaitingApproval: query.awaitingApproval === true,
    department: department !== null,
    plan: query.planId !== undefined,
    status: query.status !== undefined,
    cursor: after !== null,
    lateness: query.lateness ?? null,
    search: search.shape,
  };
  const statements = inboxStatements(db, shape);
  const params = {
    ...latenessBounds(now),
    department: department ?? allDepartments,
    // An id no row has, for a handler without a division or (never) without an id.
    handlerId: handler?.userId ?? -1,
    divisionId: handler?.division ?? -1,
    planId: query.planId ?? allPlans,
    status: query.status ?? null,
    afterDue: after?.dueDate ?? null,
    afterId: after?.id ?? null,
    needle: search.needle,
    number: search.number,
    limit: limit + 1,
  };

  const counts = Object.fromEntries(assignmentStatuses.map((s) => [s, 0])) as Record<AssignmentStatus, number>;
  if (statements.counts !== null) {
    for (const r of statements.counts.all(params)) counts[r.status] = r.n;
  } else {
    // Without a search or a late-work filter: the totals kept by triggers, less the late work for `none`.
    for (const r of countsStatement(db).all(params)) counts[r.status] = r.n;
    if (statements.dueSoonOrLate !== null) for (const r of statements.dueSoonOrLate.all(params)) counts[r.status] -= r.n;
  }
  const total = assignmentStatuses.reduce((sum, s) => sum + counts[s], 0);

  const rows = statements.page.all(params);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const declineReasons = latestDeclineReasons(
    db,
    page.filter((r) => r.assignment.status === "declined").map((r) => r.assignment.id),
  );
  return {
    department,
    rows: page.map((r) => ({
      ...inboxSummary(summarizeAssignment(r.assignment, r.measureTitle, now)),
      measureExcerpt: measureExcerpt(r.measureText, search.needle),
      textCut: r.textCut,
      declineReason: r.assignment.status === "declined" ? (declineReasons.get(r.assignment.id) ?? null) : null,
      unreadNotice: r.unreadNotice,
    })),
    counts,
    total,
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(last.assignment.dueDate, last.assignment.id) : null,
  };
}

function inboxSummary(summary: AssignmentSummary): Omit<AssignmentSummary, InboxOmitted> {
  const { issuedAt: _issued, updatedAt: _updated, lastRemindedAt: _reminded, ...shown } = summary;
  return shown;
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
export function inboxPlans(db: Queryable, user: ActingUser, requested: DepartmentCode | null | undefined, now: Date): InboxPlan[] {
  const department = inboxDepartment(user, requested);
  if (department === null) return [];
  const c = assignmentCountsTable;
  const a = assignmentsTable;
  const n = assignmentNoticesTable;
  // The kept totals answer which plans and how many open; late and unread walk only the department's late or unread rows.
  // A handler's plans and counts are of what was handed to them or their division only (policy.ts), walked row by row.
  const own = handlerReachCondition(user) ?? undefined;
  const totals =
    own === undefined
      ? db
          .select({ planId: c.planId, status: c.status, n: c.n })
          .from(c)
          .where(and(eq(c.department, department), ne(c.planId, allPlans), gt(c.n, 0)))
          .all()
      : db
          .select({ planId: a.planId, status: a.status, n: count() })
          .from(a)
          .where(and(eq(a.department, department), own))
          .groupBy(a.planId, a.status)
          .all();
  if (totals.length === 0) return [];
  const openIn = new Set(totals.filter((t) => (openStatuses as readonly string[]).includes(t.status)).map((t) => t.planId));
  const overdue = db
    .select({ planId: a.planId, n: count() })
    .from(a)
    .where(and(eq(a.department, department), inArray(a.status, [...openStatuses]), lt(a.dueDate, planCalendarDate(now)), own))
    .groupBy(a.planId)
    .all();
  const unread = db
    .select({ planId: a.planId, n: count() })
    .from(n)
    .innerJoin(a, eq(a.id, n.assignmentId))
    .where(and(eq(n.department, department), eq(n.unread, true), own))
    .groupBy(a.planId)
    .all();
  const ids = [...new Set([...openIn, ...unread.map((u) => u.planId)])];
  if (ids.length === 0) return [];
  const plans = db
    .select({
      id: plansTable.id,
      key: plansTable.key,
      titleEn: plansTable.titleEn,
      titleZh: plansTable.titleZh,
      documentNumber: plansTable.documentNumber,
      status: plansTable.status,
      issuedOn: plansTable.issuedOn,
    })
    .from(plansTable)
    .where(inArray(plansTable.id, ids))
    .orderBy(desc(plansTable.issuedOn), desc(plansTable.id))
    .limit(inboxPlansLimit)
    .all();
  // The language of each plan's text, read from its first measure (a plan's measures are in one language).
  const firstIds = db
    .select({ id: sql<number>`min(${measuresTable.id})` })
    .from(measuresTable)
    .where(inArray(measuresTable.planId, plans.map((p) => p.id)))
    .groupBy(measuresTable.planId);
  const firstMeasures = db
    .select({ planId: measuresTable.planId, text: measuresTable.text })
    .from(measuresTable)
    .where(inArray(measuresTable.id, firstIds))
    .all();
  const searchLanguage = (planId: number): Language => textLanguageOf(firstMeasures.find((m) => m.planId === planId)?.text ?? "");
  const open = (planId: number): number =>
    totals.filter((t) => t.planId === planId && (openStatuses as readonly string[]).includes(t.status)).reduce((sum, t) => sum + t.n, 0);
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



/** Which filters a call uses: each shape has its statements, built and prepared once per database. */
interface InboxShape {
  /** A handler's inbox: handed to them or to their division. */
  handler: boolean;
  awaitingApproval: boolean;
  department: boolean;
  plan: boolean;
  status: boolean;
  cursor: boolean;
  lateness: Lateness | null;
  search: InboxSearchShape;
}

const P = sql.placeholder;

function prepareCounts(db: Queryable) {
  const c = assignmentCountsTable;
  return db
    .select({ status: c.status, n: c.n })
    .from(c)
    .where(and(eq(c.department, P("department")), eq(c.planId, P("planId"))))
    .prepare();
}

function prepareInbox(db: Queryable, shape: InboxShape) {
  const a = assignmentsTable;
  const m = measuresTable;
  const scope: SQL[] = [];
  if (shape.department) scope.push(eq(a.department, P("department")));
  if (shape.plan) scope.push(eq(a.planId, P("planId")));
  if (shape.handler) scope.push(or(eq(a.handlerUserId, P("handlerId")), eq(a.divisionId, P("divisionId"))) ?? sql`0`);
  const filters: SQL[] = [...scope];
  if (shape.awaitingApproval) filters.push(isNotNull(a.pendingApproval));
  if (shape.lateness !== null) filters.push(latenessConditionWithin(shape.lateness, latenessPlaceholders));
  const searched = inboxSearchCondition(shape.search);
  if (searched !== null) filters.push(searched);
  const pageFilters = [...filters];
  if (shape.status) pageFilters.push(eq(a.status, P("status")));
  if (shape.cursor) {
    pageFilters.push(or(gt(a.dueDate, P("afterDue")), and(eq(a.dueDate, P("afterDue")), gt(a.id, P("afterId")))) ?? sql`1`);
  }
  const page = db
    .select({
      assignment: a,
      measureTitle: m.title,
      measureText: m.text,
      textCut: m.textCut,
      // One primary-key probe per row of the page: the unread notice addressed to the department, if any.
      unreadNotice: sql<string | null>`case when ${assignmentNoticesTable.unread} = 1 then ${assignmentNoticesTable.noticeType} end`,
    })
    .from(a)
    .innerJoin(m, eq(m.id, a.measureId))
    .leftJoin(assignmentNoticesTable, eq(assignmentNoticesTable.assignmentId, a.id))
    .where(and(...pageFilters))
    .orderBy(asc(a.dueDate), asc(a.id))
    .limit(P("limit"))
    .prepare();
  // Counting walks the matching rows only when the kept totals cannot answer: a search, or late work.
  // The kept totals are per department: a handler's inbox and the approval queue count their own rows.
  const counted = shape.search !== "none" || (shape.lateness !== null && shape.lateness !== "none") || shape.handler || shape.awaitingApproval;
  // The search condition reads the search index by the assignment's measure_id: counting needs no measure row.
  const counts = !counted ? null : db.select({ status: a.status, n: count() }).from(a).where(and(...filters)).groupBy(a.status).prepare();
  const dueSoonOrLate =
    !counted && shape.lateness === "none"
      ? db
          .select({ status: a.status, n: count() })
          .from(a)
          .where(and(...scope, dueSoonOrLateCondition(latenessPlaceholders.dueSoonEnd)))
          .groupBy(a.status)
          .prepare()
      : null;
  return { page, counts, dueSoonOrLate };
}

type InboxStatements = ReturnType<typeof prepareInbox>;
const preparedInboxes = new WeakMap<Queryable, Map<string, InboxStatements>>();
const preparedCounts = new WeakMap<Queryable, ReturnType<typeof prepareCounts>>();

// Building a query costs more than running it (drizzle's builder and SQLite's prepare): each is done once.
function inboxStatements(db: Queryable, shape: InboxShape): InboxStatements {
  let byShape = preparedInboxes.get(db);
  if (byShape === undefined) {
    byShape = new Map();
    preparedInboxes.set(db, byShape);
  }
  const key = JSON.stringify(shape);
  let statements = byShape.get(key);
  if (statements === undefined) {
    statements = prepareInbox(db, shape);
    byShape.set(key, statements);
  }
  return statements;
}

function countsStatement(db: Queryable): ReturnType<typeof prepareCounts> {
  let statement = preparedCounts.get(db);
  if (statement === undefined) {
    statement = prepareCounts(db);
    preparedCounts.set(db, statement);
  }
  return statement;
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
