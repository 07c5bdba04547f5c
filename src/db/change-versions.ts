/**
 * One global change-version sequence and the committed watermark (ARCHITECTURE.md, "Change
 * versions"). A writer leases a block of versions in its own short transaction before its data
 * transaction, and releases the lease after commit or rollback. Readers only see versions up to
 * the watermark: just below the oldest live lease. So a lower version committed after a higher one
 * is never skipped by a keyset reader (the role MIN_ACTIVE_ROWVERSION plays in Ed-Fi's change
 * queries). A lease of a crashed writer expires after `leaseMs`; its transaction died with it.
 */
import type { Knex } from 'knex';
import { nowIso } from './ids.ts';
import { isMysql } from './knex.ts';

export interface VersionLease {
  id: number;
  from: number;
  to: number;
  next: number;
}

export const DEFAULT_LEASE_MS = 10 * 60_000;

export async function leaseVersions(
  db: Knex,
  count: number,
  opts: { now?: Date; leaseMs?: number } = {},
): Promise<VersionLease> {
  if (count < 1) throw new Error('leaseVersions: count must be >= 1');
  const now = opts.now ?? new Date();
  const expires = nowIso(new Date(now.getTime() + (opts.leaseMs ?? DEFAULT_LEASE_MS)));
  return db.transaction(async (trx) => {
    // The row lock on the sequence serializes allocations only, not the data transactions.
    const q = trx('cv_sequence').where({ id: 1 });
    const row = await (isMysql(db) ? q.forUpdate() : q).first('value');
    const from = Number(row?.value ?? 0) + 1;
    const to = from + count - 1;
    await trx('cv_sequence').where({ id: 1 }).update({ value: to });
    const [id] = await trx('cv_leases').insert({ version_from: from, version_to: to, expires_at: expires });
    return { id: Number(id), from, to, next: from };
  });
}

export function takeVersion(lease: VersionLease): number {
  if (lease.next > lease.to) throw new Error('change-version lease exhausted');
  return lease.next++;
}

export async function releaseLease(db: Knex, lease: VersionLease): Promise<void> {
  await db('cv_leases').where({ id: lease.id }).delete();
}

/** The highest change version every reader may see: all versions at or below it are committed. */
export async function committedWatermark(db: Knex, now: Date = new Date()): Promise<number> {
  const [seq, oldest] = await Promise.all([
    db('cv_sequence').where({ id: 1 }).first('value'),
    db('cv_leases').where('expires_at', '>', nowIso(now)).min({ v: 'version_from' }).first(),
  ]);
  const top = Number(seq?.value ?? 0);
  const lowestLive = oldest?.v == null ? undefined : Number(oldest.v);
  return lowestLive === undefined ? top : Math.min(top, lowestLive - 1);
}

/**
 * Change versions handed out lazily inside one data transaction: nothing is allocated (and no
 * version moves) unless a row really changes.
 * - MySQL/MariaDB: blocks are leased on another pooled connection and released after the data
 *   transaction ends, so concurrent writers never hide each other's versions from readers.
 * - SQLite: one writer at a time holds the database lock, so commits happen in allocation order;
 *   the sequence is bumped inside the data transaction itself (the pool has one connection).
 */
export class VersionSource {
  private lease: VersionLease | undefined;
  private readonly leases: VersionLease[] = [];
  constructor(
    private readonly db: Knex,
    private readonly trx: Knex.Transaction,
    private readonly sqlite: boolean,
    private block = 1024,
  ) {}

  /** A writer that knows it will write about `n` rows leases them in one block (one commit). */
  expect(n: number): void {
    this.block = Math.max(this.block, Math.min(n, 100_000));
  }

  async take(): Promise<number> {
    if (this.lease && this.lease.next <= this.lease.to) return this.lease.next++;
    if (this.sqlite) {
      const row = await this.trx('cv_sequence').where({ id: 1 }).first('value');
      const from = Number(row?.value ?? 0) + 1;
      await this.trx('cv_sequence').where({ id: 1 }).update({ value: from + this.block - 1 });
      this.lease = { id: 0, from, to: from + this.block - 1, next: from };
    } else {
      this.lease = await leaseVersions(this.db, this.block);
      this.leases.push(this.lease);
    }
    return this.lease.next++;
  }

  get used(): boolean {
    return this.lease !== undefined;
  }

  /** SQLite: give back the unused tail of the block while the write lock is still held. */
  async trim(): Promise<void> {
    if (this.sqlite && this.lease && this.lease.next <= this.lease.to) {
      await this.trx('cv_sequence').where({ id: 1 }).update({ value: this.lease.next - 1 });
      this.lease.to = this.lease.next - 1;
    }
  }

  async release(): Promise<void> {
    for (const l of this.leases.splice(0)) await releaseLease(this.db, l);
  }
}

/** Runs `fn` in one data transaction with a lazy VersionSource; leases are always released. */
export async function writeTransaction<T>(
  db: Knex,
  fn: (trx: Knex.Transaction, versions: VersionSource) => Promise<T>,
): Promise<T> {
  const sqlite = !isMysql(db);
  let source: VersionSource | undefined;
  try {
    return await db.transaction(async (trx) => {
      source = new VersionSource(db, trx, sqlite);
      const out = await fn(trx, source);
      await source.trim();
      return out;
    });
  } finally {
    await source?.release();
  }
}
