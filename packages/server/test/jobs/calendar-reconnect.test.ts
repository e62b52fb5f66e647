// Revoked calendar access: the interviewer is emailed, once, a link to reconnect.
import { describe, expect, it } from 'vitest';
import { calendarConnections, outboxMessages } from '../../src/db/schema.js';
import { primaryKind } from '../support/database.js';
import { useTestApp } from '../support/app.js';
import { createHost } from '../support/studies.js';

describe(`calendar reconnect email on ${primaryKind}`, () => {
  const suite = useTestApp();

  it('emails the host a reconnect link when a connection breaks, once however often it is seen', async () => {
    const { t, database } = suite;
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
