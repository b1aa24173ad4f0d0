-- The measures' search (issue 17), PostgreSQL's twin of SQLite's FTS5 trigram table (packages/db migration 0014):
-- pg_trgm GIN indexes on the measures' title and text in the domain's searchableText form (NFKC width folding, white
-- space runs made one space, ASCII letters lower-cased, nothing else), which a LIKE '%…%' of 3 or more characters
-- reads (packages/db-postgres/src/search.ts). No copy of the text and no triggers: the indexes follow the columns.
-- pg_trgm is a trusted extension (PostgreSQL 13+): the database's owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
-- translate(), not lower(): lower() would fold letters beyond ASCII too, which the SQLite side and the query do not.
CREATE OR REPLACE FUNCTION countersign_search_text(value text) RETURNS text
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
	AS $$ SELECT translate(regexp_replace(normalize(value, NFKC), '\s+', ' ', 'g'), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') $$;
--> statement-breakpoint
CREATE INDEX "measures_title_trgm_idx" ON "measures" USING gin (countersign_search_text("title") gin_trgm_ops);
--> statement-breakpoint
CREATE INDEX "measures_text_trgm_idx" ON "measures" USING gin (countersign_search_text("text") gin_trgm_ops);
