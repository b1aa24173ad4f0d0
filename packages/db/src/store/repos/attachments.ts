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

/** One attachment's record as stored (never its bytes): what it was recorded with, its id, and what superseded it. */
export interface AttachmentRecord extends AttachmentRecordInput {
  id: number;
  /** The later file of the same department that supersedes this one; null while it stands. */
  supersededById: number | null;
}

/**
 * The attachment rows an act writes and the database store's bytes (in the act's own unit of work), and what the
 * attachment routes read and change of them (`attachment.list`, `attachment.supersede`, `GET /attachments/:id`).
 */
export interface AttachmentsRepo {
  /** Records one attachment; resolves to its id. */
  record(row: AttachmentRecordInput): Promise<number>;
  /** Keeps the bytes of attachment `attachmentId` in the database store (`attachment_blobs`). */
  putBytes(attachmentId: number, bytes: Buffer): Promise<void>;
  /** The bytes the database store keeps for attachment `attachmentId`; undefined when it keeps none. */
  bytesOf(attachmentId: number): Promise<Buffer | undefined>;
  /** One attachment's record; undefined when there is none with this id. */
  find(id: number): Promise<AttachmentRecord | undefined>;
  /** An assignment's attachments, oldest (lowest id) first; only the department's when `department` is given. */
  ofAssignment(assignmentId: number, department: string | null): Promise<AttachmentRecord[]>;
  /**
   * Marks attachment `id` as superseded by `byId`, only if nothing supersedes it yet; resolves to whether it did
   * (false: already superseded, or no such row).
   */
  markSuperseded(id: number, byId: number): Promise<boolean>;
  /** Whether an attachment row names this object store key (the orphan sweep keeps an object only then). */
  storageKeyNamed(storageKey: string): Promise<boolean>;
}
