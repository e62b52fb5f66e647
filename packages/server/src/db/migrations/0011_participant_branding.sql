ALTER TABLE "bookings" ADD COLUMN "cancel_reason" text;--> statement-breakpoint
ALTER TABLE "studies" ADD COLUMN "public_title" text;--> statement-breakpoint
ALTER TABLE "studies" ADD COLUMN "public_description" text;--> statement-breakpoint
ALTER TABLE "workspaces" ADD COLUMN "brand_name" text;--> statement-breakpoint
ALTER TABLE "workspaces" ADD COLUMN "logo_url" text;--> statement-breakpoint
ALTER TABLE "workspaces" ADD COLUMN "origins_seen" jsonb DEFAULT '{}'::jsonb NOT NULL;