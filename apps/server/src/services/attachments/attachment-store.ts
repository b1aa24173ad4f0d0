/**
 * Where an attachment's bytes live: one small interface. The default keeps them in the database itself
 * (`attachment_blobs`), written in the act's own transaction, so one backup carries acts and files together and a
 * rolled-back act leaves no file. An object store (S3-compatible) would implement the same two methods.
 */
import { eq } from "drizzle-orm";
import type { Queryable } from "@countersign/db";
import { attachmentBlobsTable } from "@countersign/db/schema";

export interface AttachmentStore {
  /** The name stored in `attachments.storage`. */
  readonly kind: string;
  /** Stores the bytes of attachment `id` inside the transaction `tx`. */
  put(tx: Queryable, id: number, bytes: Buffer): void;
  /** The bytes of attachment `id`, or null when absent. */
  get(db: Queryable, id: number): Buffer | null;
}

export const databaseAttachmentStore: AttachmentStore = {
  kind: "database",
  put(tx, id, bytes) {
    tx.insert(attachmentBlobsTable).values({ attachmentId: id, bytes }).run();
  },
  get(db, id) {
    const row = db.select({ bytes: attachmentBlobsTable.bytes }).from(attachmentBlobsTable).where(eq(attachmentBlobsTable.attachmentId, id)).get();
    return row === undefined ? null : row.bytes;
  },
};

/** The store attachments are written to; the only one for now. */
export function attachmentStoreOf(kind: string): AttachmentStore | null {
  return kind === databaseAttachmentStore.kind ? databaseAttachmentStore : null;
}
