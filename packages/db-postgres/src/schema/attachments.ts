import { customType, index, integer, pgTable, text } from "drizzle-orm/pg-core";
import { assignmentsTable } from "./assignments.js";
import { usersTable } from "./users.js";

/** PostgreSQL's byte string, read and written as a Buffer (SQLite's blob). */
const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => "bytea" });

/** Mirrors packages/db/src/schema/attachments.ts.
 *
 * 佐证材料: a file attached to an act (a round report's submission, a comment, later any assignment action). Never
 * changed or deleted once stored; a mistaken file is superseded (`supersededById`), with an audit event.
 * Access follows the assignment's and the department's words (policy.ts): `department` is whose conversation it is.
 */
export const attachmentsTable = pgTable(
  "attachments",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    planId: integer("plan_id").notNull(),
    assignmentId: integer("assignment_id")
      .notNull()
      .references(() => assignmentsTable.id),
    department: text("department").notNull(),
    /** What the file is attached to: `round_report`, `comment`, or an assignment action (`assignment.signOff` …). */
    ownerKind: text("owner_kind").notNull(),
    ownerId: integer("owner_id").notNull(),
    /** The sanitised file name shown and sent on download. */
    name: text("name").notNull(),
    /** The type found in the bytes (file-type), never the one the client declared. */
    contentType: text("content_type").notNull(),
    sizeBytes: integer("size_bytes").notNull(),
    /** Hex SHA-256 of the bytes, also in the act's audit event. */
    sha256: text("sha256").notNull(),
    /** Where the bytes are: `database` (attachment_blobs) or `s3` (an S3-compatible object store). */
    storage: text("storage").notNull(),
    /**
     * The object's key in the object store (`s3`), written there before the act commits; null for `database`. An
     * object whose key no row names is an orphan (its act never committed) and is swept.
     */
    storageKey: text("storage_key"),
    uploadedByUserId: integer("uploaded_by_user_id")
      .notNull()
      .references(() => usersTable.id),
    createdAt: text("created_at").notNull(),
    supersededById: integer("superseded_by_id"),
  },
  (t) => [
    index("attachments_owner_idx").on(t.ownerKind, t.ownerId, t.id),
    index("attachments_assignment_idx").on(t.assignmentId, t.id),
    // The orphan sweep asks, per object, whether a row names its key.
    index("attachments_storage_key_idx").on(t.storageKey),
  ],
);

/** The bytes of an attachment stored in the database itself (the default store), written in the act's transaction. */
export const attachmentBlobsTable = pgTable("attachment_blobs", {
  attachmentId: integer("attachment_id")
    .primaryKey()
    .references(() => attachmentsTable.id),
  bytes: bytea("bytes").notNull(),
});
