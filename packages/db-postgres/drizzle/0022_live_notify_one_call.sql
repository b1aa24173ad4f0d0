-- Issue 17 (writes on PostgreSQL): a unit of work's live events sent in ONE statement at its end, not three or more
-- (the ids' lock, the ids, one NOTIFY per event), each a round trip made while the audit chain head's row lock and
-- then the ids' lock are held to the commit, so every commit after it waited for them too. Same guarantees as
-- before (packages/db-postgres/src/live-bus.ts): the lock (the same key, "countersign live ids") is taken first and
-- held to the commit, so ids grow in commit order; each payload is the event's JSON without its id, which is put in
-- first here ('{"id":N,' followed by the rest of the object), so every instance reads the same id.
CREATE OR REPLACE FUNCTION countersign_notify_live(payloads text[]) RETURNS bigint[]
	LANGUAGE plpgsql AS $$
DECLARE
	ids bigint[] := '{}';
	payload text;
	id bigint;
BEGIN
	PERFORM pg_advisory_xact_lock(7345913042118);
	FOREACH payload IN ARRAY payloads LOOP
		id := nextval('live_event_seq');
		PERFORM pg_notify('countersign_live', '{"id":' || id || ',' || substr(payload, 2));
		ids := ids || id;
	END LOOP;
	RETURN ids;
END
$$;
