// The demo's team signs in as themselves, its credentials belong to the database they were
// seeded into, and seeding is all-or-nothing.
import { randomBytes } from 'node:crypto';
import { count } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { workspaces } from '../../src/db/schema.js';
import { SecretBox } from '../../src/security/secrets.js';
import { demoBanner, seedIfEmpty } from '../../src/services/demo-banner.js';
import { loadDemoCredentials, seedDemo } from '../../src/services/seed.js';
import { openTestDatabase } from '../support/database.js';
import { useTestApp } from '../support/app.js';
import { sessionCookieOf } from './support.js';

describe('the demo team', () => {
  const suite = useTestApp({ kind: 'pglite' });

  it('has an owner, a researcher and an interviewer who sign in with the printed passwords, a link and the API key', async () => {
    const { t, database } = suite;
    const demo = await seedDemo(database.db, t.app.secretBox, t.config.publicUrl);
    expect(demo.people.map((person) => person.role)).toEqual(['owner', 'researcher', 'interviewer']);

    for (const person of demo.people) {
      const response = await t.app.inject({ method: 'POST', url: '/v1/auth/password', payload: { email: person.email, password: person.password } });
      expect(response.statusCode).toBe(200);
      expect(response.json().workspace).toMatchObject({ id: demo.workspaceId, role: person.role });
    }
    // Maya interviews: her session carries her own interviewer profile.
    const maya = demo.people.find((person) => person.role === 'interviewer')!;
    const session = (await t.app.inject({ method: 'POST', url: '/v1/auth/password', payload: { email: maya.email, password: maya.password } })).json();
    expect(session.memberId).not.toBeNull();

    // The banner's owner link opens the admin API; the API key answers 200.
    const lines = await demoBanner(database.db, t.config.publicUrl, demo, true);
    const link = lines.join('\n').match(/http:\/\/beckon\.test\/v1\/auth\/sign-in\?token=[\w-]+/)![0];
    const followed = await t.app.inject({ url: link.slice(t.config.publicUrl.length) });
    expect((await t.app.inject({ url: '/v1/admin/studies', headers: { cookie: sessionCookieOf(followed)! } })).statusCode).toBe(200);
    expect(lines.join('\n')).toContain(demo.secretKey);
    expect((await t.app.inject({ url: '/v1/admin/studies', headers: { authorization: `Bearer ${demo.secretKey}` } })).statusCode).toBe(200);

    // The credentials are kept sealed with this database; the next start reads them back.
    expect(await seedIfEmpty(database.db, t.app.secretBox, t.config.publicUrl)).toEqual(demo);
    // Under another key (another deployment's) they are not readable, and nothing wrong is printed.
    expect(await loadDemoCredentials(database.db, new SecretBox(randomBytes(32)))).toBeUndefined();
  });

  it('seeds all or nothing: a failure part-way leaves nothing behind', async () => {
    const database = await openTestDatabase('pglite');
    try {
      const box = new SecretBox(randomBytes(32));
      await seedDemo(database.db, box, 'http://localhost:3000');
      // Seeding again fails part-way (the demo's study slugs are taken) after its workspace, team
      // and interviewers were inserted: none of them stays.
      await expect(seedDemo(database.db, box, 'http://localhost:3000')).rejects.toThrow();
      const [row] = await database.db.select({ n: count() }).from(workspaces);
      expect(row!.n).toBe(1);
    } finally {
      await database.close();
    }
  });
});
