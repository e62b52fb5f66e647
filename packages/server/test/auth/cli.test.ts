// The operator's first run, as a process: `beckon setup` twice (nothing made twice, a new link
// each time, the link the last line), then the link followed in the server on the same database.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { runCli } from '../../src/cli.js';
import { openDatabase, type DatabaseHandle } from '../../src/db/client.js';
import { buildTestApp, type TestApp } from '../support/app.js';
import { primaryKind } from '../support/database.js';
import { sessionCookieOf } from './support.js';

const run = promisify(execFile);
const SERVER = fileURLToPath(new URL('../..', import.meta.url));
const PUBLIC_URL = 'http://beckon.test';

describe(`beckon setup on ${primaryKind}`, () => {
  // A data directory that does not exist yet: the CLI makes it.
  const dataDir = path.join(mkdtempSync(path.join(tmpdir(), 'beckon-cli-')), 'not', 'yet');
  const encryptionKey = randomBytes(32).toString('base64');
  const serverUrl = inject('postgresUrl');
  const databaseName = `beckon_cli_${randomBytes(6).toString('hex')}`;
  const databaseUrl = primaryKind === 'postgres' && serverUrl ? Object.assign(new URL(serverUrl), { pathname: `/${databaseName}` }).toString() : undefined;
  let database: DatabaseHandle | undefined;
  let t: TestApp | undefined;

  const beckon = async (...args: string[]) => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
      cwd: SERVER,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: dataDir, PUBLIC_URL, ENCRYPTION_KEY: encryptionKey, ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) },
      timeout: 60_000,
    });
    return stdout.trimEnd().split('\n');
  };

  const cli = async (...args: string[]) => {
    const lines: string[] = [];
    await runCli(args, (line) => lines.push(...line.split('\n')), { DATA_DIR: dataDir, PUBLIC_URL, ENCRYPTION_KEY: encryptionKey, ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) });
    return lines;
  };

  afterAll(async () => {
    await t?.app.close();
    await database?.close();
    rmSync(path.dirname(path.dirname(dataDir)), { recursive: true, force: true });
    if (databaseUrl && serverUrl) {
      const admin = new pg.Client({ connectionString: serverUrl });
      await admin.connect();
      await admin.query(`drop database if exists ${databaseName} with (force)`);
      await admin.end();
    }
  });

  it('creates the workspace and owner once, prints a fresh sign-in link last each time, and the link opens the admin API', async () => {
    if (databaseUrl && serverUrl) {
      const admin = new pg.Client({ connectionString: serverUrl });
      await admin.connect();
      await admin.query(`create database ${databaseName}`);
      await admin.end();
    }
    const first = await beckon('setup', '--workspace', 'Acme Research', '--owner-email', 'Owner@Acme.test');
    const second = await beckon('setup', '--workspace', 'Acme Research', '--owner-email', 'owner@acme.test');
    const link = /^http:\/\/beckon\.test\/v1\/auth\/sign-in\?token=[\w-]{43}$/;
    expect(first.at(-1)).toMatch(link);
    expect(second.at(-1)).toMatch(link);
    expect(second.at(-1)).not.toBe(first.at(-1));
    expect(first.join('\n')).toMatch(/Workspace "Acme Research" created/);
    expect(second.join('\n')).toMatch(/Workspace "Acme Research" already set up/);
    expect(second.join('\n')).toMatch(/Owner owner@acme.test already exists/);

    // The other commands, in this process (the same code the binary runs), to spare the machine three more processes.
    const members = await cli('members', '--workspace', 'Acme Research');
    expect(members).toHaveLength(2);
    expect(members[1]).toMatch(/^\s+owner\s+owner@acme\.test/);
    const again = await cli('sign-in-link', '--email', 'owner@acme.test');
    expect(again.at(-1)).toMatch(link);
    await expect(cli('sign-in-link', '--email', 'nobody@acme.test')).rejects.toThrow(/No account has the email/);

    // The server on the same database follows the first link.
    database = await openDatabase({ databaseUrl, dataDir });
    t = await buildTestApp(database, { publicUrl: PUBLIC_URL, encryptionKey: Buffer.from(encryptionKey, 'base64') });
    const followed = await t.app.inject({ url: first.at(-1)!.slice(PUBLIC_URL.length) });
    expect(followed.statusCode).toBe(303);
    const cookie = sessionCookieOf(followed)!;
    expect(cookie).toBeDefined();
    expect((await t.app.inject({ url: '/v1/admin/studies', headers: { cookie } })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/v1/admin/studies' })).statusCode).toBe(401);
    const session = (await t.app.inject({ url: '/v1/auth/session', headers: { cookie } })).json();
    expect(session).toMatchObject({ user: { email: 'owner@acme.test' }, workspace: { name: 'Acme Research', role: 'owner' } });
    expect(session.workspaces).toHaveLength(1);
    // Used once; the second run's link still works.
    expect((await t.app.inject({ url: first.at(-1)!.slice(PUBLIC_URL.length) })).statusCode).toBe(400);
    expect((await t.app.inject({ url: second.at(-1)!.slice(PUBLIC_URL.length) })).statusCode).toBe(303);
  }, 120_000);
});
