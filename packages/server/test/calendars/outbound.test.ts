// A CalDAV address typed in by a workspace admin cannot make the server connect into its own
// network (loopback, private ranges, cloud metadata) unless the operator allows it.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/client.js';
import { isNonPublicAddress, nonPublicAddressCause, publicOnlyFetch } from '../../src/security/outbound.js';
import { openTestDatabase } from '../support/database.js';
import { buildTestApp, type TestApp } from '../support/app.js';
import { createHost } from '../support/studies.js';

describe('isNonPublicAddress', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['10.1.2.3', true],
    ['172.16.0.1', true],
    ['172.31.255.255', true],
    ['192.168.1.1', true],
    ['169.254.169.254', true], // cloud metadata
    ['100.64.0.1', true],
    ['0.0.0.0', true],
    ['224.0.0.1', true],
    ['::1', true],
    ['::', true],
    ['[::1]', true],
    ['::ffff:127.0.0.1', true],
    ['::ffff:10.0.0.1', true],
    ['64:ff9b::7f00:1', true],
    ['fd12:3456::1', true],
    ['fe80::1', true],
    ['8.8.8.8', false],
    ['172.32.0.1', false],
    ['1.1.1.1', false],
    ['2606:4700:4700::1111', false],
    ['::ffff:8.8.8.8', false],
    ['example.com', false], // a name: checked after resolution, not here
  ])('%s → %s', (address, expected) => {
    expect(isNonPublicAddress(address)).toBe(expected);
  });
});

describe('connecting a CalDAV server on a private address', () => {
  let database: DatabaseHandle;
  let server: Server;
  let requests = 0;
  let port: number;
  const apps: TestApp[] = [];

  beforeAll(async () => {
    server = createServer((_req, res) => {
      requests++;
      res.writeHead(401, { 'www-authenticate': 'Basic realm="x"' }).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    database = await openTestDatabase('pglite');
  });
  afterAll(async () => {
    for (const t of apps) await t.app.close();
    await database?.close();
    server?.close();
  });

  const connect = async (allowPrivateNetworks: boolean, serverUrl: string) => {
    const t = await buildTestApp(database, { caldavAllowPrivateNetworks: allowPrivateNetworks });
    apps.push(t);
    const memberId = await createHost(t, { name: `Host ${apps.length}`, timeZone: 'Europe/Berlin' });
    return t.app.inject({ method: 'POST', url: `/v1/admin/members/${memberId}/calendars`, headers: t.auth, payload: { provider: 'caldav', serverUrl, username: 'maya', password: 'app-password' } });
  };

  it('is refused with a 422 naming the address, and no request reaches it, by IP or by name', async () => {
    for (const url of [`http://127.0.0.1:${port}/dav/`, `http://localhost:${port}/dav/`]) {
      const before = requests;
      const response = await connect(false, url);
      expect(response.statusCode, url).toBe(422);
      expect(response.json().error.code).toBe('calendar_unreachable');
      expect(response.json().error.message).toMatch(/(127\.0\.0\.1|localhost) is on a private or local network.*CALDAV_ALLOW_PRIVATE_NETWORKS/);
      expect(requests, url).toBe(before);
    }
  });

  it('reaches it when the operator allows private networks (so the refusal above is the guard, not the server)', async () => {
    const before = requests;
    const response = await connect(true, `http://127.0.0.1:${port}/dav/`);
    expect(response.statusCode).toBe(422);
    expect(response.json().error.code).toBe('calendar_auth_failed');
    expect(requests).toBeGreaterThan(before);
  });

  it('publicOnlyFetch fails with the reason as its cause', async () => {
    const error = await publicOnlyFetch(`http://127.0.0.1:${port}/`).catch((e: unknown) => e);
    expect(nonPublicAddressCause(error)?.host).toBe('127.0.0.1');
  });
});
