import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { assignmentsTable } from "./assignments.js";
import { usersTable } from "./users.js";

export const commentsTable = sqliteTable(
  "comments",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    assignmentId: integer("assignment_id")
      .notNull()
      .references(() => assignmentsTable.id),
    planId: integer("plan_id").notNull(),
    authorUserId: integer("author_user_id")
      .notNull()
      .references(() => usersTable.id),
    authorDepartment: text("author_department"),
    body: text("body").notNull(),
    createdAt: text("created_at").notNull(),
  },
  (t) => [index("comments_assignment_idx").on(t.assignmentId, t.id)],
);
