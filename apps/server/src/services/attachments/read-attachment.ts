import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import { canSeeWordsOf, isDepartmentOnlyRoundReport } from "@countersign/domain";
import type { RoundReportStatus } from "@countersign/domain";
import type { Queryable } from "@countersign/db";
import { attachmentsTable, commentsTable, roundReportsTable } from "@countersign/db/schema";
import { ServiceError } from "../../errors.js";
import { actorOf } from "../shared/acting-user.js";
import { handlerReachCondition, handlerReaches, requireAssignmentAccess } from "../shared/handler-reach.js";
import type { ActingUser } from "../shared/acting-user.js";
import { attachmentStoreOf } from "./attachment-store.js";

type AttachmentRow = typeof attachmentsTable.$inferSelect;

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

const summaryOf = (a: AttachmentRow): AttachmentSummary => ({
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
 * Whether the user may see this attachment: it is the words of the department that held the assignment (the domain's
 * `canSeeWordsOf`: that department, and those who read every department), and a draft round report's files are the
 * department's own until submitted (a draft, or a report awaiting or returned by the department's leader).
 */
function maySee(db: Queryable, user: ActingUser, a: AttachmentRow): boolean {
  return attachmentVisible(user, a, {
    reaches: () => handlerReaches(db, user, a.assignmentId),
    reportStatus: () => db.select({ status: roundReportsTable.status }).from(roundReportsTable).where(eq(roundReportsTable.id, a.ownerId)).get()?.status,
  });
}

/**
 * `maySee`'s rule on what was read (shared with the assignment page on the store seam): `reaches` whether a handler
 * reaches the file's assignment, `reportStatus` the status of the round report owning it (undefined when none);
 * each asked only when the rule needs it.
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
 * One attachment's record and bytes, for download or preview. Unknown and not visible answer alike (`not_found`),
 * so an id cannot be probed; bytes missing from their store (or, in an object store, not those recorded) are
 * `internal`, never served.
 */
export async function readAttachment(db: Queryable, user: ActingUser, id: number): Promise<{ attachment: AttachmentSummary; bytes: Buffer }> {
  const a = db.select().from(attachmentsTable).where(eq(attachmentsTable.id, id)).get();
  if (a === undefined || !maySee(db, user, a)) throw new ServiceError("not_found", `There is no attachment ${id}.`, { field: "id" });
  const store = attachmentStoreOf(db, a.storage);
  const bytes = store === null ? null : await store.get(db, { id: a.id, storageKey: a.storageKey, sha256: a.sha256 });
  if (bytes === null) throw new ServiceError("internal", `The bytes of attachment ${id} are missing.`);
  return { attachment: summaryOf(a), bytes };
}

/** The attachments of one assignment the user may see (comments' and round reports'), oldest first. */
export function listAttachments(db: Queryable, user: ActingUser, assignmentId: number): AttachmentSummary[] {
  const viewer = actorOf(user);
  // A handler lists the files of the work they reach only (policy.ts); nothing of a colleague's.
  if (handlerReachCondition(user) !== null && requireAssignmentAccess(db, user, assignmentId) === null) return [];
  const rows = db
    .select()
    .from(attachmentsTable)
    .where(
      viewer.role === "liaison"
        ? and(eq(attachmentsTable.assignmentId, assignmentId), eq(attachmentsTable.department, user.department ?? ""))
        : eq(attachmentsTable.assignmentId, assignmentId),
    )
    .orderBy(asc(attachmentsTable.id))
    .all();
  return rows.filter((a) => maySee(db, user, a)).map(summaryOf);
}

/** The attachments of the given comments (for an assignment page), keyed by comment id, filtered as above. */
export function commentAttachments(db: Queryable, user: ActingUser, assignmentId: number): Map<number, AttachmentSummary[]> {
  const comments = db.select({ id: commentsTable.id }).from(commentsTable).where(eq(commentsTable.assignmentId, assignmentId)).all();
  const out = new Map<number, AttachmentSummary[]>();
  if (comments.length === 0) return out;
  const rows = db
    .select()
    .from(attachmentsTable)
    .where(and(eq(attachmentsTable.ownerKind, "comment"), inArray(attachmentsTable.ownerId, comments.map((c) => c.id)), isNull(attachmentsTable.supersededById)))
    .all()
    .filter((a) => maySee(db, user, a));
  for (const a of rows) out.set(a.ownerId, [...(out.get(a.ownerId) ?? []), summaryOf(a)]);
  return out;
}
