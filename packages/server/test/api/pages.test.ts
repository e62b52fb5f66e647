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
      intercept: { title: 'Got 20 minutes? <script>alert(1)</script>', body: 'Tell us how it went.' },
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
    const cancelled = await t.app.inject({ method: 'POST', url: `/m/${token}/cancel?tz=Asia/Kolkata`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: '' });
    expect(cancelled.statusCode).toBe(303);
    const after = await t.app.inject({ url: cancelled.headers.location as string });
    expect(after.body).toContain('Your interview is cancelled');
    expect(after.body).toContain(`/b/${slug}`);
  });

  it('answers an unknown link with a kind 404 page', async () => {
    const { t } = suite;
    expect((await t.app.inject({ url: '/b/no-such-study' })).statusCode).toBe(404);
    expect((await t.app.inject({ url: '/m/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' })).statusCode).toBe(404);
  });
});
