// The panel, the contact rules and the funnel of people, on a seeded history of known people:
// every cell of the funnel as expected, the same counts in the panel and in the CSV exports, the
// rules refusing by name, people merged by user id and email, and formulas kept out of the CSV.
import { createHmac } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { identityMessage } from '@beckon/shared/identity';
import { DEFAULT_CONTACT_RULES, type PeopleFunnel, type PeoplePage, type PersonDetail } from '@beckon/shared/api';
import { bookings, outboxMessages } from '../../src/db/schema.js';
import { primaryKind } from '../support/database.js';
import { TEST_ORIGIN, useTestApp } from '../support/app.js';
import { createHost, createLiveStudy, instantOf, upcomingDate } from '../support/studies.js';

const SCREENER = { questions: [{ id: 'role', kind: 'single', prompt: 'Your role?', required: true, options: [{ id: 'pm', label: 'Product manager', effect: 'qualify' }, { id: 'student', label: 'Student', effect: 'disqualify' }] }] };
const PRO = { plan: 'pro' };
const EVIL = '=HYPERLINK("http://evil.test","click")';

/** Monday of the UTC week of an instant, as the funnel names weeks (the workspace's zone is UTC). */
function weekOf(at: Date): string {
  const day = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  day.setUTCDate(day.getUTCDate() - ((day.getUTCDay() + 6) % 7));
  return day.toISOString().slice(0, 10);
}

/** A CSV body as rows of cells (quoted cells with doubled quotes; no line breaks inside cells here). */
function parseCsv(text: string): string[][] {
  expect(text.charCodeAt(0)).toBe(0xfeff); // the byte order mark: spreadsheets read it as UTF-8
  return text
    .slice(1)
    .trimEnd()
    .split(/\r?\n/)
    .map((line) => [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(,|$)/g)].slice(0, -1).map(([, cell]) => (cell!.startsWith('"') ? cell!.slice(1, -1).replace(/""/g, '"') : cell!)));
}

describe(`the panel, contact rules and the people funnel on ${primaryKind}`, () => {
  const suite = useTestApp();
  let secret: string;
  let studyId: string;
  let otherStudyId: string;
  const now = new Date();
  const past = new Date(now.getTime() - 60_000);
  const lastWeek = new Date(now.getTime() - 8 * 86_400_000);
  const people: Record<string, string> = {};
  let slot = 0;

  const sign = (userId: string, traits: Record<string, unknown> = PRO) => createHmac('sha256', secret).update(identityMessage(userId, traits)).digest('hex');
  const admin = (method: 'GET' | 'PATCH' | 'POST', url: string, payload?: object) => suite.t.app.inject({ method, url, headers: suite.t.auth, ...(payload ? { payload } : {}) });
  const config = (userId: string, traits: Record<string, unknown> = PRO) =>
    suite.t.app.inject({ method: 'GET', url: `/v1/w/${suite.t.workspace.publicKey}/config?${new URLSearchParams({ userId, anonymousId: `anon-${userId}`, signature: sign(userId, traits), traits: JSON.stringify(traits) })}`, headers: { origin: TEST_ORIGIN } });
  const events = (list: { userId?: string; kind: string; at?: Date; study?: string; anonymousId?: string }[]) =>
    suite.t.app.inject({
      method: 'POST',
      url: `/v1/w/${suite.t.workspace.publicKey}/events`,
      headers: { origin: TEST_ORIGIN },
      payload: {
        events: list.map((e) => ({
          studyId: e.study ?? studyId,
          kind: e.kind,
          at: (e.at ?? now).toISOString(),
          anonymousId: e.anonymousId ?? `anon-${e.userId}`,
          ...(e.userId ? { userId: e.userId, traits: PRO, signature: sign(e.userId) } : {}),
        })),
      },
    });
  const book = (who: { userId?: string; email: string; name: string }, extra: Record<string, unknown> = {}, study = studyId) => {
    slot += 1;
    const minutes = 8 * 60 + slot * 30;
    const start = instantOf(upcomingDate('UTC', 2), `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`, 'UTC');
    return suite.t.app.inject({
      method: 'POST',
      url: `/v1/w/${suite.t.workspace.publicKey}/studies/${study}/bookings`,
      headers: { origin: TEST_ORIGIN },
      payload: {
        start,
        participant: { email: who.email, name: who.name, timeZone: 'Europe/Berlin', ...(who.userId ? { userId: who.userId, traits: PRO, signature: sign(who.userId) } : {}) },
        consent: true,
        answers: { role: 'pm' },
        ...extra,
      },
    });
  };
  const booked = async (...args: Parameters<typeof book>) => {
    const response = await book(...args);
    expect(response.statusCode, response.body).toBe(201);
    return response.json().booking.id as string;
  };
  const heldAt = async (id: string, status: 'completed' | 'no_show') => {
    const start = new Date(now.getTime() - 30 * 60_000);
    await suite.database.db.update(bookings).set({ startsAt: start, endsAt: new Date(start.getTime() + 20 * 60_000), blockedFrom: start, blockedUntil: new Date(start.getTime() + 30 * 60_000), status }).where(eq(bookings.id, id));
  };

  beforeAll(async () => {
    const { t } = suite;
    expect((await admin('PATCH', '/v1/admin/workspace', { requireIdentityVerification: true })).statusCode).toBe(200);
    secret = (await admin('GET', '/v1/admin/workspace/identity-secret')).json().identitySecret;
    const host = await createHost(t, { name: 'Maya Chen', timeZone: 'UTC', weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '08:00', end: '20:00' })) });
    studyId = (await createLiveStudy(t, [host], { name: 'Pro onboarding', screener: SCREENER, targeting: { trait: 'plan', op: 'equals', value: 'pro' } })).id;
    otherStudyId = (await createLiveStudy(t, [host], { name: 'Pricing' })).id;

    // A: identified, matches the targeting, served the configuration, never shown anything.
    expect((await config('user-a')).statusCode).toBe(200);
    // B: shown last week and again now, dismissed.
    expect((await events([{ userId: 'user-b', kind: 'shown', at: lastWeek }])).statusCode).toBe(202);
    expect((await events([{ userId: 'user-b', kind: 'shown', at: past }, { userId: 'user-b', kind: 'dismissed' }])).statusCode).toBe(202);
    // C: shown, said yes, screened out.
    await events([{ userId: 'user-c', kind: 'shown', at: past }, { userId: 'user-c', kind: 'opted_in' }, { userId: 'user-c', kind: 'screened_out' }]);
    // D: shown, yes, screened in, booked through the widget, attended.
    await events([{ userId: 'user-d', kind: 'shown', at: past }, { userId: 'user-d', kind: 'opted_in' }, { userId: 'user-d', kind: 'screened_in' }]);
    await heldAt(await booked({ userId: 'user-d', email: 'd@example.test', name: 'Dana' }), 'completed');
    // E: shown twice (one person), yes, screened in, booked, then cancelled.
    await events([{ userId: 'user-e', kind: 'shown', at: past }, { userId: 'user-e', kind: 'shown', at: past }, { userId: 'user-e', kind: 'opted_in' }, { userId: 'user-e', kind: 'screened_in' }]);
    const e = await booked({ userId: 'user-e', email: 'e@example.test', name: 'Eli' });
    expect((await admin('POST', `/v1/admin/bookings/${e}/cancel`)).statusCode).toBe(200);
    // F: a hosted link from sales, by email only; did not come.
    await heldAt(await booked({ email: 'f@example.test', name: 'Fay' }, { source: 'sales' }), 'no_show');
    // G: an anonymous browser, shown once.
    await events([{ anonymousId: 'anon-g', kind: 'shown', at: past }]);
    // H: an email invitation; a name a spreadsheet would run.
    await booked({ email: 'h@example.test', name: EVIL }, { source: 'email-march' });

    for (const user of ['a', 'b', 'c', 'd', 'e']) {
      const page = (await admin('GET', `/v1/admin/participants?q=user-${user}`)).json() as PeoplePage;
      people[user] = page.people[0]!.id;
    }
    for (const user of ['f', 'h']) people[user] = ((await admin('GET', `/v1/admin/participants?q=${user}@example.test`)).json() as PeoplePage).people[0]!.id;
  });

  it('counts people, not page views, at every step: each cell by week, segment and source', async () => {
    const response = await admin('GET', '/v1/admin/funnel');
    expect(response.statusCode).toBe(200);
    const funnel = response.json() as PeopleFunnel;
    const cells = (counts: Partial<PeopleFunnel['totals']>) => ({ eligible: 0, shown: 0, opted_in: 0, screened_in: 0, booked: 0, attended: 0, screened_out: 0, cancelled: 0, no_show: 0, ...counts });
    expect(weekOf(past)).toBe(weekOf(new Date(now.getTime() - 30 * 60_000))); // the seeded "now" is one week
    expect(funnel.totals).toEqual(cells({ eligible: 6, shown: 5, opted_in: 3, screened_in: 4, booked: 3, attended: 1, screened_out: 1, cancelled: 1, no_show: 1 }));
    const row = (week: string, source: string) => funnel.rows.find((r) => r.week === week && r.source === source && r.studyId === studyId)?.counts;
    // A was eligible for both studies (Pricing targets everyone): one person in the totals.
    expect(funnel.rows.filter((r) => r.studyId === otherStudyId)).toEqual([{ week: weekOf(now), segment: 'Pricing', studyId: otherStudyId, source: 'widget', counts: cells({ eligible: 1 }) }]);
    expect(row(weekOf(lastWeek), 'widget')).toEqual(cells({ eligible: 1, shown: 1 }));
    // Eligible is not shown: A was eligible and never shown; G (anonymous) counts by browser.
    expect(row(weekOf(now), 'widget')).toEqual(cells({ eligible: 6, shown: 5, opted_in: 3, screened_in: 2, booked: 1, attended: 1, screened_out: 1, cancelled: 1 }));
    expect(row(weekOf(now), 'link:sales')).toEqual(cells({ screened_in: 1, booked: 1, no_show: 1 }));
    expect(row(weekOf(now), 'email')).toEqual(cells({ screened_in: 1, booked: 1 }));
    expect(funnel.rows).toHaveLength(5);

    // The same cells in the CSV, and its total line.
    const csv = await admin('GET', '/v1/admin/exports/funnel.csv');
    expect(csv.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    const [header, ...lines] = parseCsv(csv.body);
    expect(header).toEqual(['week', 'time_zone', 'segment', 'study_id', 'source', 'eligible', 'shown', 'opted_in', 'screened_in', 'booked', 'attended', 'screened_out', 'cancelled', 'no_show']);
    const fromCsv = lines.map((line) => ({ week: line[0], source: line[4], counts: Object.fromEntries(header!.slice(5).map((column, i) => [column, Number(line[5 + i])])) }));
    expect(fromCsv.slice(0, -1)).toEqual(funnel.rows.map((r) => ({ week: r.week, source: r.source, counts: r.counts })));
    expect(fromCsv.at(-1)).toEqual({ week: 'total', source: '', counts: funnel.totals });
  });

  it('the panel agrees: one record per person, their counts, the same in participants.csv', async () => {
    const page = (await admin('GET', '/v1/admin/participants?pageSize=200')).json() as PeoplePage;
    expect(page.total).toBe(7); // A–F and H; G never said who they are
    const by = (id: string) => page.people.find((p) => p.id === id)!;
    expect(by(people.d!)).toMatchObject({ interviews: 1, noShows: 0, upcoming: 0, email: 'd@example.test', userId: 'user-d' });
    expect(by(people.f!)).toMatchObject({ interviews: 0, noShows: 1, email: 'f@example.test', userId: null });
    expect(by(people.a!).lastContactedAt).toBeNull();
    // What the funnel counts, the panel shows person by person.
    expect(page.people.filter((p) => p.interviews > 0)).toHaveLength(1);
    expect(page.people.filter((p) => p.noShows > 0)).toHaveLength(1);
    expect(page.people.filter((p) => p.upcoming > 0).map((p) => p.id)).toEqual([people.h]);

    const filtered = (query: string) => admin('GET', `/v1/admin/participants?${query}`).then((r) => (r.json() as PeoplePage).people.map((p) => p.id).sort());
    expect(await filtered('minNoShows=1')).toEqual([people.f]);
    expect(await filtered('minInterviews=1')).toEqual([people.d]);
    expect(await filtered('trait=plan%3Dpro')).toEqual([people.a, people.b, people.c, people.d, people.e].sort());
    expect(await filtered(`segment=${studyId}`)).toEqual([people.a, people.b, people.c, people.d, people.e].sort());
    expect(await filtered(`contactedBefore=${encodeURIComponent(new Date(now.getTime() - 3 * 86_400_000).toISOString())}`)).toEqual([]);
    expect((await admin('GET', '/v1/admin/participants?page=2&pageSize=5')).json()).toMatchObject({ total: 7, page: 2, pageSize: 5 });
    expect((await admin('GET', '/v1/admin/participants?trait=novalue')).statusCode).toBe(400);

    const csv = parseCsv((await admin('GET', '/v1/admin/exports/participants.csv?minNoShows=1')).body);
    expect(csv[0]!.slice(0, 9)).toEqual(['id', 'name', 'email', 'user_id', 'first_seen_at', 'last_contacted_at', 'interviews', 'no_shows', 'upcoming']);
    expect(csv.slice(1).map((line) => [line[0], line[6], line[7]])).toEqual([[people.f, '0', '1']]);
    const all = parseCsv((await admin('GET', '/v1/admin/exports/participants.csv')).body).slice(1);
    expect(all.map((line) => [line[0], Number(line[6]), Number(line[7]), Number(line[8])]).sort()).toEqual(page.people.map((p) => [p.id, p.interviews, p.noShows, p.upcoming]).sort());
    expect(all.find((line) => line[0] === people.f)![4]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
  });

  it("shows a person's history: intercepts, answers, bookings, attendance", async () => {
    const d = (await admin('GET', `/v1/admin/participants/${people.d}`)).json() as PersonDetail;
    expect(d.history.map((h) => h.kind).sort()).toEqual(['attended', 'booked', 'opted_in', 'screened_in', 'shown'].sort());
    expect(d.history.find((h) => h.kind === 'booked')!.detail).toContain('role: pm');
    const exported = await admin('GET', `/v1/admin/participants/${people.d}/export`);
    expect(exported.headers['content-disposition']).toContain('attachment');
    expect(exported.json()).toMatchObject({ person: { id: people.d }, participantRecords: [{ userId: 'user-d', email: 'd@example.test' }] });
    expect(exported.json().events).toHaveLength(3);
  });

  it('the bookings CSV holds a name beginning with = as harmless text', async () => {
    const response = await admin('GET', '/v1/admin/exports/bookings.csv');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-disposition']).toBe('attachment; filename="bookings.csv"');
    const [header, ...lines] = parseCsv(response.body);
    const name = header!.indexOf('participant_name');
    expect(lines.map((line) => line[name])).toContain(`'${EVIL}`);
    expect(lines.every((line) => !/^[=+\-@\t\r]/.test(line[name]!))).toBe(true);
    expect(response.body).toContain(`"'=HYPERLINK(""http://evil.test"",""click"")"`);
    expect(lines.every((line) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(line[header!.indexOf('starts_at')]!))).toBe(true);
  });

  it('holds the contact rules on the server and names the rule: in the configuration, on events and on bookings', async () => {
    const blocked = async (userId: string) => {
      const response = await config(userId);
      expect(response.statusCode).toBe(200);
      expect(response.headers['cache-control']).toBe('private, no-store');
      const body = response.json();
      return Object.fromEntries(body.visitor.blocked.map((b: { studyId: string; rule: string }) => [b.studyId === studyId ? 'study' : 'other', b.rule]));
    };
    // Traits that cannot be stored or are not an object are refused at the field.
    for (const traits of ['{"a":"\u0000"}', '[1]', '{']) {
      const bad = await suite.t.app.inject({ url: `/v1/w/${suite.t.workspace.publicKey}/config?${new URLSearchParams({ userId: 'user-b', traits })}`, headers: { origin: TEST_ORIGIN } });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.field).toBe('traits');
    }
    // B was shown twice in 30 days: the intercept limit (2) across studies.
    expect(await blocked('user-b')).toEqual({ study: 'intercept_limit', other: 'intercept_limit' });
    // D had an interview: the interview limit (1 in 90 days); booking again is refused by name.
    expect(await blocked('user-d')).toEqual({ study: 'interview_limit', other: 'interview_limit' });
    const again = await book({ userId: 'user-d', email: 'd@example.test', name: 'Dana' }, {}, otherStudyId);
    expect(again.statusCode).toBe(422);
    expect(again.json().error.code).toBe('contact_rule_interview_limit');
    // H has an interview to come: never invited, never booked again, on any study.
    const h = await book({ email: 'h@example.test', name: 'H' }, { source: 'link' }, otherStudyId);
    expect(h.json().error.code).toBe('contact_rule_upcoming_interview');
    // An event the rules forbid is recorded and named.
    const shown = await events([{ userId: 'user-d', kind: 'shown', study: otherStudyId }]);
    expect(shown.json()).toEqual({ accepted: 1, refused: [{ studyId: otherStudyId, kind: 'shown', rule: 'interview_limit' }] });

    // A fresh person: dismissing one study holds it for 30 days and every study for 7.
    expect(await blocked('user-x')).toEqual({});
    await events([{ userId: 'user-x', kind: 'shown' }, { userId: 'user-x', kind: 'dismissed' }]);
    expect(await blocked('user-x')).toEqual({ study: 'dismiss_cooldown', other: 'dismiss_cooldown' });
    expect((await admin('PATCH', '/v1/admin/workspace', { contactRules: { ...DEFAULT_CONTACT_RULES, dismissCooldown: { study: 30, any: 0 } } })).statusCode).toBe(200);
    expect(await blocked('user-x')).toEqual({ study: 'dismiss_cooldown' });
    // The team's do-not-contact stops everything.
    const x = ((await admin('GET', '/v1/admin/participants?q=user-x')).json() as PeoplePage).people[0]!;
    expect((await admin('PATCH', `/v1/admin/participants/${x.id}`, { doNotContact: true })).json()).toMatchObject({ doNotContact: { by: 'team' }, blockedBy: 'do_not_contact' });
    expect(await blocked('user-x')).toEqual({ study: 'do_not_contact', other: 'do_not_contact' });
    // K no-shows (set to 1 here) exclude F.
    expect((await admin('PATCH', '/v1/admin/workspace', { contactRules: { ...DEFAULT_CONTACT_RULES, noShowLimit: 1 } })).statusCode).toBe(200);
    expect((await book({ email: 'F@example.test', name: 'Fay' }, { source: 'link' }, otherStudyId)).json().error.code).toBe('contact_rule_no_show_limit');
    // Rules are checked at the edge too.
    expect((await admin('PATCH', '/v1/admin/workspace', { contactRules: { ...DEFAULT_CONTACT_RULES, noShowLimit: 0 } })).json().error.field).toMatch(/noShowLimit/);
    expect((await admin('PATCH', '/v1/admin/workspace', { contactRules: DEFAULT_CONTACT_RULES })).statusCode).toBe(200);
  });

  it('joins a user id and an email into one person when a booking brings them together', async () => {
    await events([{ userId: 'user-m', kind: 'eligible', study: otherStudyId }]);
    const link = await booked({ email: 'm@example.test', name: 'Mo' }, { source: 'link' }, otherStudyId);
    expect((await admin('GET', '/v1/admin/participants?q=m%40example.test')).json().total).toBe(1);
    expect((await admin('GET', '/v1/admin/participants?q=user-m')).json().total).toBe(1);
    expect((await admin('POST', `/v1/admin/bookings/${link}/cancel`)).statusCode).toBe(200);
    await booked({ userId: 'user-m', email: 'M@example.test', name: 'Mo' }, {}, otherStudyId);
    const merged = (await admin('GET', '/v1/admin/participants?q=user-m')).json() as PeoplePage;
    expect(merged.total).toBe(1);
    expect(merged.people[0]).toMatchObject({ userId: 'user-m', email: 'm@example.test', upcoming: 1 });
    const history = (await admin('GET', `/v1/admin/participants/${merged.people[0]!.id}`)).json() as PersonDetail;
    expect(history.history.filter((h) => h.kind === 'booked')).toHaveLength(2);
    expect(history.history.filter((h) => h.kind === 'cancelled')).toHaveLength(1);
  });

  it('erasure keeps the panel and the exports consistent: the person stays, unnamed, held by do-not-contact', async () => {
    const erased = await admin('POST', '/v1/admin/participants/erase', { userId: 'user-m' });
    expect(erased.statusCode).toBe(200);
    const page = (await admin('GET', '/v1/admin/participants?q=user-m')).json() as PeoplePage;
    expect(page.people[0]).toMatchObject({ email: null, name: null, erased: true, doNotContact: { by: 'participant' }, upcoming: 0 });
    expect((await admin('GET', '/v1/admin/participants?q=m%40example.test')).json().total).toBe(0);
    const csv = (await admin('GET', '/v1/admin/exports/bookings.csv')).body;
    expect(csv.toLowerCase()).not.toContain('m@example.test');
  });

  it('keeps consent on record: a study can ask for a text before booking; who accepted which version, and when', async () => {
    const v1 = await admin('POST', '/v1/admin/consent-texts', { title: 'Research consent', kind: 'consent', body: 'We record the call.' });
    expect(v1.statusCode).toBe(201);
    expect(v1.json()).toMatchObject({ version: 1, studyId: null });
    expect((await admin('PATCH', `/v1/admin/studies/${otherStudyId}`, { consentTextId: v1.json().id })).json().consentTextId).toBe(v1.json().id);
    const widgetStudy = (await suite.t.app.inject({ url: `/v1/w/${suite.t.workspace.publicKey}/config`, headers: { origin: TEST_ORIGIN } })).json().studies.find((s: { id: string }) => s.id === otherStudyId);
    expect(widgetStudy.consent).toEqual({ id: v1.json().id, version: 1, kind: 'consent', title: 'Research consent', body: 'We record the call.' });
    const refused = await book({ email: 'k@example.test', name: 'Kim' }, { source: 'link' }, otherStudyId);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error).toMatchObject({ code: 'consent_required', field: 'acceptedConsent' });
    // A new version replaces it on the study: the old one is no longer enough.
    const v2 = (await admin('POST', '/v1/admin/consent-texts', { title: 'Research consent', kind: 'consent', body: 'We record the call and keep it 90 days.' })).json();
    expect(v2.version).toBe(2);
    expect((await book({ email: 'k@example.test', name: 'Kim' }, { source: 'link', acceptedConsent: { consentTextId: v1.json().id, version: 1 } }, otherStudyId)).json().error.code).toBe('consent_required');
    await booked({ email: 'k@example.test', name: 'Kim' }, { source: 'link', acceptedConsent: { consentTextId: v2.id, version: 2 } }, otherStudyId);
    const kim = ((await admin('GET', '/v1/admin/participants?q=k%40example.test')).json() as PeoplePage).people[0]!;
    expect(kim.consents).toEqual([{ consentTextId: v2.id, title: 'Research consent', version: 2, acceptedAt: expect.any(String), bookingId: expect.any(String) }]);
    const texts = (await admin('GET', '/v1/admin/consent-texts')).json().consentTexts;
    expect(texts.map((text: { version: number; accepted: number }) => [text.version, text.accepted])).toEqual([[1, 0], [2, 1]]);
    expect((await admin('PATCH', `/v1/admin/studies/${otherStudyId}`, { consentTextId: '00000000-0000-4000-8000-000000000000' })).statusCode).toBe(404);
  });

  it('an unsubscribe link in the thank-you (not transactional) sets do-not-contact, by the participant; a forged one does nothing', async () => {
    const id = await booked({ email: 'tess@example.test', name: 'Tess' }, { source: 'link', acceptedConsent: undefined }, studyId);
    for (let i = 0; i < 30 && (await suite.t.app.worker.runOnce()) > 0; i++); // the confirmation
    // The thank-you follows "done": the interview is moved into the past and marked.
    await suite.database.db.execute(sql`update bookings set starts_at = now() - interval '2 hours', ends_at = now() - interval '100 minutes', blocked_from = now() - interval '2 hours', blocked_until = now() - interval '100 minutes' where id = ${id}`);
    expect((await admin('POST', `/v1/admin/bookings/${id}/complete`)).statusCode).toBe(200);
    for (let i = 0; i < 30 && (await suite.t.app.worker.runOnce()) > 0; i++);
    const [mail] = await suite.database.db.select().from(outboxMessages).where(sql`${outboxMessages.subject} like 'Thank you%' and 'tess@example.test' = any(${outboxMessages.to})`);
    const url = /http:\/\/beckon\.test(\/u\/[\w.-]+)/.exec(mail!.text)?.[1];
    expect(url).toBeDefined();
    // Transactional mail has no such link.
    const [confirmation] = await suite.database.db.select().from(outboxMessages).where(sql`${outboxMessages.subject} not like 'Thank you%' and 'tess@example.test' = any(${outboxMessages.to})`);
    expect(confirmation!.text).not.toContain('/u/');

    const page = await suite.t.app.inject({ url: url! });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Stop research invitations?');
    const tess = () => admin('GET', '/v1/admin/participants?q=tess%40example.test').then((r) => (r.json() as PeoplePage).people[0]!);
    expect((await tess()).doNotContact).toBeNull(); // following the link alone changes nothing
    const forged = await suite.t.app.inject({ method: 'POST', url: `${url!.slice(0, -4)}AAAA`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click' });
    expect(forged.statusCode).toBe(404);
    const done = await suite.t.app.inject({ method: 'POST', url: url!, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click' });
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('You are unsubscribed');
    expect(await tess()).toMatchObject({ doNotContact: { by: 'participant' }, blockedBy: 'do_not_contact' });
  });
});
