/**
 * Per-instance mutual exclusion across processes and machines: a lease row in the database.
 * A holder renews it while it works; a crashed holder's lease expires after `ttlMs`.
 */
import type { Knex } from 'knex';
import { nowIso } from '../db/ids.ts';

export const DEFAULT_LOCK_TTL_MS = Number(process.env.HUB_LOCK_TTL_MS ?? 30_000);

export async function tryLock(db: Knex, key: string, holder: string, ttlMs = DEFAULT_LOCK_TTL_MS, now = new Date()): Promise<boolean> {
  const expires = nowIso(new Date(now.getTime() + ttlMs));
  await db('instance_locks').where({ instance: key }).where((q) => q.where('expires_at', '<', nowIso(now)).orWhere({ holder }))
    .update({ holder, expires_at: expires });
  await db('instance_locks').insert({ instance: key, holder, expires_at: expires }).onConflict('instance').ignore();
  const row = await db('instance_locks').where({ instance: key }).first('holder');
  return row?.holder === holder;
}

export async function unlock(db: Knex, key: string, holder: string): Promise<void> {
  await db('instance_locks').where({ instance: key, holder }).delete();
}

/** Holds the lock while `fn` runs, renewing it every third of its lifetime. */
export async function withLock<T>(db: Knex, key: string, holder: string, fn: () => Promise<T>, ttlMs = DEFAULT_LOCK_TTL_MS): Promise<T> {
  const timer = setInterval(() => {
    void tryLock(db, key, holder, ttlMs).catch(() => undefined);
  }, Math.max(200, Math.floor(ttlMs / 3)));
  try {
    return await fn();
  } finally {
    clearInterval(timer);
    await unlock(db, key, holder);
  }
}
