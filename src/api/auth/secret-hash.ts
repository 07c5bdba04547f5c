/**
 * Client secrets at rest: scrypt (RFC 7914) with a random salt per secret, compared in constant
 * time. Stored as `scrypt$N$r$p$salt$hash` (base64url) so the cost can be raised later without
 * invalidating existing secrets.
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const N = 16_384;
const R = 8;
const P = 1;
const KEY_BYTES = 32;

function scrypt(secret: string, salt: Buffer, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(secret, salt, KEY_BYTES, opts, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** A new client secret: 256 random bits, URL-safe so it survives Basic and form encoding. */
export function generateSecret(): string {
  return randomBytes(32).toString('base64url');
}

export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(secret, salt, { N, r: R, p: P });
  return ['scrypt', N, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await scrypt(secret, Buffer.from(salt, 'base64url'), { N: Number(n), r: Number(r), p: Number(p) });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/**
 * Spends the same work as a real check for an unknown client id, so the answer time does not tell
 * an attacker which client ids exist.
 */
let dummy: Promise<string> | undefined;
export async function burnSecretCheck(secret: string): Promise<false> {
  dummy ??= hashSecret(generateSecret());
  await verifySecret(secret, await dummy);
  return false;
}
