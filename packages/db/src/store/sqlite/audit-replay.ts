import { asc, desc, eq, gt, sql } from "drizzle-orm";
import { auditFormatOf, checkTail } from "../../audit.js";
import type { Queryable } from "../../client.js";
import { assignmentsTable, auditEventsTable, commentsTable } from "../../schema/index.js";
import type { AuditReplayRepo } from "../repos/audit-replay.js";

/**
 * The verification's reads on SQLite. The pages of events, assignments and comments are prepared once per
 * repository (the walk runs them thousands of times at 5 M events); the comments' statement is built for the file's
 * format (before migration 0004 comments have no holder department).
 */
export function sqliteAuditReplayRepo(db: Queryable): AuditReplayRepo {
  const e = auditEventsTable;
  const a = assignmentsTable;
  const c = commentsTable;
  const P = (name: string) => sql.placeholder(name);
  let statements: ReturnType<typeof prepare> | undefined;
  function prepare() {
    const holderKept = auditFormatOf(db) === 2;
    return {
      holderKept,
      events: db.select().from(e).where(gt(e.seq, P("after"))).orderBy(asc(e.seq)).limit(P("limit")).prepare(),
      eventAt: db.select().from(e).where(eq(e.seq, P("seq"))).prepare(),
      assignments: db
        .select({
          id: a.id,
          measureNumber: a.measureNumber,
          department: a.department,
          status: a.status,
          dueDate: a.dueDate,
          pendingExtensionUntil: a.pendingExtensionUntil,
          pendingExtensionReason: a.pendingExtensionReason,
          version: a.version,
        })
        .from(a)
        .where(gt(a.id, P("after")))
        .orderBy(asc(a.id))
        .limit(P("limit"))
        .prepare(),
      comments: db
        .select({
          id: c.id,
          assignmentId: c.assignmentId,
          body: c.body,
          createdAt: c.createdAt,
          authorUserId: c.authorUserId,
          department: holderKept ? c.department : sql<string | null>`null`,
        })
        .from(c)
        .where(gt(c.id, P("after")))
        .orderBy(asc(c.id))
        .limit(P("limit"))
        .prepare(),
    };
  }
  const s = () => {
    statements ??= prepare();
    return statements;
  };
  return {
    async eventsAfter(afterSeq, limit) {
      return s().events.all({ after: afterSeq, limit });
    },
    async eventAt(seq) {
      return s().eventAt.get({ seq });
    },
    async lastEvent() {
      return db.select({ id: e.id, seq: e.seq, hash: e.hash }).from(e).orderBy(desc(e.seq)).limit(1).get();
    },
    async tail(last) {
      return checkTail(db, last);
    },
    async commentsKeepHolder() {
      return s().holderKept;
    },
    async assignmentStatesAfter(afterId, limit) {
      return s().assignments.all({ after: afterId, limit });
    },
    async commentsAfter(afterId, limit) {
      return s().comments.all({ after: afterId, limit });
    },
  };
}
