ALTER TABLE `departments` ADD `kind` text DEFAULT 'ministry' NOT NULL;--> statement-breakpoint
ALTER TABLE `departments` ADD `edited_at` text;--> statement-breakpoint
ALTER TABLE `departments` ADD `retired_on` text;