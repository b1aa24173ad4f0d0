ALTER TABLE "measures" ADD COLUMN "stated_due_date" text;--> statement-breakpoint
ALTER TABLE "measures" ADD COLUMN "stated_deadline" text;