import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe('configuration', () => {
  it('needs nothing for the embedded default, and seeds and serves the demo there', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 3000, host: '127.0.0.1', databaseUrl: undefined, seedDemo: true, serveDemo: true, publicUrl: 'http://localhost:3000' });
  });

  it('reports every bad variable, one line each', () => {
    const problems = problemsOf({ PORT: 'eighty', DATABASE_URL: 'mysql://x', SMTP_URL: 'not a url', LOG_LEVEL: 'loud', SEED_DEMO: 'maybe', ENCRYPTION_KEY: 'c2hvcnQ=' });
    expect(problems).toHaveLength(6);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^PORT must be a whole number/),
        expect.stringMatching(/^DATABASE_URL must be a postgres: or postgresql: URL/),
        expect.stringMatching(/^SMTP_URL is not a valid URL/),
        expect.stringMatching(/^LOG_LEVEL must be one of/),
        expect.stringMatching(/^SEED_DEMO must be true or false/),
        expect.stringMatching(/^ENCRYPTION_KEY must be 32 bytes/),
      ]),
    );
  });

  it('requires an encryption key in production, and no demo by default there', () => {
    expect(problemsOf({ NODE_ENV: 'production', DATABASE_URL: 'postgres://db/beckon' })).toEqual([expect.stringMatching(/^ENCRYPTION_KEY is required when NODE_ENV=production/)]);
    const config = loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://db/beckon', ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64') });
    expect(config.encryptionKey).toHaveLength(32);
    expect(config.seedDemo).toBe(false);
    expect(config.serveDemo).toBe(false);
  });

  it('lets a developer point the quick start at a PostgreSQL server with nothing else set', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/beckon' });
    expect(config).toMatchObject({ databaseUrl: 'postgres://postgres@127.0.0.1:5432/beckon', encryptionKey: undefined, seedDemo: true, serveDemo: true });
  });

  it('takes a Microsoft app registration as a pair; Microsoft’s global cloud and every account type by default', () => {
    expect(loadConfig({})).toMatchObject({
      microsoft: undefined,
      microsoftEndpoints: { tenant: 'common', authorityUrl: 'https://login.microsoftonline.com', graphUrl: 'https://graph.microsoft.com/v1.0' },
      microsoftInviteAttendees: true,
    });
    const config = loadConfig({ MICROSOFT_CLIENT_ID: 'app-id', MICROSOFT_CLIENT_SECRET: 'secret', MICROSOFT_TENANT: 'acme.onmicrosoft.com', MICROSOFT_GRAPH_URL: 'https://graph.microsoft.us/v1.0/', MICROSOFT_INVITE_ATTENDEES: 'false' });
    expect(config).toMatchObject({
      microsoft: { clientId: 'app-id', clientSecret: 'secret' },
      microsoftEndpoints: { tenant: 'acme.onmicrosoft.com', graphUrl: 'https://graph.microsoft.us/v1.0' },
      microsoftInviteAttendees: false,
    });
    expect(problemsOf({ MICROSOFT_CLIENT_ID: 'app-id', MICROSOFT_TENANT: 'a/b', MICROSOFT_AUTHORITY_URL: 'ftp://login' })).toEqual([
      expect.stringMatching(/^MICROSOFT_CLIENT_ID and MICROSOFT_CLIENT_SECRET go together/),
      expect.stringMatching(/^MICROSOFT_TENANT must be/),
      expect.stringMatching(/^MICROSOFT_AUTHORITY_URL must be a https: or http: URL/),
    ]);
  });
});
