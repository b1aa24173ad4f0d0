CREATE TABLE `level_report_file_blobs` (
	`file_id` integer PRIMARY KEY NOT NULL,
	`bytes` blob NOT NULL,
	FOREIGN KEY (`file_id`) REFERENCES `level_report_files`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `level_report_files` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`level_report_id` integer NOT NULL,
	`name` text NOT NULL,
	`content_type` text NOT NULL,
	`size_bytes` integer NOT NULL,
	`sha256` text NOT NULL,
	`uploaded_by_user_id` integer NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`level_report_id`) REFERENCES `level_reports`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`uploaded_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `level_report_files_report_idx` ON `level_report_files` (`level_report_id`,`id`);