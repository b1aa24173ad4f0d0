-- The measures' search index (issue 17): an FTS5 table with the trigram tokenizer, which matches any substring of
-- 3 or more characters, Chinese included (no word boundaries needed). One row per measure, rowid = measures.id, the
-- title and text stored in the domain's searchableText form (NFKC width folding, white space runs made one space,
-- ASCII lower case) by the SQL function countersign_search_text that openDatabase registers (packages/db/src/search.ts).
-- case_sensitive 1: the text is already folded as a query is; folding more here would find what instr() did not.
-- SQLite only: PostgreSQL has pg_trgm GIN indexes on the same columns (packages/db-postgres, migration 0015).
CREATE VIRTUAL TABLE `measure_search` USING fts5(`title`, `text`, tokenize = 'trigram case_sensitive 1');
--> statement-breakpoint
-- Kept current in the transaction that writes the measure.
CREATE TRIGGER `measure_search_insert` AFTER INSERT ON `measures` BEGIN
	INSERT INTO `measure_search` (`rowid`, `title`, `text`)
		VALUES (NEW.`id`, countersign_search_text(NEW.`title`), countersign_search_text(NEW.`text`));
END;
--> statement-breakpoint
CREATE TRIGGER `measure_search_update` AFTER UPDATE OF `id`, `title`, `text` ON `measures` BEGIN
	DELETE FROM `measure_search` WHERE `rowid` = OLD.`id`;
	INSERT INTO `measure_search` (`rowid`, `title`, `text`)
		VALUES (NEW.`id`, countersign_search_text(NEW.`title`), countersign_search_text(NEW.`text`));
END;
--> statement-breakpoint
CREATE TRIGGER `measure_search_delete` AFTER DELETE ON `measures` BEGIN
	DELETE FROM `measure_search` WHERE `rowid` = OLD.`id`;
END;
--> statement-breakpoint
-- The measures already there.
INSERT INTO `measure_search` (`rowid`, `title`, `text`)
	SELECT `id`, countersign_search_text(`title`), countersign_search_text(`text`) FROM `measures`;
