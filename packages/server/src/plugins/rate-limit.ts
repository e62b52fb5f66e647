// One rate-limit counter per client IP, shared by every public scope that adds
// `app.rateLimit()` as a hook; admin routes are authenticated instead.
import rateLimit, { type FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { HttpError } from '../errors.js';
import { PostgresRateLimitStore } from '../services/rate-limit-store.js';

/**
 * Where counts live: on PostgreSQL every replica counts into one table, so a client is limited
 * once however many processes answer it; the embedded database has one process, so memory.
 * Each registration of the plugin counts under its own namespace.
 */
export function sharedRateLimitStore(app: FastifyInstance, namespace: string): { store?: FastifyRateLimitStoreCtor } {
  if (app.database.kind !== 'postgres') return {};
  const { db } = app;
  return {
    store: class extends PostgresRateLimitStore {
      constructor() {
        super(db, `${namespace}:`);
      }
    },
  };
}

export const rateLimitPlugin = fp(
  async (app) => {
    await app.register(rateLimit, {
      ...sharedRateLimitStore(app, 'public'),
      global: false,
      max: app.config.publicRateLimit,
      timeWindow: '1 minute',
      // Page views are many: the counters travel only with a refusal (Retry-After and the limits).
      addHeadersOnExceeding: { 'x-ratelimit-limit': false, 'x-ratelimit-remaining': false, 'x-ratelimit-reset': false },
      errorResponseBuilder: (_request, context) => new HttpError(429, 'rate_limited', `Too many requests; try again in ${Math.ceil(context.ttl / 1000)} s`),
    });
  },
  { name: 'rate-limit', dependencies: ['database'] },
);
