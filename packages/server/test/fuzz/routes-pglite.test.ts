// The route fuzzer (support/route-fuzzer.ts) on PGlite, the embedded database; PostgreSQL has a
// file of its own so that the two run side by side.
import { fuzzEveryRoute } from './support/route-fuzzer.js';

fuzzEveryRoute('pglite');
