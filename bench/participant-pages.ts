// The participant's pages as they load on loopback: the manage page (/m/{token}: the day picker
// over the whole booking window, the moving booking's own slots) and the hosted booking page
// (/b/{slug}) of the seeded demo, first load and then the median and slowest of 20. One page
// load each, no redirect to learn the zone. Figures only; nothing here fails on timing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildApp } from '../packages/server/src/app.js';
import { loadConfig } from '../packages/server/src/config.js';
import { seedDemo } from '../packages/server/src/services/seed.js';
import type { Benchmark } from './run.js';

const RUNS = 20;

async function timed(url: string): Promise<{ ms: number; bytes: number; status: number }> {
  const started = performance.now();
  const response = await fetch(url, { redirect: 'manual' });
  const body = await response.text();
  return { ms: performance.now() - started, bytes: body.length, status: response.status };
}

async function measure(label: string, url: string): Promise<string> {
  const first = await timed(url);
  if (first.status !== 200) throw new Error(`${label}: ${first.status}`);
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push((await timed(url)).ms);
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  return `${label.padEnd(34)} first ${first.ms.toFixed(0).padStart(5)} ms · median ${median.toFixed(0).padStart(4)} ms · slowest ${times[times.length - 1]!.toFixed(0).padStart(4)} ms · ${(first.bytes / 1024).toFixed(1)} KiB`;
}

export const participantPages: Benchmark = {
  name: 'participant pages: manage and hosted booking page load',
  async run() {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'beckon-bench-'));
    const config = { ...loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'warn' }), runWorker: false, seedDemo: false, publicRateLimit: 100_000 };
    const app = await buildApp({ config });
    try {
      const { publicKey, studySlug } = await seedDemo(app.db, app.secretBox, config.publicUrl);
      const base = await app.listen({ host: '127.0.0.1', port: 0 });
      const config0 = (await (await fetch(`${base}/v1/w/${publicKey}/config`)).json()) as { studies: { id: string; slug: string }[] };
      const study = config0.studies.find((s) => s.slug === studySlug)!;
      const slotsResponse = await fetch(`${base}/v1/w/${publicKey}/studies/${study.id}/slots?tz=America/Los_Angeles`);
      if (slotsResponse.status !== 200) throw new Error(`slots: ${slotsResponse.status} ${await slotsResponse.text()}`);
      const slots = (await slotsResponse.json()) as { days: { slots: { start: string }[] }[] };
      const start = slots.days.flatMap((day) => day.slots)[0]!.start;
      const booked = await fetch(`${base}/v1/w/${publicKey}/studies/${study.id}/bookings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ start, participant: { name: 'Bench', email: 'bench@example.test', timeZone: 'America/Los_Angeles', userId: 'bench-user', traits: { signedUpAt: new Date().toISOString() } }, consent: true, answers: { role: 'pm' } }),
      });
      if (booked.status !== 201) throw new Error(`booking: ${booked.status} ${await booked.text()}`);
      const { manageUrl } = ((await booked.json()) as { booking: { manageUrl: string } }).booking;
      const manage = `${base}${new URL(manageUrl).pathname}`;
      return [
        await measure('manage page (booked zone)', manage),
        await measure('manage page, another day', `${manage}?tz=Europe/Berlin&day=${start.slice(0, 10)}`),
        await measure('cancel confirmation page', `${manage}/cancel`),
        await measure('hosted page, zone chosen', `${base}/b/${studySlug}?tz=America/Los_Angeles`),
        await measure('hosted page, no zone (asks for it)', `${base}/b/${studySlug}`),
      ];
    } finally {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
};
