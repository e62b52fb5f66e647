// Password hashing with node:crypto's scrypt (memory-hard, in the standard library, so there is
// no native module to build). Each hash carries its own random salt and its parameters, so the
// cost can be raised later without breaking stored hashes; comparison is constant-time.
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) => scryptCallback(password, salt, keylen, options, (error, key) => (error ? reject(error) : resolve(key))));

/** N = 2^15, r = 8, p = 1: about 32 MiB and tens of milliseconds per hash (OWASP's scrypt floor is N = 2^17 at r = 8 for 128 MiB; this is the 2^15 point on the same curve, kept modest for small containers). */
const PRODUCTION_COST = { N: 2 ** 15, r: 8, p: 1 };
/** What new hashes cost: the production cost, unless a test suite lowered it. */
let cost = PRODUCTION_COST;
const KEY_LENGTH = 32;

/**
 * For the test suites only (their vitest setup file calls it; the server never does): new hashes
 * at N = 2^10, about 30 times cheaper. A hash carries its own parameters and verification uses
 * those, so every sign-in path runs as in production; only the time per hash drops (half a second
 * on a busy two-core machine, and the suites hash hundreds of passwords).
 */
export function lowerPasswordHashCostForTests(): void {
  cost = { ...PRODUCTION_COST, N: 2 ** 10 };
}

function maxmem(N: number, r: number): number {
  return 128 * N * r * 2;
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const { N, r, p } = cost;
  const key = await scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, { N, r, p, maxmem: maxmem(N, r) });
  return ['scrypt', N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const N = Number(n);
  const R = Number(r);
  const key = await scrypt(password.normalize('NFKC'), Buffer.from(salt, 'base64url'), expected.length, { N, r: R, p: Number(p), maxmem: maxmem(N, R) });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** Made once, so an unknown email costs the same time as a wrong password. */
let decoy: Promise<string> | undefined;
export async function spendVerifyTime(password: string): Promise<void> {
  decoy ??= hashPassword(randomBytes(16).toString('hex'));
  await verifyPassword(password, await decoy);
}
