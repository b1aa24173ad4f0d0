import { and, asc, count, desc, eq, getTableColumns, gt, inArray, isNotNull, lt, ne, or, sql } from "drizzle-orm";
import type { SQL } from "drizzle-orm";
import type { AssignmentStatus } from "@countersign/domain";
import { dueSoonOrLateConditionOn, inboxAssignmentColumns, latenessConditionOn } from "@countersign/db";
import type { HandlerReach, InboxFilter, InboxRepo } from "@countersign/db";
import { allDepartments, allPlans } from "@countersign/db/schema";
import type { PostgresDb } from "../connect.js";
import { assignmentCountsTable, assignmentNoticesTable, assignmentsTable, auditEventsTable, measuresTable, plansTable } from "../schema/index.js";
import { searchKeyCondition } from "../search.js";
import type { PostgresTx } from "../store.js";

const a = assignmentsTable;
/** What an inbox row shows of its assignment, selected flat (repos/inbox.ts: `InboxPageRow`). */
const inboxColumns = inboxAssignmentColumns(getTableColumns(a));

/** How many of a department's inbox entries a search's first walk reads before sorting every match instead. */
const searchWindow = 2000;

function reachOf(handler: HandlerReach | null): SQL | undefined {
  if (handler === null) return undefined;
  return or(eq(a.handlerUserId, handler.userId), eq(a.divisionId, handler.divisionId));
}

/** The department, plan and handler conditions: what bounds the rows an inbox reads. */
function scopeOf(filter: InboxFilter): SQL[] {
  const scope: SQL[] = [];
  if (filter.department !== null) scope.push(eq(a.department, filter.department));
  if (filter.planId !== null) scope.push(eq(a.planId, filter.planId));
  const reach = reachOf(filter.handler);
  if (reach !== undefined) scope.push(reach);
  return scope;
}

/** Every filter but the status tab and the page. */
function filtersOf(filter: InboxFilter): SQL[] {
  const filters = scopeOf(filter);
  if (filter.awaitingApproval) filters.push(isNotNull(a.pendingApproval));
  if (filter.lateness !== null) filters.push(latenessConditionOn(a, filter.lateness, filter.bounds));
  const s = filter.search;
  // The assignment's search_key among the distinct texts that match (migration 0018): assignments_search_idx.
  if (s !== null) filters.push(searchKeyCondition(a.searchKey, s.needle, s.number, s.mode));
  return filters;
}

/** The inbox on PostgreSQL: the same answers as SQLite's, the search by distinct text through pg_trgm (search.ts). */
export function postgresInboxRepo(db: PostgresDb | PostgresTx): InboxRepo {
  return {
    async page(query) {
      const conditions = filtersOf(query);
      if (query.status !== null) conditions.push(eq(a.status, query.status));
      const cursor = query.after === null ? null : query.after;
      if (cursor !== null) {
        conditions.push(or(gt(a.dueDate, cursor.dueDate), and(eq(a.dueDate, cursor.dueDate), gt(a.id, cursor.id))) ?? sql`true`);
      }
      const n = assignmentNoticesTable;
      const m = measuresTable;
      const pageWhere = (where: SQL | undefined) =>
        db
          .select({
            ...inboxColumns,
            measureTitle: m.title,
            // PostgreSQL's left() counts characters, as SQLite's substr does (the SQLite repo's twin).
            measureText: query.textChars === null ? m.text : sql<string>`left(${m.text}, ${query.textChars})`,
            textCut: m.textCut,
            unreadNotice: sql<string | null>`case when ${n.unread} then ${n.noticeType} end`,
          })
          .from(a)
          .innerJoin(m, eq(m.id, a.measureId))
          .leftJoin(n, eq(n.assignmentId, a.id))
          .where(where)
          .orderBy(asc(a.dueDate), asc(a.id))
          .limit(query.limit);
      const s = query.search;
      if (s === null) return pageWhere(and(...conditions));
      // As on SQLite (sqlite/inbox.ts): a department's search with no other filter first walks the department's inbox
      // in due-date order, at most `searchWindow` entries of assignments_department_due_idx (an index-only scan: it
      // carries search_key), keeping the matches; a short walk proves nothing, so every match is then sorted.
      const walkable = query.department !== null && query.planId === null && query.handler === null && !query.awaitingApproval && query.status === null && query.lateness === null;
      if (walkable) {
        const after = cursor === null ? sql`` : sql` and ("due_date" > ${cursor.dueDate} or ("due_date" = ${cursor.dueDate} and "id" > ${cursor.id}))`;
        const walked = sql`select "id" from (select "id", "due_date", "search_key" from "assignments" where "department" = ${query.department}${after}
          order by "due_date", "id" limit ${searchWindow}) "walked"
          where ${searchKeyCondition(sql.identifier("search_key"), s.needle, s.number, s.mode)} order by "due_date", "id" limit ${query.limit}`;
        const rows = await pageWhere(sql`${a.id} in (${walked})`);
        if (rows.length >= query.limit) return rows;
      }
      // The page's ids first, from assignments_search_idx alone (index-only), then only those rows and measures: one
      // step would read every match's row and measure before keeping 50.
      const ids = db.select({ id: a.id }).from(a).where(and(...conditions)).orderBy(asc(a.dueDate), asc(a.id)).limit(query.limit);
      return pageWhere(inArray(a.id, ids));
    },
    async statusCounts(filter) {
      const counted =
        filter.search !== null || (filter.lateness !== null && filter.lateness !== "none") || filter.handler !== null || filter.awaitingApproval;
      if (counted) {
        return db.select({ status: a.status, n: count() }).from(a).where(and(...filtersOf(filter))).groupBy(a.status);
      }
      // Without a search or a late-work filter: the totals kept by triggers, less the late work for `none`.
      const c = assignmentCountsTable;
      const kept = await db
        .select({ status: c.status, n: c.n })
        .from(c)
        .where(and(eq(c.department, filter.department ?? allDepartments), eq(c.planId, filter.planId ?? allPlans)));
      const counts = new Map<AssignmentStatus, number>(kept.map((r) => [r.status, r.n]));
      if (filter.lateness === "none") {
        const late = await db
          .select({ status: a.status, n: count() })
          .from(a)
          .where(and(...scopeOf(filter), dueSoonOrLateConditionOn(a, filter.bounds.dueSoonEnd)))
          .groupBy(a.status);
        for (const r of late) counts.set(r.status, (counts.get(r.status) ?? 0) - r.n);
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
