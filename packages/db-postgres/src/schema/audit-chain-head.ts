import { sql } from "drizzle-orm";
import { check, integer, pgTable, text } from "drizzle-orm/pg-core";

/**
 * Mirrors packages/db/src/schema/audit-chain-head.ts: one row (id 1) holding the last event's `seq` and `hash` and the
 * time of that append, written in the transaction of each append; no row before the first event, as on SQLite.
 *
 * Here it also orders the writers: appending locks the row `FOR UPDATE`, which serialises every instance's `seq` and
 * `prev_hash` (several server instances write at once, unlike SQLite's single writer). A head past the last stored
 * event means the newest events were deleted; rewriting the head too is caught only by a checkpoint kept outside the
 * database (`cli audit checkpoint`), as on SQLite.
 */
export const auditChainHeadTable = pgTable(
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
