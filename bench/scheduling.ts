// Issue 3's figures: slot computation at scale (pure), bookings per second on the PostgreSQL
// server for distinct slots, and the race for one slot (winners, p99 latency).
import { spawn } from 'node:child_process';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { computeFreeSlots, type FreeSlotsInput, type HostAvailability } from '../packages/shared/src/schedule/index.js';
import type { BookingServer } from './booking-server.js';
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

/**
 * Runs `run` against the bookings server (booking-server.ts) started in a process of its own on
 * a scratch database, so the requests this process makes are not counted against the server.
 */
function withBookingServer<T>(run: (server: BookingServer) => Promise<T>): Promise<T> {
  return withScratchDatabase(async (databaseUrl) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./booking-server.ts', import.meta.url))], {
      env: { ...process.env, BENCH_DATABASE: databaseUrl },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      const server = await new Promise<BookingServer>((resolve, reject) => {
        let output = '';
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          const line = output.split('\n').find((candidate) => candidate.startsWith('{"url"'));
          if (line) resolve(JSON.parse(line) as BookingServer);
        });
        child.once('exit', (code) => reject(new Error(`the bookings server exited (${code}) before it was ready`)));
      });
      return await run(server);
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  });
}

// Plain HTTP/1.1 on kept-alive connections: fetch spent about 2 ms of this machine's CPU per
// request, taken from the server and PostgreSQL it measures.
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

function post(url: string, body: unknown): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } }, (response) => {
      response.resume();
      response.once('end', () => resolve({ status: response.statusCode ?? 0, ms: performance.now() - started }));
    });
    request.once('error', reject);
    request.end(payload);
  });
}

const person = (i: number) => ({ email: `p${i}@bench.test`, name: `P ${i}`, timeZone: 'Europe/Berlin' });

export const bookingThroughput: Benchmark = {
  name: 'bookings on the PostgreSQL server',
  async run() {
    return withBookingServer(async ({ url, studyId, publicKey, starts }) => {
      const endpoint = `${url}/v1/w/${publicKey}/studies/${studyId}/bookings`;
      // Distinct slots, 8 clients at a time: a first 50 let the server's code warm up, then 400 are timed.
      const distinct = async (from: number, total: number) => {
        let next = from;
        const statuses: number[] = [];
        const started = performance.now();
        await Promise.all(
          Array.from({ length: 8 }, async () => {
            while (next < from + total) {
              const i = next++;
              statuses.push((await post(endpoint, { start: starts[i], participant: person(i), consent: true })).status);
            }
          }),
        );
        return { created: statuses.filter((status) => status === 201).length, seconds: (performance.now() - started) / 1000 };
      };
      await distinct(0, 50);
      const total = 400;
      const { created, seconds } = await distinct(50, total);

      // Races: N requests at once for one slot with 5 free hosts (a fresh slot per race).
      const race = async (size: number, startIndex: number) => {
        const answers = await Promise.all(Array.from({ length: size }, (_, i) => post(endpoint, { start: starts[startIndex], participant: person(10_000 * (startIndex + 1) + i), consent: true })));
        const ms = answers.map((answer) => answer.ms);
        return `race for one slot, 5 hosts free, ${size} concurrent requests: ${answers.filter((a) => a.status === 201).length} winners (one per host), ${answers.filter((a) => a.status === 409).length} × 409, ${answers.filter((a) => a.status !== 201 && a.status !== 409).length} other [${[...new Set(answers.map((a) => a.status))].join(' ')}], p50 ${percentile(ms, 50).toFixed(0)} ms, p99 ${percentile(ms, 99).toFixed(0)} ms`;
      };
      const race50 = await race(50, starts.length - 1);
      const race200 = await race(200, starts.length - 2);
      return [
        'the server in its own process (this one only sends requests), pool of 10 connections',
        `distinct slots: ${created}/${total} booked in ${seconds.toFixed(1)} s = ${(created / seconds).toFixed(0)} bookings/s (8 concurrent clients, after 50 to warm up)`,
        race50,
        race200,
      ];
    });
  },
};
