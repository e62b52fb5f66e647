// Vitest setup file (the server's and the admin app's suites): new password hashes at a low scrypt
// cost. Verification reads the cost from the hash, so sign-in works exactly as in production;
// test/auth/passwords.test.ts holds both costs. Processes the tests start (the CLI, the built
// server) hash at the production cost.
import { lowerPasswordHashCostForTests } from '../../src/auth/passwords.js';

lowerPasswordHashCostForTests();
