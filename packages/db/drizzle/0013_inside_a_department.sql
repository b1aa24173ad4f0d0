CREATE TABLE `divisions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`department` text NOT NULL,
	`name_zh` text,
	`name_en` text,
	`created_at` text NOT NULL,
	FOREIGN KEY (`department`) REFERENCES `departments`(`code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `divisions_department_idx` ON `divisions` (`department`,`id`);--> statement-breakpoint
ALTER TABLE `assignments` ADD `division_id` integer;--> statement-breakpoint
ALTER TABLE `assignments` ADD `handler_user_id` integer;--> statement-breakpoint
ALTER TABLE `assignments` ADD `pending_approval` text;--> statement-breakpoint
CREATE INDEX `assignments_handler_idx` ON `assignments` (`handler_user_id`,`due_date`,`id`);--> statement-breakpoint
CREATE INDEX `assignments_division_idx` ON `assignments` (`division_id`,`due_date`,`id`);--> statement-breakpoint
ALTER TABLE `departments` ADD `leader_approval` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `users` ADD `department_role` text;--> statement-breakpoint
ALTER TABLE `users` ADD `division_id` integer;