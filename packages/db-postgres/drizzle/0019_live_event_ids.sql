-- Issue 13: the ids of live events, the same on every instance (packages/db-postgres/src/schema/live-events.ts). A
-- sequence, not a table: nothing to mirror on SQLite, where one process numbers its own live changes.
CREATE SEQUENCE "public"."live_event_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;
