// docker-compose.yml cannot be run here (no Docker engine), so it is read against the server's
// configuration: every variable production requires is set, and the wiring points at the
// services the file defines.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig, REQUIRED_IN_PRODUCTION } from '../src/config.js';

const root = new URL('../../../', import.meta.url);
const compose = parse(readFileSync(new URL('docker-compose.yml', root), 'utf8')) as {
  services: Record<string, { image?: string; build?: unknown; environment?: Record<string, string>; ports?: string[]; expose?: string[]; volumes?: string[]; depends_on?: Record<string, unknown> | string[] }>;
};

/** Compose's `${VAR:-default}` and `${VAR:?message}` as an operator's shell would resolve them. */
function interpolate(value: string, shell: Record<string, string>): string {
  return value.replace(/\$\{(\w+)(?::([-?])([^}]*))?\}/g, (_match, name: string, kind: string | undefined, rest: string) => {
    if (shell[name]) return shell[name]!;
    if (kind === '-') return rest;
    throw new Error(`compose would stop: ${rest || name}`);
  });
}

describe('docker-compose.yml', () => {
  const server = compose.services.server!;
  const environment = server.environment ?? {};

  it('runs PostgreSQL 16, Mailpit and the server built from the Dockerfile', () => {
    expect(compose.services.postgres?.image).toMatch(/^postgres:16/);
    expect(compose.services.mailpit?.image).toMatch(/^axllent\/mailpit/);
    expect(server.build).toBe('.');
    expect(readFileSync(new URL('Dockerfile', root), 'utf8')).toMatch(/CMD \["node", "dist\/main.js"\]/);
    expect(Object.keys(server.depends_on ?? {})).toEqual(expect.arrayContaining(['postgres', 'mailpit']));
  });

  it('sets every variable the server requires in production', () => {
    for (const name of REQUIRED_IN_PRODUCTION) expect(environment, name).toHaveProperty([name]);
  });

  it('gives a configuration the server accepts, wired to the compose services', () => {
    const shell = { ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64') };
    const env = Object.fromEntries(Object.entries(environment).map(([key, value]) => [key, interpolate(String(value), shell)]));
    const config = loadConfig(env);
    expect(new URL(config.databaseUrl!).hostname).toBe('postgres');
    expect(new URL(config.smtpUrl!).host).toBe('mailpit:1025');
    expect(config.host).toBe('0.0.0.0');
    // Scalable: the replicas publish no port (three would collide); the proxy publishes it.
    expect(server.ports).toBeUndefined();
    expect(server.expose).toContain(String(config.port));
    expect(compose.services.proxy?.ports).toContain(`${config.port}:${config.port}`);
    expect(config.trustProxy).toBe(true);
    const postgres = compose.services.postgres!.environment!;
    expect(new URL(config.databaseUrl!).username).toBe(postgres.POSTGRES_USER);
    expect(new URL(config.databaseUrl!).pathname).toBe(`/${postgres.POSTGRES_DB}`);
  });

  it('refuses to start without an encryption key rather than inventing one', () => {
    expect(() => interpolate(environment.ENCRYPTION_KEY!, {})).toThrow(/set ENCRYPTION_KEY/);
  });

  it('puts a reverse proxy in front that finds every replica of the server', () => {
    const proxy = compose.services.proxy!;
    expect(proxy.image).toMatch(/^caddy:2/);
    const mount = proxy.volumes?.find((volume) => volume.endsWith(':/etc/caddy/Caddyfile:ro'));
    expect(mount).toBeDefined();
    const caddyfile = readFileSync(new URL(mount!.split(':')[0]!.replace(/^\.\//, ''), root), 'utf8');
    const port = String(compose.services.server!.environment!.PORT);
    // Docker's DNS answers the service name with every replica; the proxy re-reads it.
    expect(caddyfile).toMatch(new RegExp(`dynamic a \\{[^}]*name server[^}]*port ${port}`, 's'));
    expect(caddyfile).toContain(`:${port} {`);
  });

  // The real Caddy (Debian's package, installed by CI) reads the file as the image would.
  it.skipIf(!existsSync('/usr/bin/caddy') && !process.env.BECKON_REQUIRE_SERVICES)('has a Caddyfile that Caddy accepts', () => {
    const adapted = JSON.parse(execFileSync('caddy', ['adapt', '--config', fileURLToPath(new URL('deploy/Caddyfile', root)), '--adapter', 'caddyfile'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })) as {
      apps: { http: { servers: Record<string, { listen: string[]; routes: { handle: { handler: string; dynamic_upstreams?: { source: string; name: string; port: string } }[] }[] }> } };
    };
    const [server] = Object.values(adapted.apps.http.servers);
    expect(server!.listen).toEqual([':3000']);
    const proxy = server!.routes.flatMap((route) => route.handle).find((handle) => handle.handler === 'reverse_proxy');
    expect(proxy?.dynamic_upstreams).toMatchObject({ source: 'a', name: 'server', port: '3000' });
  });
});
