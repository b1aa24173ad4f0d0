import { and, asc, count, desc, eq, getTableColumns, gt, inArray, isNotNull, lt, ne, or, sql } from "drizzle-orm";
import type { SQL, SQLWrapper } from "drizzle-orm";
import type { AssignmentStatus } from "@countersign/domain";
import type { Queryable } from "../../client.js";
import { allPlans, assignmentCountsTable } from "../../schema/assignment-counts.js";
import { assignmentNoticesTable, assignmentsTable, auditEventsTable, measuresTable, plansTable } from "../../schema/index.js";
import { searchKeyCondition } from "../../search.js";
import { dueSoonOrLateConditionOn, latenessConditionOn } from "../lateness-sql.js";
import { inboxCountsWalkRows, inboxLatenessPlaceholders, inboxParamsOf, inboxSearchWalks, inboxSearchWindow, inboxShapeKey, inboxShapeOf } from "../inbox-shape.js";
import type { InboxShape } from "../inbox-shape.js";
import { inboxAssignmentColumns } from "../repos/inbox.js";
import type { HandlerReach, InboxRepo } from "../repos/inbox.js";

/** SQLite limits the variables of one statement; lists of ids are read in slices. */
const slice = 500;

function inSlices<T>(ids: readonly number[], read: (part: number[]) => T[]): T[] {
  const unique = [...new Set(ids)];
  const out: T[] = [];
  for (let i = 0; i < unique.length; i += slice) out.push(...read(unique.slice(i, i + slice)));
  return out;
}

const P = sql.placeholder;
/**
 * The search predicate of a shape, on the placeholders `needle` and `number`: the assignment's `search_key` among the
 * distinct texts that match (search.ts's `searchKeyCondition`, migration 0017).
 */
function searchConditionOn(searchKey: SQLWrapper, shape: Exclude<InboxShape["search"], "none">): SQL {
  const short = shape === "short-text" || shape === "short-number";
  const withNumber = shape === "number" || shape === "short-number";
  return searchKeyCondition(searchKey, P("needle"), withNumber ? P("number") : null, short ? "scan" : "index");
}

function searchCondition(shape: InboxShape["search"]): SQL | null {
  return shape === "none" ? null : searchConditionOn(assignmentsTable.searchKey, shape);
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
  if (shape.lateness !== null) filters.push(latenessConditionOn(a, shape.lateness, inboxLatenessPlaceholders));
  const searchedFor = searchCondition(shape.search);
  if (searchedFor !== null) filters.push(searchedFor);
  const pageFilters = [...filters];
  if (shape.status) pageFilters.push(eq(a.status, P("status")));
  if (shape.cursor) {
    pageFilters.push(or(gt(a.dueDate, P("afterDue")), and(eq(a.dueDate, P("afterDue")), gt(a.id, P("afterId")))) ?? sql`1`);
  }
  // A search across the department's plans reads assignments_search_idx: the entries of the matching keys only.
  // SQLite's planner, without statistics, would rather walk the department's whole inbox in due-date order (no sort
  // step) and test each row; a plan or a handler bounds the rows better, so those keep the planner's choice.
  const source = shape.search !== "none" && !shape.plan && !shape.handler ? sql`${a} indexed by ${sql.identifier("assignments_search_idx")}` : a;
  // A search pages in two steps: the ids of the page, from assignments_search_idx alone (the matching keys' entries
  // of the department, sorted by due date: no table row read), then those rows. One step would read the table row
  // of every match before sorting.
  const pageIds =
    shape.search === "none"
      ? null
      : db
          // Fields as SQL, not columns: drizzle does not see the table behind `indexed by`.
          .select({ id: sql<number>`${a.id}` })
          .from(source)
          .where(and(...pageFilters))
          .orderBy(asc(a.dueDate), asc(a.id))
          .limit(P("limit"));
  const pageOf = (ids: SQL | null) =>
    db
      .select({
        ...inboxAssignmentColumns(getTableColumns(a)),
        measureTitle: m.title,
        measureText: sql<string>`substr(${m.text}, 1, ${P("textChars")})`,
        textCut: m.textCut,
        // One primary-key probe per row of the page: the unread notice addressed to the department, if any.
        unreadNotice: sql<string | null>`case when ${assignmentNoticesTable.unread} = 1 then ${assignmentNoticesTable.noticeType} end`,
      })
      .from(a)
      .innerJoin(m, eq(m.id, a.measureId))
      .leftJoin(assignmentNoticesTable, eq(assignmentNoticesTable.assignmentId, a.id))
      .where(ids === null ? and(...pageFilters) : sql`${a.id} in (${ids})`)
      .orderBy(asc(a.dueDate), asc(a.id))
      .limit(P("limit"))
      .prepare();
  const page = pageOf(pageIds === null ? null : pageIds.getSQL());
  // A department's search with no other filter first walks the department's inbox in due-date order, at most
  // `inboxSearchWindow` entries of assignments_department_due_idx (which carries each row's search_key), keeping the
  // matches: when a search matches one row in a few hundred or more, the page is filled from there and the sort of
  // every match is not needed. A short page from the walk proves nothing (the walk stopped), so `page` answers then.
  const search = shape.search;
  const walked = sql`(select "id", "due_date", "search_key" from ${a} indexed by ${sql.identifier("assignments_department_due_idx")}
    where "department" = ${P("department")}${shape.cursor ? sql` and ("due_date" > ${P("afterDue")} or ("due_date" = ${P("afterDue")} and "id" > ${P("afterId")}))` : sql``}
    order by "due_date", "id" limit ${inboxSearchWindow})`;
  const pageByWalk =
    search === "none" || !inboxSearchWalks(shape)
      ? null
      : pageOf(
          db
            .select({ id: sql<number>`"id"` })
            .from(walked)
            .where(searchConditionOn(sql.identifier("search_key"), search))
            .orderBy(sql`"due_date"`, sql`"id"`)
            .limit(P("limit"))
            .getSQL(),
        );
  const counted = inboxCountsWalkRows(shape);
  // The search condition is on the assignment's search_key: counting reads assignments_search_idx alone.
  const counts = !counted ? null : db.select({ status: sql<AssignmentStatus>`${a.status}`, n: count() }).from(source).where(and(...filters)).groupBy(a.status).prepare();
  const dueSoonOrLate =
    !counted && shape.lateness === "none"
      ? db
          .select({ status: a.status, n: count() })
          .from(a)
          .where(and(...scope, dueSoonOrLateConditionOn(a, inboxLatenessPlaceholders.dueSoonEnd)))
          .groupBy(a.status)
          .prepare()
      : null;
  return { page, pageByWalk, counts, dueSoonOrLate };
}

function prepareKeptCounts(db: Queryable) {
  const c = assignmentCountsTable;
  return db
    .select({ status: c.status, n: c.n })
    .from(c)
    .where(and(eq(c.department, P("department")), eq(c.planId, P("planId"))))
    .prepare();
}

type InboxStatements = ReturnType<typeof prepareInbox>;
const preparedInboxes = new WeakMap<Queryable, Map<string, InboxStatements>>();
const preparedKeptCounts = new WeakMap<Queryable, ReturnType<typeof prepareKeptCounts>>();

// Building a query costs more than running it (drizzle's builder and SQLite's prepare): each is done once.
function inboxStatements(db: Queryable, shape: InboxShape): InboxStatements {
  let byShape = preparedInboxes.get(db);
  if (byShape === undefined) {
    byShape = new Map();
    preparedInboxes.set(db, byShape);
  }
  const key = inboxShapeKey(shape);
  let statements = byShape.get(key);
  if (statements === undefined) {
    statements = prepareInbox(db, shape);
    byShape.set(key, statements);
  }
  return statements;
}

function keptCountsStatement(db: Queryable): ReturnType<typeof prepareKeptCounts> {
  let statement = preparedKeptCounts.get(db);
  if (statement === undefined) {
    statement = prepareKeptCounts(db);
    preparedKeptCounts.set(db, statement);
  }
  return statement;
}

function reachOf(handler: HandlerReach | null): SQL | undefined {
  if (handler === null) return undefined;
  return or(eq(assignmentsTable.handlerUserId, handler.userId), eq(assignmentsTable.divisionId, handler.divisionId));
}

/** The inbox on SQLite: prepared statements per filter shape (the hot path of `inbox.list`, issue 17). */
export function sqliteInboxRepo(db: Queryable): InboxRepo {
  return {
    async page(query) {
      const statements = inboxStatements(db, inboxShapeOf(query, { status: query.status !== null, cursor: query.after !== null }));
      const params = inboxParamsOf(query, query);
      if (statements.pageByWalk !== null) {
        const walked = statements.pageByWalk.all(params);
        if (walked.length >= query.limit) return walked;
      }
      return statements.page.all(params);
    },
    async statusCounts(filter) {
      // The counts statements do not depend on the status tab or the page.
      const statements = inboxStatements(db, inboxShapeOf(filter, { status: false, cursor: false }));
      const params = inboxParamsOf(filter);
      if (statements.counts !== null) return statements.counts.all(params);
      // Without a search or a late-work filter: the totals kept by triggers, less the late work for `none`.
      const counts = new Map<AssignmentStatus, number>();
      for (const r of keptCountsStatement(db).all(params)) counts.set(r.status, r.n);
      if (statements.dueSoonOrLate !== null) {
        for (const r of statements.dueSoonOrLate.all(params)) counts.set(r.status, (counts.get(r.status) ?? 0) - r.n);
      }
      return [...counts].map(([status, n]) => ({ status, n }));
    },
    async declinePayloads(assignmentIds) {
      const e = auditEventsTable;
      const rows = inSlices(assignmentIds, (part) =>
        db
          .select({ id: e.id, assignmentId: e.assignmentId, payload: e.payload })
          .from(e)
          .where(and(inArray(e.assignmentId, part), eq(e.type, "assignment.declined")))
          .all(),
      );
      return rows
        .sort((x, y) => x.id - y.id)
        .flatMap((r) => (r.assignmentId === null ? [] : [{ assignmentId: r.assignmentId, payload: r.payload }]));
    },
    async markCount(department) {
      const n = assignmentNoticesTable;
      return db.select({ n: count() }).from(n).where(and(eq(n.department, department), eq(n.unread, true))).get()?.n ?? 0;
    },
    async planStatusTotals(department, handler) {
      const reach = reachOf(handler);
      if (reach === undefined) {
        const c = assignmentCountsTable;
        return db
          .select({ planId: c.planId, status: c.status, n: c.n })
          .from(c)
          .where(and(eq(c.department, department), ne(c.planId, allPlans), gt(c.n, 0)))
          .all();
      }
      const a = assignmentsTable;
      return db
        .select({ planId: a.planId, status: a.status, n: count() })
        .from(a)
        .where(and(eq(a.department, department), reach))
        .groupBy(a.planId, a.status)
        .all();
    },
    async overdueByPlan(department, handler, statuses, today) {
      const a = assignmentsTable;
      return db
        .select({ planId: a.planId, n: count() })
        .from(a)
        .where(and(eq(a.department, department), inArray(a.status, [...statuses]), lt(a.dueDate, today), reachOf(handler)))
        .groupBy(a.planId)
        .all();
    },
    async unreadByPlan(department, handler) {
      const a = assignmentsTable;
      const n = assignmentNoticesTable;
      return db
        .select({ planId: a.planId, n: count() })
        .from(n)
        .innerJoin(a, eq(a.id, n.assignmentId))
        .where(and(eq(n.department, department), eq(n.unread, true), reachOf(handler)))
        .groupBy(a.planId)
        .all();
    },
    async plansByIds(planIds, limit) {
      if (planIds.length === 0) return [];
      const p = plansTable;
      return db
        .select({ id: p.id, key: p.key, titleEn: p.titleEn, titleZh: p.titleZh, documentNumber: p.documentNumber, status: p.status })
        .from(p)
        .where(inArray(p.id, [...planIds]))
        .orderBy(desc(p.issuedOn), desc(p.id))
        .limit(limit)
        .all();
    },
    async firstMeasureTexts(planIds) {
      if (planIds.length === 0) return [];
      const m = measuresTable;
      const firstIds = db
        .select({ id: sql<number>`min(${m.id})` })
        .from(m)
        .where(inArray(m.planId, [...planIds]))
        .groupBy(m.planId);
      return db.select({ planId: m.planId, text: m.text }).from(m).where(inArray(m.id, firstIds)).all();
    },
  };
}
