// Environment → typed configuration, checked once at start. Every problem is reported, one
// line per variable, so an operator fixes them all in one go.
import path from 'node:path';

export interface Config {
  host: string;
  port: number;
  /** Base URL people reach this server at; used in emails and printed links. */
  publicUrl: string;
  /** PostgreSQL connection string; when absent the embedded PGlite database is used. */
  databaseUrl: string | undefined;
  /** Where the embedded database and development files live. */
  dataDir: string;
  /** 32-byte key for AES-256-GCM encryption of secrets at rest; required in production, generated in dataDir in development. */
  encryptionKey: Buffer | undefined;
  /** SMTP connection URL; when absent, mail goes to the development outbox. */
  smtpUrl: string | undefined;
  mailFrom: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Seed a demo workspace on an empty database. */
  seedDemo: boolean;
  /** Serve the demo product site under /demo. */
  serveDemo: boolean;
  trustProxy: boolean;
  bodyLimitBytes: number;
  /** Requests per minute per IP on public routes. */
  publicRateLimit: number;
  /** Run the background job worker in this process. */
  runWorker: boolean;
  /** The PM's own Google OAuth client, for per-interviewer Google Calendar connections. */
  google: { clientId: string; clientSecret: string } | undefined;
  /**
   * The deployment's Zoom app (a user-level OAuth app on the Zoom Marketplace), for a Zoom meeting
   * per interview; its redirect URL is {PUBLIC_URL}/v1/zoom/callback. The URLs are Zoom's unless set.
   */
  zoom: { clientId: string; clientSecret: string; oauthUrl: string; apiUrl: string } | undefined;
  /** Whether Google emails attendees about interview events. */
  googleSendUpdates: 'all' | 'externalOnly' | 'none';
  /** The PM's own Microsoft Entra app registration, for per-interviewer Microsoft 365 and Outlook calendars. */
  microsoft: { clientId: string; clientSecret: string } | undefined;
  /** Which accounts may sign in (`common`, `organizations`, a tenant id or domain), the identity platform's host and Microsoft Graph's root. */
  microsoftEndpoints: { tenant: string; authorityUrl: string; graphUrl: string };
  /** Whether the participant is an attendee of the Outlook event (Outlook then emails them its invite, updates and cancellation). */
  microsoftInviteAttendees: boolean;
  /** Incentive payouts through Tremendous, for studies whose incentive says so. */
  tremendous: { apiKey: string; apiUrl: string; fundingSourceId: string; campaignId: string | undefined } | undefined;
  /** Where each Tremendous environment a workspace may choose is reached (workspaces enter their own keys). */
  tremendousApiUrls: { sandbox: string; production: string };
  /** Deadline for every call to a calendar server. */
  calendarTimeoutMs: number;
  /** Whether CalDAV servers on loopback or private networks may be reached (off in production by default). */
  caldavAllowPrivateNetworks: boolean;
  /** Whether webhook endpoints on loopback or private networks may be reached (off in production by default). */
  webhooksAllowPrivateNetworks: boolean;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === '' ? undefined : value;
  };

  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return value;
  };

  const flag = (name: string, fallback: boolean): boolean => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
    if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
    problems.push(`${name} must be true or false, got "${raw}"`);
    return fallback;
  };

  const url = (name: string, protocols: string[]): string | undefined => {
    const raw = read(name);
    if (raw === undefined) return undefined;
    try {
      const parsed = new URL(raw);
      if (!protocols.includes(parsed.protocol)) {
        problems.push(`${name} must be a ${protocols.join(' or ')} URL, got protocol "${parsed.protocol}"`);
        return undefined;
      }
      return raw;
    } catch {
      problems.push(`${name} is not a valid URL`);
      return undefined;
    }
  };

  const production = read('NODE_ENV') === 'production';
  const port = integer('PORT', 3000, 0, 65535);
  const host = read('HOST') ?? '127.0.0.1';
  const databaseUrl = url('DATABASE_URL', ['postgres:', 'postgresql:']);
  const smtpUrl = url('SMTP_URL', ['smtp:', 'smtps:']);
  const publicUrl = (url('PUBLIC_URL', ['http:', 'https:']) ?? `http://localhost:${port}`).replace(/\/+$/, '');

  let encryptionKey: Buffer | undefined;
  const rawKey = read('ENCRYPTION_KEY');
  if (rawKey !== undefined) {
    const decoded = Buffer.from(rawKey, 'base64');
    if (decoded.length !== 32) {
      problems.push('ENCRYPTION_KEY must be 32 bytes, base64-encoded (generate one with: openssl rand -base64 32)');
    } else {
      encryptionKey = decoded;
    }
  } else if (production) {
    // A production database outlives any one machine's data directory, so its key must be explicit.
    problems.push('ENCRYPTION_KEY is required when NODE_ENV=production (generate one with: openssl rand -base64 32)');
  }

  const rawLevel = read('LOG_LEVEL') ?? 'info';
  const logLevel = (LOG_LEVELS as readonly string[]).includes(rawLevel) ? (rawLevel as Config['logLevel']) : 'info';
  if (logLevel !== rawLevel) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${rawLevel}"`);

  const googleClientId = read('GOOGLE_CLIENT_ID');
  const googleClientSecret = read('GOOGLE_CLIENT_SECRET');
  if ((googleClientId === undefined) !== (googleClientSecret === undefined)) {
    problems.push('GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET go together: set both or neither');
  }
  const sendUpdates = read('GOOGLE_SEND_UPDATES') ?? 'all';
  if (!['all', 'externalOnly', 'none'].includes(sendUpdates)) problems.push(`GOOGLE_SEND_UPDATES must be all, externalOnly or none, got "${sendUpdates}"`);

  const microsoftClientId = read('MICROSOFT_CLIENT_ID');
  const microsoftClientSecret = read('MICROSOFT_CLIENT_SECRET');
  if ((microsoftClientId === undefined) !== (microsoftClientSecret === undefined)) {
    problems.push('MICROSOFT_CLIENT_ID and MICROSOFT_CLIENT_SECRET go together: set both or neither');
  }
  const microsoftTenant = read('MICROSOFT_TENANT') ?? 'common';
  if (!/^[A-Za-z0-9.-]{1,100}$/.test(microsoftTenant)) problems.push(`MICROSOFT_TENANT must be common, organizations, consumers, a tenant id or a domain, got "${microsoftTenant}"`);
  // Other clouds (US Government, China) have their own hosts; Microsoft's global cloud by default.
  const microsoftAuthorityUrl = url('MICROSOFT_AUTHORITY_URL', ['https:', 'http:']) ?? 'https://login.microsoftonline.com';
  const microsoftGraphUrl = url('MICROSOFT_GRAPH_URL', ['https:', 'http:']) ?? 'https://graph.microsoft.com/v1.0';
  const zoomClientId = read('ZOOM_CLIENT_ID');
  const zoomClientSecret = read('ZOOM_CLIENT_SECRET');
  if ((zoomClientId === undefined) !== (zoomClientSecret === undefined)) problems.push('ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET go together: set both or neither');
  const zoomOAuthUrl = (url('ZOOM_OAUTH_URL', ['https:', 'http:']) ?? 'https://zoom.us').replace(/\/+$/, '');
  const zoomApiUrl = (url('ZOOM_API_URL', ['https:', 'http:']) ?? 'https://api.zoom.us/v2').replace(/\/+$/, '');

  const tremendousKey = read('TREMENDOUS_API_KEY');
  const tremendousUrl = url('TREMENDOUS_API_URL', ['https:', 'http:']) ?? 'https://api.tremendous.com/api/v2';
  const tremendousSandboxUrl = url('TREMENDOUS_SANDBOX_API_URL', ['https:', 'http:']) ?? 'https://testflight.tremendous.com/api/v2';

  const config: Config = {
    host,
    port,
    publicUrl,
    databaseUrl,
    dataDir: path.resolve(read('DATA_DIR') ?? '.data'),
    encryptionKey,
    smtpUrl,
    mailFrom: read('MAIL_FROM') ?? 'Beckon <research@beckon.localhost>',
    logLevel,
    // Development gets the demo (seeded only into an empty database); production never by default.
    seedDemo: flag('SEED_DEMO', !production),
    serveDemo: flag('SERVE_DEMO', !production),
    trustProxy: flag('TRUST_PROXY', false),
    bodyLimitBytes: integer('BODY_LIMIT_BYTES', 64 * 1024, 1024, 10 * 1024 * 1024),
    publicRateLimit: integer('PUBLIC_RATE_LIMIT', 120, 1, 100_000),
    runWorker: flag('RUN_WORKER', true),
    google: googleClientId && googleClientSecret ? { clientId: googleClientId, clientSecret: googleClientSecret } : undefined,
    googleSendUpdates: sendUpdates as Config['googleSendUpdates'],
    microsoft: microsoftClientId && microsoftClientSecret ? { clientId: microsoftClientId, clientSecret: microsoftClientSecret } : undefined,
    microsoftEndpoints: { tenant: microsoftTenant, authorityUrl: microsoftAuthorityUrl.replace(/\/+$/, ''), graphUrl: microsoftGraphUrl.replace(/\/+$/, '') },
    microsoftInviteAttendees: flag('MICROSOFT_INVITE_ATTENDEES', true),
    zoom: zoomClientId && zoomClientSecret ? { clientId: zoomClientId, clientSecret: zoomClientSecret, oauthUrl: zoomOAuthUrl, apiUrl: zoomApiUrl } : undefined,
    tremendous: tremendousKey
      ? { apiKey: tremendousKey, apiUrl: tremendousUrl.replace(/\/+$/, ''), fundingSourceId: read('TREMENDOUS_FUNDING_SOURCE_ID') ?? 'balance', campaignId: read('TREMENDOUS_CAMPAIGN_ID') }
      : undefined,
    tremendousApiUrls: { sandbox: tremendousSandboxUrl.replace(/\/+$/, ''), production: tremendousUrl.replace(/\/+$/, '') },
    calendarTimeoutMs: integer('CALENDAR_TIMEOUT_MS', 8_000, 500, 60_000),
    // An admin-supplied URL must not reach the server's own network; a self-hosted Radicale or
    // Nextcloud beside Beckon needs this on. Development (a local Radicale) has it on.
    caldavAllowPrivateNetworks: flag('CALDAV_ALLOW_PRIVATE_NETWORKS', !production),
    // The same guard for webhook endpoints: a receiver on this machine is for development.
    webhooksAllowPrivateNetworks: flag('WEBHOOKS_ALLOW_PRIVATE_NETWORKS', !production),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** Variables a production deployment (one with DATABASE_URL) must set; docker-compose is checked against this. */
export const REQUIRED_IN_PRODUCTION = ['NODE_ENV', 'DATABASE_URL', 'ENCRYPTION_KEY', 'PUBLIC_URL', 'SMTP_URL', 'HOST'] as const;
