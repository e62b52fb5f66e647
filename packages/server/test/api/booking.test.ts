// Booking through the public API on a real database: slots, one winner per slot, idempotent
// retries, quotas, round robin, and the manage link's reschedule and cancel.
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { bookings, jobs } from '../../src/db/schema.js';
import { availableKinds } from '../support/database.js';
import { TEST_ORIGIN, useTestApp } from '../support/app.js';
import { addDays, createHost, createLiveStudy, instantOf, participant, upcomingDate } from '../support/studies.js';
import { payloadOf } from '../support/jobs.js';

// Runs on embedded PGlite and on the PostgreSQL server: the same code path books on both.
describe.each(availableKinds)('booking on %s', (kind) => {
  const suite = useTestApp({ kind });

  const base = () => `/v1/w/${suite.t.workspace.publicKey}/studies`;
  const slots = (studyId: string, query: string) => suite.t.app.inject({ url: `${base()}/${studyId}/slots?${query}`, headers: { origin: TEST_ORIGIN } });
  const book = (studyId: string, payload: Record<string, unknown>, key?: string) =>
    suite.t.app.inject({ method: 'POST', url: `${base()}/${studyId}/bookings`, headers: { origin: TEST_ORIGIN, ...(key ? { 'idempotency-key': key } : {}) }, payload: { consent: true, ...payload } });

  it("offers slots in the host's hours, grouped by the participant's local day", async () => {
    const { t } = suite;
    const host = await createHost(t, { name: 'Maya', timeZone: 'America/New_York', weekly: [{ weekday: 1, start: '09:00', end: '10:00' }] });
    const study = await createLiveStudy(t, [host], { slotStepMinutes: 30 });
    const monday = upcomingDate('America/New_York', 1);
    const from = instantOf(monday, '00:00', 'America/New_York');
    const to = instantOf(monday, '23:59', 'America/New_York');
    const response = await slots(study.id, `from=${from}&to=${to}&tz=Asia/Tokyo`);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    // 09:00 and 09:30 New York; a 20-minute interview at 09:30 ends 09:50, inside the hour.
    expect(body.slots).toEqual([
      { start: instantOf(monday, '09:00', 'America/New_York'), end: instantOf(monday, '09:20', 'America/New_York') },
      { start: instantOf(monday, '09:30', 'America/New_York'), end: instantOf(monday, '09:50', 'America/New_York') },
    ]);
    expect(body.timeZone).toBe('Asia/Tokyo');
    // Monday 09:00 in New York is already Monday night or Tuesday in Tokyo: one local day.
    expect(body.days).toHaveLength(1);
    expect(body.days[0].slots).toEqual(body.slots);
  });

  it('books a slot: 201 with a manage link, the time taken, and its emails waiting in the jobs table', async () => {
    const { t, database } = suite;
    const host = await createHost(t, { name: 'Jonas', timeZone: 'Europe/Berlin' });
    const study = await createLiveStudy(t, [host]);
    const start = instantOf(upcomingDate('Europe/Berlin', 2), '10:00', 'Europe/Berlin');
    const response = await book(study.id, { start, participant: participant(), answers: {} });
    expect(response.statusCode).toBe(201);
    const { booking } = response.json();
    expect(booking).toMatchObject({ start, status: 'confirmed', meetingUrl: 'https://meet.example.test/acme' });
    expect(booking.manageUrl).toMatch(/^http:\/\/beckon\.test\/m\/[A-Za-z0-9_-]{43}$/);

    const row = (await database.db.select().from(bookings).where(eq(bookings.id, booking.id)))[0]!;
    expect(row.manageTokenHash).not.toContain(booking.manageUrl.split('/').pop()); // only the hash is stored
    const queued = await database.db.select().from(jobs).where(eq(jobs.status, 'pending'));
    const mine = queued.filter((job) => payloadOf(job).bookingId === booking.id).map((job) => job.kind).sort();
    // The attendance prompt, again after two days, then the admins; the thank-you waits for "done".
    expect(mine).toEqual(['calendar.upsert', 'mail.attendance', 'mail.attendance', 'mail.attendance', 'mail.confirmation', 'mail.host_notice', 'mail.reminder', 'mail.reminder']);

    const again = await slots(study.id, `from=${start}&to=${new Date(Date.parse(start) + 3600_000).toISOString()}&tz=Europe/Berlin`);
    expect(again.json().slots.map((slot: { start: string }) => slot.start)).not.toContain(start);
  });

  it('lets exactly one of two racing participants have the last slot; the other gets 409 with alternatives', async () => {
    const { t, database } = suite;
    const date = upcomingDate('Europe/Berlin', 3);
    const host = await createHost(t, {
      name: 'Solo',
      timeZone: 'Europe/Berlin',
      weekly: [],
      overrides: [{ date, intervals: [{ start: '14:00', end: '14:20' }, { start: '16:00', end: '16:20' }] }],
    });
    const study = await createLiveStudy(t, [host]);
    const start = instantOf(date, '14:00', 'Europe/Berlin');
    const results = await Promise.all([book(study.id, { start, participant: participant() }), book(study.id, { start, participant: participant() })]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    const loser = results.find((r) => r.statusCode === 409)!.json();
    expect(loser.error.code).toBe('slot_taken');
    expect(loser.alternatives).toEqual([{ start: instantOf(date, '16:00', 'Europe/Berlin'), end: instantOf(date, '16:20', 'Europe/Berlin') }]);
    const confirmed = await database.db.select().from(bookings).where(and(eq(bookings.hostId, host), eq(bookings.status, 'confirmed')));
    expect(confirmed).toHaveLength(1);
  });

  it('answers a retried request with the same Idempotency-Key with the first result, and refuses the key for another request', async () => {
    const { t, database } = suite;
    const host = await createHost(t, { name: 'Retry', timeZone: 'Europe/London' });
    const study = await createLiveStudy(t, [host]);
    const start = instantOf(upcomingDate('Europe/London', 4), '11:00', 'Europe/London');
    const body = { start, participant: participant() };
    const [first, second] = await Promise.all([book(study.id, body, 'retry-key-0001'), book(study.id, body, 'retry-key-0001')]);
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.json()).toEqual(first.json());
    const third = await book(study.id, body, 'retry-key-0001');
    expect(third.json()).toEqual(first.json());
    expect(await database.db.select().from(bookings).where(eq(bookings.studyId, study.id))).toHaveLength(1);

    const reused = await book(study.id, { ...body, start: instantOf(upcomingDate('Europe/London', 4), '12:00', 'Europe/London') }, 'retry-key-0001');
    expect(reused.statusCode).toBe(422);
    expect(reused.json().error.code).toBe('idempotency_key_reused');
  });

  it('tells a participant who already has an upcoming interview for the study, instead of booking twice', async () => {
    const { t } = suite;
    const host = await createHost(t, { name: 'Twice', timeZone: 'Europe/Berlin' });
    const study = await createLiveStudy(t, [host]);
    const who = participant({ userId: 'user-twice' });
    const date = upcomingDate('Europe/Berlin', 1);
    expect((await book(study.id, { start: instantOf(date, '10:00', 'Europe/Berlin'), participant: who })).statusCode).toBe(201);
    const second = await book(study.id, { start: instantOf(date, '13:00', 'Europe/Berlin'), participant: { ...who, email: 'other@example.test' } });
    expect(second.statusCode).toBe(422);
    expect(second.json().error.code).toBe('already_booked');
  });

  it('screens out by the screener, and needs answers to required questions', async () => {
    const { t } = suite;
    const host = await createHost(t, { name: 'Screen', timeZone: 'Europe/Berlin' });
    const study = await createLiveStudy(t, [host], {
      screener: {
        questions: [
          { id: 'role', kind: 'single', prompt: 'Your role?', required: true, options: [{ id: 'pm', label: 'PM', effect: 'qualify' }, { id: 'student', label: 'Student', effect: 'disqualify' }] },
        ],
      },
    });
    const start = instantOf(upcomingDate('Europe/Berlin', 2), '15:00', 'Europe/Berlin');
    const out = await book(study.id, { start, participant: participant(), answers: { role: 'student' } });
    expect(out.statusCode).toBe(422);
    expect(out.json().error).toMatchObject({ code: 'screened_out', field: 'answers.role' });
    const missing = await book(study.id, { start, participant: participant(), answers: {} });
    expect(missing.json().error).toMatchObject({ code: 'invalid_answer', field: 'answers.role' });
    expect((await book(study.id, { start, participant: participant(), answers: { role: 'pm' } })).statusCode).toBe(201);
  });

  it('hides the weeks a weekly quota has filled and says why when nothing is left', async () => {
    const { t } = suite;
    const host = await createHost(t, { name: 'Quota', timeZone: 'Europe/Berlin' });
    const study = await createLiveStudy(t, [host], { weeklyQuota: 1 });
    const monday = upcomingDate('Europe/Berlin', 1);
    expect((await book(study.id, { start: instantOf(monday, '10:00', 'Europe/Berlin'), participant: participant() })).statusCode).toBe(201);
    const weekFrom = instantOf(monday, '00:00', 'Europe/Berlin');
    const weekTo = instantOf(upcomingDate('Europe/Berlin', 1, 2), '00:00', 'Europe/Berlin');
    const full = (await slots(study.id, `from=${weekFrom}&to=${weekTo}&tz=Europe/Berlin`)).json();
    expect(full).toMatchObject({ slots: [], unavailableReason: 'weekly_quota_reached' });
    const nextWeek = (await slots(study.id, `from=${weekTo}&to=${instantOf(upcomingDate('Europe/Berlin', 1, 3), '00:00', 'Europe/Berlin')}&tz=Europe/Berlin`)).json();
    expect(nextWeek.slots.length).toBeGreaterThan(0);
    // Wednesday of the same week (upcomingDate counts from today, which may already be past Monday).
    const over = await book(study.id, { start: instantOf(addDays(monday, 2), '10:00', 'Europe/Berlin'), participant: participant() });
    expect(over.statusCode).toBe(409);
    expect(over.json().alternatives.every((slot: { start: string }) => slot.start >= weekTo)).toBe(true);
  });

  it('rotates hosts round robin: the host with fewer interviews this week gets the next one', async () => {
    const { t, database } = suite;
    const first = await createHost(t, { name: 'Ada', timeZone: 'Europe/Berlin' });
    const second = await createHost(t, { name: 'Bea', timeZone: 'Europe/Berlin' });
    const study = await createLiveStudy(t, [first, second]);
    const date = upcomingDate('Europe/Berlin', 4);
    const hosts: string[] = [];
    for (const time of ['09:00', '10:00', '11:00', '12:00']) {
      const response = await book(study.id, { start: instantOf(date, time, 'Europe/Berlin'), participant: participant() });
      const [row] = await database.db.select().from(bookings).where(eq(bookings.id, response.json().booking.id));
      hosts.push(row!.hostId);
    }
    expect(hosts.filter((id) => id === first)).toHaveLength(2);
    expect(hosts.filter((id) => id === second)).toHaveLength(2);
    expect(hosts[0]).not.toBe(hosts[1]);
  });

  it('reschedules the same booking through the manage link, keeps the old time if the new one is taken, and never revives a cancelled one', async () => {
    const { t, database } = suite;
    const host = await createHost(t, { name: 'Move', timeZone: 'Europe/Berlin' });
    const study = await createLiveStudy(t, [host]);
    const date = upcomingDate('Europe/Berlin', 5);
    const first = (await book(study.id, { start: instantOf(date, '10:00', 'Europe/Berlin'), participant: participant() })).json().booking;
    const other = (await book(study.id, { start: instantOf(date, '11:00', 'Europe/Berlin'), participant: participant() })).json().booking;
    const token = first.manageUrl.split('/').pop();

    const view = await t.app.inject({ url: `/v1/bookings/${token}` });
    expect(view.json().booking).toMatchObject({ id: first.id, status: 'confirmed', canChange: true, timeZone: 'Europe/Berlin', hostName: 'Move' });

    const taken = await t.app.inject({ method: 'POST', url: `/v1/bookings/${token}/reschedule`, payload: { start: other.start } });
    expect(taken.statusCode).toBe(409);
    expect((await t.app.inject({ url: `/v1/bookings/${token}` })).json().booking.start).toBe(first.start);

    const newStart = instantOf(date, '14:00', 'Europe/Berlin');
    const moved = await t.app.inject({ method: 'POST', url: `/v1/bookings/${token}/reschedule`, payload: { start: newStart } });
    expect(moved.statusCode).toBe(200);
    expect(moved.json().booking).toMatchObject({ id: first.id, start: newStart });
    const [row] = await database.db.select().from(bookings).where(eq(bookings.id, first.id));
    expect(row!.icalSequence).toBe(1);
    // The old time is free again.
    expect((await book(study.id, { start: first.start, participant: participant() })).statusCode).toBe(201);

    const cancelled = await t.app.inject({ method: 'POST', url: `/v1/bookings/${token}/cancel` });
    expect(cancelled.json().booking).toMatchObject({ status: 'cancelled', canChange: false });
    const twice = await t.app.inject({ method: 'POST', url: `/v1/bookings/${token}/cancel` });
    expect(twice.statusCode).toBe(200);
    const revived = await t.app.inject({ method: 'POST', url: `/v1/bookings/${token}/reschedule`, payload: { start: instantOf(date, '15:00', 'Europe/Berlin') } });
    expect(revived.statusCode).toBe(422);
    expect(revived.json().error.code).toBe('booking_cancelled');
    const cancelJobs = (await database.db.select().from(jobs)).filter((job) => payloadOf(job).bookingId === first.id && job.kind === 'mail.cancelled');
    expect(cancelJobs.map((job) => payloadOf(job).audience).sort()).toEqual(['host', 'participant']); // cancelling twice sent nothing twice
    expect((await t.app.inject({ url: '/v1/bookings/not-a-real-token-0000000000' })).statusCode).toBe(404);
  });

  it('books every host in all-hosts mode, and their shared time is taken for their other studies too', async () => {
    const { t, database } = suite;
    const date = upcomingDate('Europe/Berlin', 5);
    const lead = await createHost(t, { name: 'Lead', timeZone: 'Europe/Berlin', weekly: [], overrides: [{ date, intervals: [{ start: '09:00', end: '12:00' }] }] });
    const second = await createHost(t, { name: 'Second', timeZone: 'Europe/Berlin', weekly: [], overrides: [{ date, intervals: [{ start: '10:00', end: '13:00' }] }] });
    const panel = await createLiveStudy(t, [lead, second], { assignmentMode: 'all_hosts' });
    const from = instantOf(date, '00:00', 'Europe/Berlin');
    const to = instantOf(date, '23:59', 'Europe/Berlin');
    const offered = (await slots(panel.id, `from=${from}&to=${to}&tz=Europe/Berlin`)).json().slots.map((slot: { start: string }) => slot.start);
    expect(offered[0]).toBe(instantOf(date, '10:00', 'Europe/Berlin')); // only when both work
    expect(offered.at(-1)).toBe(instantOf(date, '11:30', 'Europe/Berlin'));
    const booked = (await book(panel.id, { start: instantOf(date, '10:00', 'Europe/Berlin'), participant: participant() })).json().booking;
    const [row] = await database.db.select().from(bookings).where(eq(bookings.id, booked.id));
    expect([row!.hostId, ...row!.coHostIds].sort()).toEqual([lead, second].sort());
    // The co-host's own study no longer offers the time they are in the panel interview.
    const solo = await createLiveStudy(t, [second]);
    const soloSlots = (await slots(solo.id, `from=${from}&to=${to}&tz=Europe/Berlin`)).json().slots.map((slot: { start: string }) => slot.start);
    expect(soloSlots).not.toContain(instantOf(date, '10:00', 'Europe/Berlin'));
    expect(soloSlots).not.toContain(instantOf(date, '10:15', 'Europe/Berlin'));
    expect((await book(solo.id, { start: instantOf(date, '10:15', 'Europe/Berlin'), participant: participant() })).statusCode).toBe(409);
  });

  it('re-checks targeting on the server: traits that rule the user out are refused', async () => {
    const { t } = suite;
    const host = await createHost(t, { name: 'Target', timeZone: 'Europe/Berlin' });
    const study = await createLiveStudy(t, [host], {
      targeting: { all: [{ trait: 'plan', op: 'equals', value: 'pro' }, { event: 'report_exported', atLeast: 3 }] },
    });
    const start = instantOf(upcomingDate('Europe/Berlin', 3), '15:00', 'Europe/Berlin');
    const free = await book(study.id, { start, participant: participant({ userId: 'u-free', traits: { plan: 'free' } }) });
    expect(free.statusCode).toBe(422);
    expect(free.json().error.code).toBe('not_eligible');
    // Event history lives in the browser and cannot be checked here: only the traits decide.
    expect((await book(study.id, { start, participant: participant({ userId: 'u-pro', traits: { plan: 'pro' } }) })).statusCode).toBe(201);
  });

  it('says why a paused study offers nothing, and refuses to book it', async () => {
    const { t } = suite;
    const host = await createHost(t, { name: 'Pause', timeZone: 'Europe/Berlin' });
    const study = await createLiveStudy(t, [host], { status: 'paused' });
    const response = await slots(study.id, 'tz=Europe/Berlin');
    expect(response.json()).toMatchObject({ slots: [], unavailableReason: 'study_not_live' });
    const booked = await book(study.id, { start: instantOf(upcomingDate('Europe/Berlin', 2), '10:00', 'Europe/Berlin'), participant: participant() });
    expect(booked.statusCode).toBe(422);
    expect(booked.json().error.code).toBe('study_not_live');
  });
});
