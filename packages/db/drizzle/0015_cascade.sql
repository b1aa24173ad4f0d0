CREATE TABLE `forwarding_measures` (
	`forwarding_id` integer NOT NULL,
	`measure_id` integer NOT NULL,
	`position` integer NOT NULL,
	FOREIGN KEY (`forwarding_id`) REFERENCES `forwardings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`measure_id`) REFERENCES `measures`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `forwarding_measures_uq` ON `forwarding_measures` (`forwarding_id`,`measure_id`);--> statement-breakpoint
CREATE INDEX `forwarding_measures_measure_idx` ON `forwarding_measures` (`measure_id`);--> statement-breakpoint
CREATE TABLE `forwardings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`plan_id` integer NOT NULL,
	`from_organisation` text NOT NULL,
	`to_organisation` text NOT NULL,
	`plan_deadline` text NOT NULL,
	`forwarded_on` text NOT NULL,
	`forwarded_at` text NOT NULL,
	`forwarded_by_user_id` integer,
	`status` text DEFAULT 'pending' NOT NULL,
	`derived_plan_id` integer,
	FOREIGN KEY (`plan_id`) REFERENCES `plans`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`from_organisation`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`to_organisation`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`derived_plan_id`) REFERENCES `plans`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `forwardings_to_idx` ON `forwardings` (`to_organisation`,`status`,`id`);--> statement-breakpoint
CREATE INDEX `forwardings_plan_idx` ON `forwardings` (`plan_id`,`to_organisation`);--> statement-breakpoint
CREATE TABLE `organisations` (
	`id` text PRIMARY KEY NOT NULL,
	`parent_id` text,
	`level` text NOT NULL,
	`kind` text,
	`name_zh` text NOT NULL,
	`name_en` text NOT NULL,
	`office_name_zh` text NOT NULL,
	`office_name_en` text NOT NULL,
	`office_host` text NOT NULL,
	`position` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `organisations_parent_idx` ON `organisations` (`parent_id`,`position`);--> statement-breakpoint
ALTER TABLE `departments` ADD `organisation_id` text DEFAULT 'CN' NOT NULL;--> statement-breakpoint
ALTER TABLE `departments` ADD `line` text;--> statement-breakpoint
ALTER TABLE `measures` ADD `origin_measure_id` integer;--> statement-breakpoint
CREATE INDEX `measures_origin_idx` ON `measures` (`origin_measure_id`);--> statement-breakpoint
ALTER TABLE `plans` ADD `organisation_id` text DEFAULT 'CN' NOT NULL;--> statement-breakpoint
ALTER TABLE `plans` ADD `implements_plan_id` integer;--> statement-breakpoint
CREATE INDEX `plans_organisation_idx` ON `plans` (`organisation_id`,`id`);--> statement-breakpoint
CREATE INDEX `plans_implements_idx` ON `plans` (`implements_plan_id`);--> statement-breakpoint
ALTER TABLE `users` ADD `organisation_id` text DEFAULT 'CN' NOT NULL;