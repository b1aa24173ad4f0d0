CREATE TABLE "password_resets" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" integer NOT NULL,
	"created_at" text NOT NULL,
	"expires_at" text NOT NULL,
	"used_at" text,
	"created_by_user_id" integer
);
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "display_name_zh" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "display_name_en" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "sso_identity" text;--> statement-breakpoint
ALTER TABLE "password_resets" ADD CONSTRAINT "password_resets_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "password_resets_user_idx" ON "password_resets" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "users_sso_identity_uq" ON "users" USING btree ("sso_identity");