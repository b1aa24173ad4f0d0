import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * The append-only audit trail (操作记录). Each row is hash-chained: `hash` = sha256 over the canonical
 * serialization of the row's content and `prev_hash`, so that editing, deleting or reordering rows is detected.
 * Written in the same transaction as the change it records. No foreign keys: the trail outlives what it names.
 */
export const auditEventsTable = sqliteTable(
  "audit_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** 1, 2, 3, … without gaps; part of the hashed content. */
    seq: integer("seq").notNull().unique(),
    /** UTC ISO timestamp. */
    at: text("at").notNull(),
    type: text("type").notNull(),
    actorUserId: integer("actor_user_id"),
    actorUsername: text("actor_username"),
    actorRole: text("actor_role"),
    actorDepartment: text("actor_department"),
    planId: integer("plan_id"),
    measureNumber: integer("measure_number"),
    assignmentId: integer("assignment_id"),
    /** The department whose assignment (or account) the event concerns. */
    department: text("department"),
    fromStatus: text("from_status"),
    toStatus: text("to_status"),
    /** Canonical JSON (keys sorted), exactly as hashed. */
    payload: text("payload").notNull(),
    prevHash: text("prev_hash").notNull(),
    hash: text("hash").notNull(),
  },
  (t) => [
    index("audit_events_plan_idx").on(t.planId, t.id),
    index("audit_events_assignment_idx").on(t.assignmentId, t.id),
    // A liaison reads the trail of their own department only.
    index("audit_events_department_idx").on(t.department, t.id),
    // A measure's own history (measure.history).
    index("audit_events_plan_measure_idx").on(t.planId, t.measureNumber, t.id),
  ],
);
