// A real CalDAV server for tests: Debian's Radicale, started on loopback with a temporary
// store and one htpasswd user, stopped (and restartable on the same port and store) by the test.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../../support/process.js';

export const RADICALE_BIN = '/usr/bin/radicale';
export const radicaleAvailable = existsSync(RADICALE_BIN);


export interface Radicale {
  url: string;
  username: string;
  password: string;
  /** Basic-auth headers for direct requests. */
  auth: Record<string, string>;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Stops the server and removes its store. */
  dispose(): Promise<void>;
  makeCalendar(name: string, displayName?: string): Promise<string>;
  put(calendarUrl: string, name: string, ics: string): Promise<void>;
  get(url: string): Promise<{ status: number; body: string }>;
  list(calendarUrl: string): Promise<string[]>;
}

export async function startRadicale(options: { username?: string; password?: string } = {}): Promise<Radicale> {
  const username = options.username ?? 'alice';
  const password = options.password ?? 'app-specific-secret';
  const dir = mkdtempSync(path.join(tmpdir(), 'beckon-radicale-'));
  const port = await freePort();
  writeFileSync(path.join(dir, 'users'), `${username}:${password}\n`);
  writeFileSync(
    path.join(dir, 'config'),
    [
      '[server]',
      `hosts = 127.0.0.1:${port}`,
      '[auth]',
      'type = htpasswd',
      `htpasswd_filename = ${path.join(dir, 'users')}`,
      'htpasswd_encryption = plain',
      'delay = 0',
      '[rights]',
      'type = owner_only',
      '[storage]',
      `filesystem_folder = ${path.join(dir, 'collections')}`,
      '[web]',
      'type = none',
      '[logging]',
      'level = error',
      '',
    ].join('\n'),
  );
  const url = `http://127.0.0.1:${port}`;
  const auth = { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` };
  let child: ChildProcess | undefined;

  async function waitUntilUp(): Promise<void> {
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      if (child?.exitCode !== null && child?.exitCode !== undefined) throw new Error(`radicale exited with ${child.exitCode}`);
      try {
        const response = await fetch(`${url}/`, { method: 'OPTIONS', signal: AbortSignal.timeout(1_000) });
        await response.arrayBuffer();
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    throw new Error('radicale did not start within 15 s');
  }

  const radicale: Radicale = {
    url,
    username,
    password,
    auth,
    async start() {
      if (child && child.exitCode === null) return;
      child = spawn(RADICALE_BIN, ['--config', path.join(dir, 'config')], { stdio: ['ignore', 'ignore', 'pipe'] });
      child.stderr?.resume();
      await waitUntilUp();
    },
    async stop() {
      const running = child;
      if (!running || running.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
      running.kill('SIGTERM');
      const timer = setTimeout(() => running.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
    async dispose() {
      await radicale.stop();
      rmSync(dir, { recursive: true, force: true });
    },
    async makeCalendar(name, displayName = name) {
      const calendarUrl = `${url}/${username}/${name}/`;
      const response = await fetch(calendarUrl, {
        method: 'MKCALENDAR',
        headers: { ...auth, 'content-type': 'application/xml' },
        body: `<?xml version="1.0" encoding="utf-8"?><C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop><D:displayname>${displayName}</D:displayname><C:supported-calendar-component-set><C:comp name="VEVENT"/></C:supported-calendar-component-set></D:prop></D:set></C:mkcalendar>`,
      });
      if (response.status !== 201) throw new Error(`MKCALENDAR ${calendarUrl}: ${response.status} ${await response.text()}`);
      return calendarUrl;
    },
    async put(calendarUrl, name, ics) {
      const response = await fetch(`${calendarUrl}${name}.ics`, { method: 'PUT', headers: { ...auth, 'content-type': 'text/calendar; charset=utf-8' }, body: ics.replace(/\r?\n/g, '\r\n') });
      if (response.status !== 201 && response.status !== 204) throw new Error(`PUT ${name}: ${response.status} ${await response.text()}`);
    },
    async get(target) {
      const response = await fetch(target, { headers: auth });
      return { status: response.status, body: await response.text() };
    },
    async list(calendarUrl) {
      const response = await fetch(calendarUrl, {
        method: 'PROPFIND',
        headers: { ...auth, depth: '1', 'content-type': 'application/xml' },
        body: '<?xml version="1.0"?><D:propfind xmlns:D="DAV:"><D:prop><D:getetag/></D:prop></D:propfind>',
      });
      const text = await response.text();
      return [...text.matchAll(/<(?:\w+:)?href>([^<]+\.ics)<\/(?:\w+:)?href>/gi)].map((match) => match[1]!);
    },
  };
  await radicale.start();
  return radicale;
}
