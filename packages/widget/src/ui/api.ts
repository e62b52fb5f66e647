// The two booking routes: free slots, and the booking itself.
import type { BookingCreated, BookingRequest, Slot, SlotsResponse } from '@beckon/shared/api';
import { deadline } from '../deadline.js';

export type { BookingRequest };
export type SlotsAnswer = SlotsResponse;
export type Booking = BookingCreated['booking'];

/** What a booking attempt came to. `network`: no answer; trying again with the same key is safe. */
export type BookingResult =
  | { ok: true; booking: Booking }
  | { ok: false; status: number; code: string; message?: string; alternatives?: Slot[] };

/** Past this, the participant is told the service could not be reached, and may try again. */
const TIMEOUT_MS = 15_000;

async function call(url: string, init?: RequestInit): Promise<Response> {
  return fetch(url, { credentials: 'omit', signal: deadline(TIMEOUT_MS), ...init });
}

export async function fetchSlots(api: string, studyId: string, timeZone: string, now = Date.now()): Promise<SlotsAnswer> {
  const q = new URLSearchParams({ tz: timeZone, from: new Date(now).toISOString() });
  const r = await call(`${api}/studies/${encodeURIComponent(studyId)}/slots?${q}`);
  if (!r.ok) throw new Error('slots ' + r.status);
  return r.json();
}

export async function book(api: string, studyId: string, body: BookingRequest, idempotencyKey: string): Promise<BookingResult> {
  let r: Response;
  try {
    r = await call(`${api}/studies/${encodeURIComponent(studyId)}/bookings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
      body: JSON.stringify(body),
    });
  } catch {
    return { ok: false, status: 0, code: 'network' };
  }
  const json = await r.json().catch(() => ({}));
  if (r.ok && json.booking) return { ok: true, booking: json.booking };
  return { ok: false, status: r.status, code: json.error?.code ?? 'error', message: json.error?.message, alternatives: json.alternatives };
}
