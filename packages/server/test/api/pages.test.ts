// The hosted booking link and the manage link work as plain HTML forms, end to end.
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { bookings } from '../../src/db/schema.js';
import { primaryKind } from '../support/database.js';
import { useTestApp } from '../support/app.js';
import { createHost, createLiveStudy } from '../support/studies.js';

const form = (fields: [string, string][]) => ({ 'content-type': 'application/x-www-form-urlencoded', payload: new URLSearchParams(fields).toString() });

describe(`participant pages on ${primaryKind}`, () => {
  const suite = useTestApp();
  let slug: string;

  beforeAll(async () => {
    const { t } = suite;
    const host = await createHost(t, { name: 'Maya', timeZone: 'America/New_York' });
    const study = await createLiveStudy(t, [host], {
      publicTitle: 'Got 20 minutes? <script>alert(1)</script>',
      intercept: { title: 'Got 20 minutes?', body: 'Tell us how it went.' },
      screener: { questions: [{ id: 'role', kind: 'single', prompt: 'Your role?', required: true, options: [{ id: 'pm', label: 'PM', effect: 'qualify' }, { id: 'student', label: 'Student', effect: 'disqualify' }] }] },
    });
    slug = study.slug;
  });

  it('books from the hosted link with the ref as source, then manages the booking from its link', async () => {
    const { t, database } = suite;
    const pageResponse = await t.app.inject({ url: `/b/${slug}?tz=Asia/Kolkata&ref=sales-anna` });
    expect(pageResponse.statusCode).toBe(200);
    expect(pageResponse.headers['content-security-policy']).toMatch(/default-src 'none'/);
    expect(pageResponse.body).toContain('Got 20 minutes? &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(pageResponse.body).not.toContain('<script>alert(1)');
    const start = /name="start" value="([^"]+)"/.exec(pageResponse.body)?.[1];
    expect(start).toBeDefined();

    const screenedOut = await t.app.inject({ method: 'POST', url: `/b/${slug}?tz=Asia/Kolkata&ref=sales-anna`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams([['start', start!], ['name', 'Ada'], ['email', 'ada@example.test'], ['consent', 'yes'], ['timeZone', 'Asia/Kolkata'], ['answers.role', 'student']]).toString() });
    expect(screenedOut.statusCode).toBe(422);
    expect(screenedOut.body).toContain('These answers do not fit this study');
    // The form comes back as they filled it in.
    expect(screenedOut.body).toContain('value="ada@example.test"');
    expect(screenedOut.body).toContain('value="Ada"');
    expect(screenedOut.body).toMatch(/value="student" required\s+checked/);
    expect(screenedOut.body).toMatch(new RegExp(`value="${start}" required\\s*checked`));

    const { payload, ...headers } = form([['start', start!], ['name', 'Ada'], ['email', 'ada@example.test'], ['consent', 'yes'], ['timeZone', 'Asia/Kolkata'], ['answers.role', 'pm']]);
    const booked = await t.app.inject({ method: 'POST', url: `/b/${slug}?tz=Asia/Kolkata&ref=sales-anna`, headers, payload });
    expect(booked.statusCode).toBe(303);
    const location = booked.headers.location as string;
    expect(location).toMatch(/^\/m\/[A-Za-z0-9_-]{43}\?done=booked&tz=Asia%2FKolkata$/);
    const [row] = await database.db.select().from(bookings).where(eq(bookings.startsAt, new Date(start!)));
    expect(row).toMatchObject({ source: 'sales-anna', participantTimeZone: 'Asia/Kolkata', answers: { role: 'pm' } });

    const manage = await t.app.inject({ url: location });
    expect(manage.statusCode).toBe(200);
    expect(manage.body).toContain('You are booked');
    expect(manage.body).toContain('India Standard Time');
    const token = location.split('/')[2]!.split('?')[0]!;
    expect(manage.body).toContain('Kolkata (India Standard Time)');
    expect(manage.body).toContain('Join the call');
    // Cancelling asks first; a POST without the confirmation cancels nothing.
    const asked = await t.app.inject({ url: `/m/${token}/cancel?tz=Asia/Kolkata` });
    expect(asked.body).toContain('Cancel this interview?');
    expect(asked.body).toContain('name="reason"');
    const unconfirmed = await t.app.inject({ method: 'POST', url: `/m/${token}/cancel?tz=Asia/Kolkata`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: '' });
    expect(unconfirmed.statusCode).toBe(200);
    expect((await database.db.select().from(bookings).where(eq(bookings.startsAt, new Date(start!))))[0]!.status).toBe('confirmed');
    const { payload: cancelPayload, ...cancelHeaders } = form([['confirm', 'yes'], ['reason', 'Something came up at work']]);
    const cancelled = await t.app.inject({ method: 'POST', url: `/m/${token}/cancel?tz=Asia/Kolkata`, headers: cancelHeaders, payload: cancelPayload });
    expect(cancelled.statusCode).toBe(303);
    const [gone] = await database.db.select().from(bookings).where(eq(bookings.startsAt, new Date(start!)));
    expect(gone).toMatchObject({ status: 'cancelled', cancelReason: 'Something came up at work' });
    const after = await t.app.inject({ url: cancelled.headers.location as string });
    expect(after.body).toContain('Your interview is cancelled');
    expect(after.body).toContain('This interview was cancelled');
    expect(after.body).not.toContain('Join the call');
    expect(after.body).not.toContain('meet.example.test');
    expect(after.body).toContain(`/b/${slug}`);
  });

  it('asks for the zone without JavaScript instead of assuming one, and names zones as people do', async () => {
    const { t } = suite;
    const response = await t.app.inject({ url: `/b/${slug}` });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('Which time zone are you in?');
    expect(response.body).toContain('<option value="" selected disabled>Choose your time zone&hellip;</option>');
    expect(response.body).not.toContain('name="start"');
    expect(response.body).toContain('>Los Angeles (PT)</option>');
    expect(response.body).not.toContain('location.replace');
  });

  it('offers every day of the booking window, one day at a time, in waking hours unless asked', async () => {
    const { t } = suite;
    const first = await t.app.inject({ url: `/b/${slug}?tz=America/Los_Angeles` });
    const days = [...first.body.matchAll(/class="day( empty)?"/g)];
    expect(days.length).toBeGreaterThanOrEqual(30); // the study's 30-day window
    const links = [...first.body.matchAll(/<a class="day" href="([^"]+)"/g)].map((match) => match[1]!.replaceAll('&amp;', '&'));
    const last = await t.app.inject({ url: links[links.length - 1]! });
    const starts = [...last.body.matchAll(/name="start" value="([^"]+)"/g)].map((match) => new Date(match[1]!));
    expect(starts.length).toBeGreaterThan(0);
    expect(starts[0]!.getTime()).toBeGreaterThan(Date.now() + 20 * 86_400_000);
    // New York 09:00–17:00 is 06:00–14:00 in Los Angeles: 06:xx is hidden until asked for.
    const hour = (date: Date) => Number(new Intl.DateTimeFormat('en-US', { timeZone: 'America/Los_Angeles', hour: 'numeric', hourCycle: 'h23' }).format(date));
    expect(starts.every((date) => hour(date) >= 7)).toBe(true);
    expect(last.body).toContain('Show early and late times too');
    const allLink = /href="([^"]+)">Show early and late times too/.exec(last.body)![1]!.replaceAll('&amp;', '&');
    const everything = await t.app.inject({ url: allLink });
    const allStarts = [...everything.body.matchAll(/name="start" value="([^"]+)"/g)].map((match) => new Date(match[1]!));
    expect(allStarts.some((date) => hour(date) === 6)).toBe(true);
  });

  it('answers an unknown link with a kind 404 page', async () => {
    const { t } = suite;
    expect((await t.app.inject({ url: '/b/no-such-study' })).statusCode).toBe(404);
    expect((await t.app.inject({ url: '/m/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' })).statusCode).toBe(404);
  });
});
