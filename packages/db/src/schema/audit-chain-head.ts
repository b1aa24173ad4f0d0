import { check, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { sql } from "drizzle-orm";

/**
 * The audit chain's head, kept apart from the events: one row holding the last event's `seq` and `hash`, updated in
 * the same transaction as each append. Deleting the newest events (and resetting the id counter) leaves the head
 * ahead of the trail, which `audit verify` reports; rewriting the head too is caught only by a checkpoint kept
 * outside the database (`cli audit checkpoint`).
 */
export const auditChainHeadTable = sqliteTable(
  "audit_chain_head",
  {
    /** Always 1: a single row. */
    id: integer("id").primaryKey(),
    seq: integer("seq").notNull(),
    hash: text("hash").notNull(),
    /** UTC ISO time of the last append. */
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [check("audit_chain_head_single_row", sql`${t.id} = 1`)],
);
