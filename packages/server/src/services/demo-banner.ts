// The demo's credentials for the start banner. They are kept sealed in the database they belong
// to (see seed.ts), so the banner never shows a key or password of another database, and a data
// directory that does not exist yet cannot break seeding half-way.
import { CLI_LINK_HOURS, createSignInLink, findUserByEmail } from '../auth/accounts.js';
import type { Database } from '../db/client.js';
import type { SecretBox } from '../security/secrets.js';
import { isEmpty, loadDemoCredentials, seedDemo, type DemoCredentials } from './seed.js';

export async function seedIfEmpty(db: Database, secretBox: SecretBox, publicUrl: string): Promise<DemoCredentials | undefined> {
  if (await isEmpty(db)) return seedDemo(db, secretBox, publicUrl);
  return loadDemoCredentials(db, secretBox);
}

/** Lines for the banner: a fresh sign-in link for the demo owner, the demo API key, how the others sign in. */
export async function demoBanner(db: Database, publicUrl: string, demo: DemoCredentials, outbox: boolean): Promise<string[]> {
  const owner = demo.people.find((person) => person.role === 'owner');
  const ownerUser = owner ? await findUserByEmail(db, owner.email) : undefined;
  const link = ownerUser ? await createSignInLink(db, publicUrl, { userId: ownerUser.id, workspaceId: demo.workspaceId, ttlMs: CLI_LINK_HOURS * 3_600_000 }) : undefined;
  return [
    '',
    ...(link && owner ? [`  Sign in as owner   ${link}`, `                     (${owner.email}; single use, ${CLI_LINK_HOURS} h; a new one at every start)`] : []),
    '  Or with a password at POST /v1/auth/password { email, password }:',
    ...demo.people.map((person) => `    ${person.role.padEnd(12)} ${person.email.padEnd(22)} ${person.password}`),
    ...(outbox ? ['  Sign-in links by email (POST /v1/auth/link { email }) land in the outbox.'] : []),
    '',
    `  Demo API key       ${demo.secretKey}   (API: Authorization: Bearer …)`,
  ];
}
