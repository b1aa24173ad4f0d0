ALTER TABLE `attachments` ADD `storage_key` text;--> statement-breakpoint
CREATE INDEX `attachments_storage_key_idx` ON `attachments` (`storage_key`);