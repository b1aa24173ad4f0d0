import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { assignmentsTable } from "./assignments.js";

/**
 * Whether a department has opened what was last addressed to it on an assignment: a reminder (催办), a return
 * (退回重办), a decision on an extension or a declined assignment, a change of deadline or role, a withdrawal, or a
 * comment from outside the department. Kept by a trigger on `audit_events` (migration 0008) in the same transaction
 * as the event; code only clears `unread` when the department's liaison opens the assignment (inbox.markRead).
 */
export const assignmentNoticesTable = sqliteTable(
  "assignment_notices",
  {
    assignmentId: integer("assignment_id")
      .primaryKey()
      .references(() => assignmentsTable.id),
    /** The department the latest notice is addressed to: the assignment's department when it was recorded. */
    department: text("department").notNull(),
    /** The audit event of the latest notice, its type and UTC ISO time. */
    noticeEventId: integer("notice_event_id").notNull(),
    noticeType: text("notice_type").notNull(),
    noticeAt: text("notice_at").notNull(),
    /** The latest notice event the department has opened (0: none). */
    readEventId: integer("read_event_id").notNull().default(0),
    unread: integer("unread", { mode: "boolean" }).notNull().default(true),
  },
  // The navigation's unread count and the inbox's unread rows: a department's unread notices.
  (t) => [index("assignment_notices_department_unread_idx").on(t.department, t.unread, t.assignmentId)],
);
