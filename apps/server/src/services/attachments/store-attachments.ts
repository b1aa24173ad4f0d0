import type { AnyStoreTransaction, AuditPayload, Queryable } from "@countersign/db";
import { attachmentsTable } from "@countersign/db/schema";
import type { DepartmentCode } from "@countersign/domain";
import type { ActingUser } from "../shared/acting-user.js";
import { checkActFiles } from "./attachment-rules.js";
import type { IncomingFile } from "./attachment-rules.js";
import { ServiceError } from "../../errors.js";
import { attachmentStoreOf, databaseAttachmentStore } from "./attachment-store.js";

export type { IncomingFile } from "./attachment-rules.js";

/** What the files are attached to; access follows `assignmentId` and `department` (whose words they are). */
export interface AttachmentOwner {
  planId: number;
  assignmentId: number;
  /** The department whose conversation with the lead ministry the files belong to (policy.ts). */
  department: DepartmentCode;
  /** `round_report`, `comment`, or an assignment action such as `assignment.signOff`. */
  ownerKind: string;
  ownerId: number;
}

export interface StoredAttachments {
  ids: number[];
  /**
   * The fields to merge into the act's audit event payload: `attachments` (the count) and, per file i (from 1),
   * `attachment{i}.name`, `.type`, `.size` (bytes), `.sha256`, `.id`; empty when there are no files.
   */
  auditPayload: AuditPayload;
}

/**
 * Stores checked files (from `checkUpload`, staged by `stageFiles` when an object store is configured) for one act,
 * inside the act's transaction `tx`: one `attachments` row each, and the bytes in the database store or the object
 * key of the staged bytes. Put the returned `auditPayload` into the act's audit event, so the hash chain
 * vouches for each file. Refuses more than the per-act limits (`checkActFiles`).
 *
 * The assignment actions call it from `actOnAssignment`'s transaction (ownerKind `assignment.<action>`, or `comment`
 * with the comment's id), the round reports from `actOnRoundReport`'s.
 */
export function storeAttachments(
  tx: Queryable,
  user: ActingUser,
  owner: AttachmentOwner,
  files: readonly IncomingFile[],
  now: Date,
): StoredAttachments {
  if (files.length === 0) return { ids: [], auditPayload: {} };
  checkActFiles(files);
  const at = now.toISOString();
  const ids: number[] = [];
  const auditPayload: AuditPayload = { attachments: files.length };
  files.forEach((file, index) => {
    // A file staged in an object store (stageFiles, before this transaction) is recorded with its key; any other
    // goes to the database store here.
    const storage = file.storage ?? databaseAttachmentStore.kind;
    const store = attachmentStoreOf(tx, storage);
    if (store === null || (storage !== databaseAttachmentStore.kind && (file.storageKey ?? null) === null)) {
      throw new ServiceError("internal", `The attachment store ${storage} is not configured, or ${file.name} was not staged in it.`);
    }
    const row = tx
      .insert(attachmentsTable)
      .values({
        planId: owner.planId,
        assignmentId: owner.assignmentId,
        department: owner.department,
        ownerKind: owner.ownerKind,
        ownerId: owner.ownerId,
        name: file.name,
        contentType: file.contentType,
        sizeBytes: file.sizeBytes,
        sha256: file.sha256,
        storage,
        storageKey: file.storageKey ?? null,
        uploadedByUserId: user.id,
        createdAt: at,
      })
      .returning({ id: attachmentsTable.id })
      .get();
    store.put(tx, row.id, file);
    ids.push(row.id);
    const p = `attachment${index + 1}`;
    auditPayload[`${p}.id`] = row.id;
    auditPayload[`${p}.name`] = file.name;
    auditPayload[`${p}.type`] = file.contentType;
    auditPayload[`${p}.size`] = file.sizeBytes;
    auditPayload[`${p}.sha256`] = file.sha256;
  });
  return { ids, auditPayload };
}

/**
 * The ids of the files an audit event's payload names (`attachment1.id`, `attachment2.id`, … as written by
 * `storeAttachments`), in order; none for an event without files.
 */
export function attachmentIdsIn(payload: Readonly<Record<string, unknown>>): number[] {
  const count = payload["attachments"];
  if (typeof count !== "number") return [];
  const ids: number[] = [];
  for (let i = 1; i <= count; i++) {
    const id = payload[`attachment${i}.id`];
    if (typeof id === "number") ids.push(id);
  }
  return ids;
}

/**
 * `storeAttachments` inside a unit of work of the store seam. The attachment rows and the database store's bytes have
 * no repository yet: on SQLite they are written on the unit of work's own connection (so they commit or roll back
 * with the act); on PostgreSQL an act with files is refused with `not_on_this_engine` (501), before anything is
 * written. Errors: as `storeAttachments`, and `not_on_this_engine`.
 */
export function storeAttachmentsOnSeam(
  tx: AnyStoreTransaction,
  user: ActingUser,
  owner: AttachmentOwner,
  files: readonly IncomingFile[],
  now: Date,
): StoredAttachments {
  if (files.length === 0) return { ids: [], auditPayload: {} };
  refuseFilesOffSqlite(tx, files);
  // On SQLite `tx.db` is the unit of work's drizzle handle on the one connection (sqlite-store.ts).
  return storeAttachments(tx.db as Queryable, user, owner, files, now);
}

/** Refuses files on an engine whose attachment writes are not on the store seam yet (see `storeAttachmentsOnSeam`). */
export function refuseFilesOffSqlite(tx: AnyStoreTransaction, files: readonly IncomingFile[]): void {
  if (files.length > 0 && tx.engine !== "sqlite") {
    throw new ServiceError(
      "not_on_this_engine",
      "Files (佐证材料) cannot yet be attached on PostgreSQL: send the act without files, or use the embedded SQLite database.",
      { field: "file" },
    );
  }
}
