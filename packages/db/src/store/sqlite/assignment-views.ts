import { and, asc, desc, eq, inArray, ne, or } from "drizzle-orm";
import type { Queryable } from "../../client.js";
import {
  assignmentsTable,
  attachmentsTable,
  auditEventsTable,
  commentsTable,
  departmentsTable,
  
  extensionRequestsTable,
  measuresTable,
  measureTranslationsTable,
  plansTable,
  roundReportsTable,
  usersTable,
} from "../../schema/index.js";
import type { AssignmentViewsRepo } from "../repos/assignment-views.js";

const a = assignmentsTable;

const attachmentColumns = {
  id: attachmentsTable.id,
  assignmentId: attachmentsTable.assignmentId,
  department: attachmentsTable.department,
  ownerKind: attachmentsTable.ownerKind,
  ownerId: attachmentsTable.ownerId,
  name: attachmentsTable.name,
  contentType: attachmentsTable.contentType,
  sizeBytes: attachmentsTable.sizeBytes,
  sha256: attachmentsTable.sha256,
  createdAt: attachmentsTable.createdAt,
  supersededById: attachmentsTable.supersededById,
};

export function sqliteAssignmentViewsRepo(db: Queryable): AssignmentViewsRepo {
  return {
    async assignment(id) {
      return db.select().from(a).where(eq(a.id, id)).get();
    },
    async reassignmentPayloads(assignmentId) {
      const e = auditEventsTable;
      const rows = db
        .select({ payload: e.payload })
        .from(e)
        .where(and(eq(e.assignmentId, assignmentId), eq(e.type, "assignment.reassigned")))
        .orderBy(asc(e.id))
        .all();
      return rows.map((r) => r.payload);
    },
    async measure(id) {
      const m = measuresTable;
      return db
        .select({ id: m.id, number: m.number, sectionNumber: m.sectionNumber, title: m.title, text: m.text, textCut: m.textCut, closed: m.closed })
        .from(m)
        .where(eq(m.id, id))
        .get();
    },
    async plan(id) {
      const p = plansTable;
      return db.select({ id: p.id, key: p.key, titleEn: p.titleEn, titleZh: p.titleZh, status: p.status }).from(p).where(eq(p.id, id)).get();
    },
    async othersOnMeasure(measureId, exceptId) {
      return db
        .select()
        .from(a)
        .where(and(eq(a.measureId, measureId), ne(a.id, exceptId)))
        .orderBy(asc(a.id))
        .all();
    },
    async history(assignmentId, department, limit) {
      const e = auditEventsTable;
      return db
        .select()
        .from(e)
        .where(department === null ? eq(e.assignmentId, assignmentId) : and(eq(e.assignmentId, assignmentId), eq(e.department, department)))
        .orderBy(desc(e.id))
        .limit(limit)
        .all();
    },
    async comments(assignmentId) {
      const c = commentsTable;
      return db
        .select({
          id: c.id,
          body: c.body,
          at: c.createdAt,
          authorUserId: c.authorUserId,
          author: usersTable.username,
          authorDepartment: c.authorDepartment,
          department: c.department,
        })
        .from(c)
        .innerJoin(usersTable, eq(usersTable.id, c.authorUserId))
        .where(eq(c.assignmentId, assignmentId))
        .orderBy(asc(c.id))
        .all();
    },
    async extensionRequests(assignmentId) {
      const x = extensionRequestsTable;
      return db
        .select({
          id: x.id,
          until: x.until,
          previousDueDate: x.previousDueDate,
          reason: x.reason,
          status: x.status,
          requestedAt: x.createdAt,
          decidedAt: x.decidedAt,
          decisionNote: x.decisionNote,
          department: x.department,
        })
        .from(x)
        .where(eq(x.assignmentId, assignmentId))
        .orderBy(asc(x.id))
        .all();
    },
    async translation(measureId) {
      const t = measureTranslationsTable;
      return db.select({ language: t.language, title: t.title, text: t.text, textCut: t.textCut }).from(t).where(eq(t.measureId, measureId)).get();
    },
    async people(userIds) {
      if (userIds.length === 0) return [];
      const u = usersTable;
      return db
        .select({ id: u.id, username: u.username, displayNameZh: u.displayNameZh, displayNameEn: u.displayNameEn })
        .from(u)
        .where(inArray(u.id, [...new Set(userIds)]))
        .all();
    },
    async departmentNames(codes) {
      if (codes.length === 0) return [];
      const d = departmentsTable;
      return db
        .select({ code: d.code, shortZh: d.shortZh, shortEn: d.shortEn })
        .from(d)
        .where(inArray(d.code, [...new Set(codes)]))
        .all();
    },
    async attachments(assignmentId, department) {
      const t = attachmentsTable;
      return db
        .select(attachmentColumns)
        .from(t)
        .where(department === null ? eq(t.assignmentId, assignmentId) : and(eq(t.assignmentId, assignmentId), eq(t.department, department)))
        .orderBy(asc(t.id))
        .all();
    },
    async roundReportStatuses(reportIds) {
      if (reportIds.length === 0) return [];
      const r = roundReportsTable;
      return db.select({ id: r.id, status: r.status }).from(r).where(inArray(r.id, [...new Set(reportIds)])).all();
    },
    async reachedBy(assignmentIds, department, handler) {
      if (assignmentIds.length === 0) return [];
      return db
        .select({ id: a.id, measureNumber: a.measureNumber })
        .from(a)
        .where(
          and(
            inArray(a.id, [...assignmentIds]),
            eq(a.department, department),
            or(eq(a.handlerUserId, handler.userId), eq(a.divisionId, handler.divisionId)),
          ),
        )
        .all();
    },
  };
}
