CREATE TABLE `measure_translations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`measure_id` integer NOT NULL,
	`language` text NOT NULL,
	`title` text NOT NULL,
	`text` text NOT NULL,
	`text_cut` integer NOT NULL,
	`added_at` text NOT NULL,
	`added_by_user_id` integer NOT NULL,
	FOREIGN KEY (`measure_id`) REFERENCES `measures`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `measure_translations_measure_language_uq` ON `measure_translations` (`measure_id`,`language`);