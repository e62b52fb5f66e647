// The image, built as Docker would build it but without Docker (none runs here or in CI): the
// Dockerfile's build stage is carried out instruction by instruction in a scratch folder (its
// COPY lines over this working tree as .dockerignore filters it, its RUN lines in a shell, so
// `pnpm build` there is the root package.json's build script, the one CI and developers run),
// then the runtime stage's CMD starts from the deployed /app alone, with the stage's ENV, and has
// to answer /readyz on a fresh PostgreSQL database and on the embedded one. A build that cannot
// make a working image fails here, in `pnpm test`, before it lands.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort } from './support/process.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const rootPackage = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
const serverPackage = JSON.parse(readFileSync(path.join(repo, 'packages/server/package.json'), 'utf8')) as { dependencies: Record<string, string> };

/** What the deployed /app may weigh (dist plus the few packages that cannot be bundled). */
const APP_BUDGET_BYTES = 120 * 1024 * 1024;

// ---------------------------------------------------------------------------------------------
// The Dockerfile, read as Docker reads it (the subset this project uses; anything else fails loudly).

interface Instruction {
  op: string;
  flags: Record<string, string>;
  args: string;
}
interface Stage {
  image: string;
  name: string | undefined;
  instructions: Instruction[];
}

function parseDockerfile(text: string): Stage[] {
  const lines: string[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#') || (line === '' && pending === '')) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1).trim()} `;
      continue;
    }
    lines.push(`${pending}${line}`.trim());
    pending = '';
  }
  const stages: Stage[] = [];
  for (const line of lines) {
    const [, op = '', rest = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const flags: Record<string, string> = {};
    let args = rest;
    for (let flag = /^--([\w-]+)=(\S+)\s+/.exec(args); flag; flag = /^--([\w-]+)=(\S+)\s+/.exec(args)) {
      flags[flag[1]!] = flag[2]!;
      args = args.slice(flag[0].length);
    }
    const instruction = { op: op.toUpperCase(), flags, args };
    if (instruction.op === 'FROM') {
      const [, image = '', name] = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args) ?? [];
      stages.push({ image, name, instructions: [] });
    } else {
      if (stages.length === 0) throw new Error(`Dockerfile: ${line} before FROM`);
      stages.at(-1)!.instructions.push(instruction);
    }
  }
  return stages;
}

function execForm(args: string): string[] {
  const parsed: unknown = JSON.parse(args);
  if (!Array.isArray(parsed) || !parsed.every((part) => typeof part === 'string')) throw new Error(`Dockerfile: expected a JSON array, got ${args}`);
  return parsed;
}

function envPairs(args: string): Record<string, string> {
  const pairs: Record<string, string> = {};
  for (const token of args.split(/\s+/)) {
    const [, key, value] = /^(\w+)=(\S*)$/.exec(token) ?? [];
    if (!key) throw new Error(`Dockerfile: ENV form not understood by this test: ${args}`);
    pairs[key] = value!;
  }
  return pairs;
}

/** .dockerignore patterns as a test on paths relative to the build context. */
function dockerignore(text: string): (relative: string) => boolean {
  const patterns = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const regexes = patterns.map((pattern) => {
    if (pattern.startsWith('!')) throw new Error('.dockerignore exceptions (!) are not understood by this test');
    const source = pattern
      .replace(/^\/+|\/+$/g, '')
      .split(/(\*\*\/|\*\*|\*|\?)/)
      .map((part) => ({ '**/': '(?:.*/)?', '**': '.*', '*': '[^/]*', '?': '[^/]' })[part] ?? part.replace(/[.+^${}()|[\]\\]/g, '\\$&'))
      .join('');
    // A pattern that names a folder excludes everything beneath it.
    return new RegExp(`^${source}(?:/.*)?$`);
  });
  return (relative) => regexes.some((regex) => regex.test(relative));
}

// ---------------------------------------------------------------------------------------------
// Carrying the stages out. Each stage's filesystem is a folder; image paths map into it.

interface StageState {
  root: string;
  workdir: string;
  env: Record<string, string>;
  cmd: string[] | undefined;
  healthcheck: string | undefined;
}

/** The environment of this machine a build step may see: not the test runner's own variables. */
function buildEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (/^(npm_|pnpm_|VITEST|NODE_ENV$|NODE_OPTIONS$|INIT_CWD$|TEST$)/i.test(key)) delete env[key];
  }
  return env;
}

function run(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number }): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(output);
      else reject(new Error(`${command} ${args.join(' ')} (in ${options.cwd}) ended with ${signal ?? `exit code ${code}`}:\n${output.slice(-4000)}`));
    });
  });
}

async function buildImage(stages: Stage[], context: string, scratch: string): Promise<Map<string, StageState>> {
  const ignored = dockerignore(existsSync(path.join(context, '.dockerignore')) ? readFileSync(path.join(context, '.dockerignore'), 'utf8') : '');
  // `pnpm` as `RUN corepack enable` provides it in the image, without changing this machine's Node.
  const bin = path.join(scratch, 'bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(path.join(bin, 'pnpm'), '#!/bin/sh\nexec corepack pnpm "$@"\n');
  chmodSync(path.join(bin, 'pnpm'), 0o755);

  const states = new Map<string, StageState>();
  for (const [index, stage] of stages.entries()) {
    const state: StageState = { root: path.join(scratch, `stage-${index}`), workdir: '/', env: {}, cmd: undefined, healthcheck: undefined };
    mkdirSync(state.root, { recursive: true });
    const onHost = (imagePath: string) => path.join(state.root, path.posix.resolve(state.workdir, imagePath));
    for (const { op, flags, args } of stage.instructions) {
      switch (op) {
        case 'WORKDIR':
          state.workdir = path.posix.resolve(state.workdir, args);
          mkdirSync(onHost('.'), { recursive: true });
          break;
        case 'ENV':
          Object.assign(state.env, envPairs(args));
          break;
        case 'COPY': {
          const parts = args.split(/\s+/);
          const destination = parts.pop()!;
          const from = flags.from === undefined ? undefined : states.get(flags.from);
          if (flags.from !== undefined && !from) throw new Error(`Dockerfile: COPY --from=${flags.from}: no such stage`);
          const intoFolder = destination.endsWith('/') || parts.length > 1;
          for (const source of parts) {
            const hostSource = from ? path.join(from.root, source) : path.join(context, source);
            if (!existsSync(hostSource)) throw new Error(`Dockerfile: COPY ${source}: not found${from ? '' : ' in the build context'}`);
            const isFolder = statSync(hostSource).isDirectory();
            const target = intoFolder && !isFolder ? path.join(onHost(destination), path.basename(source)) : onHost(destination);
            cpSync(hostSource, target, {
              recursive: true,
              filter: (file) => from !== undefined || !ignored(path.relative(context, file).split(path.sep).join('/')),
            });
          }
          break;
        }
        case 'RUN': {
          if (args === 'corepack enable') break; // the shim above stands for it
          // Image paths written in the command (the deploy's /app) are the stage's folders here.
          const command = args.replace(/(^|\s)(\/[\w./-]*)/g, (_match, space: string, imagePath: string) => space + onHost(imagePath));
          const env = { ...buildEnv(), ...state.env, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}` };
          await run('/bin/sh', ['-c', command], { cwd: onHost('.'), env, timeoutMs: 240_000 });
          break;
        }
        case 'CMD':
          state.cmd = execForm(args);
          break;
        case 'HEALTHCHECK': {
          const [, shell] = /^CMD\s+(.+)$/.exec(args) ?? [];
          if (!shell) throw new Error(`Dockerfile: HEALTHCHECK form not understood by this test: ${args}`);
          state.healthcheck = shell;
          break;
        }
        case 'USER':
        case 'EXPOSE':
          break; // who runs it and which port is published: nothing to carry out here
        default:
          throw new Error(`Dockerfile: ${op} is not understood by this test; teach build.test.ts what it does`);
      }
    }
    states.set(stage.name ?? String(index), state);
    states.set(String(index), state);
  }
  return states;
}

// ---------------------------------------------------------------------------------------------
// Running what was built.


interface Started {
  child: ChildProcess;
  output: () => string;
  port: number;
  env: Record<string, string>;
}

/** The process as the image starts it: only the stage's ENV and the variables an operator sets. */
async function start(command: string[], cwd: string, env: Record<string, string>): Promise<Started> {
  const port = await freePort();
  const fullEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/', LOG_LEVEL: 'warn', ...env, PORT: String(port) };
  const [program, ...args] = command;
  const child = spawn(program === 'node' ? process.execPath : program!, args, { cwd, env: fullEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output, port, env: fullEnv };
}

async function waitReady(started: Started, deadlineMs = 90_000): Promise<{ status: number; body: Record<string, unknown> }> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    if (started.child.exitCode !== null) throw new Error(`the server exited with ${started.child.exitCode} before it was ready:\n${started.output().slice(-4000)}`);
    try {
      const response = await fetch(`http://127.0.0.1:${started.port}/readyz`);
      if (response.status === 200) return { status: 200, body: (await response.json()) as Record<string, unknown> };
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`no 200 from /readyz within ${deadlineMs} ms:\n${started.output().slice(-4000)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function stop(started: Started): Promise<number | null> {
  if (started.child.exitCode !== null) return started.child.exitCode;
  const exited = new Promise<number | null>((resolve) => started.child.once('exit', (code) => resolve(code)));
  started.child.kill('SIGTERM');
  return exited;
}

function bytesIn(folder: string): number {
  let total = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const file = path.join(folder, entry.name);
    total += entry.isDirectory() ? bytesIn(file) : lstatSync(file).size;
  }
  return total;
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

// ---------------------------------------------------------------------------------------------

const dockerfile = readFileSync(path.join(repo, 'Dockerfile'), 'utf8');
const stages = parseDockerfile(dockerfile);
const buildStage = stages[0]!;
const runtimeStage = stages.at(-1)!;
const runs = (stage: Stage) => stage.instructions.filter((i) => i.op === 'RUN').map((i) => i.args);

describe('the Dockerfile builds what CI builds', () => {
  it('builds with the root package.json build script and nothing of its own', () => {
    expect(rootPackage.scripts.build).toBeTruthy();
    expect(runs(buildStage)).toContain('pnpm build');
    // No second recipe: every build step lives in `pnpm build`, which CI and this test run too.
    for (const command of runs(buildStage)) expect(command, command).not.toMatch(/build\.mjs|esbuild|tsc\b/);
  });

  it('deploys the server with its production dependencies only, and runs the bundle the build makes', () => {
    const deploy = runs(buildStage).find((command) => /\bdeploy\b/.test(command));
    expect(deploy).toMatch(/^pnpm --filter @beckon\/server deploy --prod\b.* \/app$/);
    const copied = runtimeStage.instructions.find((i) => i.op === 'COPY' && i.flags.from === (buildStage.name ?? '0'));
    expect(copied?.args).toMatch(/^\/app\s+\.\/?$/);
    expect(runtimeStage.instructions.find((i) => i.op === 'WORKDIR')?.args).toBe('/app');
    expect(execForm(runtimeStage.instructions.find((i) => i.op === 'CMD')!.args)).toEqual(['node', 'dist/main.js']);
    expect(envPairs(runtimeStage.instructions.find((i) => i.op === 'ENV')!.args)).toMatchObject({ NODE_ENV: 'production' });
  });
});

describe('the image, built from this working tree without Docker', () => {
  const postgresUrl = inject('postgresUrl');
  const scratch = mkdtempSync(path.join(tmpdir(), 'beckon-image-'));
  let image: Map<string, StageState>;
  let built: StageState; // the build stage: the repository after `pnpm build`
  let app: StageState; // the runtime stage: /app as the image has it
  const appDir = () => path.join(app.root, app.workdir);
  const encryptionKey = randomBytes(32).toString('base64');
  let database: { url: string; drop: () => Promise<void> } | undefined;
  let embedded: Started | undefined; // PGlite's first start takes seconds: it boots while the others run

  beforeAll(async () => {
    const started = Date.now();
    image = await buildImage(stages, repo, scratch);
    built = image.get(buildStage.name ?? '0')!;
    app = image.get(String(stages.length - 1))!;
    console.log(`[image] Dockerfile build stage carried out in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    embedded = await start(app.cmd!, appDir(), { ...app.env, DATA_DIR: path.join(scratch, 'data'), ENCRYPTION_KEY: encryptionKey });

    if (postgresUrl) {
      const name = `beckon_image_${randomBytes(6).toString('hex')}`;
      const admin = new pg.Client({ connectionString: postgresUrl });
      await admin.connect();
      await admin.query(`create database ${name}`);
      await admin.end();
      const url = new URL(postgresUrl);
      url.pathname = `/${name}`;
      database = {
        url: url.toString(),
        drop: async () => {
          const cleanup = new pg.Client({ connectionString: postgresUrl });
          await cleanup.connect();
          await cleanup.query(`drop database if exists ${name} with (force)`);
          await cleanup.end();
        },
      };
    }
  }, 600_000);

  afterAll(async () => {
    if (embedded) await stop(embedded);
    await database?.drop();
    rmSync(scratch, { recursive: true, force: true });
  }, 120_000);

  it('builds dist/main.js and dist/migrate.js, and dist/cli.js exactly when src/cli.ts exists', () => {
    const server = path.join(built.root, built.workdir, 'packages/server');
    expect(existsSync(path.join(server, 'dist/main.js'))).toBe(true);
    expect(existsSync(path.join(server, 'dist/migrate.js'))).toBe(true);
    expect(existsSync(path.join(server, 'dist/cli.js'))).toBe(existsSync(path.join(server, 'src/cli.ts')));
    for (const file of ['main.js', 'migrate.js', 'migrations/meta/_journal.json', 'public/admin/index.html', 'public/widget/beckon.js']) {
      expect(existsSync(path.join(appDir(), 'dist', file)), file).toBe(true);
    }
  });

  it('deploys to a lean /app: the bundle and only the packages that cannot be bundled', () => {
    const modules = readdirSync(path.join(appDir(), 'node_modules')).filter((name) => !name.startsWith('.'));
    const installed = modules.flatMap((name) => (name.startsWith('@') ? readdirSync(path.join(appDir(), 'node_modules', name)).map((inner) => `${name}/${inner}`) : [name]));
    expect(installed.sort()).toEqual(Object.keys(serverPackage.dependencies).sort());
    const total = bytesIn(appDir());
    const dist = bytesIn(path.join(appDir(), 'dist'));
    console.log(`[image] /app weighs ${mib(total)}: dist ${mib(dist)}, node_modules ${mib(total - dist)} (budget ${mib(APP_BUDGET_BYTES)})`);
    expect(total).toBeLessThanOrEqual(APP_BUDGET_BYTES);
    // Nothing above /app lends it packages: what it needs, it has.
    for (let folder = appDir(); folder !== path.dirname(folder); ) {
      folder = path.dirname(folder);
      expect(existsSync(path.join(folder, 'node_modules')), path.join(folder, 'node_modules')).toBe(false);
    }
  });

  describe.skipIf(!postgresUrl)('on PostgreSQL', () => {
    it('starts the built server (node packages/server/dist/main.js) in production mode: /readyz 200, clean exit on SIGTERM', async () => {
      const server = await start(['node', 'packages/server/dist/main.js'], path.join(built.root, built.workdir), { ...app.env, DATABASE_URL: database!.url, ENCRYPTION_KEY: encryptionKey });
      try {
        const ready = await waitReady(server);
        expect(ready.body).toMatchObject({ status: 'ready', database: 'postgres' });
      } finally {
        expect(await stop(server), server.output()).toBe(0);
      }
    }, 120_000);

    it('starts the deployed /app alone with the CMD and ENV of the image: /readyz 200, the HEALTHCHECK passes, the docs and admin app are served', async () => {
      const server = await start(app.cmd!, appDir(), { ...app.env, DATABASE_URL: database!.url, ENCRYPTION_KEY: encryptionKey });
      try {
        const ready = await waitReady(server);
        expect(ready.body).toMatchObject({ status: 'ready', database: 'postgres' });
        // The files the external packages and the copied builds serve.
        for (const [url, type] of [
          ['/docs/static/swagger-ui-bundle.js', 'javascript'],
          ['/docs/json', 'json'],
          ['/admin', 'html'],
          ['/widget/beckon.js', 'javascript'],
        ] as const) {
          const response = await fetch(`http://127.0.0.1:${server.port}${url}`);
          expect(response.status, url).toBe(200);
          expect(response.headers.get('content-type'), url).toContain(type);
        }
        await run('/bin/sh', ['-c', app.healthcheck!], { cwd: appDir(), env: server.env, timeoutMs: 10_000 });
      } finally {
        expect(await stop(server), server.output()).toBe(0);
      }
    }, 120_000);

    it('applies migrations on their own with dist/migrate.js from /app', async () => {
      const output = await run(process.execPath, ['dist/migrate.js'], {
        cwd: appDir(),
        env: { PATH: process.env.PATH ?? '', ...app.env, DATABASE_URL: database!.url, ENCRYPTION_KEY: encryptionKey },
        timeoutMs: 30_000,
      });
      expect(output).toContain('Migrations applied (postgres)');
    }, 120_000);
  });

  it('starts the deployed /app on the embedded database too (PGlite travels with it)', async () => {
    const server = embedded!;
    try {
      const ready = await waitReady(server);
      expect(ready.body).toMatchObject({ status: 'ready', database: 'pglite' });
    } finally {
      expect(await stop(server), server.output()).toBe(0);
    }
  }, 120_000);
});
