import { and, asc, eq, isNull } from "drizzle-orm";
import type { AttachmentsRepo } from "@countersign/db";
import type { PostgresDb } from "../connect.js";
import { attachmentBlobsTable, attachmentsTable } from "../schema/attachments.js";
import type { PostgresTx } from "../store.js";

export function postgresAttachmentsRepo(db: PostgresDb | PostgresTx): AttachmentsRepo {
  const t = attachmentsTable;
  return {
    async record(row) {
      const [inserted] = await db.insert(t).values(row).returning({ id: t.id });
      if (inserted === undefined) throw new Error("the attachment was not recorded");
      return inserted.id;
    },
    async putBytes(attachmentId, bytes) {
      await db.insert(attachmentBlobsTable).values({ attachmentId, bytes });
    },
    async bytesOf(attachmentId) {
      const [row] = await db.select({ bytes: attachmentBlobsTable.bytes }).from(attachmentBlobsTable).where(eq(attachmentBlobsTable.attachmentId, attachmentId));
      return row?.bytes;
    },
    async find(id) {
      const [row] = await db.select().from(t).where(eq(t.id, id));
      return row;
    },
    async ofAssignment(assignmentId, department) {
      return db
        .select()
        .from(t)
        .where(department === null ? eq(t.assignmentId, assignmentId) : and(eq(t.assignmentId, assignmentId), eq(t.department, department)))
        .orderBy(asc(t.id));
    },
    async markSuperseded(id, byId) {
      const updated = await db.update(t).set({ supersededById: byId }).where(and(eq(t.id, id), isNull(t.supersededById))).returning({ id: t.id });
      return updated.length > 0;
    },
    async storageKeyNamed(storageKey) {
      const rows = await db.select({ id: t.id }).from(t).where(eq(t.storageKey, storageKey)).limit(1);
      return rows.length > 0;
    },
  };
}
