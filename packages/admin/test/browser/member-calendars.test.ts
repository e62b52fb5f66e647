// A member's calendars on the member screen: refusals shown where they belong (Google and Microsoft
// sign-in not set up), a broken connection and its fix, and a real CalDAV server (Radicale)
// connected, its calendars chosen, reconnected and removed.
import { beforeAll, describe, expect, it } from 'vitest';
import { haveChromium, inChromium, pageWidth, PHONE, useAdminBrowser } from '../support/browser.js';
import { addMaya } from '../support/fixtures.js';

describe.skipIf(!haveChromium)(inChromium('member calendars'), () => {
  const browser = useAdminBrowser();
  beforeAll(async () => {
    await addMaya(browser);
    await browser.signIn();
  });

  it('an unreachable CalDAV server is refused at its field; Google and Microsoft sign-in say they are not set up; a broken connection says how to fix it', async () => {
    const { page, api, shot, database } = browser;
    // Connecting logs in to the calendar server first: more than expect.poll's 1 s default on a busy machine.
    const calendarPoll = { timeout: 10_000 };
    const members = (await api('GET', '/v1/admin/members')).body.members as { id: string; name: string }[];
    const maya = members.find((m) => m.name === 'Maya Patel')!;
    await page.goto(`${browser.url}/admin/members/${maya.id}`);
    const section = page.getByRole('region', { name: 'Calendars' });
    await expect.poll(() => section.textContent(), calendarPoll).toContain('No calendar connected yet');

    // This server has no Google OAuth client (no GOOGLE_CLIENT_ID): the API's 422 is explained.
    await section.getByRole('button', { name: 'Create a Google sign-in link' }).click();
    await expect.poll(() => section.textContent()).toContain('Google sign-in is not set up on this server');
    expect(await section.textContent()).toContain('GOOGLE_CLIENT_ID');
    // Nor a Microsoft app registration (no MICROSOFT_CLIENT_ID).
    await section.getByRole('radio', { name: 'Microsoft 365 or Outlook' }).check();
    await section.getByRole('button', { name: 'Create a Microsoft sign-in link' }).click();
    await expect.poll(() => section.textContent()).toContain('Microsoft sign-in is not set up on this server');
    expect(await section.textContent()).toContain('MICROSOFT_CLIENT_ID');

    // The API logs in before it stores anything: nothing listens on port 9, so it refuses, at the address field.
    await section.getByRole('radio', { name: /CalDAV server/ }).check();
    await section.getByLabel('Service', { exact: true }).selectOption('other');
    await section.getByLabel('Server address').fill('http://127.0.0.1:9/');
    await section.getByLabel('Username').fill('maya');
    await section.getByLabel('App-specific password', { exact: true }).fill('not-stored');
    await section.getByRole('button', { name: 'Connect', exact: true }).click();
    await expect.poll(() => section.locator('[data-field="serverUrl"] .error').textContent(), calendarPoll).toContain('Beckon could not reach the calendar server');
    expect(await section.getByLabel('Server address').getAttribute('aria-invalid')).toBe('true');
    expect((await api('GET', `/v1/admin/members/${maya.id}/calendars`)).body.calendars).toEqual([]);
    await shot('calendars-1-unreachable');

    // A Google connection whose grant was revoked, as the calendar service leaves it (status and lastError).
    await database.db.execute(
      `insert into calendar_connections (member_id, provider, label, credentials_encrypted, busy_calendar_ids, write_calendar_id, status, last_error)
       values ('${maya.id}', 'google', 'maya@acme.test (Google)', null, '["primary"]', 'primary', 'broken',
               'Reading busy time: Google refused the stored grant (invalid_grant: Token has been expired or revoked.); reconnect the calendar')`,
    );
    await page.reload();
    const card = page.getByRole('listitem', { name: 'maya@acme.test (Google)' });
    await expect.poll(() => card.locator('.badge').textContent()).toBe('Broken');
    expect(await card.textContent()).toContain('Not working: Maya Patel is not offered for interviews until this is fixed');
    expect(await card.textContent()).toContain('invalid_grant');
    expect(await card.textContent()).toContain('Create a new Google sign-in link and have Maya Patel open it');
    await shot('calendars-2-broken');
    await browser.onPhone(async () => {
      expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
      await card.scrollIntoViewIfNeeded();
      await shot('calendars-2b-mobile-broken', { fullPage: false });
    });
    await card.getByRole('button', { name: 'Reconnect maya@acme.test (Google)' }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Connect a calendar');
    expect(await section.getByRole('radio', { name: 'Google Calendar' }).isChecked()).toBe(true);

    await card.getByRole('button', { name: 'Remove maya@acme.test (Google)' }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Yes, remove');
    await page.getByRole('group', { name: 'Confirm removing maya@acme.test (Google)' }).getByRole('button', { name: 'Yes, remove' }).click();
    await expect.poll(() => section.getByRole('status').first().textContent()).toBe('Removed maya@acme.test (Google).');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Calendars');
    expect((await api('GET', `/v1/admin/members/${maya.id}/calendars`)).body.calendars).toEqual([]);
  });

  it('connects a CalDAV account on a real CalDAV server (Radicale), picks its calendars, reconnects it when broken, and removes it', async ({ skip }) => {
    const { page, api, shot, database } = browser;
    const { radicaleAvailable, startRadicale } = await import('../../../server/test/calendars/support/radicale.js');
    if (!radicaleAvailable) {
      if (process.env.BECKON_REQUIRE_SERVICES === '1') throw new Error('BECKON_REQUIRE_SERVICES=1 but radicale is not installed at /usr/bin/radicale');
      return skip('radicale not installed (apt-get install radicale)');
    }
    // Connecting logs in to the calendar server first: more than expect.poll's 1 s default on a busy machine.
    const calendarPoll = { timeout: 10_000 };
    const radicale = await startRadicale({ username: 'maya', password: 'app-specific-secret' });
    try {
      const work = await radicale.makeCalendar('work', 'Work');
      const personal = await radicale.makeCalendar('personal', 'Personal');
      const members = (await api('GET', '/v1/admin/members')).body.members as { id: string; name: string }[];
      const maya = members.find((m) => m.name === 'Maya Patel')!;
      await page.goto(`${browser.url}/admin/members/${maya.id}`);
      const section = page.getByRole('region', { name: 'Calendars' });
      await section.getByRole('radio', { name: /CalDAV server/ }).check();
      await section.getByLabel('Service', { exact: true }).selectOption('other');
      await section.getByLabel('Server address').fill(radicale.url);
      await section.getByLabel('Username').fill('maya');

      // A wrong password: the server's 422 names the password field, and the message is shown there.
      await section.getByLabel('App-specific password', { exact: true }).fill('wrong-password');
      await section.getByRole('button', { name: 'Connect', exact: true }).click();
      await expect.poll(() => section.locator('[data-field="password"] .error').textContent(), calendarPoll).toContain('refused this username and password');
      expect((await api('GET', `/v1/admin/members/${maya.id}/calendars`)).body.calendars).toEqual([]);

      // The right one: two calendars found; busy time from Work only, interviews to Work.
      await section.getByLabel('App-specific password', { exact: true }).fill('app-specific-secret');
      await section.getByRole('button', { name: 'Connect', exact: true }).click();
      const choose = page.getByRole('form', { name: 'Choose calendars' });
      await expect.poll(() => choose.textContent(), calendarPoll).toContain('It has 2 calendars');
      await choose.getByRole('group', { name: 'Check for busy time' }).getByRole('checkbox', { name: 'Personal' }).uncheck();
      await choose.getByRole('group', { name: 'Add interviews to' }).getByRole('radio', { name: 'Work' }).check();
      await shot('calendars-3-choose');
      await choose.getByRole('button', { name: 'Save calendar choice' }).click();
      const label = 'maya @ ' + new URL(radicale.url).host;
      await expect.poll(() => section.getByRole('status').first().textContent(), calendarPoll).toBe(`Connected ${label}.`);
      const listed = (await api('GET', `/v1/admin/members/${maya.id}/calendars`)).body.calendars as { id: string; busyCalendarIds: string[]; writeCalendarId: string }[];
      expect(listed).toHaveLength(1); // the choice changed the new connection in place
      expect(listed[0]).toMatchObject({ provider: 'caldav', label, status: 'active', busyCalendarIds: [work], writeCalendarId: work });
      expect(JSON.stringify(listed)).not.toContain('app-specific-secret');
      const card = page.getByRole('listitem', { name: label });
      // The announcement comes at once, the list a reload later: wait for the whole new card, not a prefix of the old one.
      await expect.poll(() => card.textContent(), calendarPoll).toContain('Busy timeWorkInterviewsWork');
      expect(await card.locator('.badge').textContent()).toBe('Connected');
      expect(await section.getByLabel('App-specific password', { exact: true }).inputValue()).toBe(''); // not kept once connected
      await shot('calendars-4-connected');

      // Later: Personal counts too and interviews stop going to Work, chosen without the password again.
      await card.getByRole('button', { name: `Change calendars of ${label}` }).click();
      const change = card.getByRole('form', { name: `Calendars of ${label}` });
      await expect.poll(() => page.evaluate(() => document.activeElement?.closest('label')?.textContent), calendarPoll).toBe('Work'); // the first choice
      await change.getByRole('group', { name: 'Check for busy time' }).getByRole('checkbox', { name: 'Personal' }).check({ timeout: 10_000 });
      await change.getByRole('group', { name: 'Add interviews to' }).getByRole('radio', { name: 'None' }).check();
      await shot('calendars-4b-change');
      await change.getByRole('button', { name: 'Save calendars' }).click();
      await expect.poll(() => section.getByRole('status').first().textContent(), calendarPoll).toBe(`Saved the calendars of ${label}.`);
      await expect.poll(() => card.textContent(), calendarPoll).toContain('Busy timeWork, PersonalInterviewsNot written to this calendar');
      await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(`Change calendars of ${label}`);
      const changed = (await api('GET', `/v1/admin/members/${maya.id}/calendars`)).body.calendars as { id: string; busyCalendarIds: string[]; writeCalendarId: string | null }[];
      expect(changed).toHaveLength(1);
      expect(changed[0]!.id).toBe(listed[0]!.id); // the same connection, changed in place
      expect([...changed[0]!.busyCalendarIds].sort()).toEqual([work, personal].sort());
      expect(changed[0]!.writeCalendarId).toBeNull();

      // Broken as a revoked password leaves it: reconnecting with a working password replaces it.
      await database.db.execute(
        `update calendar_connections set status = 'broken', last_error = 'Reading busy time: the server refused the credentials (HTTP 401); reconnect with a new app-specific password' where id = '${listed[0]!.id}'`,
      );
      await page.reload();
      await expect.poll(() => card.locator('.badge').textContent()).toBe('Broken');
      expect(await card.textContent()).toContain('Reconnect with a new app-specific password');
      await card.getByRole('button', { name: `Reconnect ${label}` }).click();
      await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe(`Reconnect ${label}`);
      await section.getByLabel('Server address').fill(radicale.url);
      await section.getByLabel('Username').fill('maya');
      await section.getByLabel('App-specific password', { exact: true }).fill('app-specific-secret');
      await section.getByRole('button', { name: 'Reconnect', exact: true }).click();
      await page.getByRole('form', { name: 'Choose calendars' }).getByRole('button', { name: 'Keep it as it is' }).click();
      await expect.poll(async () => (await api('GET', `/v1/admin/members/${maya.id}/calendars`)).body.calendars.map((c: { status: string }) => c.status), calendarPoll).toEqual(['active']);
      await expect.poll(() => card.locator('.badge').textContent(), calendarPoll).toBe('Connected');

      await card.getByRole('button', { name: `Remove ${label}` }).click();
      await page.getByRole('button', { name: 'Yes, remove' }).click();
      await expect.poll(() => section.textContent(), calendarPoll).toContain('No calendar connected yet');
      expect((await api('GET', `/v1/admin/members/${maya.id}/calendars`)).body.calendars).toEqual([]);
    } finally {
      await radicale.dispose();
    }
  });
});
