ALTER TABLE `level_report_files` ADD `withdrawn_at` text;--> statement-breakpoint
ALTER TABLE `level_report_files` ADD `superseded_by_id` integer;--> statement-breakpoint
ALTER TABLE `level_report_files` ADD `storage` text DEFAULT 'database' NOT NULL;--> statement-breakpoint
ALTER TABLE `level_report_files` ADD `storage_key` text;