import { eq } from "drizzle-orm";
import type { AttachmentsRepo } from "@countersign/db";
import type { PostgresDb } from "../connect.js";
import { attachmentBlobsTable, attachmentsTable } from "../schema/attachments.js";
import type { PostgresTx } from "../store.js";

export function postgresAttachmentsRepo(db: PostgresDb | PostgresTx): AttachmentsRepo {
  return {
    async record(row) {
      const [inserted] = await db.insert(attachmentsTable).values(row).returning({ id: attachmentsTable.id });
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
  };
}
