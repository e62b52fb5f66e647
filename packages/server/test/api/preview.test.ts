// The intercept preview's server side: an admin route makes a short-lived token for the study
// editor's copy (saved or not); the token's page runs the widget, and the token's routes serve
// that copy as the configuration would, with its real free times, and record, count and book
// nothing. No public route shows an unpublished study without such a token.
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { bookings, interceptEvents, studies, studyPreviews } from '../../src/db/schema.js';
import { primaryKind } from '../support/database.js';
import { TEST_ORIGIN, useTestApp } from '../support/app.js';
import { createHost } from '../support/studies.js';

const allDay = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '24:00' }));

describe(`the intercept preview on ${primaryKind}`, () => {
  const suite = useTestApp();
  let hostId: string;
  let saved: { id: string; slug: string };

  const copy = (extra: Record<string, unknown> = {}) => ({
    name: 'Internal: Q3 churn cohort',
    publicTitle: 'How invoicing works for you',
    status: 'draft',
    intercept: { title: 'Got 20 minutes to talk?', body: 'Tell us how invoicing goes.' },
    hostIds: [hostId],
    minimumNoticeMinutes: 0,
    meetingLocation: { kind: 'video_url', details: 'https://meet.example.test/acme' },
    screener: { questions: [{ id: 'role', kind: 'single', prompt: 'What do you do?', required: true, options: [{ id: 'pm', label: 'Product', effect: 'qualify' }] }] },
    ...extra,
  });
  const preview = async (body: object, headers: Record<string, string> = suite.t.auth) =>
    suite.t.app.inject({ method: 'POST', url: '/v1/admin/studies/preview', headers, payload: body });
  const made = async (body: object) => {
    const response = await preview(body);
    expect(response.statusCode, response.body).toBe(201);
    return response.json() as { frameUrl: string; studyId: string; expiresAt: string };
  };
  const api = (frameUrl: string, publicKey = suite.t.workspace.publicKey) => `${frameUrl}/v1/w/${publicKey}`;

  beforeAll(async () => {
    const { t } = suite;
    hostId = await createHost(t, { name: 'Maya', timeZone: 'Europe/Berlin', weekly: allDay });
    const response = await t.app.inject({ method: 'POST', url: '/v1/admin/studies', headers: t.auth, payload: copy() });
    expect(response.statusCode, response.body).toBe(201);
    saved = response.json();
  });

  it('frames a draft that has never been saved: its page runs the real widget, sandboxed, and its config serves the copy', async () => {
    const { t } = suite;
    const { frameUrl, studyId, expiresAt } = await made({ study: copy({ intercept: { title: 'Unsaved words', body: 'Not saved yet.' } }) });
    expect(frameUrl).toMatch(/^\/preview\/[A-Za-z0-9_-]{43}$/);
    expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(25 * 60_000);

    const page = await t.app.inject({ url: frameUrl });
    expect(page.statusCode).toBe(200);
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toMatch(/^sandbox allow-scripts allow-forms;/);
    expect(csp).toContain("frame-ancestors 'self'");
    expect(page.headers['x-frame-options']).toBeUndefined();
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.body).toContain("'/widget/beckon.js'");
    expect(page.body).toContain(`beckon('show','${studyId}')`);
    expect(page.body).not.toContain('Q3 churn cohort');

    const config = await t.app.inject({ url: `${api(frameUrl)}/config?userId=u-1&traits=${encodeURIComponent('{"plan":"pro"}')}`, headers: { origin: 'null' } });
    expect(config.statusCode, config.body).toBe(200);
    expect(config.headers['access-control-allow-origin']).toBe('*');
    expect(config.headers['cache-control']).toBe('no-store');
    expect(config.json().studies).toEqual([
      expect.objectContaining({ id: studyId, name: 'How invoicing works for you', intercept: { title: 'Unsaved words', body: 'Not saved yet.' }, bookable: true }),
    ]);
    expect(JSON.stringify(config.json())).not.toContain('Q3 churn cohort');
    // The workspace's own config never shows the draft.
    const live = await t.app.inject({ url: `/v1/w/${t.workspace.publicKey}/config`, headers: { origin: TEST_ORIGIN } });
    expect(live.json().studies).toEqual([]);
  });

  it('shows a saved study with its unsaved edits, offers its real free times, and records, counts and books nothing', async () => {
    const { t, database } = suite;
    const { frameUrl, studyId } = await made({ studyId: saved.id, study: copy({ intercept: { title: 'Edited, not saved', body: 'Still a draft.' } }) });
    expect(studyId).toBe(saved.id);
    const config = (await t.app.inject({ url: `${api(frameUrl)}/config` })).json();
    expect(config.studies[0]).toMatchObject({ id: saved.id, slug: saved.slug, intercept: { title: 'Edited, not saved' }, screener: { questions: [expect.objectContaining({ id: 'role' })] } });

    const slots = await t.app.inject({ url: `${api(frameUrl)}/studies/${saved.id}/slots?tz=America/Los_Angeles`, headers: { origin: 'null' } });
    expect(slots.statusCode, slots.body).toBe(200);
    expect(slots.json().slots.length).toBeGreaterThan(10);
    expect(slots.json().timeZone).toBe('America/Los_Angeles');
    // The real route says the draft takes no bookings.
    const real = await t.app.inject({ url: `/v1/w/${t.workspace.publicKey}/studies/${saved.id}/slots?tz=UTC`, headers: { origin: TEST_ORIGIN } });
    expect(real.json()).toMatchObject({ slots: [], unavailableReason: 'study_not_live' });

    const preflight = await t.app.inject({ method: 'OPTIONS', url: `${api(frameUrl)}/studies/${saved.id}/bookings`, headers: { origin: 'null', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,idempotency-key' } });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('*');
    const start = slots.json().slots[0].start;
    const booked = await t.app.inject({
      method: 'POST',
      url: `${api(frameUrl)}/studies/${saved.id}/bookings`,
      headers: { origin: 'null', 'idempotency-key': 'preview-attempt-1' },
      payload: { start, participant: { email: 'pm@acme.test', name: 'Pat PM', timeZone: 'UTC' }, consent: true, answers: { role: 'pm' } },
    });
    expect(booked.statusCode).toBe(422);
    expect(booked.json().error).toMatchObject({ code: 'preview', message: 'This is a preview: nothing was booked.' });
    const events = await t.app.inject({
      method: 'POST',
      url: `${api(frameUrl)}/events`,
      payload: { events: [{ studyId: saved.id, kind: 'shown', at: new Date().toISOString(), anonymousId: 'anon-preview' }] },
    });
    expect(events.statusCode).toBe(202);
    expect(events.json()).toEqual({ accepted: 0 });

    expect(await database.db.select().from(bookings)).toEqual([]);
    expect(await database.db.select().from(interceptEvents)).toEqual([]);
    const [study] = await database.db.select().from(studies).where(eq(studies.id, saved.id));
    expect(study).toMatchObject({ status: 'draft', intercept: { title: 'Got 20 minutes to talk?' } });
  });

  it('answers nothing without a valid, unexpired token for this workspace and study', async () => {
    const { t, database } = suite;
    const { frameUrl } = await made({ study: copy() });
    const unknown = '/preview/' + 'A'.repeat(43);
    expect((await t.app.inject({ url: unknown })).statusCode).toBe(404);
    expect((await t.app.inject({ url: `${api(unknown)}/config` })).json().error.code).toBe('preview_not_found');
    expect((await t.app.inject({ url: '/preview/short' })).statusCode).toBe(400);
    expect((await t.app.inject({ url: `${api(frameUrl, 'pk_someoneelse1')}/config` })).statusCode).toBe(404);
    expect((await t.app.inject({ url: `${api(frameUrl)}/studies/${saved.id}/slots?tz=UTC` })).statusCode).toBe(404);
    // Half an hour later it is gone; the next preview clears it away.
    await database.db.update(studyPreviews).set({ expiresAt: new Date(Date.now() - 1000) });
    expect((await t.app.inject({ url: frameUrl })).statusCode).toBe(404);
    await made({ study: copy() });
    expect(await database.db.select().from(studyPreviews)).toHaveLength(1);
  });

  it('checks the copy as a save would, naming the field under study', async () => {
    const unknownHost = await preview({ study: copy({ hostIds: ['00000000-0000-4000-8000-000000000000'] }) });
    expect(unknownHost.statusCode).toBe(422);
    expect(unknownHost.json().error).toMatchObject({ code: 'member_not_found', field: 'study.hostIds.0' });
    const link = await preview({ study: copy({ meetingLocation: { kind: 'video_url', details: 'http://insecure.example' } }) });
    expect(link.statusCode).toBe(400);
    expect(link.json().error.field).toBe('study.meetingLocation.details');
    const missing = await preview({ study: { name: 'x' } });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.field).toMatch(/^\/?study/);
    expect((await preview({ studyId: '00000000-0000-4000-8000-000000000000', study: copy() })).statusCode).toBe(404);
    expect((await preview({ study: copy() }, {})).statusCode).toBe(401);
  });
});
