// People: the panel with its funnel of people, search, a person's history, do-not-contact, and
// the contact rules in Settings.
import { beforeAll, describe, expect, it } from 'vitest';
import { haveChromium, inChromium, useAdminBrowser } from '../support/browser.js';
import { adaCancelledGraceCompleted, addMaya, createChurnStudy } from '../support/fixtures.js';

describe.skipIf(!haveChromium)(inChromium('people'), () => {
  const browser = useAdminBrowser();
  beforeAll(async () => {
    const maya = await addMaya(browser);
    // Ada booked and cancelled; Grace booked and came.
    await adaCancelledGraceCompleted(browser, await createChurnStudy(browser, maya.id));
    await browser.signIn();
  });

  it('lists one record per person with the funnel of people; search finds Grace; her history shows the interview she attended', async () => {
    const { page, shot } = browser;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'People' }).click();
    await page.getByRole('heading', { name: 'People', level: 1 }).waitFor();
    const funnel = page.getByRole('table', { name: 'Unique people at each step' });
    const cell = (name: string) => funnel.locator(`td[data-label="${name}"]`).textContent();
    await expect.poll(() => cell('Booked')).toBe('1');
    expect(await cell('Cancelled')).toBe('1');
    expect(await cell('Attended')).toBe('1');
    expect(await cell('Screened in')).toBe('2');
    const people = page.getByRole('table', { name: 'People', exact: true });
    await expect.poll(() => people.getByRole('rowheader').count()).toBe(2);
    await shot('people-1-list');

    await page.getByRole('searchbox', { name: 'Search' }).fill('grace');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect.poll(() => people.getByRole('rowheader').allTextContents()).toEqual([expect.stringContaining('Grace Hopper')]);
    expect(new URL(page.url()).searchParams.get('q')).toBe('grace');
    expect(await page.getByRole('link', { name: 'Download these people (CSV)' }).getAttribute('href')).toBe('/v1/admin/exports/participants.csv?q=grace');

    await people.getByRole('link', { name: 'Grace Hopper' }).click();
    await page.getByRole('heading', { name: 'Grace Hopper', level: 1 }).waitFor();
    const history = page.getByRole('region', { name: 'History' });
    await expect.poll(() => history.getByRole('listitem').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('Attended'), expect.stringContaining('Booked')]));
    await page.getByRole('button', { name: 'Mark do not contact' }).click();
    await expect.poll(() => page.getByText('Do not contact, set by the team').count()).toBe(1);
    await shot('people-2-person');
    await page.getByRole('button', { name: 'Allow contact again' }).click();
    await expect.poll(() => page.getByText('Do not contact, set by the team').count()).toBe(0);
  });

  it('edits the contact rules in Settings; a bad number is refused at its field', async () => {
    const { page, api } = browser;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    const rules = page.getByRole('form', { name: 'Contact rules' });
    await rules.getByLabel('Never invite again after').fill('x');
    await rules.getByRole('button', { name: 'Save contact rules' }).click();
    await expect.poll(() => rules.locator('[data-field="contactRules.noShowLimit"] .error').textContent()).toContain('whole number');
    await rules.getByLabel('Never invite again after').fill('3');
    await rules.getByRole('button', { name: 'Save contact rules' }).click();
    await expect.poll(() => rules.getByText('Contact rules saved.').count()).toBe(1);
    expect((await api('GET', '/v1/admin/workspace')).body.contactRules.noShowLimit).toBe(3);
  });

  it('keeps consent texts with their versions in Settings, and the study that asks for one', async () => {
    const { page, api } = browser;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    const form = page.getByRole('form', { name: 'New consent text' });
    await form.getByLabel('Title', { exact: true }).fill('Research consent');
    await form.getByLabel('Text', { exact: true }).fill('We record the call and keep the recording for 90 days.');
    const study = (await api('GET', '/v1/admin/studies')).body.studies[0];
    await form.getByLabel('Ask for it before booking in').selectOption(study.id);
    await form.getByRole('button', { name: 'Save text' }).click();
    await expect.poll(() => form.getByText('Saved “Research consent”, version 1.').count()).toBe(1);
    const table = page.getByRole('table', { name: 'Consent texts' });
    await expect.poll(() => table.getByRole('row').nth(1).textContent()).toContain(study.name);
    expect((await api('GET', `/v1/admin/studies/${study.id}`)).body.consentTextId).toBeTruthy();
  });
});
