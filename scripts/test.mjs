// `corepack pnpm test`: the type-check (`tsc -b`) and knip run beside the tests (`vitest run`)
// rather than before them, since neither needs the other's result and the tests spend much of
// their time waiting (browsers, servers, timers) rather than computing. The tests' output streams
// as it comes; the checks' output is kept and printed after it, each under its own heading, with
// one line per step saying whether it passed. The run fails if any of the three fails. Arguments
// go to vitest (`corepack pnpm test -- --project widget`).
import { spawn } from 'node:child_process';

const color = process.stdout.isTTY ? { FORCE_COLOR: '1' } : {};

/** What runs now, stopped with this process (Ctrl-C reaches them anyway; a SIGTERM does not). */
const children = new Set();
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    for (const child of children) child.kill(signal);
    process.exitCode = 130;
  });
}

/** Runs a command; resolves to its exit code and, when `capture`, its output (stdout and stderr as they came). */
function run(command, args, { capture = false } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: capture ? ['ignore', 'pipe', 'pipe'] : 'inherit', env: { ...process.env, ...color } });
    children.add(child);
    const chunks = [];
    if (capture) {
      child.stdout.on('data', (chunk) => chunks.push(chunk));
      child.stderr.on('data', (chunk) => chunks.push(chunk));
    }
    child.on('error', (error) => chunks.push(Buffer.from(`${command}: ${error.message}\n`)));
    child.on('close', (code, signal) => {
      children.delete(child);
      resolve({ code: code ?? (signal ? 128 : 1), output: Buffer.concat(chunks).toString() });
    });
  });
}

/** The checks, one after the other (each is quick; together they stay off the tests' way). */
async function checks() {
  const results = [];
  for (const [name, command, args] of [
    ['type-check (tsc -b)', 'tsc', ['-b']],
    ['knip', 'knip', []],
  ]) {
    const started = Date.now();
    const result = await run(command, args, { capture: true });
    results.push({ name, ...result, seconds: (Date.now() - started) / 1000 });
    if (result.code !== 0) console.error(`\n${name} failed (exit ${result.code}); its output follows the tests'.\n`);
  }
  return results;
}

const [tests, checked] = await Promise.all([run('vitest', ['run', ...process.argv.slice(2)]), checks()]);

for (const { name, code, output } of checked) {
  if (!output.trim() && code === 0) continue;
  console.log(`\n== ${name}\n${output.trimEnd()}`);
}
console.log('');
for (const { name, code, seconds } of checked) console.log(`${code === 0 ? 'passed' : 'FAILED'}  ${name} (${seconds.toFixed(0)} s)`);
console.log(`${tests.code === 0 ? 'passed' : 'FAILED'}  tests (vitest run)`);
if (tests.code !== 0 || checked.some((check) => check.code !== 0)) process.exitCode = 1;
