CREATE TABLE `password_resets` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` integer NOT NULL,
	`created_at` text NOT NULL,
	`expires_at` text NOT NULL,
	`used_at` text,
	`created_by_user_id` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `password_resets_user_idx` ON `password_resets` (`user_id`);--> statement-breakpoint
ALTER TABLE `users` ADD `display_name_zh` text;--> statement-breakpoint
ALTER TABLE `users` ADD `display_name_en` text;--> statement-breakpoint
ALTER TABLE `users` ADD `sso_identity` text;--> statement-breakpoint
CREATE UNIQUE INDEX `users_sso_identity_uq` ON `users` (`sso_identity`);--> statement-breakpoint
-- Split the display names written before 0009 by language: a name with no Chinese character is English, one with no
-- Latin letter is Chinese, "中文 (English)" is both; any other mixed name goes to the Chinese column for an
-- administrator to tidy (personLabel never shows the mixed legacy column).
UPDATE `users` SET `display_name_en` = trim(`display_name`) WHERE `display_name` NOT GLOB '*[一-鿿]*';--> statement-breakpoint
UPDATE `users` SET `display_name_zh` = trim(`display_name`) WHERE `display_name` GLOB '*[一-鿿]*' AND `display_name` NOT GLOB '*[A-Za-z]*';--> statement-breakpoint
UPDATE `users` SET
  `display_name_zh` = trim(substr(`display_name`, 1, instr(`display_name`, ' (') - 1)),
  `display_name_en` = trim(substr(`display_name`, instr(`display_name`, ' (') + 2, length(`display_name`) - instr(`display_name`, ' (') - 2))
  WHERE `display_name` GLOB '*[一-鿿]*' AND `display_name` GLOB '*[A-Za-z]*' AND `display_name` GLOB '?* (*)'
    AND substr(`display_name`, 1, instr(`display_name`, ' (') - 1) NOT GLOB '*[A-Za-z]*';--> statement-breakpoint
UPDATE `users` SET `display_name_zh` = `display_name` WHERE `display_name_zh` IS NULL AND `display_name_en` IS NULL;
