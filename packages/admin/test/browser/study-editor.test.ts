// The study editor: setting a study live, when to ask (stored and shown again as stored), and a
// study with bookings that cannot be deleted.
import { beforeAll, describe, expect, it } from 'vitest';
import { haveChromium, inChromium, pageWidth, PHONE, useAdminBrowser } from '../support/browser.js';
import { addMaya, book, createChurnStudy, slotsOf } from '../support/fixtures.js';

describe.skipIf(!haveChromium)(inChromium('study editor'), () => {
  const browser = useAdminBrowser();
  beforeAll(async () => {
    const maya = await addMaya(browser);
    await createChurnStudy(browser, maya.id, 'draft');
    await browser.signIn();
  });

  it('edits the study: sets it live', async () => {
    const { page, api } = browser;
    await page.goto(`${browser.url}/admin/studies`);
    await page.getByRole('link', { name: 'Edit Why people churn' }).click();
    await expect.poll(() => page.getByLabel('Churned within the last (days)').inputValue()).toBe('45');
    await page.getByRole('radio', { name: 'Live' }).check();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => page.getByText('Saved.').isVisible()).toBe(true);
    const [study] = (await api('GET', '/v1/admin/studies')).body.studies;
    expect(study.status).toBe('live');
  });

  it('sets when to ask (pages, pages to avoid, time, page views, an event, exit intent), stores it and shows it again', async () => {
    const { page, api, shot } = browser;
    const [study] = (await api('GET', '/v1/admin/studies')).body.studies;
    const when = page.getByRole('group', { name: 'When to ask' });
    const summary = when.locator('.trigger-summary');
    expect(await summary.textContent()).toBe('Shown: On any page, at once');

    // Keyboard: the new row's input has focus, so typing fills it.
    await when.getByRole('button', { name: 'Add a page to ask on' }).click();
    // Focus moves after the new row renders: type only once it is there.
    await expect.poll(() => when.getByLabel('Page 1 to ask on', { exact: true }).evaluate((input) => input === document.activeElement)).toBe(true);
    await page.keyboard.type('/pricing');
    await when.getByLabel('How page 1 to ask on is matched').selectOption('exact');
    await when.getByRole('button', { name: 'Add a page to ask on' }).click();
    await when.getByLabel('Page 2 to ask on', { exact: true }).fill('/plans/*');
    await when.getByRole('button', { name: 'Add a page never to ask on' }).click();
    await when.getByLabel('Page 1 never to ask on', { exact: true }).fill('/checkout*');
    await when.getByLabel('Wait on the page for').fill('10');
    await when.getByLabel('From page view number').fill('2');
    await when.getByRole('button', { name: 'Add an event' }).click();
    await when.getByLabel('Event 1', { exact: true }).fill('report_exported');
    await when.getByRole('checkbox', { name: /about to leave the page/ }).check();

    // A row left empty is named at its own input; removing it moves focus to the row before.
    await when.getByRole('button', { name: 'Add a page to ask on' }).click();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => page.locator('[data-field="triggers.pages.2.pattern"] .error').textContent()).toContain('Page 3 to ask on: enter an address, e.g. /pricing, or remove the row');
    expect(await when.getByLabel('Page 3 to ask on', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    await shot('08b-study-when-to-ask-problem');
    await when.getByRole('button', { name: 'Remove page 3 to ask on' }).click();
    await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.value)).toBe('/plans/*');

    const line = 'Shown: On /pricing or /plans/*, from the 2nd page view of a visit, after 10 s, right after report_exported, when they are about to leave (desktop), never on /checkout*';
    expect(await summary.textContent()).toBe(line);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => page.getByText('Saved.').isVisible()).toBe(true);
    await shot('08c-study-when-to-ask');
    const expected = [
      { kind: 'url', match: 'exact', pattern: '/pricing' },
      { kind: 'url', match: 'glob', pattern: '/plans/*' },
      { kind: 'url', match: 'glob', pattern: '/checkout*', exclude: true },
      { kind: 'delay', seconds: 10 },
      { kind: 'page_views', atLeast: 2 },
      { kind: 'event', event: 'report_exported' },
      { kind: 'exit_intent' },
    ];
    expect((await api('GET', `/v1/admin/studies/${study.id}`)).body.triggers).toEqual(expected);

    // Loaded again, every control shows what was stored, and saving changes nothing.
    await page.reload();
    await expect.poll(() => when.getByLabel('Page 1 to ask on', { exact: true }).inputValue()).toBe('/pricing');
    expect(await when.getByLabel('How page 1 to ask on is matched').inputValue()).toBe('exact');
    expect(await when.getByLabel('Page 2 to ask on', { exact: true }).inputValue()).toBe('/plans/*');
    expect(await when.getByLabel('Page 1 never to ask on', { exact: true }).inputValue()).toBe('/checkout*');
    expect(await when.getByLabel('Wait on the page for').inputValue()).toBe('10');
    expect(await when.getByLabel('From page view number').inputValue()).toBe('2');
    expect(await when.getByLabel('Event 1', { exact: true }).inputValue()).toBe('report_exported');
    expect(await when.getByRole('checkbox', { name: /about to leave the page/ }).isChecked()).toBe(true);
    expect(await summary.textContent()).toBe(line);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => page.getByText('Saved.').isVisible()).toBe(true);
    expect((await api('GET', `/v1/admin/studies/${study.id}`)).body.triggers).toEqual(expected);

    // On a phone the section fits (the whole page at 375 px is checked by 'works at 375 px wide').
    await browser.onPhone(async () => {
      await when.scrollIntoViewIfNeeded();
      const fit = await when.evaluate((el) => ({ right: el.getBoundingClientRect().right, overflow: el.scrollWidth - el.clientWidth }));
      expect(fit.right).toBeLessThanOrEqual(PHONE.width);
      expect(fit.overflow).toBeLessThanOrEqual(0);
      await shot('08d-mobile-study-when-to-ask');
    });

    // The studies list says when each study asks.
    await page.getByRole('navigation').getByRole('link', { name: 'Studies' }).click();
    await expect.poll(() => page.locator('.study-card').first().textContent()).toContain(line.replace('Shown: ', ''));
  });

  it('will not delete a study with bookings: the server’s 409 is shown, nothing is lost', async () => {
    const { page, api } = browser;
    const [study] = (await api('GET', '/v1/admin/studies')).body.studies;
    const [slot] = await slotsOf(browser, study, 'America/New_York');
    await book(browser, study, slot!.start, { name: 'Ada Lovelace', email: 'ada@example.com', timeZone: 'America/New_York' });
    await page.goto(`${browser.url}/admin/studies/${study.id}`);
    await page.getByRole('button', { name: 'Delete study' }).click();
    await page.getByRole('button', { name: 'Yes, delete' }).click();
    await expect.poll(() => page.locator('.error-summary').textContent()).toContain('This study has bookings');
    expect((await api('GET', `/v1/admin/studies/${study.id}`)).status).toBe(200);
  });

  it('works at 375 px wide', async () => {
    const { page, shot } = browser;
    await browser.onPhone(async () => {
      await page.goto(`${browser.url}/admin/studies/new`);
      await page.getByLabel('Name', { exact: true }).waitFor();
      expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
      await shot('16-mobile-study-new');
    });
  });
});
