import { and, asc, count, desc, eq, getTableColumns, gt, inArray, isNotNull, lt, ne, or, sql } from "drizzle-orm";
import type { SQL, SQLWrapper } from "drizzle-orm";
import type { AssignmentStatus } from "@countersign/domain";
import {
  dueSoonOrLateConditionOn,
  inboxAssignmentColumns,
  inboxCountsWalkRows,
  inboxLatenessPlaceholders,
  inboxParamsOf,
  inboxSearchWalks,
  inboxSearchWindow,
  inboxShapeKey,
  inboxShapeOf,
  latenessConditionOn,
} from "@countersign/db";
import type { HandlerReach, InboxRepo, InboxShape } from "@countersign/db";
import { allPlans } from "@countersign/db/schema";
import type { PostgresDb } from "../connect.js";
import { assignmentCountsTable, assignmentNoticesTable, assignmentsTable, auditEventsTable, measuresTable, plansTable } from "../schema/index.js";
import { searchKeyCondition } from "../search.js";
import type { PostgresTx } from "../store.js";

const a = assignmentsTable;
/** What an inbox row shows of its assignment, selected flat (repos/inbox.ts: `InboxPageRow`). */
const inboxColumns = inboxAssignmentColumns(getTableColumns(a));

function reachOf(handler: HandlerReach | null): SQL | undefined {
  if (handler === null) return undefined;
  return or(eq(a.handlerUserId, handler.userId), eq(a.divisionId, handler.divisionId));
}

const P = sql.placeholder;
/**
 * A statement prepared once, without a name: PostgreSQL still parses and plans it for each call's values (a named
 * statement would switch to one generic plan after five calls, the same for the largest and the smallest inbox); what
 * is saved is drizzle building the query, its SQL text and its driver configuration on every call (issue 17).
 */
const unnamed = "";

/**
 * The statements of one inbox shape on PostgreSQL (the twin of the SQLite repo's `prepareInbox`), on the placeholders
 * of `inboxParamsOf`: the page (and, for a department's plain search, the page by a walk of its inbox in due-date
 * order), the counts that walk the matching rows, and the late work to take off the kept totals for `none`.
 */
function prepareInbox(db: PostgresDb | PostgresTx, shape: InboxShape) {
  const m = measuresTable;
  const n = assignmentNoticesTable;
  const scope: SQL[] = [];
  if (shape.department) scope.push(eq(a.department, P("department")));
  if (shape.plan) scope.push(eq(a.planId, P("planId")));
  if (shape.handler) scope.push(or(eq(a.handlerUserId, P("handlerId")), eq(a.divisionId, P("divisionId"))) ?? sql`false`);
  const filters: SQL[] = [...scope];
  if (shape.awaitingApproval) filters.push(isNotNull(a.pendingApproval));
  if (shape.lateness !== null) filters.push(latenessConditionOn(a, shape.lateness, inboxLatenessPlaceholders));
  const search = shape.search;
  const short = search === "short-text" || search === "short-number";
  const withNumber = search === "number" || search === "short-number";
  // The assignment's search_key among the distinct texts that match (migration 0018): assignments_search_idx.
  const searchOn = (searchKey: SQLWrapper): SQL => searchKeyCondition(searchKey, P("needle"), withNumber ? P("number") : null, short ? "scan" : "index");
  if (search !== "none") filters.push(searchOn(a.searchKey));
  const pageFilters = [...filters];
  if (shape.status) pageFilters.push(eq(a.status, P("status")));
  if (shape.cursor) {
    pageFilters.push(or(gt(a.dueDate, P("afterDue")), and(eq(a.dueDate, P("afterDue")), gt(a.id, P("afterId")))) ?? sql`true`);
  }
  const pageWhere = (where: SQL | undefined) =>
    db
      .select({
        ...inboxColumns,
        measureTitle: m.title,
        // PostgreSQL's left() counts characters, as SQLite's substr does (the SQLite repo's twin).
        measureText: sql<string>`left(${m.text}, ${P("textChars")})`,
        textCut: m.textCut,
        unreadNotice: sql<string | null>`case when ${n.unread} then ${n.noticeType} end`,
      })
      .from(a)
      .innerJoin(m, eq(m.id, a.measureId))
      .leftJoin(n, eq(n.assignmentId, a.id))
      .where(where)
      .orderBy(asc(a.dueDate), asc(a.id))
      .limit(P("limit"))
      .prepare(unnamed);
  // With a search: the page's ids first, from assignments_search_idx alone (index-only), then only those rows and
  // measures: one step would read every match's row and measure before keeping 50.
  const page =
    search === "none"
      ? pageWhere(and(...pageFilters))
      : pageWhere(inArray(a.id, db.select({ id: a.id }).from(a).where(and(...pageFilters)).orderBy(asc(a.dueDate), asc(a.id)).limit(P("limit"))));
  // As on SQLite (sqlite/inbox.ts): a department's search with no other filter first walks the department's inbox
  // in due-date order, at most `inboxSearchWindow` entries of assignments_department_due_idx (an index-only scan: it
  // carries search_key), keeping the matches; a short walk proves nothing, so `page` answers then.
  const after = shape.cursor ? sql` and ("due_date" > ${P("afterDue")} or ("due_date" = ${P("afterDue")} and "id" > ${P("afterId")}))` : sql``;
  const pageByWalk =
    !inboxSearchWalks(shape)
      ? null
      : pageWhere(
          sql`${a.id} in (select "id" from (select "id", "due_date", "search_key" from "assignments" where "department" = ${P("department")}${after}
          order by "due_date", "id" limit ${inboxSearchWindow}) "walked" where ${searchOn(sql.identifier("search_key"))} order by "due_date", "id" limit ${P("limit")})`,
        );
  const counted = inboxCountsWalkRows(shape);
  const counts = counted ? db.select({ status: a.status, n: count() }).from(a).where(and(...filters)).groupBy(a.status).prepare(unnamed) : null;
  const dueSoonOrLate =
    !counted && shape.lateness === "none"
      ? db
          .select({ status: a.status, n: count() })
          .from(a)
          .where(and(...scope, dueSoonOrLateConditionOn(a, inboxLatenessPlaceholders.dueSoonEnd)))
          .groupBy(a.status)
          .prepare(unnamed)
      : null;
  return { page, pageByWalk, counts, dueSoonOrLate };
}

function prepareKeptCounts(db: PostgresDb | PostgresTx) {
  const c = assignmentCountsTable;
  return db
    .select({ status: c.status, n: c.n })
    .from(c)
    .where(and(eq(c.department, P("department")), eq(c.planId, P("planId"))))
    .prepare(unnamed);
}

interface Prepared {
  byShape: Map<string, ReturnType<typeof prepareInbox>>;
  keptCounts: ReturnType<typeof prepareKeptCounts>;
}
/** Per pool (or transaction): a repo is made for each unit of work and read, its statements are not. */
const prepared = new WeakMap<PostgresDb | PostgresTx, Prepared>();

function preparedOn(db: PostgresDb | PostgresTx): Prepared {
  let found = prepared.get(db);
  if (found === undefined) {
    found = { byShape: new Map(), keptCounts: prepareKeptCounts(db) };
    prepared.set(db, found);
  }
  return found;
}

function inboxStatements(db: PostgresDb | PostgresTx, shape: InboxShape): ReturnType<typeof prepareInbox> {
  const { byShape } = preparedOn(db);
  const key = inboxShapeKey(shape);
  let statements = byShape.get(key);
  if (statements === undefined) {
    statements = prepareInbox(db, shape);
    byShape.set(key, statements);
  }
  return statements;
}

/** The inbox on PostgreSQL: the same answers as SQLite's, the search by distinct text through pg_trgm (search.ts). */
export function postgresInboxRepo(db: PostgresDb | PostgresTx): InboxRepo {
  return {
    async page(query) {
      const statements = inboxStatements(db, inboxShapeOf(query, { status: query.status !== null, cursor: query.after !== null }));
      const params = inboxParamsOf(query, query);
      if (statements.pageByWalk !== null) {
        const walked = await statements.pageByWalk.execute(params);
        if (walked.length >= query.limit) return walked;
      }
      return statements.page.execute(params);
    },
    async statusCounts(filter) {
      // The counts statements do not depend on the status tab or the page.
      const statements = inboxStatements(db, inboxShapeOf(filter, { status: false, cursor: false }));
      const params = inboxParamsOf(filter);
      if (statements.counts !== null) return statements.counts.execute(params);
      // Without a search or a late-work filter: the totals kept by triggers, less the late work for `none`.
      const counts = new Map<AssignmentStatus, number>();
      for (const r of await preparedOn(db).keptCounts.execute(params)) counts.set(r.status, r.n);
      if (statements.dueSoonOrLate !== null) {
        for (const r of await statements.dueSoonOrLate.execute(params)) counts.set(r.status, (counts.get(r.status) ?? 0) - r.n);
      }
      return [...counts].map(([status, n]) => ({ status, n }));
    },
    async declinePayloads(assignmentIds) {
      if (assignmentIds.length === 0) return [];
      const e = auditEventsTable;
      const rows = await db
        .select({ assignmentId: e.assignmentId, payload: e.payload })
        .from(e)
        .where(and(inArray(e.assignmentId, [...new Set(assignmentIds)]), eq(e.type, "assignment.declined")))
        .orderBy(asc(e.id));
      return rows.flatMap((r) => (r.assignmentId === null ? [] : [{ assignmentId: r.assignmentId, payload: r.payload }]));
    },
    async markCount(department) {
      const n = assignmentNoticesTable;
      const [row] = await db.select({ n: count() }).from(n).where(and(eq(n.department, department), eq(n.unread, true)));
      return row?.n ?? 0;
    },
    async planStatusTotals(department, handler) {
      const reach = reachOf(handler);
      if (reach === undefined) {
        const c = assignmentCountsTable;
        return db
          .select({ planId: c.planId, status: c.status, n: c.n })
          .from(c)
          .where(and(eq(c.department, department), ne(c.planId, allPlans), gt(c.n, 0)));
      }
      return db
        .select({ planId: a.planId, status: a.status, n: count() })
        .from(a)
        .where(and(eq(a.department, department), reach))
        .groupBy(a.planId, a.status);
    },
    async overdueByPlan(department, handler, statuses, today) {
      return db
        .select({ planId: a.planId, n: count() })
        .from(a)
        .where(and(eq(a.department, department), inArray(a.status, [...statuses]), lt(a.dueDate, today), reachOf(handler)))
        .groupBy(a.planId);
    },
    async unreadByPlan(department, handler) {
      const n = assignmentNoticesTable;
      return db
        .select({ planId: a.planId, n: count() })
        .from(n)
        .innerJoin(a, eq(a.id, n.assignmentId))
        .where(and(eq(n.department, department), eq(n.unread, true), reachOf(handler)))
        .groupBy(a.planId);
    },
    async plansByIds(planIds, limit) {
      if (planIds.length === 0) return [];
      const p = plansTable;
      return db
        .select({ id: p.id, key: p.key, titleEn: p.titleEn, titleZh: p.titleZh, documentNumber: p.documentNumber, status: p.status })
        .from(p)
        .where(inArray(p.id, [...planIds]))
        .orderBy(desc(p.issuedOn), desc(p.id))
        .limit(limit);
    },
    async firstMeasureTexts(planIds) {
      if (planIds.length === 0) return [];
      const m = measuresTable;
      const firstIds = db
        .select({ id: sql<number>`min(${m.id})`.as("id") })
        .from(m)
        .where(inArray(m.planId, [...planIds]))
        .groupBy(m.planId);
      return db.select({ planId: m.planId, text: m.text }).from(m).where(inArray(m.id, firstIds));
    },
  };
}
