ALTER TABLE "incentives" ADD COLUMN "sent_by" text;--> statement-breakpoint
ALTER TABLE "incentives" ADD COLUMN "delivery_sealed" text;