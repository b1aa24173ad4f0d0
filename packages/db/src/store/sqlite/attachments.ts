import { and, asc, eq, isNull } from "drizzle-orm";
import type { Queryable } from "../../client.js";
import { attachmentBlobsTable, attachmentsTable } from "../../schema/index.js";
import type { AttachmentsRepo } from "../repos/attachments.js";

export function sqliteAttachmentsRepo(db: Queryable): AttachmentsRepo {
  const t = attachmentsTable;
  return {
    async record(row) {
      return db.insert(t).values(row).returning({ id: t.id }).get().id;
    },
    async putBytes(attachmentId, bytes) {
      db.insert(attachmentBlobsTable).values({ attachmentId, bytes }).run();
    },
    async bytesOf(attachmentId) {
      return db.select({ bytes: attachmentBlobsTable.bytes }).from(attachmentBlobsTable).where(eq(attachmentBlobsTable.attachmentId, attachmentId)).get()?.bytes;
    },
    async find(id) {
      return db.select().from(t).where(eq(t.id, id)).get();
    },
    async ofAssignment(assignmentId, department) {
      return db
        .select()
        .from(t)
        .where(department === null ? eq(t.assignmentId, assignmentId) : and(eq(t.assignmentId, assignmentId), eq(t.department, department)))
        .orderBy(asc(t.id))
        .all();
    },
    async markSuperseded(id, byId) {
      return db.update(t).set({ supersededById: byId }).where(and(eq(t.id, id), isNull(t.supersededById))).returning({ id: t.id }).get() !== undefined;
    },
    async storageKeyNamed(storageKey) {
      return db.select({ id: t.id }).from(t).where(eq(t.storageKey, storageKey)).limit(1).get() !== undefined;
    },
  };
}
