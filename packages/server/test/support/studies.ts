// A live study with hosts and working hours, created through the admin API like a PM would.
import { Temporal } from 'temporal-polyfill';
import type { TestApp } from './app.js';

export interface HostSpec {
  name: string;
  timeZone: string;
  weekly?: { weekday: number; start: string; end: string }[];
  overrides?: { date: string; intervals: { start: string; end: string }[] }[];
  bufferAfterMinutes?: number;
  maxPerDay?: number | null;
  maxPerWeek?: number | null;
}

export async function createHost(t: TestApp, spec: HostSpec): Promise<string> {
  const email = `${spec.name.toLowerCase().replace(/\W+/g, '.')}.${Math.random().toString(36).slice(2, 8)}@acme.test`;
  const member = await t.app.inject({ method: 'POST', url: '/v1/admin/members', headers: t.auth, payload: { email, name: spec.name, timeZone: spec.timeZone } });
  if (member.statusCode !== 201) throw new Error(member.body);
  const availability = await t.app.inject({
    method: 'PUT',
    url: `/v1/admin/members/${member.json().id}/availability`,
    headers: t.auth,
    payload: {
      timeZone: spec.timeZone,
      weekly: spec.weekly ?? [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '09:00', end: '17:00' })),
      overrides: spec.overrides ?? [],
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: spec.bufferAfterMinutes ?? 10,
      minimumNoticeMinutes: 60,
      bookingWindowDays: 30,
      maxPerDay: spec.maxPerDay ?? null,
      maxPerWeek: spec.maxPerWeek ?? null,
    },
  });
  if (availability.statusCode !== 200) throw new Error(availability.body);
  return member.json().id;
}

export async function createLiveStudy(t: TestApp, hostIds: string[], extra: Record<string, unknown> = {}): Promise<{ id: string; slug: string }> {
  const response = await t.app.inject({
    method: 'POST',
    url: '/v1/admin/studies',
    headers: t.auth,
    payload: {
      name: 'Onboarding interviews',
      status: 'live',
      intercept: { title: 'Got 20 minutes to talk to us?', body: 'Tell us how your first week went.' },
      incentive: { kind: 'gift_card', amountCents: 2500, currency: 'USD', description: 'a $25 gift card' },
      hostIds,
      bookingWindowDays: 30,
      minimumNoticeMinutes: 60,
      meetingLocation: { kind: 'video_url', details: 'https://meet.example.test/acme' },
      ...extra,
    },
  });
  if (response.statusCode !== 201) throw new Error(response.body);
  return response.json();
}

/** A local date at least a week ahead on the given ISO weekday, in the zone. */
export function upcomingDate(timeZone: string, weekday: number, weeksAhead = 1): string {
  const today = Temporal.Now.plainDateISO(timeZone);
  const daysToWeekday = (weekday - today.dayOfWeek + 7) % 7;
  return today.add({ days: daysToWeekday + 7 * weeksAhead }).toString();
}

/** The ISO date `days` after `date`. */
export const addDays = (date: string, days: number): string => Temporal.PlainDate.from(date).add({ days }).toString();

/** The instant of a local date and time in a zone, as an ISO UTC string. */
export function instantOf(date: string, time: string, timeZone: string): string {
  return new Date(Temporal.PlainDateTime.from(`${date}T${time}`).toZonedDateTime(timeZone).epochMilliseconds).toISOString().replace('.000Z', 'Z');
}

let participantCounter = 0;
export function participant(overrides: Record<string, unknown> = {}) {
  participantCounter += 1;
  return { email: `participant${participantCounter}.${Date.now()}@example.test`, name: `Participant ${participantCounter}`, timeZone: 'Europe/Berlin', ...overrides };
}
