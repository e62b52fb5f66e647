// The OpenAPI document as integrators use it: Redocly CLI lints it with no errors, every
// operation has a stable operationId (from the table in plugins/openapi.ts), tags and a declared
// security requirement, and a client generated from it with openapi-typescript + openapi-fetch
// typechecks and books an interview against the running server. The reference at /docs shows
// every operation and webhook with its fields, and the console at /docs/try is Swagger UI on it.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import openapiTS, { astToString } from 'openapi-typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeHtml } from '../../src/mail/layout.js';
import { OPERATION_IDS } from '../../src/plugins/openapi.js';
import { useTestApp } from '../support/app.js';
import { createHost, createLiveStudy, instantOf, participant, upcomingDate } from '../support/studies.js';

const run = promisify(execFile);
const SERVER = fileURLToPath(new URL('../../', import.meta.url));
const bin = (name: string) => path.join(SERVER, name === 'tsc' ? '../../node_modules/.bin' : 'node_modules/.bin', name);
// Inside the server package, so the generated client resolves openapi-fetch like any source file.
const WORK = path.join(SERVER, 'node_modules/.cache', `openapi-client-${randomBytes(4).toString('hex')}`);

type Operation = { operationId?: string; tags?: string[]; security?: unknown[]; summary?: string };
type Document = { paths: Record<string, Record<string, Operation>>; webhooks?: Record<string, Record<string, Operation>> };

const CLIENT = `
import createClient from 'openapi-fetch';
import type { paths } from './schema.js';

/** Books the first free slot of a study, as an integrator's generated client would. */
export async function bookFirstSlot(baseUrl: string, publicKey: string, studyId: string, from: string, to: string, email: string) {
  const client = createClient<paths>({ baseUrl });
  const slots = await client.GET('/v1/w/{publicKey}/studies/{studyId}/slots', {
    params: { path: { publicKey, studyId }, query: { from, to, tz: 'Europe/Berlin' } },
  });
  if (!slots.data) throw new Error('no slots: ' + JSON.stringify(slots.error));
  const first = slots.data.slots[0];
  if (!first) throw new Error('no free slot');
  const booked = await client.POST('/v1/w/{publicKey}/studies/{studyId}/bookings', {
    params: { path: { publicKey, studyId } },
    body: { start: first.start, consent: true, participant: { email, name: 'Generated Client', timeZone: 'Europe/Berlin' }, answers: {} },
  });
  if (!booked.data) throw new Error('not booked: ' + JSON.stringify(booked.error));
  const manageToken = booked.data.booking.manageUrl.split('/').pop()!;
  const managed = await client.GET('/v1/bookings/{manageToken}', { params: { path: { manageToken } } });
  return { start: first.start, status: booked.data.booking.status, managedStatus: managed.data?.booking.status };
}
`;

describe('the OpenAPI document', () => {
  const suite = useTestApp();
  let document: Document;
  let documentFile: string;

  beforeAll(async () => {
    document = (await suite.t.app.inject({ url: '/docs/json' })).json() as Document;
    mkdirSync(WORK, { recursive: true });
    documentFile = path.join(WORK, 'openapi.json');
    writeFileSync(documentFile, JSON.stringify(document));
  });
  afterAll(() => rmSync(WORK, { recursive: true, force: true }));

  const operations = () => Object.entries(document.paths).flatMap(([route, methods]) => Object.entries(methods).map(([method, operation]) => ({ key: `${method.toUpperCase()} ${route}`, operation })));

  it('gives every operation a unique operationId from the table, tags and a security requirement', () => {
    const all = operations();
    expect(all.length).toBeGreaterThan(50);
    const ids = all.map(({ operation }) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { key, operation } of all) {
      expect(operation.operationId, `${key}: add it to OPERATION_IDS in src/plugins/openapi.ts`).toBe(OPERATION_IDS[key]);
      expect(operation.tags?.length, key).toBeGreaterThan(0);
      expect(operation.security, key).toBeDefined();
    }
    const find = (key: string) => all.find((one) => one.key === key)!.operation;
    expect(find('GET /v1/w/{publicKey}/config').security).toEqual([]);
    expect(find('GET /v1/admin/studies').security).toEqual([{ secretKey: [] }, { session: [] }]);
    expect(find('POST /v1/admin/studies').security).toEqual([{ secretKey: [] }, { session: [], csrf: [] }]);
    expect(find('GET /v1/auth/session').security).toEqual([{ session: [] }]);
  });

  it('is shown whole at /docs: every operation and webhook with its summary, fields and console link, under a strict CSP', async () => {
    const response = await suite.t.app.inject({ url: '/docs' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/html');
    expect(response.headers['content-security-policy']).toMatch(/default-src 'none'; style-src 'sha256-[^']+'; script-src 'sha256-[^']+'/);
    const page = response.body;
    const webhooks = Object.values(document.webhooks ?? {}).flatMap((methods) => Object.values(methods));
    expect(webhooks.length).toBeGreaterThan(0);
    for (const operation of [...operations().map((entry) => entry.operation), ...webhooks]) {
      expect(page, operation.operationId).toContain(`<details class="operation" id="${operation.operationId}">`);
      expect(page, operation.operationId).toContain(escapeHtml(operation.summary!));
    }
    expect(page).toContain(`<a href="/docs/try#/studies/createStudy">Try it in the console</a>`);
    // A nullable field of createStudy's body, and the recursive targeting rule by its name.
    const createStudy = page.slice(page.indexOf('id="createStudy"'), page.indexOf('</details>', page.indexOf('id="createStudy"')));
    expect(createStudy).toContain('<code class="name">publicTitle</code> <span class="kind">string or <code>null</code></span>');
    expect(createStudy).toContain('<a href="#schema-def-0">BeckonRule</a> or <code>null</code>');
  });

  it('runs Swagger UI on it at /docs/try, as a console', async () => {
    const page = await suite.t.app.inject({ url: '/docs/try' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<script src="/docs/static/swagger-ui-bundle.js"');
    const script = await suite.t.app.inject({ url: '/docs/static/console.js' });
    expect(script.headers['content-type']).toContain('javascript');
    expect(script.body).toContain("url: '/docs/json'");
    expect((await suite.t.app.inject({ url: '/docs/static/swagger-ui.css' })).statusCode).toBe(200);
  });

  it('passes redocly lint with no errors', async () => {
    const result = await run(bin('redocly'), ['lint', documentFile, '--config', path.join(SERVER, 'redocly.yaml'), '--format=json'], { cwd: WORK, env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' }, maxBuffer: 32 * 1024 * 1024 }).catch((error: { stdout: string; stderr: string }) => error);
    const report = JSON.parse(result.stdout) as { totals: { errors: number; warnings: number }; problems: { ruleId: string; severity: string; message: string }[] };
    expect(report.problems.filter((problem) => problem.severity === 'error')).toEqual([]);
    expect(report.totals.errors).toBe(0);
  }, 60_000);

  it('generates a client with openapi-typescript that typechecks and books through openapi-fetch', async () => {
    const { t } = suite;
    writeFileSync(path.join(WORK, 'schema.ts'), astToString(await openapiTS(document as never)));
    writeFileSync(path.join(WORK, 'client.ts'), CLIENT);
    writeFileSync(
      path.join(WORK, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: true, noUncheckedIndexedAccess: true, types: [] }, files: ['client.ts'] }),
    );
    await run(bin('tsc'), ['-p', WORK]).catch((error: { stdout: string }) => {
      throw new Error(`the generated client does not typecheck:\n${error.stdout}`);
    });

    const host = await createHost(t, { name: 'Client', timeZone: 'Europe/Berlin' });
    const study = await createLiveStudy(t, [host]);
    const date = upcomingDate('Europe/Berlin', 3);
    const address = await t.app.listen({ host: '127.0.0.1', port: 0 });
    const { bookFirstSlot } = (await import(path.join(WORK, 'client.ts'))) as { bookFirstSlot: (...args: string[]) => Promise<unknown> };
    const booked = await bookFirstSlot(address, t.workspace.publicKey, study.id, instantOf(date, '00:00', 'Europe/Berlin'), instantOf(date, '23:59', 'Europe/Berlin'), participant().email);
    expect(booked).toEqual({ start: instantOf(date, '09:00', 'Europe/Berlin'), status: 'confirmed', managedStatus: 'confirmed' });
  }, 120_000);
});
