import { eq } from "drizzle-orm";
import type { Queryable } from "../../client.js";
import { attachmentBlobsTable, attachmentsTable } from "../../schema/index.js";
import type { AttachmentsRepo } from "../repos/attachments.js";

export function sqliteAttachmentsRepo(db: Queryable): AttachmentsRepo {
  return {
    async record(row) {
      return db.insert(attachmentsTable).values(row).returning({ id: attachmentsTable.id }).get().id;
    },
    async putBytes(attachmentId, bytes) {
      db.insert(attachmentBlobsTable).values({ attachmentId, bytes }).run();
    },
    async bytesOf(attachmentId) {
      return db.select({ bytes: attachmentBlobsTable.bytes }).from(attachmentBlobsTable).where(eq(attachmentBlobsTable.attachmentId, attachmentId)).get()?.bytes;
    },
  };
}
