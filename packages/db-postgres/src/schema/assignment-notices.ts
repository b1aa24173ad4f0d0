import { boolean, index, integer, pgTable, text } from "drizzle-orm/pg-core";
import { assignmentsTable } from "./assignments.js";

/**
 * Mirrors packages/db/src/schema/assignment-notices.ts (`unread` is a 0/1 integer there, a boolean here). Kept by the
 * PL/pgSQL trigger of migration 0011 on `audit_events`, as SQLite's trigger of its migration 0008 keeps it; code only
 * clears `unread` when the department's liaison opens the assignment.
 */
export const assignmentNoticesTable = pgTable(
  "assignment_notices",
  {
    assignmentId: integer("assignment_id")
      .primaryKey()
      .references(() => assignmentsTable.id),
    department: text("department").notNull(),
    noticeEventId: integer("notice_event_id").notNull(),
    noticeType: text("notice_type").notNull(),
    noticeAt: text("notice_at").notNull(),
    readEventId: integer("read_event_id").notNull().default(0),
    unread: boolean("unread").notNull().default(true),
  },
  (t) => [index("assignment_notices_department_unread_idx").on(t.department, t.unread, t.assignmentId)],
);
