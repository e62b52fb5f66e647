// A burst of page views right after a start: the config is read once for all of them, every
// answer is a 200 with the same ETag, and a pool that runs dry answers 503 with Retry-After.
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { errorsPlugin } from '../../src/plugins/errors.js';
import { SingleFlight } from '../../src/services/single-flight.js';
import { primaryKind } from '../support/database.js';
import { TEST_ORIGIN, useTestApp } from '../support/app.js';
import { createHost, createLiveStudy } from '../support/studies.js';

describe('single flight', () => {
  it('runs a computation once for the callers that arrive while it runs, and again after', async () => {
    const flight = new SingleFlight<number>();
    let runs = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const compute = async () => {
      runs += 1;
      await gate;
      return runs;
    };
    const waiting = Array.from({ length: 50 }, () => flight.run('w', compute));
    release();
    expect(new Set(await Promise.all(waiting))).toEqual(new Set([1]));
    expect(await flight.run('w', compute)).toBe(2);
    expect(await flight.run('other', compute)).toBe(3);
  });
});

describe(`the config route under a burst, on ${primaryKind}`, () => {
  // Page views from many visitors, not one IP's: the per-IP limit is not what is tested here.
  const suite = useTestApp({ overrides: { publicRateLimit: 10_000 } });

  it('answers 200 concurrent requests with 200 and one body', async () => {
    const host = await createHost(suite.t, { name: 'Maya', timeZone: 'America/New_York' });
    await createLiveStudy(suite.t, [host]);
    const answers = await Promise.all(
      Array.from({ length: 200 }, () => suite.t.app.inject({ url: `/v1/w/${suite.t.workspace.publicKey}/config`, headers: { origin: TEST_ORIGIN } })),
    );
    expect(answers.map((answer) => answer.statusCode)).toEqual(answers.map(() => 200));
    expect(new Set(answers.map((answer) => answer.headers.etag)).size).toBe(1);
    expect(answers[0]!.json().studies[0].bookable).toBe(true);
  });
});

describe('a database pool with no free connection', () => {
  it('is a 503 with Retry-After, not a 500', async () => {
    const app = Fastify({ logger: false });
    await app.register(errorsPlugin);
    app.get('/busy', async () => {
      throw new Error('timeout exceeded when trying to connect');
    });
    const response = await app.inject({ url: '/busy' });
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
    expect(response.json().error.code).toBe('busy');
    await app.close();
  });
});
