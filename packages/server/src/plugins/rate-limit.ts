// One rate-limit counter per client IP, shared by every public scope that adds
// `app.rateLimit()` as a hook; admin routes are authenticated instead.
import rateLimit from '@fastify/rate-limit';
import fp from 'fastify-plugin';
import { HttpError } from '../errors.js';

export const rateLimitPlugin = fp(
  async (app) => {
    await app.register(rateLimit, {
      global: false,
      max: app.config.publicRateLimit,
      timeWindow: '1 minute',
      errorResponseBuilder: (_request, context) => new HttpError(429, 'rate_limited', `Too many requests; try again in ${Math.ceil(context.ttl / 1000)} s`),
    });
  },
  { name: 'rate-limit', dependencies: ['database'] },
);
