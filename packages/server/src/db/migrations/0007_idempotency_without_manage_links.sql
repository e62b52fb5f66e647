-- A stored booking answer kept the participant's manage link, which can cancel the booking: a
-- reader of the database could use it. Replies are now derived again on replay; drop the old links.
UPDATE "idempotency_keys" SET "response_body" = "response_body" #- '{booking,manageUrl}' WHERE "response_body" #> '{booking,manageUrl}' IS NOT NULL;
