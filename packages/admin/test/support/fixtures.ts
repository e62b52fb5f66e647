// What a browser test file needs in the workspace before it starts, made through the APIs (the
// admin API as the secret key calls it, the public booking API as a participant's browser does),
// so each file sets up only what it tests on and no file depends on another having run first.
import type { Availability, Member, Study } from '@beckon/shared/api';
import { expect } from 'vitest';
import { emptyStudyDraft, newOption, newQuestion, studyFromDraft } from '../../src/lib/study-form.js';
import { emptyTargeting, withPreset } from '../../src/lib/targeting.js';
import type { AdminBrowser } from './browser.js';

type Suite = Pick<AdminBrowser, 'api' | 't' | 'database'>;

/** Maya Patel, an interviewer in Berlin, free 09:00–17:00 on weekdays and 19:00–21:00 on Wednesdays. */
export async function addMaya(suite: Suite): Promise<Member> {
  const created = await suite.api('POST', '/v1/admin/members', { name: 'Maya Patel', email: 'maya@acme.test', role: 'interviewer', timeZone: 'Europe/Berlin' });
  expect(created, JSON.stringify(created.body)).toMatchObject({ status: 201 });
  const maya = created.body as Member;
  const hours = (weekday: Availability['weekly'][number]['weekday'], start: string, end: string) => ({ weekday, start, end });
  const current = (await suite.api('GET', `/v1/admin/members/${maya.id}/availability`)).body as Availability;
  const availability: Availability = {
    ...current,
    weekly: [hours(1, '09:00', '17:00'), hours(2, '09:00', '17:00'), hours(3, '09:00', '17:00'), hours(3, '19:00', '21:00'), hours(4, '09:00', '17:00'), hours(5, '09:00', '17:00')],
    bufferAfterMinutes: 10,
    minimumNoticeMinutes: 60,
    bookingWindowDays: 30,
    maxPerDay: 3,
  };
  const saved = await suite.api('PUT', `/v1/admin/members/${maya.id}/availability`, availability);
  expect(saved, JSON.stringify(saved.body)).toMatchObject({ status: 200 });
  return maya;
}

/**
 * "Why people churn", as the editor makes it with its defaults (the $25 gift card among them):
 * churned in the last 45 days, half of them sampled, one screener question, Maya as host.
 */
export async function createChurnStudy(suite: Suite, hostId: string, status: Study['status'] = 'live'): Promise<Study> {
  const question = { ...newQuestion(), prompt: 'Why did you cancel?', options: [newOption('Too expensive', 'qualify'), newOption('I never cancelled', 'disqualify')] };
  const draft = {
    ...emptyStudyDraft(),
    name: 'Why people churn',
    slug: 'churn-talks',
    status,
    targeting: { ...withPreset(emptyTargeting(), 'recentlyChurned'), days: '45' },
    samplingPercent: '50',
    questions: [question],
    hostIds: [hostId],
    weeklyQuota: '3',
    totalQuota: '20',
    minimumNoticeMinutes: '60',
  };
  const result = studyFromDraft(draft);
  if ('problems' in result) throw new Error(`The fixture study is not valid: ${JSON.stringify(result.problems)}`);
  const created = await suite.api('POST', '/v1/admin/studies', result.body);
  expect(created, JSON.stringify(created.body)).toMatchObject({ status: 201 });
  return created.body as Study;
}

/** Books through the study's booking link (source "sales"), answering its screener so the participant qualifies. */
export async function book(suite: Suite, study: Study, start: string, participant: { name: string; email: string; timeZone: string }): Promise<string> {
  const question = study.screener!.questions[0]!;
  const response = await suite.api(
    'POST',
    `/v1/w/${suite.t.workspace.publicKey}/studies/${study.id}/bookings`,
    { start, participant, consent: true, answers: { [question.id]: question.options![0]!.id }, source: 'sales' },
    { 'idempotency-key': `admin-test-${participant.email.replace(/[^A-Za-z0-9]/g, '-')}` },
  );
  expect(response, JSON.stringify(response.body)).toMatchObject({ status: 201 });
  return response.body.booking.id as string;
}

/** The study's bookable start times, as a participant in `timeZone` is offered them. */
export async function slotsOf(suite: Suite, study: Study, timeZone: string): Promise<{ start: string }[]> {
  return (await suite.api('GET', `/v1/w/${suite.t.workspace.publicKey}/studies/${study.id}/slots?tz=${timeZone}`)).body.slots;
}

/** Moves a booking `daysAgo` days into the past, as if the interview had happened then (20 minutes, blocked for 30). */
export async function moveIntoPast(suite: Suite, bookingId: string, daysAgo: number): Promise<void> {
  const startAt = Date.now() - daysAgo * 86_400_000; // once: the interval check needs blocked_from <= starts_at exactly
  const at = (ms: number) => `'${new Date(startAt + ms).toISOString()}'`;
  await suite.database.db.execute(
    `update bookings set starts_at = ${at(0)}, ends_at = ${at(20 * 60_000)}, blocked_from = ${at(0)}, blocked_until = ${at(30 * 60_000)} where id = '${bookingId}'`,
  );
}

/**
 * The bookings screen's outcome, made through the API: Ada Lovelace's upcoming interview cancelled,
 * and Grace Hopper's, yesterday, marked completed (so her incentive is due).
 */
export async function adaCancelledGraceCompleted(suite: Suite, study: Study): Promise<{ ada: string; grace: string }> {
  const slots = await slotsOf(suite, study, 'America/New_York');
  expect(slots.length).toBeGreaterThan(1);
  const ada = await book(suite, study, slots[0]!.start, { name: 'Ada Lovelace', email: 'ada@example.com', timeZone: 'America/New_York' });
  const grace = await book(suite, study, slots[slots.length - 1]!.start, { name: 'Grace Hopper', email: 'grace@example.com', timeZone: 'America/New_York' });
  expect((await suite.api('POST', `/v1/admin/bookings/${ada}/cancel`)).status).toBe(200);
  await moveIntoPast(suite, grace, 1);
  expect((await suite.api('POST', `/v1/admin/bookings/${grace}/complete`)).status).toBe(200);
  return { ada, grace };
}
