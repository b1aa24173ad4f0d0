import { asc, desc, eq, gt } from "drizzle-orm";
import { auditTailAgainstHead } from "@countersign/db";
import type { AuditReplayRepo } from "@countersign/db";
import type { PostgresDb } from "../connect.js";
import { assignmentsTable, auditChainHeadTable, auditEventsTable, commentsTable } from "../schema/index.js";
import type { PostgresTx } from "../store.js";

/**
 * The verification's reads on PostgreSQL. Run them in one snapshot (`store.readSnapshot`: a read-only repeatable-read
 * transaction): on the pool each page would see another moment. The end of the trail is checked against the chain
 * head row only (an identity skips values on rollback, so it cannot stand in for SQLite's id counter).
 */
export function postgresAuditReplayRepo(db: PostgresDb | PostgresTx): AuditReplayRepo {
  const e = auditEventsTable;
  const a = assignmentsTable;
  const c = commentsTable;
  return {
    async eventsAfter(afterSeq, limit) {
      return db.select().from(e).where(gt(e.seq, afterSeq)).orderBy(asc(e.seq)).limit(limit);
    },
    async eventAt(seq) {
      const [row] = await db.select().from(e).where(eq(e.seq, seq));
      return row;
    },
    async lastEvent() {
      const [row] = await db.select({ id: e.id, seq: e.seq, hash: e.hash }).from(e).orderBy(desc(e.seq)).limit(1);
      return row;
    },
    async tail(last) {
      const [head] = await db.select().from(auditChainHeadTable).where(eq(auditChainHeadTable.id, 1));
      return auditTailAgainstHead(head, last);
    },
    async commentsKeepHolder() {
      return true;
    },
    async assignmentStatesAfter(afterId, limit) {
      return db
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
        .where(gt(a.id, afterId))
        .orderBy(asc(a.id))
        .limit(limit);
    },
    async commentsAfter(afterId, limit) {
      return db
        .select({ id: c.id, assignmentId: c.assignmentId, body: c.body, createdAt: c.createdAt, authorUserId: c.authorUserId, department: c.department })
        .from(c)
        .where(gt(c.id, afterId))
        .orderBy(asc(c.id))
        .limit(limit);
    },
  };
}
