// Webhooks (admins): add an endpoint (https or localhost; its signing secret shown once), an
// event reaches a real receiver, signed, the delivery log shows it with the answer's status and its attempts,
// Send again sends the same webhook-id; Slack webhooks are added for a study; a researcher does
// not see the page.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emitWebhook } from '../../../server/src/integrations/webhooks.js';
import { haveChromium, inChromium, useAdminBrowser } from '../support/browser.js';

describe.skipIf(!haveChromium)(inChromium('webhooks'), () => {
  const browser = useAdminBrowser();
  const received: { headers: IncomingHttpHeaders; body: string }[] = [];
  let server: Server;
  let url = '';
  beforeAll(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
        response.writeHead(200).end('thanks');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/beckon`;
    await browser.signIn();
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('adds an endpoint with its secret shown once; a delivered event shows in the log and is sent again', async () => {
    const { page, t, shot } = browser;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Webhooks' }).click();
    await page.getByRole('heading', { name: 'Webhooks', level: 1 }).waitFor();
    const add = page.getByRole('form', { name: 'Add a webhook endpoint' });
    await add.getByLabel('URL').fill('http://hooks.example.com/beckon');
    await add.getByRole('button', { name: 'Add endpoint' }).click();
    await expect.poll(() => add.getByRole('alert').first().textContent()).toMatch(/https/);
    await add.getByLabel('URL').fill(url);
    await add.getByLabel('Description').fill('CRM sync');
    await add.getByRole('checkbox', { name: /Participant opted out/ }).check();
    await add.getByRole('button', { name: 'Add endpoint' }).click();
    const created = page.getByRole('region', { name: /Copy the signing secret/ });
    await created.waitFor();
    const secret = (await created.locator('code').textContent())!;
    expect(secret).toMatch(/^whsec_/);
    await shot('60-webhook-secret-once');

    await emitWebhook(t.app.db, t.workspace.workspaceId, { type: 'participant.opted_out', userId: 'u-42', optedOutAt: new Date() });
    await t.app.worker.runOnce();
    expect(received).toHaveLength(1);
    // Verified with the standardwebhooks library in the server's tests; here: signed and what it says.
    expect(received[0]!.headers['webhook-signature']).toMatch(/^v1,/);
    expect(JSON.parse(received[0]!.body)).toMatchObject({ type: 'participant.opted_out', data: { participant: { userId: 'u-42' } } });

    await created.getByRole('button', { name: 'I have stored it' }).click();
    const endpoint = page.getByRole('region', { name: `Endpoint ${url}` });
    await endpoint.getByRole('button', { name: 'Deliveries' }).click();
    const row = endpoint.getByRole('row', { name: /Participant opted out/ });
    await expect.poll(() => row.textContent()).toContain('delivered');
    expect(await row.textContent()).toContain('200');
    await shot('61-webhook-deliveries');
    // The delivery's detail: every attempt with what came back.
    await row.getByRole('button', { name: 'Show the attempts of participant.opted_out' }).click();
    const attempts = endpoint.getByRole('list', { name: 'Attempts to deliver participant.opted_out, oldest first' });
    await expect.poll(() => attempts.textContent()).toMatch(/answered 200 in \d+ ms/);
    expect(await attempts.getByRole('listitem').count()).toBe(1);
    await row.getByRole('button', { name: 'Hide the attempts of participant.opted_out' }).click();
    await row.getByRole('button', { name: 'Send participant.opted_out again' }).click();
    await expect.poll(() => page.getByRole('status').allTextContents()).toContainEqual(expect.stringContaining('queued to be sent again'));
    await t.app.worker.runOnce();
    expect(received).toHaveLength(2);
    expect(received[1]!.headers['webhook-id']).toBe(received[0]!.headers['webhook-id']);
    await page.reload();
    expect(await page.locator('body').textContent()).not.toContain(secret);
  });

  it('adds a Slack incoming webhook, showing only the end of its URL', async () => {
    const { page } = browser;
    const slack = page.getByRole('form', { name: 'Add a Slack webhook' });
    await slack.getByLabel('Incoming webhook URL').fill(`${url}/T0/B0/very-secret-token`);
    await slack.getByLabel('Channel (optional)').fill('#research');
    await slack.getByRole('button', { name: 'Add Slack webhook' }).click();
    await expect.poll(() => page.getByRole('listitem').filter({ hasText: '#research' }).textContent()).toContain('…oken');
    expect(await page.locator('body').textContent()).not.toContain('very-secret-token');
  });

  it('is not offered to a researcher, and the server refuses them', async () => {
    const { page } = browser;
    await browser.person('researcher', { email: 'rita.researcher@acme.test', name: 'Rita Researcher' });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await browser.signIn({ email: 'rita.researcher@acme.test' });
    const links = await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents();
    expect(links).not.toContain('Webhooks');
    expect(await page.evaluate(() => fetch('/v1/admin/webhook-endpoints').then((r) => r.status))).toBe(403);
  });
});
