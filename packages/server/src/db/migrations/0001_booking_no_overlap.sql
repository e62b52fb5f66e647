-- Two confirmed bookings of one host can never overlap, buffers included, whatever the
-- application does: this is the final guard behind the booking transaction.
CREATE EXTENSION IF NOT EXISTS btree_gist;
--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_host_no_overlap"
  EXCLUDE USING gist (
    "host_id" WITH =,
    tstzrange("blocked_from", "blocked_until", '[)') WITH &&
  ) WHERE ("status" = 'confirmed');
