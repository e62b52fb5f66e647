CREATE TABLE "zoom_connections" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"member_id" uuid NOT NULL,
	"label" text NOT NULL,
	"credentials_encrypted" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "zoom_connections_member_id_unique" UNIQUE("member_id")
);
--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "zoom_meeting_id" text;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "zoom_host_id" uuid;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "zoom_creating_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "zoom_connections" ADD CONSTRAINT "zoom_connections_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_zoom_host_id_members_id_fk" FOREIGN KEY ("zoom_host_id") REFERENCES "public"."members"("id") ON DELETE set null ON UPDATE no action;