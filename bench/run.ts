// `pnpm bench`: runs every benchmark (or those named: `pnpm bench http`) and prints its figures.
// Benchmarks measure; they never fail a build on timing. Load goes to loopback only.
import { autopilot } from './autopilot.js';
import { calendarSlots } from './calendars.js';
import { httpOverhead } from './http-overhead.js';
import { serverMemory } from './memory.js';
import { pageLoad } from './page-load.js';
import { participantPages } from './participant-pages.js';
import { bookingThroughput, slotComputation } from './scheduling.js';
import { widgetSize } from './widget-size.js';

export interface Benchmark {
  name: string;
  run(): Promise<string[]>;
}

const benchmarks: Benchmark[] = [widgetSize, httpOverhead, serverMemory, slotComputation, bookingThroughput, calendarSlots, autopilot, participantPages, pageLoad];

const args = process.argv.slice(2);
// Names only: options (`--seed 7`) and their values belong to the benchmarks that read them.
const wanted = args.filter((arg, i) => !arg.startsWith('--') && !args[i - 1]?.startsWith('--'));
for (const benchmark of benchmarks) {
  if (wanted.length > 0 && !wanted.some((name) => benchmark.name.includes(name))) continue;
  console.log(`\n## ${benchmark.name}`);
  for (const line of await benchmark.run()) console.log(line);
}
