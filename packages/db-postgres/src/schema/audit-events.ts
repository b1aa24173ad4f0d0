import { index, integer, pgTable, text } from "drizzle-orm/pg-core";

/**
 * Mirrors packages/db/src/schema/audit-events.ts. Every hashed column keeps the SQLite text exactly (`at` is ISO
 * text, not timestamptz, and `payload` canonical JSON text, not jsonb), so that a copied chain verifies.
 */
export const auditEventsTable = pgTable(
  "audit_events",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    seq: integer("seq").notNull().unique(),
    at: text("at").notNull(),
    type: text("type").notNull(),
    actorUserId: integer("actor_user_id"),
    actorUsername: text("actor_username"),
    actorRole: text("actor_role"),
    actorDepartment: text("actor_department"),
    planId: integer("plan_id"),
    measureNumber: integer("measure_number"),
    assignmentId: integer("assignment_id"),
    department: text("department"),
    fromStatus: text("from_status"),
    toStatus: text("to_status"),
    payload: text("payload").notNull(),
    prevHash: text("prev_hash").notNull(),
    hash: text("hash").notNull(),
  },
  (t) => [
    index("audit_events_plan_idx").on(t.planId, t.id),
    index("audit_events_assignment_idx").on(t.assignmentId, t.id),
    index("audit_events_department_idx").on(t.department, t.id),
    index("audit_events_plan_measure_idx").on(t.planId, t.measureNumber, t.id),
  ],
);
