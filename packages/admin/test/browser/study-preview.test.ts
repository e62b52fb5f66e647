// The study editor's preview: the real widget (built from packages/widget, served by the server)
// in a sandboxed frame, with the editor's unsaved copy: the invitation, the screener and the free
// times, for a sample visitor whose traits the PM edits, and the shared rules evaluator's word on
// whether they would be invited. Nothing is recorded, counted or booked.
import type { Study } from '@beckon/shared/api';
import { beforeAll, describe, expect, it } from 'vitest';
import { haveChromium, inChromium, useAdminBrowser } from '../support/browser.js';
import { addMaya, createChurnStudy } from '../support/fixtures.js';

const PUBLIC_TITLE = 'How invoicing works for you';
const UNSAVED_TITLE = 'Tell us why you left: 20 minutes?';

describe.skipIf(!haveChromium)(inChromium('study preview'), () => {
  const browser = useAdminBrowser();
  let study: Study;

  beforeAll(async () => {
    const maya = await addMaya(browser);
    study = await createChurnStudy(browser, maya.id, 'draft');
    const patched = await browser.api('PATCH', `/v1/admin/studies/${study.id}`, { name: 'Internal: Q3 churn cohort', publicTitle: PUBLIC_TITLE });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    await browser.signIn();
  });

  const count = async (table: string) => Number(((await browser.database.db.execute(`select count(*)::int as n from ${table}`)) as unknown as { rows: { n: number }[] }).rows[0]!.n);

  it('shows the unsaved invitation in the real widget, says who would be invited and why, and records nothing', async () => {
    const { page, shot } = browser;
    await page.goto(`${browser.url}/admin/studies/${study.id}`);
    await page.getByLabel('Title', { exact: true }).fill(UNSAVED_TITLE);
    const clicked = performance.now();
    await page.getByRole('button', { name: 'Preview' }).click();

    const dialog = page.getByRole('dialog', { name: 'Preview: the invitation as visitors see it' });
    await dialog.waitFor();
    // The sample visitor starts as one the segment lets in: churned within the last 45 days.
    const verdict = dialog.locator('.notice').filter({ hasText: /would/ });
    await expect.poll(() => verdict.textContent()).toMatch(/canceledAt is within the last 45 days/);
    expect(await verdict.textContent()).toContain('a draft: the widget invites nobody until it is live');

    const frame = page.frameLocator('iframe[title="The invitation, as a visitor sees it"]');
    const invitation = frame.getByRole('dialog', { name: UNSAVED_TITLE });
    await expect.poll(() => invitation.isVisible(), { timeout: 15_000 }).toBe(true);
    console.log(`study preview: the invitation shows in the frame ${Math.round(performance.now() - clicked)} ms after Preview is clicked (token, page, beckon.js, config, UI chunk)`);
    expect(await frame.locator('.note').textContent()).toBe(`Preview of “${PUBLIC_TITLE}”: nothing is recorded or booked`);
    expect(await frame.locator('body').textContent()).not.toContain('Q3 churn cohort');
    expect(await invitation.textContent()).toContain('$25 gift card');
    expect(await page.locator('iframe').getAttribute('sandbox')).toBe('allow-scripts allow-forms');
    await shot('30-study-preview-invitation', { fullPage: false });

    // Another visitor: churned long ago. The verdict says why not; the frame shows the invitation all the same.
    await dialog.getByLabel('Trait “canceledAt”').fill('2020-01-31');
    await expect.poll(() => verdict.textContent()).toContain('This visitor would not be invited, because canceledAt must be within the last 45 days (it is “2020-01-31”)');
    // The frame loads again with the new traits once the typing pauses.
    await expect.poll(() => page.locator('iframe').getAttribute('src')).toContain(encodeURIComponent('"canceledAt":"2020-01-31"'));
    await expect.poll(() => invitation.isVisible(), { timeout: 15_000 }).toBe(true);

    // The flow as a participant goes through it: the screener, then the real free times.
    await invitation.getByRole('button', { name: 'Sure' }).click();
    await frame.getByRole('radio', { name: 'Too expensive' }).check();
    await frame.getByRole('button', { name: 'Continue' }).click();
    await expect.poll(() => frame.getByRole('tab').count(), { timeout: 15_000 }).toBeGreaterThan(1);
    await shot('31-study-preview-slots', { fullPage: false });
    await frame.locator('.times button').first().click();
    await frame.getByLabel('Your name').fill('Pat Preview');
    await frame.getByLabel('Email').fill('pat@example.com');
    await frame.getByRole('checkbox').check();
    await frame.getByRole('button', { name: 'Book interview' }).click();
    await expect.poll(() => frame.getByRole('alert').textContent()).toBe('This is a preview: nothing was booked.');

    // Nothing was recorded, counted, booked or saved.
    expect(await count('intercept_events')).toBe(0);
    expect(await count('bookings')).toBe(0);
    expect(await count('participants')).toBe(0);
    const stored = (await browser.api('GET', `/v1/admin/studies/${study.id}`)).body as Study;
    expect(stored.intercept.title).not.toBe(UNSAVED_TITLE);

    await dialog.getByRole('button', { name: 'Close preview' }).click();
    expect(await page.getByRole('dialog').count()).toBe(0);
    // The edit is still in the form, to save or not.
    expect(await page.getByLabel('Title', { exact: true }).inputValue()).toBe(UNSAVED_TITLE);
  });

  it('previews a study that is not created yet', async () => {
    const { page } = browser;
    await page.goto(`${browser.url}/admin/studies/new`);
    await page.getByLabel('Name', { exact: true }).fill('Internal: onboarding v2');
    await page.getByRole('button', { name: 'Preview' }).click();
    const frame = page.frameLocator('iframe[title="The invitation, as a visitor sees it"]');
    await expect.poll(() => frame.getByRole('dialog', { name: 'Got 20 minutes to talk to us?' }).isVisible(), { timeout: 15_000 }).toBe(true);
    await expect.poll(() => page.getByRole('dialog').locator('.notice').first().textContent()).toContain('This visitor would be invited: the segment is everyone');
    expect(await count('studies')).toBe(1);
    await page.keyboard.press('Escape');
    expect(await page.getByRole('dialog').count()).toBe(0);
  });
});
