ALTER TABLE "level_report_files" ADD COLUMN "withdrawn_at" text;--> statement-breakpoint
ALTER TABLE "level_report_files" ADD COLUMN "superseded_by_id" integer;--> statement-breakpoint
ALTER TABLE "level_report_files" ADD COLUMN "storage" text DEFAULT 'database' NOT NULL;--> statement-breakpoint
ALTER TABLE "level_report_files" ADD COLUMN "storage_key" text;