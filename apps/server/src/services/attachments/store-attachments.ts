import type { AttachmentRecordInput, AuditPayload, Repositories } from "@countersign/db";
import type { DepartmentCode } from "@countersign/domain";
import type { ActingUser } from "../shared/acting-user.js";
import { checkActFiles } from "./attachment-rules.js";
import type { IncomingFile } from "./attachment-rules.js";
import { ServiceError } from "../../errors.js";
import { databaseAttachmentStore } from "./attachment-store.js";

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
 * The row one file is recorded with (one rule for both writers): a file staged in an object store (stageFiles,
 * before the act's unit of work) with its key, any other in the database store. Errors: `internal` for a file
 * said to be in an object store without a key (it was not staged).
 */
export function attachmentRowOf(user: ActingUser, owner: AttachmentOwner, file: IncomingFile, at: string): AttachmentRecordInput {
  const storage = file.storage ?? databaseAttachmentStore.kind;
  const storageKey = file.storageKey ?? null;
  if (storage !== databaseAttachmentStore.kind && storageKey === null) {
    throw new ServiceError("internal", `${file.name} was not staged in the attachment store ${storage}.`);
  }
  return {
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
    storageKey,
    uploadedByUserId: user.id,
    createdAt: at,
  };
}

/** The act's audit payload fields naming its files (see `StoredAttachments.auditPayload`), `ids` in the files' order. */
export function attachmentsAuditPayload(files: readonly IncomingFile[], ids: readonly number[]): AuditPayload {
  const auditPayload: AuditPayload = { attachments: files.length };
  files.forEach((file, index) => {
    const p = `attachment${index + 1}`;
    auditPayload[`${p}.id`] = ids[index] ?? null;
    auditPayload[`${p}.name`] = file.name;
    auditPayload[`${p}.type`] = file.contentType;
    auditPayload[`${p}.size`] = file.sizeBytes;
    auditPayload[`${p}.sha256`] = file.sha256;
  });
  return auditPayload;
}

/**
 * The ids of the files an audit event's payload names (`attachment1.id`, `attachment2.id`, … as written by
 * `storeAttachmentsOnSeam`), in order; none for an event without files.
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
 * Stores checked files (from `checkUpload`, staged by `stageFiles` when an object store is configured) for one act,
 * inside the act's unit of work of the store seam, on either engine: one row each through `repos.attachments`, the
 * database store's bytes beside them (an object store's were staged before the unit of work; its row holds the
 * key). Put the returned `auditPayload` into the act's audit event, so the hash chain vouches for each file.
 * The assignment actions, comments and round reports (`actOnRoundReport`) call it.
 * Errors: the per-act limits (`checkActFiles`), `internal` for an object store's file not staged (`attachmentRowOf`).
 */
export async function storeAttachmentsOnSeam(
  repos: Repositories,
  user: ActingUser,
  owner: AttachmentOwner,
  files: readonly IncomingFile[],
  now: Date,
): Promise<StoredAttachments> {
  if (files.length === 0) return { ids: [], auditPayload: {} };
  checkActFiles(files);
  const at = now.toISOString();
  const ids: number[] = [];
  for (const file of files) {
    const row = attachmentRowOf(user, owner, file, at);
    const id = await repos.attachments.record(row);
    if (row.storage === databaseAttachmentStore.kind) await repos.attachments.putBytes(id, file.bytes);
    ids.push(id);
  }
  return { ids, auditPayload: attachmentsAuditPayload(files, ids) };
}
