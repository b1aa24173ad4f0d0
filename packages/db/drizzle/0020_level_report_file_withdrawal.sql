ALTER TABLE `level_report_files` ADD `withdrawn_at` text;--> statement-breakpoint
ALTER TABLE `level_report_files` ADD `superseded_by_id` integer;