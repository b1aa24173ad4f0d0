ALTER TABLE "attachments" ADD COLUMN "storage_key" text;--> statement-breakpoint
CREATE INDEX "attachments_storage_key_idx" ON "attachments" USING btree ("storage_key");