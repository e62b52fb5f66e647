// A study's internal name is the team's: every page, answer and email a participant can receive
// speaks its public title and the company's brand instead. This test collects them all for a
// study with a distinctive internal name and scans each one.
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { bookings, outboxMessages } from '../../src/db/schema.js';
import { bookingMailContext } from '../../src/mail/context.js';
import { calendarEventSummary } from '../../src/mail/ics.js';
import { renderMail } from '../../src/mail/templates.js';
import { primaryKind } from '../support/database.js';
import { TEST_ORIGIN, useTestApp } from '../support/app.js';
import { createHost, createLiveStudy, instantOf, participant, upcomingDate } from '../support/studies.js';

const INTERNAL = 'Q3 churn-risk cohort (do not show)';
const PUBLIC_TITLE = 'How invoicing works for you';
const HOUR = 3_600_000;
const form = { 'content-type': 'application/x-www-form-urlencoded' };

describe(`what participants receive never names the study internally (${primaryKind})`, () => {
  const suite = useTestApp();
  let studyId: string;
  let slug: string;
  const collected: { what: string; text: string }[] = [];
  const collect = (what: string, text: string | null | undefined) => void collected.push({ what, text: text ?? '' });

  beforeAll(async () => {
    const { t } = suite;
    const settings = await t.app.inject({ method: 'PATCH', url: '/v1/admin/workspace', headers: t.auth, payload: { brandName: 'Acme Books', logoUrl: 'https://cdn.acme.test/logo.png' } });
    expect(settings.statusCode).toBe(200);
    const host = await createHost(t, { name: 'Maya Chen', timeZone: 'America/New_York' });
    const study = await createLiveStudy(t, [host], {
      name: INTERNAL,
      slug: 'invoicing-chat',
      publicTitle: PUBLIC_TITLE,
      publicDescription: 'Tell us about the last invoice you sent.',
      // The amount changed since the copy was written: the words follow the amount.
      incentive: { kind: 'gift_card', amountCents: 4000, currency: 'USD', description: 'a $25 Amazon gift card' },
    });
    studyId = study.id;
    slug = study.slug;
  });

  it('scans every page, answer, email and invite', async () => {
    const { t, database } = suite;
    const ws = t.workspace.publicKey;
    collect('widget config', (await t.app.inject({ url: `/v1/w/${ws}/config`, headers: { origin: TEST_ORIGIN } })).body);
    collect('hosted page without a zone (no JavaScript)', (await t.app.inject({ url: `/b/${slug}` })).body);
    const hosted = await t.app.inject({ url: `/b/${slug}?tz=America/Los_Angeles` });
    collect('hosted page', hosted.body);
    expect(hosted.body).toContain(PUBLIC_TITLE);
    expect(hosted.body).toContain('https://cdn.acme.test/logo.png');
    expect(hosted.body).toContain('a $40 Amazon gift card');

    // Booked from the hosted page, then moved and cancelled from the manage page, as a participant would.
    const date = upcomingDate('America/New_York', 2);
    const start = instantOf(date, '10:00', 'America/New_York');
    const screenedOut = await t.app.inject({ method: 'POST', url: `/b/${slug}?tz=America/Los_Angeles`, headers: form, payload: new URLSearchParams([['start', start], ['name', 'Ada'], ['email', 'bad']]).toString() });
    collect('hosted page with a problem', screenedOut.body);
    const booked = await t.app.inject({
      method: 'POST',
      url: `/b/${slug}?tz=America/Los_Angeles`,
      headers: form,
      payload: new URLSearchParams([['start', start], ['name', 'Ada Lovelace'], ['email', 'ada@example.test'], ['consent', 'yes'], ['timeZone', 'America/Los_Angeles']]).toString(),
    });
    expect(booked.statusCode).toBe(303);
    const manageUrl = booked.headers.location as string;
    const token = manageUrl.split('/')[2]!.split('?')[0]!;
    const manage = await t.app.inject({ url: manageUrl });
    collect('manage page', manage.body);
    expect(manage.body).toContain(`<title>${PUBLIC_TITLE} · Acme Books</title>`);
    collect('manage page, all hours', (await t.app.inject({ url: `/m/${token}?all=1` })).body);
    collect('cancel confirmation page', (await t.app.inject({ url: `/m/${token}/cancel` })).body);
    collect('booking as JSON', (await t.app.inject({ url: `/v1/bookings/${token}` })).body);
    const slots = await t.app.inject({ url: `/v1/w/${ws}/studies/${studyId}/slots?timeZone=America/Los_Angeles`, headers: { origin: TEST_ORIGIN } });
    collect('slots', slots.body);

    const moved = await t.app.inject({ method: 'POST', url: `/m/${token}/reschedule`, headers: form, payload: new URLSearchParams([['start', instantOf(date, '14:00', 'America/New_York')]]).toString() });
    expect(moved.statusCode).toBe(303);
    collect('manage page after a move', (await t.app.inject({ url: moved.headers.location as string })).body);
    const [booking] = await database.db.select().from(bookings).where(eq(bookings.participantTimeZone, 'America/Los_Angeles'));
    const startsAt = booking!.startsAt.getTime();
    await t.app.worker.runOnce();
    await t.app.worker.runOnce(new Date(startsAt - 23 * HOUR));
    await t.app.worker.runOnce(new Date(startsAt - 0.5 * HOUR));

    // Every participant email kind, rendered from the booking as it is, whatever the jobs' timing.
    const ctx = await bookingMailContext({ db: database.db, secretBox: t.app.secretBox, publicUrl: t.app.config.publicUrl }, booking!);
    const rendered = [
      renderMail('confirmation', ctx),
      renderMail('reminder', ctx, '24h'),
      renderMail('reminder', ctx, '1h'),
      renderMail('rescheduled', ctx, 'participant'),
      renderMail('cancelled', { ...ctx, cancelledBy: 'participant' }, 'participant'),
      renderMail('cancelled', { ...ctx, cancelledBy: 'host' }, 'participant'),
      renderMail('thank_you', ctx),
      renderMail('incentive', { ...ctx, incentiveHandover: { code: 'GIFT-1', url: 'https://gift.example.test/r' } }),
    ];
    for (const mail of rendered) {
      collect(`${mail.subject} (text)`, mail.text);
      collect(`${mail.subject} (html)`, mail.html);
      collect(`${mail.subject} (ics)`, mail.ics?.content);
      collect(`${mail.subject} (subject)`, mail.subject);
    }
    expect(rendered[0]!.html).toContain('https://cdn.acme.test/logo.png');
    expect(rendered[0]!.text).toContain('a $40 Amazon gift card');
    collect('calendar event the participant is invited to', calendarEventSummary(ctx));

    const cancelled = await t.app.inject({ method: 'POST', url: `/m/${token}/cancel`, headers: form, payload: 'confirm=yes&reason=Busy' });
    expect(cancelled.statusCode).toBe(303);
    collect('manage page after cancelling', (await t.app.inject({ url: cancelled.headers.location as string })).body);
    await t.app.worker.runOnce();

    // And what really went out to the participant through the outbox.
    const sent = (await database.db.select().from(outboxMessages)).filter((mail) => mail.to.includes('ada@example.test'));
    // The confirmation (at the new time: the move came before it went out, so no separate notice), the reminder, the cancellation.
    expect(sent.length).toBeGreaterThanOrEqual(3);
    for (const mail of sent) {
      for (const part of [mail.subject, mail.text, mail.html, mail.ics]) collect(`sent: ${mail.subject}`, part);
    }
    // The team's mails do name the study: the scan is not vacuous.
    const team = (await database.db.select().from(outboxMessages)).filter((mail) => !mail.to.includes('ada@example.test'));
    expect(team.some((mail) => mail.text.includes(INTERNAL))).toBe(true);

    const leaks = collected.filter(({ text }) => text.includes(INTERNAL) || text.includes(INTERNAL.replaceAll(' ', '-').toLowerCase()));
    expect(leaks.map(({ what }) => what)).toEqual([]);
    expect(collected.length).toBeGreaterThan(40);
  });
});
