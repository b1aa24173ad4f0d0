import { canSeeWordsOf, isDepartmentOnlyRoundReport } from "@countersign/domain";
import type { RoundReportStatus } from "@countersign/domain";
import type { AttachmentRecord, Repositories } from "@countersign/db";
import { ServiceError } from "../../errors.js";
import { actorOf } from "../shared/acting-user.js";
import { handlerReachesIn, handlerReachOf, requireAssignmentAccessIn } from "../shared/handler-reach.js";
import type { ActingUser } from "../shared/acting-user.js";
import { databaseAttachmentStore } from "./attachment-store.js";
import type { StoredBytesRef } from "./attachment-store.js";

export interface AttachmentSummary {
  id: number;
  assignmentId: number;
  ownerKind: string;
  ownerId: number;
  name: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  createdAt: string;
  supersededById: number | null;
}

const summaryOf = (a: AttachmentRecord): AttachmentSummary => ({
  id: a.id,
  assignmentId: a.assignmentId,
  ownerKind: a.ownerKind,
  ownerId: a.ownerId,
  name: a.name,
  contentType: a.contentType,
  sizeBytes: a.sizeBytes,
  sha256: a.sha256,
  createdAt: a.createdAt,
  supersededById: a.supersededById,
});

/**
 * Whether the user may see this attachment (the one rule, for the list, the download and the assignment page): it is
 * the words of the department that held the assignment (the domain's `canSeeWordsOf`: that department, and those who
 * read every department), a handler sees only the files of work they reach (`reaches`), and a round report's files
 * are the department's own until submitted (`reportStatus`: the owning report's status, undefined when none; a
 * draft, or a report awaiting or returned by the department's leader). Each read is asked only when the rule needs it.
 */
export function attachmentVisible(
  user: ActingUser,
  a: { department: string; ownerKind: string },
  read: { reaches: () => boolean; reportStatus: () => RoundReportStatus | undefined },
): boolean {
  const viewer = actorOf(user);
  if (!canSeeWordsOf(viewer, a.department)) return false;
  if (!read.reaches()) return false;
  if (a.ownerKind === "round_report" && viewer.role !== "liaison") {
    const status = read.reportStatus();
    return status !== undefined && !isDepartmentOnlyRoundReport(status);
  }
  return true;
}

/**
 * Where the bytes of a file kept outside the database are read (an object store, `storage` ≠ `database`): the
 * configured store of that kind, or null when none is (attachment-store.ts `objectStoreReaderOf`).
 */
export type ObjectBytesReader = (storage: string) => { get(ref: StoredBytesRef): Promise<Buffer | null> } | null;

/** `attachmentVisible` on what the repositories read, for files of one assignment (`reaches` read once). */
async function visibleOf(repos: Repositories, user: ActingUser, assignmentId: number, rows: readonly AttachmentRecord[]): Promise<AttachmentRecord[]> {
  if (rows.length === 0) return [];
  const reaches = await handlerReachesIn(repos, user, assignmentId);
  const reportIds = rows.filter((a) => a.ownerKind === "round_report").map((a) => a.ownerId);
  const reports = new Map((await repos.assignmentViews.roundReportStatuses(reportIds)).map((r) => [r.id, r.status]));
  return rows.filter((a) => attachmentVisible(user, a, { reaches: () => reaches, reportStatus: () => reports.get(a.ownerId) }));
}

/**
 * One attachment's record and bytes, for download or preview, on either engine: the record and the database store's
 * bytes through `repos`, an object store's through `objectStores`. Unknown and not visible answer alike
 * (`not_found`), so an id cannot be probed; bytes missing from their store (or, in an object store, not those
 * recorded; or a store not configured) are `internal`, never served.
 */
export async function readAttachment(
  repos: Repositories,
  objectStores: ObjectBytesReader,
  user: ActingUser,
  id: number,
): Promise<{ attachment: AttachmentSummary; bytes: Buffer }> {
  const a = await repos.attachments.find(id);
  const visible = a === undefined ? [] : await visibleOf(repos, user, a.assignmentId, [a]);
  if (a === undefined || visible.length === 0) throw new ServiceError("not_found", `There is no attachment ${id}.`, { field: "id" });
  const bytes =
    a.storage === databaseAttachmentStore.kind
      ? ((await repos.attachments.bytesOf(a.id)) ?? null)
      : ((await objectStores(a.storage)?.get({ id: a.id, storageKey: a.storageKey, sha256: a.sha256 })) ?? null);
  if (bytes === null) throw new ServiceError("internal", `The bytes of attachment ${id} are missing.`);
  return { attachment: summaryOf(a), bytes };
}

/**
 * The attachments of one assignment the user may see (comments', round reports', acts'), oldest first, on either
 * engine. A handler asking for work they do not reach is refused as on the assignment itself (`not_your_assignment`,
 * `not_your_department`); an unknown assignment lists nothing.
 */
export async function listAttachments(repos: Repositories, user: ActingUser, assignmentId: number): Promise<AttachmentSummary[]> {
  // A handler lists the files of the work they reach only (policy.ts); nothing of a colleague's.
  if (handlerReachOf(user) !== null && (await requireAssignmentAccessIn(repos, user, assignmentId)) === null) return [];
  const rows = await repos.attachments.ofAssignment(assignmentId, actorOf(user).role === "liaison" ? (user.department ?? "") : null);
  return (await visibleOf(repos, user, assignmentId, rows)).map(summaryOf);
}
