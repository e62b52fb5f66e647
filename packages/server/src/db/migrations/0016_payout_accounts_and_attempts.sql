CREATE TABLE "tremendous_accounts" (
	"workspace_id" uuid PRIMARY KEY NOT NULL,
	"environment" text NOT NULL,
	"api_key_sealed" text NOT NULL,
	"api_key_end" text NOT NULL,
	"funding_source_id" text DEFAULT 'balance' NOT NULL,
	"campaign_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD COLUMN "attempt_log" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "tremendous_accounts" ADD CONSTRAINT "tremendous_accounts_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Hand-written backfill: a delivery tried before the log existed keeps its last attempt as its only entry.
UPDATE "webhook_deliveries" SET "attempt_log" = jsonb_build_array(jsonb_build_object(
	'at', to_char("last_attempt_at" at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
	'responseStatus', "response_status",
	'error', "last_error",
	'latencyMs', coalesce("latency_ms", 0),
	'nextRetryAt', null
)) WHERE "last_attempt_at" IS NOT NULL;
