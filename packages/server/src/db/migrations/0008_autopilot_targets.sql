ALTER TABLE "studies" ADD COLUMN "weekly_target" integer;--> statement-breakpoint
ALTER TABLE "workspaces" ADD COLUMN "time_zone" text DEFAULT 'UTC' NOT NULL;--> statement-breakpoint
ALTER TABLE "workspaces" ADD COLUMN "weekly_target" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "studies" ADD CONSTRAINT "studies_weekly_target_ck" CHECK ("studies"."weekly_target" between 1 and 50);--> statement-breakpoint
ALTER TABLE "workspaces" ADD CONSTRAINT "workspaces_weekly_target_ck" CHECK ("workspaces"."weekly_target" between 1 and 500);