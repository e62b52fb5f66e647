// Password hashes carry their own cost. The suites hash at a low cost (test/support/
// cheap-password-hashes.ts) and production at N = 2^15: both must verify, whichever is current.
import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../../src/auth/passwords.js';

const PASSWORD = 'correct horse battery staple';
/** Made by hashPassword at the production cost (N = 2^15, r = 8, p = 1). */
const PRODUCTION_HASH = 'scrypt$32768$8$1$m1LViedW0_H8CnVLtyikAg$q50T-AIoi5Xo1MjW18BHXYOGmJBw-aLki7AHjTGhzQg';

describe('password hashes', () => {
  it('verifies a hash made at the production cost by the cost it carries', async () => {
    expect(await verifyPassword(PASSWORD, PRODUCTION_HASH)).toBe(true);
    expect(await verifyPassword('correct horse battery stapler', PRODUCTION_HASH)).toBe(false);
  });

  it('hashes at the lowered cost in the test suites, with a fresh salt each time, and verifies those too', async () => {
    const [first, second] = [await hashPassword(PASSWORD), await hashPassword(PASSWORD)];
    expect(first.split('$').slice(0, 4)).toEqual(['scrypt', '1024', '8', '1']);
    expect(first).not.toBe(second);
    expect(await verifyPassword(PASSWORD, first)).toBe(true);
    expect(await verifyPassword(PASSWORD.toUpperCase(), first)).toBe(false);
  });

  it('refuses what is not one of its hashes', async () => {
    expect(await verifyPassword(PASSWORD, '')).toBe(false);
    expect(await verifyPassword(PASSWORD, 'bcrypt$10$abc')).toBe(false);
  });
});
