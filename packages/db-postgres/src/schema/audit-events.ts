import { sql } from "drizzle-orm";
import { boolean, check, index, integer, pgTable, text } from "drizzle-orm/pg-core";

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
  ],
);

/**
 * PostgreSQL only: the chain's head, one row. Appending locks it `FOR UPDATE`, which serialises every writer's
 * `seq` and `prev_hash` (several server instances write at once here, unlike SQLite's single writer). Being
 * transactional, it also stands in for SQLite's AUTOINCREMENT counter in verification: a head past the last stored
 * event means the newest events were deleted (a PostgreSQL sequence cannot tell, it skips ids on rollback).
 */
export const auditChainHeadTable = pgTable(
  "audit_chain_head",
  {
    /** Always true: the primary key and the check keep the table at one row. */
    one: boolean("one").primaryKey().default(true),
    seq: integer("seq").notNull(),
    /** The id of the event at `seq` (0 before the first). */
    lastId: integer("last_id").notNull(),
    hash: text("hash").notNull(),
  },
  (t) => [check("audit_chain_head_one_row", sql`${t.one}`)],
);
