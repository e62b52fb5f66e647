// Incentives: what is owed after a completed interview, sending it by email (refused when empty),
// recording one given another way, and the filters kept in the address.
import type { Study } from '@beckon/shared/api';
import { beforeAll, describe, expect, it } from 'vitest';
import { jobs } from '../../../server/src/db/schema.js';
import { haveChromium, inChromium, pageWidth, PHONE, useAdminBrowser } from '../support/browser.js';
import { adaCancelledGraceCompleted, addMaya, book, createChurnStudy, moveIntoPast, slotsOf } from '../support/fixtures.js';

describe.skipIf(!haveChromium)(inChromium('incentives'), () => {
  const browser = useAdminBrowser();
  let study: Study;
  beforeAll(async () => {
    const maya = await addMaya(browser);
    study = await createChurnStudy(browser, maya.id);
    await adaCancelledGraceCompleted(browser, study);
    await browser.signIn();
  });

  it('the completed interview’s is due; an empty email is refused at the Code field; the code and link are emailed; Sent shows it', async () => {
    const { page, api, shot, t, database } = browser;
    // The study was made with the editor's default incentive, so each booking of it owes one.
    expect(study.incentive).toEqual({ kind: 'gift_card', amountCents: 2500, currency: 'USD', description: 'a {amount} gift card' });
    const due = (await api('GET', '/v1/admin/incentives?status=due')).body.incentives as { id: string; participant: { name: string }; interviewStart: string }[];
    expect(due.map((i) => i.participant.name)).toEqual(['Grace Hopper']);

    // The PM reads times in their own zone, chosen once on Bookings and kept.
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Bookings' }).click();
    await page.getByLabel('Times in').selectOption('Asia/Tokyo');

    // The count beside the link comes from the server: Grace's is due, Ada's (cancelled) is not.
    const navLink = nav.getByRole('link', { name: /^Incentives/ });
    await expect.poll(() => navLink.textContent()).toBe('Incentives: 1 to send');
    await navLink.click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName + ' ' + document.activeElement?.textContent)).toBe('H1 Incentives');
    expect(await page.getByRole('button', { name: 'To send' }).getAttribute('aria-pressed')).toBe('true');
    const grace = page.getByRole('listitem', { name: 'Grace Hopper' });
    await expect.poll(() => grace.locator('.badge').textContent()).toBe('To send');
    expect(await page.locator('.incentive-list > li').count()).toBe(1);
    const text = await grace.textContent();
    expect(text).toContain('a $25 gift card · Gift card, US$25'); // en-GB, as the browser is set up: dollars are US$
    expect(text).toContain('Why people churn');
    expect(text).toContain('grace@example.com');
    expect(text).toContain('(marked done)');
    // In the PM's zone: Asia/Tokyo, as chosen on Bookings.
    const tokyo = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Tokyo', hour: '2-digit', minute: '2-digit' }).format(new Date(due[0]!.interviewStart));
    expect(await page.getByLabel('Times in').inputValue()).toBe('Asia/Tokyo');
    expect(text).toContain(tokyo);

    // Nothing filled in: refused at the Code field before anything is sent.
    await grace.getByRole('button', { name: 'Email it to Grace Hopper' }).click();
    await expect.poll(() => grace.locator('[data-field$=".code"] .error').textContent()).toContain('Give the code, a link to redeem it, or a message');
    expect(await grace.getByLabel('Code').getAttribute('aria-invalid')).toBe('true');
    await expect.poll(() => page.evaluate(() => document.activeElement?.className)).toBe('error-summary');
    expect((await api('GET', '/v1/admin/incentives?status=due')).body.incentives).toHaveLength(1);

    await grace.getByLabel('Code').fill('GIFT-1234-ABCD');
    await grace.getByLabel('Redeem link').fill('https://gifts.example.com/redeem');
    await grace.getByLabel('Message to the participant').fill('Thank you for your time!');
    await shot('17-incentives-due');
    await browser.onPhone(async () => {
      expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
      await shot('17b-mobile-incentives-due');
    });
    await grace.getByRole('button', { name: 'Email it to Grace Hopper' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Sent to Grace Hopper.' }).count()).toBe(1);
    await expect.poll(() => grace.locator('.badge').textContent()).toBe('Sent');
    expect(await grace.textContent()).toContain('Sent by email on');
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName + ' ' + document.activeElement?.textContent)).toBe('H2 To send');
    // The form is gone, and the code with it: it lives only in the participant's email.
    expect(await grace.getByLabel('Code').count()).toBe(0);
    expect(await page.content()).not.toContain('GIFT-1234-ABCD');
    await expect.poll(() => navLink.textContent()).toBe('Incentives');

    const sent = (await api('GET', '/v1/admin/incentives?status=sent')).body.incentives as { id: string; status: string; sentBy: string }[];
    expect(sent).toMatchObject([{ id: due[0]!.id, status: 'sent', sentBy: 'email' }]);
    expect(JSON.stringify(sent)).not.toContain('GIFT-1234-ABCD');

    // The email goes out through the jobs table; with no SMTP_URL the server keeps it in its development outbox.
    const incentiveMails = async () => {
      await t.app.worker.runOnce();
      const outbox = await api('GET', '/dev/outbox.json?to=grace@example.com');
      expect(outbox.status).toBe(200);
      return (outbox.body.messages as { text: string; html: string }[]).filter((m) => m.text.includes('GIFT-1234-ABCD'));
    };
    await expect.poll(async () => (await incentiveMails()).length, { timeout: 10_000 }).toBe(1);
    const [mail] = await incentiveMails();
    expect(mail!.text).toContain('https://gifts.example.com/redeem');
    expect(mail!.text).toContain('Thank you for your time!');

    // Account credit applied in the product: recorded as given another way, once confirmed, and nothing is emailed.
    // (Booked through the booking link, as the one above: the study's targeting is for the widget.)
    const [slot] = await slotsOf(browser, study, 'Europe/London');
    const katherineId = await book(browser, study, slot!.start, { name: 'Katherine Johnson', email: 'katherine@example.com', timeZone: 'Europe/London' });
    await moveIntoPast(browser, katherineId, 2);
    expect((await api('POST', `/v1/admin/bookings/${katherineId}/complete`)).status).toBe(200);
    await page.reload();
    const katherine = page.getByRole('listitem', { name: 'Katherine Johnson' });
    await katherine.getByRole('button', { name: 'Mark as given another way to Katherine Johnson' }).click();
    const confirm = katherine.getByRole('group', { name: 'Confirm Katherine Johnson was given it another way' });
    expect(await confirm.textContent()).toContain('Record that Katherine Johnson was given a $25 gift card another way? Nothing is emailed, and this cannot be undone.');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Yes, it was given');
    await shot('17c-incentives-confirm-given');
    await confirm.getByRole('button', { name: 'Yes, it was given' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Marked as given to Katherine Johnson.' }).count()).toBe(1);
    await expect.poll(() => katherine.textContent()).toContain('Given another way on');
    expect((await api('GET', '/v1/admin/incentives?status=sent')).body.incentives.map((i: { participant: { name: string }; sentBy: string }) => `${i.participant.name}: ${i.sentBy}`)).toEqual(
      expect.arrayContaining(['Katherine Johnson: elsewhere', 'Grace Hopper: email']),
    );
    expect((await database.db.select().from(jobs)).filter((job) => job.kind === 'mail.incentive')).toHaveLength(1); // Grace's only

    // The filter is in the address: Sent survives a reload and lists her as sent by email.
    await page.getByRole('button', { name: 'Sent', exact: true }).click();
    expect(new URL(page.url()).searchParams.get('show')).toBe('sent');
    await page.reload();
    await expect.poll(() => page.getByRole('button', { name: 'Sent', exact: true }).getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => page.getByRole('listitem', { name: 'Grace Hopper' }).textContent()).toContain('Sent by email on');
    await shot('18-incentives-sent');

    await page.getByRole('button', { name: 'Void' }).click();
    await expect.poll(() => page.getByRole('listitem', { name: 'Ada Lovelace' }).textContent()).toContain('Not owed: the interview was cancelled.');
    await page.getByRole('button', { name: 'To send' }).click();
    await expect.poll(() => page.locator('.empty-inline').textContent()).toBe('Nothing to send. Incentives become due when you mark an interview done on Bookings.');
    expect(new URL(page.url()).search).toBe('');
    await shot('19-incentives-none-due');
  });

  it('works at 375 px wide', async () => {
    const { page, shot } = browser;
    await browser.onPhone(async () => {
      await page.goto(`${browser.url}/admin/incentives?show=all`);
      await page.getByRole('listitem', { name: 'Grace Hopper' }).waitFor();
      expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
      await shot('14b-mobile-incentives');
    });
  });
});
