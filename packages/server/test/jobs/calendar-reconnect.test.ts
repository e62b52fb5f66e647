// Revoked calendar access: the interviewer is emailed, once, a link to reconnect.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/client.js';
import { calendarConnections, outboxMessages } from '../../src/db/schema.js';
import { openTestDatabase, primaryKind } from '../support/database.js';
import { buildTestApp, type TestApp } from '../support/app.js';
import { createHost } from '../support/studies.js';

describe(`calendar reconnect email on ${primaryKind}`, () => {
  let database: DatabaseHandle;
  let t: TestApp;
  beforeAll(async () => {
    database = await openTestDatabase();
    t = await buildTestApp(database);
  });
  afterAll(async () => {
    await t.app.close();
    await database.close();
  });

  it('emails the host a reconnect link when a connection breaks, once however often it is seen', async () => {
    const hostId = await createHost(t, { name: 'Maya Chen', timeZone: 'Europe/Berlin' });
    const [connection] = await database.db
      .insert(calendarConnections)
      .values({ memberId: hostId, provider: 'caldav', label: 'Maya (Fastmail)', credentialsEncrypted: t.app.secretBox.seal('{}'), busyCalendarIds: [], writeCalendarId: null })
      .returning();
    expect(await t.app.calendarService.markBroken(connection!.id, 'invalid credentials')).toBe(true);
    expect(await t.app.calendarService.markBroken(connection!.id, 'invalid credentials')).toBe(false);
    await t.app.worker.runOnce();
    const sent = (await database.db.select().from(outboxMessages)).filter((m) => m.subject.startsWith('Action needed: reconnect'));
    expect(sent).toHaveLength(1);
    expect(sent[0]!.to[0]).toMatch(/^maya\.chen\./);
    expect(sent[0]!.text).toContain('Maya (Fastmail)');
    expect(sent[0]!.text).toContain(`http://beckon.test/admin/members/${hostId}`);
  });
});
