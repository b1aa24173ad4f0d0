-- The counts follow every insert, move (department or plan) and status change of an assignment, in its transaction,
-- exactly as SQLite's triggers keep them (packages/db/drizzle/0002_assignment_counts.sql). Four rows per assignment:
-- its department in its plan, its department over all plans (0), every department ('*') in its plan, every
-- department over all plans. Two transactions moving assignments between the same two statuses in opposite
-- directions can deadlock on these rows (SQLSTATE 40P01); the store's unit of work retries them.
CREATE FUNCTION "assignment_counts_keep"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP IN ('UPDATE', 'DELETE') THEN
		UPDATE "assignment_counts" SET "n" = "n" - 1
			WHERE "status" = OLD."status" AND "department" IN (OLD."department", '*') AND "plan_id" IN (OLD."plan_id", 0);
	END IF;
	IF TG_OP IN ('INSERT', 'UPDATE') THEN
		INSERT INTO "assignment_counts" ("department", "plan_id", "status", "n")
			VALUES (NEW."department", NEW."plan_id", NEW."status", 1), (NEW."department", 0, NEW."status", 1),
				('*', NEW."plan_id", NEW."status", 1), ('*', 0, NEW."status", 1)
			ON CONFLICT ("department", "plan_id", "status") DO UPDATE SET "n" = "assignment_counts"."n" + 1;
	END IF;
	RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "assignment_counts_insert" AFTER INSERT ON "assignments"
	FOR EACH ROW EXECUTE FUNCTION "assignment_counts_keep"();
--> statement-breakpoint
CREATE TRIGGER "assignment_counts_delete" AFTER DELETE ON "assignments"
	FOR EACH ROW EXECUTE FUNCTION "assignment_counts_keep"();
--> statement-breakpoint
CREATE TRIGGER "assignment_counts_update" AFTER UPDATE OF "department", "plan_id", "status" ON "assignments"
	FOR EACH ROW
	WHEN (OLD."department" IS DISTINCT FROM NEW."department" OR OLD."plan_id" IS DISTINCT FROM NEW."plan_id"
		OR OLD."status" IS DISTINCT FROM NEW."status")
	EXECUTE FUNCTION "assignment_counts_keep"();
--> statement-breakpoint
-- The counts of the assignments already there.
INSERT INTO "assignment_counts" ("department", "plan_id", "status", "n")
	SELECT "department", "plan_id", "status", count(*) FROM "assignments" GROUP BY "department", "plan_id", "status"
	UNION ALL SELECT "department", 0, "status", count(*) FROM "assignments" GROUP BY "department", "status"
	UNION ALL SELECT '*', "plan_id", "status", count(*) FROM "assignments" GROUP BY "plan_id", "status"
	UNION ALL SELECT '*', 0, "status", count(*) FROM "assignments" GROUP BY "status";
--> statement-breakpoint
-- The chain's head row: the last event stored, or seq 0 and the genesis hash (packages/db/src/audit.ts).
INSERT INTO "audit_chain_head" ("one", "seq", "last_id", "hash")
	SELECT true, coalesce(max("seq"), 0), coalesce(max("id"), 0),
		coalesce((SELECT "hash" FROM "audit_events" ORDER BY "seq" DESC LIMIT 1), repeat('0', 64))
	FROM "audit_events";
