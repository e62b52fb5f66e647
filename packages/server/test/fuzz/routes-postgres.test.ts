// The route fuzzer (support/route-fuzzer.ts) on PostgreSQL, when this run has it (CI requires it).
import { describe } from 'vitest';
import { availableKinds } from '../support/database.js';
import { fuzzEveryRoute } from './support/route-fuzzer.js';

if (availableKinds.includes('postgres')) fuzzEveryRoute('postgres');
else describe.skip('route fuzzer on postgres (no PostgreSQL in this run)', () => {});
