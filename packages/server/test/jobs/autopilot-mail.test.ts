// The autopilot's mails through the jobs table and the development outbox: an alert to a study's
// owner when its week is at risk, once a day however often the check runs, and the Monday digest.
import { describe, expect, it } from 'vitest';
import { weekFrame } from '@beckon/shared/pacing';
import { eq } from 'drizzle-orm';
import { outboxMessages, webhookDeliveries } from '../../src/db/schema.js';
import { enqueue } from '../../src/jobs/queue.js';
import { scheduleAutopilotCheck } from '../../src/services/autopilot-alerts.js';
import { primaryKind } from '../support/database.js';
import { useTestApp } from '../support/app.js';
import { createHost, createLiveStudy } from '../support/studies.js';
import { insertBookings } from '../support/bookings.js';
import { personWithRole } from '../auth/support.js';

const ZONE = 'Europe/Berlin';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe(`the autopilot's alerts and digest on ${primaryKind}`, () => {
  const suite = useTestApp();
  const mails = async (to: string) => (await suite.t.app.db.select().from(outboxMessages)).filter((m) => m.to.includes(to));
  const runJobs = async (at: Date) => {
    while ((await suite.t.app.worker.runOnce(at)) > 0);
  };

  it("emails the study's owner once a day while its week is at risk, however often the check runs", async () => {
    const { t } = suite;
    await t.app.inject({ method: 'PATCH', url: '/v1/admin/workspace', headers: t.auth, payload: { timeZone: ZONE, weeklyTarget: 2 } });
    const owner = await personWithRole(t, 'owner');
    const researcher = await personWithRole(t, 'researcher');
    const host = await createHost(t, { name: 'No Hours', timeZone: ZONE, weekly: [] });
    // Created by the researcher, signed in: they own it.
    const created = await t.app.inject({
      method: 'POST',
      url: '/v1/admin/studies',
      headers: researcher.headers,
      payload: { name: 'Pricing interviews', status: 'live', weeklyTarget: 3, hostIds: [host], intercept: { title: 'Talk to us?', body: 'About pricing.' } },
    });
    expect(created.statusCode, created.body).toBe(201);
    const studyId = created.json().id as string;

    // The team's other tools hear of it too (a receiver that is down: only the delivery rows count here).
    const endpoint = await t.app.inject({ method: 'POST', url: '/v1/admin/webhook-endpoints', headers: t.auth, payload: { url: 'http://127.0.0.1:9/beckon', events: ['week.at_risk'] } });
    expect(endpoint.statusCode, endpoint.body).toBe(201);

    const now = new Date();
    await scheduleAutopilotCheck(t.app.db, now);
    await runJobs(now);
    // A second process, or a restart, checks again the same day: no second mail.
    await enqueue(t.app.db, { kind: 'autopilot.tick', payload: { at: new Date(now.getTime() + 60_000).toISOString() }, dedupeKey: 'test:second-check' });
    await runJobs(new Date(now.getTime() + 60_000));

    const alerts = (await mails(researcher.email)).filter((m) => m.subject.includes('Pricing interviews'));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.subject).toMatch(/^Pricing interviews (may|will likely) miss this week's 3 interviews$/);
    expect(alerts[0]!.text).toContain("The hosts' free hours cannot hold the interviews still needed.");
    expect(alerts[0]!.text).toContain('What would fix it: add hours.');
    expect(alerts[0]!.text).toContain(`http://beckon.test/admin/studies/${studyId}#f-hostIds`);
    const deliveries = await t.app.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.type, 'week.at_risk'));
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]!.payload).toMatchObject({ type: 'week.at_risk', data: { week: { studyId, target: 3, booked: 0, reason: 'no_capacity' } } });
    // The owner of the workspace is not bothered about a study someone else owns.
    expect((await mails(owner.email)).filter((m) => m.subject.includes('Pricing interviews'))).toHaveLength(0);
    // The next hour's check is on the queue.
    const next = new Date(Math.floor(now.getTime() / HOUR + 1) * HOUR);
    const queued = await t.app.db.query.jobs.findFirst({ where: (jobs, { eq }) => eq(jobs.dedupeKey, `autopilot.tick:${next.toISOString()}`) });
    expect(queued?.status).toBe('pending');
  });

  it("sends the Monday digest once: last week against the target, this week so far, who is coming", async () => {
    const { t } = suite;
    const owner = await personWithRole(t, 'owner');
    const interviewer = await personWithRole(t, 'interviewer');
    const host = await createHost(t, { name: 'Maya Chen', timeZone: ZONE });
    const study = await createLiveStudy(t, [host], { name: 'Onboarding', weeklyTarget: 2 });
    // Monday 09:00 of the latest week that has had one, on the workspace's clock.
    let week = weekFrame(Date.now(), ZONE);
    if (week.start + 9 * HOUR > Date.now()) week = weekFrame(week.start - 1, ZONE);
    const monday = new Date(week.start + 9 * HOUR);
    await insertBookings(t, [
      // Last week: two booked, one held and one no-show.
      { studyId: study.id, hostId: host, createdAt: new Date(week.start - 5 * DAY), startsAt: new Date(week.start - 4 * DAY), status: 'completed', name: 'Sam Rivera' },
      { studyId: study.id, hostId: host, createdAt: new Date(week.start - 5 * DAY + HOUR), startsAt: new Date(week.start - 4 * DAY + 2 * HOUR), status: 'no_show', name: 'Lee Park' },
      // Booked early on Monday for Wednesday and Thursday: who is coming.
      { studyId: study.id, hostId: host, createdAt: new Date(week.start + HOUR), startsAt: new Date(week.start + 2 * DAY + 10 * HOUR), status: 'confirmed', name: 'Ada Lovelace' },
      { studyId: study.id, hostId: host, createdAt: new Date(week.start + 2 * HOUR), startsAt: new Date(week.start + 3 * DAY + 14 * HOUR), status: 'confirmed', name: 'Grace Hopper' },
      // Cancelled: not coming.
      { studyId: study.id, hostId: host, createdAt: new Date(week.start - 2 * DAY), startsAt: new Date(week.start + 3 * DAY + 16 * HOUR), status: 'cancelled', name: 'Not Coming' },
    ]);

    // Sunday evening: no digest yet. Monday 09:00: the digest, once, however often the check runs.
    for (const [at, key] of [[new Date(week.start - 3 * HOUR), 'sunday'], [monday, 'monday'], [new Date(monday.getTime() + HOUR), 'monday-again']] as const) {
      await enqueue(t.app.db, { kind: 'autopilot.tick', payload: { at: at.toISOString() }, runAt: at, dedupeKey: `test:digest:${key}` });
      await runJobs(at);
      if (key === 'sunday') expect((await mails(owner.email)).filter((m) => m.subject.startsWith('Your interviews this week'))).toHaveLength(0);
    }
    const digests = (await mails(owner.email)).filter((m) => m.subject.startsWith('Your interviews this week'));
    expect(digests).toHaveLength(1);
    const digest = digests[0]!;
    expect(digest.subject).toBe('Your interviews this week: 2 interviews coming; last week 2 of 2');
    expect(digest.text).toContain('Target met: 2 of 2 booked (1 attended, 1 no-show) across the workspace.');
    expect(digest.text).toMatch(/Onboarding:\s+2 of 2 booked \(1 attended, 1 no-show\)/);
    expect(digest.text).toMatch(/This week so far[\s\S]*Onboarding:\s+2 of 2 booked; on track/);
    expect(digest.text).toMatch(/Wednesday, \w+ \d+, 10:00 AM:\s+Ada Lovelace \(Onboarding\), with Maya Chen/);
    expect(digest.text).toMatch(/Thursday, \w+ \d+, 2:00 PM:\s+Grace Hopper \(Onboarding\), with Maya Chen/);
    expect(digest.text).not.toContain('Not Coming');
    expect(digest.text).toContain('Times in Europe/Berlin.');
    // Researchers and admins read it too; interviewers have their own mails.
    expect(digest.to).toContain(owner.email);
    expect(digest.to).not.toContain(interviewer.email);
  });
});
