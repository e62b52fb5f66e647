// The bookings benchmark's server, in a process of its own so the load generator's work is not
// counted as the server's: a study with five interviewers free around the clock on the database
// named by BENCH_DATABASE, listening on loopback. Prints one JSON line with what the client
// needs, and closes on SIGTERM.
import { randomBytes } from 'node:crypto';
import { buildApp } from '../packages/server/src/app.js';
import { loadConfig } from '../packages/server/src/config.js';
import { openDatabase } from '../packages/server/src/db/client.js';
import { createWorkspace } from '../packages/server/src/services/seed.js';
import { createMember, replaceAvailability } from '../packages/server/src/services/members.js';
import { createStudy } from '../packages/server/src/services/studies.js';

const ZONES = ['America/New_York', 'Europe/Berlin', 'Asia/Kolkata', 'Australia/Sydney', 'America/Los_Angeles'];
const DAY = 86_400_000;

export interface BookingServer {
  url: string;
  studyId: string;
  publicKey: string;
  /** 1,000 consecutive half-hour slots, all free. */
  starts: string[];
}

const database = await openDatabase({ databaseUrl: process.env.BENCH_DATABASE!, dataDir: '', poolSize: 10 });
await database.migrate();
const config = { ...loadConfig({ LOG_LEVEL: 'warn', PUBLIC_URL: 'http://bench.test' }), encryptionKey: randomBytes(32), runWorker: false, seedDemo: false, serveDemo: false, publicRateLimit: 100_000 };
const app = await buildApp({ config, database });
const workspace = await createWorkspace(database.db, app.secretBox, { name: 'Bench', allowedOrigins: [] });
const hostIds: string[] = [];
for (const [i, timeZone] of ZONES.entries()) {
  const member = await createMember(database.db, workspace.workspaceId, { email: `host${i}@bench.test`, name: `Host ${i}`, timeZone });
  await replaceAvailability(database.db, workspace.workspaceId, member.id, {
    timeZone: 'UTC',
    weekly: ([1, 2, 3, 4, 5, 6, 7] as const).map((weekday) => ({ weekday, start: '00:00', end: '24:00' })),
    overrides: [],
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 0,
    minimumNoticeMinutes: 0,
    bookingWindowDays: 60,
    maxPerDay: null,
    maxPerWeek: null,
  });
  hostIds.push(member.id);
}
const study = await createStudy(database.db, workspace.workspaceId, { name: 'Bench', status: 'live', intercept: { title: 't', body: 'b' }, hostIds, minimumNoticeMinutes: 0, bookingWindowDays: 60, slotStepMinutes: 30, durationMinutes: 30 }, 'http://bench.test');
const first = Math.ceil((Date.now() + 2 * DAY) / DAY) * DAY;
const starts = Array.from({ length: 1000 }, (_, i) => new Date(first + i * 30 * 60_000).toISOString());
const url = await app.listen({ host: '127.0.0.1', port: 0 });
const ready: BookingServer = { url, studyId: study.id, publicKey: workspace.publicKey, starts };
console.log(JSON.stringify(ready));

process.once('SIGTERM', () => {
  void app.close().then(() => database.close()).then(() => process.exit(0));
});
