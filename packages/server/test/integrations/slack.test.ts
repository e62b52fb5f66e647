// Slack incoming webhooks on a local emulation of the documented endpoint (POST JSON, `ok` or an
// error word): the workspace's webhook gets every new booking, cancellation and at-risk week as
// Block Kit; a study's webhook only that study's; the URL is sealed and never shown again.
import { createServer, type Server } from 'node:http';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slackWebhooks } from '../../src/db/schema.js';
import { emitWebhook } from '../../src/integrations/webhooks.js';
import { TEST_ORIGIN, useTestApp } from '../support/app.js';
import { createHost, createLiveStudy, instantOf, participant, upcomingDate } from '../support/studies.js';

interface Post {
  path: string;
  body: { text: string; blocks: { type: string; text?: { text: string }; fields?: { text: string }[] }[] };
}

describe('Slack incoming webhooks', () => {
  const suite = useTestApp();
  const posts: Post[] = [];
  let server: Server;
  let base = '';
  let answer: [number, string] = [200, 'ok'];

  beforeAll(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        if (!body.text || !Array.isArray(body.blocks)) return response.writeHead(400).end('invalid_payload');
        if (answer[0] === 200) posts.push({ path: request.url ?? '', body });
        response.writeHead(answer[0], { 'content-type': 'text/plain' }).end(answer[1]);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/services`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const admin = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
    suite.t.app.inject({ method, url: `/v1/admin${url}`, headers: suite.t.auth, ...(payload ? { payload } : {}) });

  it('posts new bookings, cancellations and at-risk weeks as Block Kit, to the workspace and to the study', async () => {
    const { t, database } = suite;
    const host = await createHost(t, { name: 'Slack Host', timeZone: 'Europe/Berlin' });
    const study = await createLiveStudy(t, [host], { name: 'Churn interviews' });
    const other = await createLiveStudy(t, [host], { name: 'Pricing interviews' });
    const everything = await admin('POST', '/slack-webhooks', { url: `${base}/T000/B000/workspace-secret`, label: '#research' });
    expect(everything.statusCode).toBe(201);
    expect(everything.json()).toMatchObject({ studyId: null, label: '#research', urlEnd: '…cret' });
    expect((await admin('POST', '/slack-webhooks', { url: `${base}/T000/B001/churn-only`, studyId: study.id })).statusCode).toBe(201);
    expect((await admin('POST', '/slack-webhooks', { url: 'http://hooks.example.com/x' })).json().error.field).toBe('url');
    const [row] = await database.db.select().from(slackWebhooks).where(eq(slackWebhooks.id, everything.json().id));
    expect(row!.urlSealed).not.toContain('workspace-secret');
    expect(JSON.stringify((await admin('GET', '/slack-webhooks')).json())).not.toContain('workspace-secret');

    const date = upcomingDate('Europe/Berlin', 3);
    const book = async (studyId: string, time: string, name: string) => {
      const response = await t.app.inject({
        method: 'POST',
        url: `/v1/w/${t.workspace.publicKey}/studies/${studyId}/bookings`,
        headers: { origin: TEST_ORIGIN },
        payload: { start: instantOf(date, time, 'Europe/Berlin'), consent: true, participant: participant({ name }), answers: {} },
      });
      expect(response.statusCode).toBe(201);
      return response.json().booking.id as string;
    };
    const churn = await book(study.id, '10:00', 'Ada <Lovelace>');
    await book(other.id, '13:00', 'Grace Hopper');
    await admin('POST', `/bookings/${churn}/cancel`);
    await emitWebhook(database.db, t.workspace.workspaceId, {
      type: 'week.at_risk',
      week: { studyId: null, weekStart: new Date().toISOString(), target: 3, booked: 1, forecast: 1.4, reason: 'Few people see the intercept', fix: 'Widen the segment' },
    });
    await t.app.worker.runOnce();
    await t.app.worker.runOnce();

    const to = (part: string) => posts.filter((post) => post.path.includes(part)).map((post) => post.body.text);
    expect(to('workspace-secret').sort()).toEqual(
      ['Interview cancelled for Churn interviews', 'New interview booked for Churn interviews', 'New interview booked for Pricing interviews', "The workspace may miss this week's interviews: 1 of 3 booked"].sort(),
    );
    expect(to('churn-only').sort()).toEqual(['Interview cancelled for Churn interviews', 'New interview booked for Churn interviews']);
    const booked = posts.find((post) => post.body.text === 'New interview booked for Churn interviews')!.body;
    const fields = booked.blocks[1]!.fields!.map((field) => field.text);
    expect(fields[0]).toBe('*Who*\nAda &lt;Lovelace&gt;');
    expect(fields[1]).toMatch(/^\*When\*\n<!date\^\d+\^\{date_short_pretty\} at \{time\}\|/);
    expect(fields[2]).toBe('*Interviewer*\nSlack Host');
  });

  it('retries a post Slack refused', async () => {
    const { t, database } = suite;
    posts.length = 0;
    answer = [500, 'internal_error'];
    await emitWebhook(database.db, t.workspace.workspaceId, {
      type: 'week.at_risk',
      week: { studyId: null, weekStart: new Date().toISOString(), target: 2, booked: 0, forecast: 0.5, reason: 'No free slots', fix: null },
    });
    await t.app.worker.runOnce();
    expect(posts).toHaveLength(0);
    answer = [200, 'ok'];
    await t.app.worker.runOnce(new Date(Date.now() + 3_600_000));
    expect(posts.map((post) => post.body.text)).toEqual(["The workspace may miss this week's interviews: 0 of 2 booked"]);
  });
});
