// Nothing a reader of the database could use is stored in plaintext: after a booking (retried
// with its Idempotency-Key), an incentive handed over with a gift card code, and an identity
// secret, every table's every row is dumped as text and searched for each secret.
import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { bookings } from '../../src/db/schema.js';
import { primaryKind } from '../support/database.js';
import { TEST_ORIGIN, useTestApp } from '../support/app.js';
import { createHost, createLiveStudy, instantOf, participant, upcomingDate } from '../support/studies.js';

const HOUR = 3_600_000;
const GIFT_CODE = 'GIFT-7Q2X-PLAINTEXT-CANARY';

describe(`secrets at rest on ${primaryKind}`, () => {
  const suite = useTestApp();
  const secrets: Record<string, string> = {};

  beforeAll(async () => {
    const { t, database } = suite;
    const host = await createHost(t, { name: 'Maya Chen', timeZone: 'America/New_York' });
    const study = await createLiveStudy(t, [host]);
    const request = {
      method: 'POST' as const,
      url: `/v1/w/${t.workspace.publicKey}/studies/${study.id}/bookings`,
      headers: { origin: TEST_ORIGIN, 'idempotency-key': 'retry-me-0001' },
      payload: { start: instantOf(upcomingDate('America/New_York', 2), '09:00', 'America/New_York'), participant: participant(), consent: true },
    };
    const first = await t.app.inject(request);
    expect(first.statusCode).toBe(201);
    const retried = await t.app.inject(request);
    // The retry gets the same answer, its manage link included, although the link is not stored.
    expect(retried.json()).toEqual(first.json());
    const { id, manageUrl } = first.json().booking as { id: string; manageUrl: string };
    secrets.manageToken = manageUrl.split('/').pop()!;
    secrets.secretKey = t.workspace.secretKey;
    secrets.identitySecret = (await t.app.inject({ url: '/v1/admin/workspace/identity-secret', headers: t.auth })).json().identitySecret;

    // The interview took place; its gift card code is handed over.
    const start = new Date(Date.now() - 3 * HOUR);
    await database.db.update(bookings).set({ startsAt: start, endsAt: new Date(start.getTime() + HOUR / 3), blockedFrom: start, blockedUntil: new Date(start.getTime() + HOUR / 2) }).where(eq(bookings.id, id));
    expect((await t.app.inject({ method: 'POST', url: `/v1/admin/bookings/${id}/complete`, headers: t.auth })).statusCode).toBe(200);
    const [incentive] = (await t.app.inject({ url: '/v1/admin/incentives?status=due', headers: t.auth })).json().incentives as { id: string }[];
    const sent = await t.app.inject({ method: 'POST', url: `/v1/admin/incentives/${incentive!.id}/send`, headers: t.auth, payload: { method: 'email', code: GIFT_CODE } });
    expect(sent.statusCode).toBe(200);
    secrets.giftCode = GIFT_CODE;
  });

  it('finds none of them in any table', async () => {
    const { db } = suite.database;
    const tables = await db.execute<{ name: string }>(sql`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`);
    const names = (tables as unknown as { rows: { name: string }[] }).rows.map((row) => row.name);
    expect(names).toEqual(expect.arrayContaining(['bookings', 'idempotency_keys', 'incentives', 'jobs', 'api_keys', 'workspaces']));
    const found: string[] = [];
    for (const name of names) {
      // The development outbox is the mail itself, shown to the developer: the code is meant to be in it.
      if (name === 'outbox_messages') continue;
      const dump = await db.execute<{ text: string | null }>(sql`select string_agg(t::text, ' ') as text from ${sql.identifier(name)} t`);
      const text = (dump as unknown as { rows: { text: string | null }[] }).rows[0]?.text ?? '';
      for (const [what, secret] of Object.entries(secrets)) if (text.includes(secret)) found.push(`${what} in ${name}`);
    }
    expect(found).toEqual([]);
    expect(Object.keys(secrets).sort()).toEqual(['giftCode', 'identitySecret', 'manageToken', 'secretKey']);
  });
});
