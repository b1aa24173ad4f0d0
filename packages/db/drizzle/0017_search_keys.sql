-- The inbox's search by distinct text (issue 17, point 3). Plans forwarded down repeat their parent's measures word
-- for word, so the measures' trigram index (measure_search, migration 0014) answered every copy of a text in the
-- database, and the inbox joined those to the department's assignments by measure. Here each distinct title and
-- text of a measure, in the domain's searchableText form, is one row of `search_texts`, indexed once by FTS5
-- (trigram); each distinct (measure number, text) is one row of `search_keys`; measures and assignments carry that
-- key (`search_key`). A search reads the matching texts (a few rows), their keys, and then only the department's
-- assignments of those keys (assignments_search_idx). Queries of 1-2 characters, which no trigram index can match,
-- scan the distinct texts, not the department's inbox. countersign_search_text and countersign_search_digest are
-- the SQL functions openDatabase registers (packages/db/src/search.ts); PostgreSQL's twin is its migration 0018.
CREATE TABLE `search_texts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`digest` text NOT NULL,
	`title` text NOT NULL,
	`text` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `search_texts_digest_uq` ON `search_texts` (`digest`);--> statement-breakpoint
CREATE TABLE `search_keys` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`number` integer NOT NULL,
	`text_id` integer NOT NULL,
	FOREIGN KEY (`text_id`) REFERENCES `search_texts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `search_keys_number_text_uq` ON `search_keys` (`number`,`text_id`);--> statement-breakpoint
CREATE INDEX `search_keys_text_idx` ON `search_keys` (`text_id`);--> statement-breakpoint
ALTER TABLE `assignments` ADD `search_key` integer;--> statement-breakpoint
ALTER TABLE `measures` ADD `search_key` integer;--> statement-breakpoint
-- Contentless: the text is in search_texts; the index only answers which texts match.
CREATE VIRTUAL TABLE `search_text_index` USING fts5(`title`, `text`, content = '', tokenize = 'trigram case_sensitive 1');
--> statement-breakpoint
-- search_texts rows are only ever added (a text no measure uses any more matches nothing in an inbox).
CREATE TRIGGER `search_text_index_insert` AFTER INSERT ON `search_texts` BEGIN
	INSERT INTO `search_text_index` (`rowid`, `title`, `text`) VALUES (NEW.`id`, NEW.`title`, NEW.`text`);
END;
--> statement-breakpoint
-- A measure's text and key, found or added in the transaction that writes the measure.
CREATE TRIGGER `measures_search_key_insert` AFTER INSERT ON `measures` BEGIN
	INSERT INTO `search_texts` (`digest`, `title`, `text`)
		VALUES (countersign_search_digest(NEW.`title`, NEW.`text`), countersign_search_text(NEW.`title`), countersign_search_text(NEW.`text`))
		ON CONFLICT (`digest`) DO NOTHING;
	INSERT INTO `search_keys` (`number`, `text_id`)
		VALUES (NEW.`number`, (SELECT `id` FROM `search_texts` WHERE `digest` = countersign_search_digest(NEW.`title`, NEW.`text`)))
		ON CONFLICT (`number`, `text_id`) DO NOTHING;
	UPDATE `measures` SET `search_key` = (SELECT `k`.`id` FROM `search_keys` `k` JOIN `search_texts` `t` ON `t`.`id` = `k`.`text_id`
		WHERE `k`.`number` = NEW.`number` AND `t`.`digest` = countersign_search_digest(NEW.`title`, NEW.`text`)) WHERE `id` = NEW.`id`;
END;
--> statement-breakpoint
-- An edited measure (renumbered, retitled, reworded): its key, and its assignments' keys, follow.
CREATE TRIGGER `measures_search_key_update` AFTER UPDATE OF `number`, `title`, `text` ON `measures` BEGIN
	INSERT INTO `search_texts` (`digest`, `title`, `text`)
		VALUES (countersign_search_digest(NEW.`title`, NEW.`text`), countersign_search_text(NEW.`title`), countersign_search_text(NEW.`text`))
		ON CONFLICT (`digest`) DO NOTHING;
	INSERT INTO `search_keys` (`number`, `text_id`)
		VALUES (NEW.`number`, (SELECT `id` FROM `search_texts` WHERE `digest` = countersign_search_digest(NEW.`title`, NEW.`text`)))
		ON CONFLICT (`number`, `text_id`) DO NOTHING;
	UPDATE `measures` SET `search_key` = (SELECT `k`.`id` FROM `search_keys` `k` JOIN `search_texts` `t` ON `t`.`id` = `k`.`text_id`
		WHERE `k`.`number` = NEW.`number` AND `t`.`digest` = countersign_search_digest(NEW.`title`, NEW.`text`)) WHERE `id` = NEW.`id`;
	UPDATE `assignments` SET `search_key` = (SELECT `search_key` FROM `measures` WHERE `id` = NEW.`id`)
		WHERE `measure_id` = NEW.`id`;
END;
--> statement-breakpoint
-- An assignment takes its measure's key (whatever inserted it: the services, an import, a seed).
CREATE TRIGGER `assignments_search_key_insert` AFTER INSERT ON `assignments` BEGIN
	UPDATE `assignments` SET `search_key` = (SELECT `search_key` FROM `measures` WHERE `id` = NEW.`measure_id`)
		WHERE `id` = NEW.`id`;
END;
--> statement-breakpoint
CREATE TRIGGER `assignments_search_key_update` AFTER UPDATE OF `measure_id` ON `assignments` BEGIN
	UPDATE `assignments` SET `search_key` = (SELECT `search_key` FROM `measures` WHERE `id` = NEW.`measure_id`)
		WHERE `id` = NEW.`id`;
END;
--> statement-breakpoint
-- The rows already there: each distinct text once (the index follows by its trigger), each distinct key once, then
-- measures, then assignments.
INSERT INTO `search_texts` (`digest`, `title`, `text`)
	SELECT countersign_search_digest(`title`, `text`), countersign_search_text(`title`), countersign_search_text(`text`)
	FROM (SELECT DISTINCT `title`, `text` FROM `measures`) WHERE true
	ON CONFLICT (`digest`) DO NOTHING;
--> statement-breakpoint
-- Each measure's digest, worked out once (a JavaScript function call per measure).
CREATE TEMP TABLE `measure_search_digests` (`id` integer PRIMARY KEY, `number` integer NOT NULL, `digest` text NOT NULL);
--> statement-breakpoint
INSERT INTO `measure_search_digests` (`id`, `number`, `digest`)
	SELECT `id`, `number`, countersign_search_digest(`title`, `text`) FROM `measures`;
--> statement-breakpoint
INSERT INTO `search_keys` (`number`, `text_id`)
	SELECT DISTINCT `d`.`number`, `t`.`id` FROM `measure_search_digests` `d` JOIN `search_texts` `t` ON `t`.`digest` = `d`.`digest` WHERE true
	ON CONFLICT (`number`, `text_id`) DO NOTHING;
--> statement-breakpoint
UPDATE `measures` SET `search_key` = (SELECT `k`.`id` FROM `measure_search_digests` `d`
	JOIN `search_texts` `t` ON `t`.`digest` = `d`.`digest` JOIN `search_keys` `k` ON `k`.`text_id` = `t`.`id` AND `k`.`number` = `d`.`number`
	WHERE `d`.`id` = `measures`.`id`);
--> statement-breakpoint
DROP TABLE `measure_search_digests`;
--> statement-breakpoint
UPDATE `assignments` SET `search_key` = (SELECT `search_key` FROM `measures` WHERE `measures`.`id` = `assignments`.`measure_id`);
--> statement-breakpoint
-- Built after the back-fill: one sort rather than a million index updates. assignments_department_due_idx gains
-- search_key last: a search's first page walks the department's inbox in due-date order from the index alone
-- (packages/db/src/store/sqlite/inbox.ts).
CREATE INDEX `assignments_search_idx` ON `assignments` (`search_key`,`department`,`status`,`due_date`,`id`);--> statement-breakpoint
DROP INDEX `assignments_department_due_idx`;--> statement-breakpoint
CREATE INDEX `assignments_department_due_idx` ON `assignments` (`department`,`due_date`,`id`,`search_key`);
