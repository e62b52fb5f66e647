// Moving a booking to another interviewer from the admin app: the card shows the new host, and
// the participant, the new interviewer and the previous one each get the email that says so.
import type { Availability, Member, Study } from '@beckon/shared/api';
import { beforeAll, describe, expect, it } from 'vitest';
import { haveChromium, inChromium, useAdminBrowser } from '../support/browser.js';
import { addMaya, book, createChurnStudy, slotsOf } from '../support/fixtures.js';

describe.skipIf(!haveChromium)(inChromium('booking move'), () => {
  const browser = useAdminBrowser();
  let study: Study;
  let maya: Member;
  let ben: Member;

  beforeAll(async () => {
    maya = await addMaya(browser);
    const created = await browser.api('POST', '/v1/admin/members', { name: 'Ben Okafor', email: 'ben@acme.test', role: 'interviewer', timeZone: 'Europe/Berlin' });
    expect(created.status).toBe(201);
    ben = created.body as Member;
    // Ben keeps Maya's hours, so either can lead any slot.
    const hours = (await browser.api('GET', `/v1/admin/members/${maya.id}/availability`)).body as Availability;
    expect((await browser.api('PUT', `/v1/admin/members/${ben.id}/availability`, hours)).status).toBe(200);
    study = await createChurnStudy(browser, maya.id);
    const patched = await browser.api('PATCH', `/v1/admin/studies/${study.id}`, { hostIds: [maya.id, ben.id] });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    study = patched.body as Study;
    await browser.signIn();
  });

  it('moves an upcoming interview to the other interviewer; all three are emailed the truth', async () => {
    const { page, api, shot } = browser;
    const slots = await slotsOf(browser, study, 'America/New_York');
    const id = await book(browser, study, slots[0]!.start, { name: 'Ada Lovelace', email: 'ada@example.com', timeZone: 'America/New_York' });
    for (let i = 0; i < 3; i++) await browser.t.app.worker.runOnce(); // the booking's own mails go out first
    const first = ((await api('GET', `/v1/admin/bookings?studyId=${study.id}`)).body.bookings as { id: string; hostId: string }[]).find((b) => b.id === id)!.hostId;
    const [from, to] = first === maya.id ? [maya, ben] : [ben, maya];

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Bookings' }).click();
    const ada = page.getByRole('listitem', { name: /Ada Lovelace/ });
    await expect.poll(() => ada.textContent()).toContain(from.name);
    await ada.getByRole('button', { name: 'Move the interview with Ada Lovelace to another interviewer' }).click();
    await ada.getByLabel('New interviewer').selectOption({ label: to.name });
    await shot('15-booking-move');
    await ada.getByRole('button', { name: 'Move the interview' }).click();
    await expect.poll(() => ada.getByRole('status').textContent()).toContain(`Moved to ${to.name}`);
    expect(await ada.locator('dt:text("Host") + dd').textContent()).toBe(to.name);
    await shot('16-booking-moved');

    const stored = ((await api('GET', `/v1/admin/bookings?studyId=${study.id}`)).body.bookings as { id: string; hostId: string; status: string }[]).find((b) => b.id === id)!;
    expect(stored).toMatchObject({ hostId: to.id, status: 'confirmed' });

    // A Meet study: the mails follow the calendar write (which makes the new interviewer's link).
    for (let i = 0; i < 3; i++) await browser.t.app.worker.runOnce();
    const participant = await browser.latestMailTo('ada@example.com');
    expect(participant?.subject).toMatch(/^New interviewer:/);
    expect(participant?.text).toContain(`You'll now talk with ${to.name}, who takes over from ${from.name}`);
    const previous = await browser.latestMailTo(from.email);
    expect(previous?.subject).toMatch(/^No longer yours: Ada Lovelace/);
    const next = await browser.latestMailTo(to.email);
    expect(next?.subject).toMatch(/^New interview: Ada Lovelace/);
    expect(next?.text).not.toMatch(/moved from/i);
  });
});
