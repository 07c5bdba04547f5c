/** Public ids (UUIDv7, RFC 9562) and content hashes. */
import { createHash, randomBytes } from 'node:crypto';

let lastMs = 0;
let seq = 0;
// One crypto call per 4,096 ids: randomBytes per id was a visible share of a region-scale load.
const POOL = 16 * 4096;
let pool = Buffer.alloc(0);
let poolAt = POOL;

function random16(): Buffer {
  if (poolAt + 16 > pool.length) {
    pool = randomBytes(POOL);
    poolAt = 0;
  }
  const out = Buffer.from(pool.subarray(poolAt, poolAt + 16));
  poolAt += 16;
  return out;
}

/** UUIDv7: 48-bit Unix ms timestamp, then random bits; monotonic within one process. */
export function uuidv7(now: number = Date.now()): string {
  if (now <= lastMs) {
    now = lastMs;
    seq = (seq + 1) & 0xfff;
    if (seq === 0) now = ++lastMs;
  } else {
    seq = random16().readUInt16BE(0) & 0x7ff;
  }
  lastMs = now;
  const b = random16();
  b.writeUIntBE(now, 0, 6);
  b[6] = 0x70 | ((seq >> 8) & 0x0f);
  b[7] = seq & 0xff;
  b[8] = 0x80 | ((b[8] ?? 0) & 0x3f);
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Canonical JSON (sorted keys) so that equal content gives equal hashes. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

export function contentHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, 32);
}

export function nowIso(d: Date = new Date()): string {
  return d.toISOString();
}
