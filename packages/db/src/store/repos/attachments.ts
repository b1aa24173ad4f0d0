/** One attachment (佐证材料) as recorded with its act (see the `attachments` table for each column). */
export interface AttachmentRecordInput {
  planId: number;
  assignmentId: number;
  department: string;
  ownerKind: string;
  ownerId: number;
  name: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  /** `database` (the bytes in `attachment_blobs`) or an object store's kind (`s3`, the bytes staged there). */
  storage: string;
  storageKey: string | null;
  uploadedByUserId: number;
  createdAt: string;
}

/** The attachment rows an act writes, and the database store's bytes, in the act's own unit of work. */
export interface AttachmentsRepo {
  /** Records one attachment; resolves to its id. */
  record(row: AttachmentRecordInput): Promise<number>;
  /** Keeps the bytes of attachment `attachmentId` in the database store (`attachment_blobs`). */
  putBytes(attachmentId: number, bytes: Buffer): Promise<void>;
  /** The bytes the database store keeps for attachment `attachmentId`; undefined when it keeps none. */
  bytesOf(attachmentId: number): Promise<Buffer | undefined>;
}
