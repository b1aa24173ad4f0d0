CREATE TABLE `assignments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`plan_id` integer NOT NULL,
	`measure_id` integer NOT NULL,
	`measure_number` integer NOT NULL,
	`department` text NOT NULL,
	`role` text NOT NULL,
	`status` text NOT NULL,
	`due_date` text NOT NULL,
	`pending_extension_until` text,
	`pending_extension_reason` text,
	`version` integer DEFAULT 1 NOT NULL,
	`issued_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`last_reminded_at` text,
	FOREIGN KEY (`plan_id`) REFERENCES `plans`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`measure_id`) REFERENCES `measures`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`department`) REFERENCES `departments`(`code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `assignments_measure_department_idx` ON `assignments` (`measure_id`,`department`);--> statement-breakpoint
CREATE INDEX `assignments_inbox_idx` ON `assignments` (`department`,`plan_id`,`status`,`due_date`,`id`);--> statement-breakpoint
CREATE INDEX `assignments_department_due_idx` ON `assignments` (`department`,`due_date`,`id`);--> statement-breakpoint
CREATE INDEX `assignments_plan_status_due_idx` ON `assignments` (`plan_id`,`status`,`due_date`,`id`);--> statement-breakpoint
CREATE INDEX `assignments_plan_measure_idx` ON `assignments` (`plan_id`,`measure_number`,`department`);--> statement-breakpoint
CREATE TABLE `audit_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`seq` integer NOT NULL,
	`at` text NOT NULL,
	`type` text NOT NULL,
	`actor_user_id` integer,
	`actor_username` text,
	`actor_role` text,
	`actor_department` text,
	`plan_id` integer,
	`measure_number` integer,
	`assignment_id` integer,
	`department` text,
	`from_status` text,
	`to_status` text,
	`payload` text NOT NULL,
	`prev_hash` text NOT NULL,
	`hash` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `audit_events_seq_unique` ON `audit_events` (`seq`);--> statement-breakpoint
CREATE INDEX `audit_events_plan_idx` ON `audit_events` (`plan_id`,`id`);--> statement-breakpoint
CREATE INDEX `audit_events_assignment_idx` ON `audit_events` (`assignment_id`,`id`);--> statement-breakpoint
CREATE INDEX `audit_events_department_idx` ON `audit_events` (`department`,`id`);--> statement-breakpoint
CREATE TABLE `comments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`assignment_id` integer NOT NULL,
	`plan_id` integer NOT NULL,
	`author_user_id` integer NOT NULL,
	`author_department` text,
	`body` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`assignment_id`) REFERENCES `assignments`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`author_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `comments_assignment_idx` ON `comments` (`assignment_id`,`id`);--> statement-breakpoint
CREATE TABLE `departments` (
	`code` text PRIMARY KEY NOT NULL,
	`name_en` text NOT NULL,
	`name_zh` text NOT NULL,
	`short_en` text NOT NULL,
	`short_zh` text NOT NULL,
	`signature_order` integer NOT NULL,
	`successor` text
);
--> statement-breakpoint
CREATE TABLE `extension_requests` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`assignment_id` integer NOT NULL,
	`plan_id` integer NOT NULL,
	`department` text NOT NULL,
	`requested_by_user_id` integer NOT NULL,
	`previous_due_date` text NOT NULL,
	`until` text NOT NULL,
	`reason` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`decided_by_user_id` integer,
	`decided_at` text,
	`decision_note` text,
	`created_at` text NOT NULL,
	FOREIGN KEY (`assignment_id`) REFERENCES `assignments`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`requested_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `extension_requests_assignment_idx` ON `extension_requests` (`assignment_id`,`status`);--> statement-breakpoint
CREATE TABLE `idempotency_keys` (
	`user_id` integer NOT NULL,
	`key` text NOT NULL,
	`procedure` text NOT NULL,
	`request_hash` text NOT NULL,
	`response` text NOT NULL,
	`created_at` text NOT NULL,
	PRIMARY KEY(`user_id`, `key`)
);
--> statement-breakpoint
CREATE TABLE `measures` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`plan_id` integer NOT NULL,
	`number` integer NOT NULL,
	`section_number` integer NOT NULL,
	`title` text NOT NULL,
	`text` text NOT NULL,
	`text_cut` integer NOT NULL,
	`closed` integer DEFAULT false NOT NULL,
	`closed_at` text,
	`closed_by_user_id` integer,
	`close_note` text,
	`reopened_at` text,
	`reopened_by_user_id` integer,
	`reopen_note` text,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`plan_id`) REFERENCES `plans`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `measures_plan_number_uq` ON `measures` (`plan_id`,`number`);--> statement-breakpoint
CREATE TABLE `plan_departments` (
	`plan_id` integer NOT NULL,
	`department` text NOT NULL,
	`position` integer NOT NULL,
	PRIMARY KEY(`plan_id`, `department`),
	FOREIGN KEY (`plan_id`) REFERENCES `plans`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`department`) REFERENCES `departments`(`code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `plan_departments_position_idx` ON `plan_departments` (`plan_id`,`position`);--> statement-breakpoint
CREATE TABLE `plans` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`key` text NOT NULL,
	`title_en` text NOT NULL,
	`title_zh` text NOT NULL,
	`document_number` text NOT NULL,
	`issued_on` text NOT NULL,
	`published_on` text NOT NULL,
	`lead_department` text NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`assigned_at` text,
	`assigned_by_user_id` integer,
	`default_due_date` text,
	`created_at` text NOT NULL,
	FOREIGN KEY (`lead_department`) REFERENCES `departments`(`code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `plans_key_unique` ON `plans` (`key`);--> statement-breakpoint
CREATE TABLE `responsibilities` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`plan_id` integer NOT NULL,
	`measure_id` integer NOT NULL,
	`measure_number` integer NOT NULL,
	`department` text NOT NULL,
	`role` text NOT NULL,
	`position` integer NOT NULL,
	`justification` text,
	FOREIGN KEY (`plan_id`) REFERENCES `plans`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`measure_id`) REFERENCES `measures`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`department`) REFERENCES `departments`(`code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `responsibilities_measure_department_uq` ON `responsibilities` (`measure_id`,`department`);--> statement-breakpoint
CREATE INDEX `responsibilities_plan_measure_idx` ON `responsibilities` (`plan_id`,`measure_number`,`position`);--> statement-breakpoint
CREATE TABLE `sections` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`plan_id` integer NOT NULL,
	`number` integer NOT NULL,
	`numeral` text NOT NULL,
	`title` text NOT NULL,
	FOREIGN KEY (`plan_id`) REFERENCES `plans`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sections_plan_number_uq` ON `sections` (`plan_id`,`number`);--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` integer NOT NULL,
	`created_at` text NOT NULL,
	`last_seen_at` text NOT NULL,
	`expires_at` text NOT NULL,
	`ip` text,
	`user_agent` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sessions_user_idx` ON `sessions` (`user_id`);--> statement-breakpoint
CREATE TABLE `users` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`username` text NOT NULL,
	`display_name` text NOT NULL,
	`role` text NOT NULL,
	`department` text,
	`password_hash` text NOT NULL,
	`disabled_at` text,
	`created_at` text NOT NULL,
	FOREIGN KEY (`department`) REFERENCES `departments`(`code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_username_unique` ON `users` (`username`);