ALTER TABLE `measures` ADD `stated_due_date` text;--> statement-breakpoint
ALTER TABLE `measures` ADD `stated_deadline` text;
