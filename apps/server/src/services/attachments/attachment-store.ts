/**
 * Where an attachment's bytes live: one small interface. The default keeps them in the database itself
 * (`attachment_blobs`), written in the act's own transaction, so one backup carries acts and files together and a
 * rolled-back act leaves no file. An S3-compatible object store (s3-attachment-store.ts) is the option for large
 * deployments: it writes each file before the act commits (`stage`), the act's transaction records its key, and a
 * sweep removes the objects whose act never committed.
 */
import { eq } from "drizzle-orm";
import { databaseOf } from "@countersign/db";
import type { Queryable } from "@countersign/db";
import { attachmentBlobsTable } from "@countersign/db/schema";
import type { IncomingFile } from "./attachment-rules.js";

/** What a store needs of a stored attachment to find its bytes. */
export interface StoredBytesRef {
  id: number;
  storageKey: string | null;
  /** Hex SHA-256 recorded with the act: a store that reads from outside the database checks the bytes against it. */
  sha256: string;
}

export interface AttachmentStore {
  /** The name stored in `attachments.storage`. */
  readonly kind: string;
  /**
   * Before the act's transaction (it may take time: an object store uploads here): makes the bytes durable where
   * this store keeps them and answers the key the act records, or null when the act's unit of work writes them into
   * the database beside its row (`storeAttachmentsOnSeam`, the database store).
   */
  stage(file: IncomingFile): Promise<string | null>;
  /** The bytes of a stored attachment, or null when absent (or, outside the database, not those recorded). */
  get(db: Queryable, ref: StoredBytesRef): Promise<Buffer | null>;
}

export const databaseAttachmentStore: AttachmentStore = {
  kind: "database",
  stage: async () => null,
  async get(db, ref) {
    const row = db.select({ bytes: attachmentBlobsTable.bytes }).from(attachmentBlobsTable).where(eq(attachmentBlobsTable.attachmentId, ref.id)).get();
    return row === undefined ? null : row.bytes;
  },
};

const storesByDatabase = new WeakMap<object, AttachmentStore>();

/** Sets the store new files go to for one database (at start, main.ts; or in a test); the database store by default. */
export function configureAttachmentStore(db: Queryable, store: AttachmentStore): void {
  storesByDatabase.set(databaseOf(db), store);
}

/** The store new files go to. */
export function activeAttachmentStore(db: Queryable): AttachmentStore {
  return storesByDatabase.get(databaseOf(db)) ?? databaseAttachmentStore;
}

/**
 * The store that holds files recorded with `storage = kind`: the database store always, another only while it is
 * configured (files stay readable from the database after a switch to an object store, not the reverse).
 */
export function attachmentStoreOf(db: Queryable, kind: string): AttachmentStore | null {
  if (kind === databaseAttachmentStore.kind) return databaseAttachmentStore;
  const active = activeAttachmentStore(db);
  return active.kind === kind ? active : null;
}

/**
 * How `readAttachment` reads a file kept outside the database (`storage` ≠ `database`): the object store of that
 * kind configured for `db` (the key `configureAttachmentStore` was given; on PostgreSQL the engine gate's handle, for
 * which none is configured yet), or null when none is.
 */
export function objectStoreReaderOf(db: Queryable): (storage: string) => { get(ref: StoredBytesRef): Promise<Buffer | null> } | null {
  return (storage) => {
    const store = storage === databaseAttachmentStore.kind ? null : attachmentStoreOf(db, storage);
    return store === null ? null : { get: (ref) => store.get(db, ref) };
  };
}

/** A checked file whose bytes are staged in the store new files go to (call before the act's transaction). */
export async function stageFiles(db: Queryable, files: readonly IncomingFile[]): Promise<IncomingFile[]> {
  const store = activeAttachmentStore(db);
  return Promise.all(files.map(async (file) => ({ ...file, storage: store.kind, storageKey: await store.stage(file) })));
}
