// Issue 5's figure: the slots response time for a live study with 5 hosts whose calendars each
// hold 300 events over the next 30 days, once on CalDAV (a real Radicale on loopback, read with
// tsdav) and once on Google (the local Calendar v3/OAuth emulation, read through googleapis).
// Cold: the calendar service's busy-time cache is empty (service.forget for every host), so every
// host's calendar is read; warm: the same request again within the cache's lifetime (the
// production default, 60 s). Both after an untimed warm-up of the process; the very first
// request of the fresh process is reported beside them.
// Embedded PGlite in memory; everything (app, Radicale, emulator) is stopped afterwards.
import { randomBytes } from 'node:crypto';
import { buildApp } from '../packages/server/src/app.js';
import { connectCalDav, connectGoogleOAuth } from '../packages/server/src/calendars/connections.js';
import { createCalendarService, type CalendarService, type CalendarServiceOptions } from '../packages/server/src/calendars/service.js';
import { loadConfig } from '../packages/server/src/config.js';
import { openDatabase, type DatabaseHandle } from '../packages/server/src/db/client.js';
import { SecretBox } from '../packages/server/src/security/secrets.js';
import { createMember, replaceAvailability } from '../packages/server/src/services/members.js';
import { createWorkspace } from '../packages/server/src/services/seed.js';
import { createStudy } from '../packages/server/src/services/studies.js';
import { startGoogleEmulator, type GoogleEmulator } from '../packages/server/test/calendars/support/google-emulator.js';
import { calendar, vevent } from '../packages/server/test/calendars/support/ics.js';
import { addDays, instantOf } from '../packages/server/test/support/studies.js';
import { radicaleAvailable, startRadicale, type Radicale } from '../packages/server/test/calendars/support/radicale.js';
import type { Benchmark } from './run.js';

const ZONE = 'Europe/Berlin';
const HOSTS = 5;
const EVENTS_PER_HOST = 300;
const DAYS = 30;
const WARM_RUNS = 10;
const COLD_ROUNDS = 5;
const PUT_CONCURRENCY = 8;

interface BusyEvent {
  date: string; // local date in ZONE
  start: string; // HH:MM local
  end: string;
}

/** 300 events per host over the next 30 days, 09:00–17:00 Berlin, 30–90 minutes, deterministic. */
function eventsFor(host: number): BusyEvent[] {
  let seed = 7919 * (host + 1);
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE }).format(new Date()); // YYYY-MM-DD
  return Array.from({ length: EVENTS_PER_HOST }, () => {
    const date = addDays(today, 1 + Math.floor(random() * DAYS));
    const minutes = 30 + Math.floor(random() * 5) * 15; // 30, 45, 60, 75 or 90
    const startMinute = 9 * 60 + Math.floor((random() * (8 * 60 - minutes)) / 15) * 15; // ends by 17:00
    const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
    return { date, start: hhmm(startMinute), end: hhmm(startMinute + minutes) };
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function inBatches<T>(items: T[], concurrency: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const i = next++;
        await work(items[i]!, i);
      }
    }),
  );
}

interface Provider {
  label: string;
  /** Options for the calendar service (e.g. the Google root URL). */
  serviceOptions: Partial<CalendarServiceOptions>;
  /** Fills host i's calendar and connects it. */
  connect(service: CalendarService, host: { index: number; id: string; email: string }, events: BusyEvent[]): Promise<void>;
  stop(): Promise<void>;
}

async function caldavProvider(): Promise<Provider> {
  const radicale: Radicale = await startRadicale({ username: 'bench', password: 'bench-secret' });
  return {
    label: 'caldav (Radicale)',
    serviceOptions: {},
    async connect(service, host, events) {
      const url = await radicale.makeCalendar(`host${host.index}`, `Host ${host.index}`);
      await inBatches(events, PUT_CONCURRENCY, (event, i) => radicale.put(url, `e${i}`, calendar(vevent({ uid: `bench-${host.index}-${i}`, ...event }))));
      // One account with a calendar per host; each host checks (and writes to) only theirs.
      await connectCalDav(service, host, { serverUrl: radicale.url, username: radicale.username, password: radicale.password, busyCalendarUrls: [url], writeCalendarUrl: url });
    },
    stop: () => radicale.dispose(),
  };
}

async function googleProvider(): Promise<Provider> {
  const google: GoogleEmulator = await startGoogleEmulator();
  return {
    label: 'google (emulation)',
    serviceOptions: { googleRootUrl: google.rootUrl, googleTokenUrl: google.tokenUrl, oauth: { ...google.client, redirectUri: 'http://bench.test/v1/calendars/google/callback' } },
    async connect(service, host, events) {
      const { events: stored } = google.calendar(host.email);
      events.forEach((event, i) => {
        const id = `bench${host.index}x${i}`;
        stored.set(id, { id, status: 'confirmed', summary: id, start: { dateTime: instantOf(event.date, event.start, ZONE) }, end: { dateTime: instantOf(event.date, event.end, ZONE) }, sequence: 0 });
      });
      await connectGoogleOAuth(service, host, { refreshToken: google.grant(host.email), email: host.email });
    },
    stop: () => google.close(),
  };
}

async function measure(makeProvider: () => Promise<Provider>): Promise<string> {
  const provider = await makeProvider();
  let database: DatabaseHandle | undefined;
  let app: Awaited<ReturnType<typeof buildApp>> | undefined;
  try {
    database = await openDatabase({ databaseUrl: undefined, dataDir: '', inMemory: true });
    await database.migrate();
    const key = randomBytes(32);
    const config = { ...loadConfig({ LOG_LEVEL: 'warn', PUBLIC_URL: 'http://bench.test' }), encryptionKey: key, runWorker: false, seedDemo: false, serveDemo: false, publicRateLimit: 100_000 };
    const service = createCalendarService({
      db: database.db,
      secretBox: new SecretBox(key),
      fetchTimeoutMs: config.calendarTimeoutMs,
      caldavAllowPrivateNetworks: config.caldavAllowPrivateNetworks, // Radicale runs on loopback
      publicUrl: config.publicUrl,
      ...provider.serviceOptions,
    });
    app = await buildApp({ config, database, calendarService: service });
    const workspace = await createWorkspace(database.db, app.secretBox, { name: 'Bench', allowedOrigins: [] });

    const setupStarted = performance.now();
    const hostIds: string[] = [];
    for (let index = 0; index < HOSTS; index++) {
      const email = `host${index}@bench.test`;
      const member = await createMember(database.db, workspace.workspaceId, { email, name: `Host ${index}`, timeZone: ZONE });
      await replaceAvailability(database.db, workspace.workspaceId, member.id, {
        timeZone: ZONE,
        weekly: ([1, 2, 3, 4, 5] as const).map((weekday) => ({ weekday, start: '09:00', end: '17:00' })),
        overrides: [],
        bufferBeforeMinutes: 0,
        bufferAfterMinutes: 10,
        minimumNoticeMinutes: 60,
        bookingWindowDays: DAYS,
        maxPerDay: null,
        maxPerWeek: null,
      });
      await provider.connect(service, { index, id: member.id, email }, eventsFor(index));
      hostIds.push(member.id);
    }
    const setupSeconds = (performance.now() - setupStarted) / 1000;
    const study = await createStudy(
      database.db,
      workspace.workspaceId,
      { name: 'Bench', status: 'live', intercept: { title: 't', body: 'b' }, hostIds, assignmentMode: 'round_robin', bookingWindowDays: DAYS, minimumNoticeMinutes: 60, slotStepMinutes: 15, durationMinutes: 30 },
      'http://bench.test',
    );
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    const endpoint = `${address}/v1/w/${workspace.publicKey}/studies/${study.id}/slots?tz=${encodeURIComponent(ZONE)}`;

    const slotsRequest = async (): Promise<{ ms: number; slots: number }> => {
      const started = performance.now();
      const response = await fetch(endpoint);
      const body = (await response.json()) as { slots?: unknown[]; hostsLeftOut?: { hostId: string; reason: string }[] };
      const ms = performance.now() - started;
      if (response.status !== 200) throw new Error(`slots: ${response.status} ${JSON.stringify(body)}`);
      if (body.hostsLeftOut?.length) throw new Error(`slots: hosts left out ${JSON.stringify(body.hostsLeftOut)}`);
      return { ms, slots: body.slots?.length ?? 0 };
    };
    const forgetAll = () => hostIds.forEach((id) => service.forget(id));

    // Connecting probed the calendars, but busy time for the window is not cached yet: the very
    // first request pays for that and for a fresh process (JIT, the server's own first read).
    forgetAll();
    const first = await slotsRequest();
    // Warm the process up untimed, so cold and warm differ only by the calendar reads.
    for (let round = 0; round < 2; round++) {
      forgetAll();
      for (let i = 0; i < 4; i++) await slotsRequest();
    }
    const cold: number[] = [];
    const warm: number[] = [];
    let slots = first.slots;
    for (let round = 0; round < COLD_ROUNDS; round++) {
      forgetAll();
      const result = await slotsRequest();
      cold.push(result.ms);
      slots = result.slots;
      if (round === 0) for (let i = 0; i < WARM_RUNS; i++) warm.push((await slotsRequest()).ms);
    }
    return (
      `${provider.label}: ${HOSTS} hosts × ${EVENTS_PER_HOST} events: cold ${median(cold).toFixed(0)} ms, warm median ${median(warm).toFixed(0)} ms, ${slots} slots` +
      ` (cold = median of ${COLD_ROUNDS} with the cache emptied, best ${Math.min(...cold).toFixed(0)}; first request in the fresh process ${first.ms.toFixed(0)} ms; setup ${setupSeconds.toFixed(1)} s)`
    );
  } finally {
    await app?.close();
    await database?.close();
    await provider.stop();
  }
}

export const calendarSlots: Benchmark = {
  name: `calendars: slots for ${HOSTS} hosts × ${EVENTS_PER_HOST} events over ${DAYS} days, cold and warm`,
  async run() {
    const lines = [`embedded PGlite in memory; GET /v1/w/{key}/studies/{id}/slots?tz=${ZONE} over the default ${DAYS}-day window, 30-minute slots every 15 minutes, round robin; loopback only`];
    if (radicaleAvailable) lines.push(await measure(caldavProvider));
    else lines.push('caldav (Radicale): skipped, radicale not installed at /usr/bin/radicale (apt-get install radicale)');
    lines.push(await measure(googleProvider));
    return lines;
  },
};
