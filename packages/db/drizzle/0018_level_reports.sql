CREATE TABLE `level_reports` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`parent_round_id` integer NOT NULL,
	`round_id` integer NOT NULL,
	`organisation_id` text NOT NULL,
	`parent_organisation_id` text NOT NULL,
	`plan_id` integer NOT NULL,
	`status` text NOT NULL,
	`progress` text DEFAULT '' NOT NULL,
	`problems` text DEFAULT '' NOT NULL,
	`next_steps` text DEFAULT '' NOT NULL,
	`submitted_progress` text,
	`submitted_problems` text,
	`submitted_next_steps` text,
	`compiled` text,
	`submitted_at` text,
	`signed_off_by_user_id` integer,
	`returned_reason` text,
	`returned_at` text,
	`updated_at` text NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`parent_round_id`) REFERENCES `report_rounds`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`round_id`) REFERENCES `report_rounds`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`parent_organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`signed_off_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `level_reports_parent_plan_uq` ON `level_reports` (`parent_round_id`,`plan_id`);--> statement-breakpoint
CREATE INDEX `level_reports_parent_org_idx` ON `level_reports` (`parent_round_id`,`organisation_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `level_reports_round_uq` ON `level_reports` (`round_id`);