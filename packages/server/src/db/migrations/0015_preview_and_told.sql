CREATE TABLE "study_previews" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"token_hash" text NOT NULL,
	"workspace_id" uuid NOT NULL,
	"study_id" uuid,
	"study" jsonb NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "study_previews_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "told" jsonb;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "thanked_by_job" bigint;--> statement-breakpoint
ALTER TABLE "study_previews" ADD CONSTRAINT "study_previews_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "study_previews" ADD CONSTRAINT "study_previews_study_id_studies_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."studies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "study_previews_expires_idx" ON "study_previews" USING btree ("expires_at");--> statement-breakpoint
-- A thank-you already made for a booking (sent, or still to run) is the one that thanks: marking it done again sends no second.
UPDATE "bookings" SET "thanked_by_job" = "thank_you"."id" FROM (SELECT min("id") AS "id", "payload"->>'bookingId' AS "booking_id" FROM "jobs" WHERE "kind" = 'mail.thank_you' GROUP BY "payload"->>'bookingId') AS "thank_you" WHERE "thank_you"."booking_id" = "bookings"."id"::text;
