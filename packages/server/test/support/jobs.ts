// Tests read the jobs table directly; the app reads it only through jobs/queue.ts, typed by kind.
import type { jobs } from '../../src/db/schema.js';
import type { BookingMailPayload, CalendarWritePayload } from '../../src/jobs/kinds.js';

/** A stored job's payload, as the booking, mail and calendar jobs write it. */
export const payloadOf = (job: typeof jobs.$inferSelect) => job.payload as Partial<BookingMailPayload & CalendarWritePayload>;
