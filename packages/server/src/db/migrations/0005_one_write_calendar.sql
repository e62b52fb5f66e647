-- A member left with two write calendars by a race keeps the one interviews were written to:
-- an active one before a broken one, then the oldest (as the calendar service chooses).
UPDATE "calendar_connections" SET "write_calendar_id" = NULL, "updated_at" = now()
WHERE "write_calendar_id" IS NOT NULL AND "id" NOT IN (
  SELECT DISTINCT ON ("member_id") "id" FROM "calendar_connections"
  WHERE "write_calendar_id" IS NOT NULL
  ORDER BY "member_id", ("status" = 'active') DESC, "created_at"
);--> statement-breakpoint
CREATE UNIQUE INDEX "calendar_connections_one_write_calendar_uq" ON "calendar_connections" USING btree ("member_id") WHERE "calendar_connections"."write_calendar_id" is not null;
