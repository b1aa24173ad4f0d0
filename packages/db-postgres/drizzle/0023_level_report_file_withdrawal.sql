ALTER TABLE "level_report_files" ADD COLUMN "withdrawn_at" text;--> statement-breakpoint
ALTER TABLE "level_report_files" ADD COLUMN "superseded_by_id" integer;