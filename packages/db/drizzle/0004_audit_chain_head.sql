CREATE TABLE `audit_chain_head` (
	`id` integer PRIMARY KEY NOT NULL,
	`seq` integer NOT NULL,
	`hash` text NOT NULL,
	`updated_at` text NOT NULL,
	CONSTRAINT "audit_chain_head_single_row" CHECK("audit_chain_head"."id" = 1)
);
--> statement-breakpoint
ALTER TABLE `comments` ADD `department` text;--> statement-breakpoint
-- Existing databases (demo copies, `cli db backup` files): the event hash format is unchanged (seq was always
-- hashed; ids are bound to seq order by the verification), so nothing is rehashed. The head starts at the last
-- event as it stands: a truncation made before this migration cannot be seen by the head (the id counter check and
-- an external checkpoint still can).
INSERT INTO `audit_chain_head` (`id`, `seq`, `hash`, `updated_at`)
  SELECT 1, `seq`, `hash`, `at` FROM `audit_events` ORDER BY `seq` DESC LIMIT 1;
--> statement-breakpoint
-- Each comment's holder department is the one its `assignment.commented` event names (the event of the same
-- assignment, author and instant).
UPDATE `comments` SET `department` = (
  SELECT e.`department` FROM `audit_events` e
  WHERE e.`type` = 'assignment.commented' AND e.`assignment_id` = `comments`.`assignment_id`
    AND e.`actor_user_id` = `comments`.`author_user_id` AND e.`at` = `comments`.`created_at`
  ORDER BY e.`seq` LIMIT 1
);
