// Issue 3's figures: slot computation at scale (pure), bookings per second on the PostgreSQL
// server for distinct slots, and the race for one slot (winners, p99 latency).
import { randomBytes } from 'node:crypto';
import { computeFreeSlots, type FreeSlotsInput, type HostAvailability } from '../packages/shared/src/schedule/index.js';
import { buildApp } from '../packages/server/src/app.js';
import { loadConfig } from '../packages/server/src/config.js';
import { openDatabase } from '../packages/server/src/db/client.js';
import { createWorkspace } from '../packages/server/src/services/seed.js';
import { createMember, replaceAvailability } from '../packages/server/src/services/members.js';
import { createStudy } from '../packages/server/src/services/studies.js';
import type { Benchmark } from './run.js';
import { withScratchDatabase } from './scratch-database.js';

const ZONES = ['America/New_York', 'Europe/Berlin', 'Asia/Kolkata', 'Australia/Sydney', 'America/Los_Angeles'];
const DAY = 86_400_000;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))]!;

function slotInput(): FreeSlotsInput {
  const now = new Date('2026-03-02T00:00:00Z');
  const hosts: HostAvailability[] = ZONES.flatMap((timeZone, z) =>
    [0, 1].map((i) => ({
      hostId: `host-${z}-${i}`,
      timeZone,
      weekly: ([1, 2, 3, 4, 5] as const).map((weekday) => ({ weekday, start: '09:00', end: '17:00' })),
      overrides: [],
      bufferBeforeMinutes: 5,
      bufferAfterMinutes: 10,
      minimumNoticeMinutes: 240,
      bookingWindowDays: 60,
      maxPerDay: 4,
      maxPerWeek: 12,
    })),
  );
  // 500 busy intervals per host spread over the 60 days, 30–90 minutes each, deterministic.
  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const busy = Object.fromEntries(
    hosts.map((host) => [
      host.hostId,
      Array.from({ length: 500 }, () => {
        const start = now.getTime() + Math.floor(random() * 60 * DAY / 900_000) * 900_000;
        return { start: new Date(start), end: new Date(start + (30 + Math.floor(random() * 4) * 15) * 60_000) };
      }),
    ]),
  );
  return { hosts, busy, bookings: [], range: { from: now, to: new Date(now.getTime() + 60 * DAY) }, now, durationMinutes: 20, slotStepMinutes: 15, assignment: 'round_robin' };
}

export const slotComputation: Benchmark = {
  name: 'slots: 10 hosts × 60 days × 500 busy intervals each',
  async run() {
    const input = slotInput();
    computeFreeSlots(input); // warm up
    const times: number[] = [];
    let count = 0;
    for (let i = 0; i < 9; i++) {
      const started = performance.now();
      count = computeFreeSlots(input).length;
      times.push(performance.now() - started);
    }
    return [`${count} free slots; median ${median(times).toFixed(0)} ms, best ${Math.min(...times).toFixed(0)} ms over ${times.length} runs`];
  },
};

function withBookingApp<T>(run: (ctx: { url: string; studyId: string; publicKey: string; starts: string[] }) => Promise<T>): Promise<T> {
  return withScratchDatabase((databaseUrl) => bookingApp(databaseUrl, run));
}

async function bookingApp<T>(databaseUrl: string, run: (ctx: { url: string; studyId: string; publicKey: string; starts: string[] }) => Promise<T>): Promise<T> {
  const database = await openDatabase({ databaseUrl, dataDir: '', poolSize: 10 });
  await database.migrate();
  const config = { ...loadConfig({ LOG_LEVEL: 'warn', PUBLIC_URL: 'http://bench.test' }), encryptionKey: randomBytes(32), runWorker: false, seedDemo: false, serveDemo: false, publicRateLimit: 100_000 };
  const app = await buildApp({ config, database });
  try {
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
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    return await run({ url: address, studyId: study.id, publicKey: workspace.publicKey, starts });
  } finally {
    await app.close();
    await database.close();
  }
}

async function post(url: string, body: unknown): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  await response.arrayBuffer();
  return { status: response.status, ms: performance.now() - started };
}

const person = (i: number) => ({ email: `p${i}@bench.test`, name: `P ${i}`, timeZone: 'Europe/Berlin' });

export const bookingThroughput: Benchmark = {
  name: 'bookings on the PostgreSQL server',
  async run() {
    return withBookingApp(async ({ url, studyId, publicKey, starts }) => {
      const endpoint = `${url}/v1/w/${publicKey}/studies/${studyId}/bookings`;
      // Distinct slots, 8 clients at a time.
      const total = 200;
      let next = 0;
      const statuses: number[] = [];
      const started = performance.now();
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          while (next < total) {
            const i = next++;
            statuses.push((await post(endpoint, { start: starts[i], participant: person(i), consent: true })).status);
          }
        }),
      );
      const seconds = (performance.now() - started) / 1000;
      const created = statuses.filter((status) => status === 201).length;

      // Races: N requests at once for one slot with 5 free hosts (a fresh slot per race).
      const race = async (size: number, startIndex: number) => {
        const answers = await Promise.all(Array.from({ length: size }, (_, i) => post(endpoint, { start: starts[startIndex], participant: person(10_000 * (startIndex + 1) + i), consent: true })));
        const ms = answers.map((answer) => answer.ms);
        return `race for one slot, 5 hosts free, ${size} concurrent requests: ${answers.filter((a) => a.status === 201).length} winners (one per host), ${answers.filter((a) => a.status === 409).length} × 409, ${answers.filter((a) => a.status !== 201 && a.status !== 409).length} other [${[...new Set(answers.map((a) => a.status))].join(' ')}], p50 ${percentile(ms, 50).toFixed(0)} ms, p99 ${percentile(ms, 99).toFixed(0)} ms`;
      };
      const race50 = await race(50, starts.length - 1);
      const race200 = await race(200, starts.length - 2);
      return [
        `distinct slots: ${created}/${total} booked in ${seconds.toFixed(1)} s = ${(created / seconds).toFixed(0)} bookings/s (8 concurrent clients)`,
        race50,
        race200,
      ];
    });
  },
};
