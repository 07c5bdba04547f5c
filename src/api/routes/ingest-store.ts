/**
 * Storing a pushed batch before the answer (ARCHITECTURE.md: "An accepted batch is written to the
 * database before the 2xx answer"): one transaction per batch, the floor of the push path, with as
 * few round trips as that allows. The same body again is the same batch (unique SHA-256 per
 * instance). A batch that arrives while a run of its instance still waits for a worker joins that
 * run: under a morning burst a worker loads hundreds of batches in one run instead of paying a
 * run's overhead per batch.
 */
import type { Knex } from 'knex';
import { nowIso, uuidv7 } from '../../db/ids.ts';
import { isMysql } from '../../db/knex.ts';

export interface StoredBatch {
  batchId: string;
  runId: string;
  duplicate: boolean;
}

export async function storeBatch(db: Knex, b: { instance: string; source: string; sha: string; body: string; now: Date }): Promise<StoredBatch> {
  const batchId = uuidv7(b.now.getTime());
  let runId = uuidv7(b.now.getTime());
  const at = nowIso(b.now);
  const waiting = { instance: b.instance, kind: 'ingest', status: 'queued' };
  const mysql = isMysql(db);
  try {
    // READ COMMITTED (MariaDB): the lock below takes the waiting run's row only, not the index gap,
    // so two pushes that both find no waiting run each insert their own instead of deadlocking.
    await db.transaction(async (trx) => {
      // The waiting run is locked before it is used, so a worker starting it either waits for this
      // batch or is not matched; SQLite gets its write lock first through a no-op update. On
      // MariaDB a run another push holds right now is skipped (a new run then), so pushes never
      // queue behind each other's commits.
      if (!mysql) await trx('runs').where(waiting).update({ status: 'queued' });
      const q = () => trx('runs').where(waiting).orderBy('queued_at', 'desc');
      const joined = mysql ? await lockWaitingRun(q) : await q().first('id');
      if (joined) runId = String(joined.id);
      await trx('ingest_batches').insert({ id: batchId, instance: b.instance, source: b.source.slice(0, 128), body_sha256: b.sha, body: b.body, status: 'accepted', run_id: runId, received_at: at });
      if (!joined) await trx('runs').insert({ id: runId, instance: b.instance, status: 'queued', kind: 'ingest', input: JSON.stringify({ files: [], batchId }), dry_run: false, queued_at: at });
    }, mysql ? { isolationLevel: 'read committed' } : {});
    return { batchId, runId, duplicate: false };
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    const known = await db('ingest_batches').where({ instance: b.instance, body_sha256: b.sha }).first('id', 'run_id');
    if (!known) throw err;
    return { batchId: String(known.id), runId: String(known.run_id), duplicate: true };
  }
}

/** SKIP LOCKED needs MariaDB 10.6 / MySQL 8; older servers wait for the lock instead. */
let skipLocked = true;

async function lockWaitingRun(q: () => Knex.QueryBuilder): Promise<{ id: string } | undefined> {
  if (skipLocked) {
    try {
      return await q().forUpdate().skipLocked().first('id');
    } catch (err) {
      if ((err as { code?: unknown }).code !== 'ER_PARSE_ERROR') throw err;
      skipLocked = false;
    }
  }
  return q().forUpdate().first('id');
}

function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}
