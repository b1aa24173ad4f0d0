import { pgSequence } from "drizzle-orm/pg-core";

/**
 * PostgreSQL only (no table, so nothing to mirror on SQLite, where one process numbers its own live changes): the ids
 * of live events (issue 13, resumable live updates across instances). A unit of work that announces changes takes
 * the next ids under one transaction-scoped advisory lock held until its commit (live-bus.ts), so ids grow in commit
 * order, the order in which NOTIFY delivers them to every instance; a failed commit leaves a gap.
 */
export const liveEventSeq = pgSequence("live_event_seq", { startWith: 1, increment: 1, minValue: 1, cache: 1 });
