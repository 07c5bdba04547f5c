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

export interface BatchToStore {
  instance: string;
  source: string;
  sha: string;
  body: string;
  now: Date;
}

/** One batch in its own transaction; the same body again answers the batch stored before. */
export async function storeBatch(db: Knex, b: BatchToStore): Promise<StoredBatch> {
  try {
    return (await storeGroup(db, [b]))[0]!;
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    const known = await db('ingest_batches').where({ instance: b.instance, body_sha256: b.sha }).first('id', 'run_id');
    if (!known) throw err;
    return { batchId: String(known.id), runId: String(known.run_id), duplicate: true };
  }
}

/**
 * Many batches in one transaction: the waiting runs of their instances locked in one statement,
 * the missing runs and all the batches inserted in one statement each. Every batch is still
 * durable before its answer; the commit (and its log flush) is shared. A body seen twice in the
 * group is one batch. Throws a unique violation when a body is already stored (the caller then
 * stores the batches one by one, which tells duplicates apart).
 *
 * READ COMMITTED (MariaDB): the lock takes the waiting runs' rows only, not the index gap, so two
 * writers that both find no waiting run each insert their own instead of deadlocking. The waiting
 * run is locked before it is used, so a worker starting it either waits for these batches or is
 * not matched; SQLite gets its write lock first through a no-op update. On MariaDB a run another
 * writer holds right now is skipped (a new run then), so pushes never queue behind each other.
 */
async function storeGroup(db: Knex, batches: BatchToStore[]): Promise<StoredBatch[]> {
  const mysql = isMysql(db);
  const instances = [...new Set(batches.map((b) => b.instance))];
  const out: StoredBatch[] = [];
  await db.transaction(async (trx) => {
    const waiting = () => trx('runs').whereIn('instance', instances).where({ kind: 'ingest', status: 'queued' });
    if (!mysql) await waiting().update({ status: 'queued' });
    const q = () => waiting().orderBy('queued_at', 'desc');
    const locked: { id: string; instance: string }[] = mysql ? await lockWaitingRuns(q) : await q().select('id', 'instance');
    const runOf = new Map<string, string>();
    for (const r of locked) if (!runOf.has(r.instance)) runOf.set(r.instance, String(r.id));
    const seen = new Map<string, StoredBatch>();
    const rows: Record<string, unknown>[] = [];
    const runs: Record<string, unknown>[] = [];
    for (const b of batches) {
      const known = seen.get(`${b.instance}\n${b.sha}`);
      if (known) {
        out.push({ ...known, duplicate: true });
        continue;
      }
      const at = nowIso(b.now);
      const batchId = uuidv7(b.now.getTime());
      let runId = runOf.get(b.instance);
      if (!runId) {
        runOf.set(b.instance, (runId = uuidv7(b.now.getTime())));
        runs.push({ id: runId, instance: b.instance, status: 'queued', kind: 'ingest', input: JSON.stringify({ files: [], batchId }), dry_run: false, queued_at: at });
      }
      rows.push({ id: batchId, instance: b.instance, source: b.source.slice(0, 128), body_sha256: b.sha, body: b.body, status: 'accepted', run_id: runId, received_at: at });
      const stored = { batchId, runId, duplicate: false };
      seen.set(`${b.instance}\n${b.sha}`, stored);
      out.push(stored);
    }
    await trx('ingest_batches').insert(rows);
    if (runs.length) await trx('runs').insert(runs);
  }, mysql ? { isolationLevel: 'read committed' } : {});
  return out;
}

/** A group's rows stay under SQLite's 999 bound parameters (8 columns a batch). */
const MAX_GROUP = 100;
/** ...and one statement stays well under MariaDB's default max_allowed_packet (16 MB). */
const MAX_GROUP_BYTES = 4 * 1024 * 1024;
/** Groups written at once: one waits for the database while the next one gathers. */
const MAX_FLUSHES = 3;

interface Waiter {
  batch: BatchToStore;
  resolve(s: StoredBatch): void;
  reject(err: unknown): void;
}

/**
 * Group commit of pushed batches: the batches of requests that arrive while earlier groups are
 * being written go in together. Each request waits for its own group's commit, so an answer
 * still means durable; under a morning burst the database sees a few transactions a moment
 * instead of one per controller.
 */
class BatchWriter {
  private pending: Waiter[] = [];
  private inFlight = 0;
  private scheduled = false;
  constructor(private readonly db: Knex) {}

  store(batch: BatchToStore): Promise<StoredBatch> {
    return new Promise<StoredBatch>((resolve, reject) => {
      this.pending.push({ batch, resolve, reject });
      if (!this.scheduled && this.inFlight < MAX_FLUSHES) {
        this.scheduled = true;
        // Requests whose bodies were read in the same turn of the event loop share a group.
        setImmediate(() => {
          this.scheduled = false;
          this.flush();
        });
      }
    });
  }

  private flush(): void {
    while (this.pending.length > 0 && this.inFlight < MAX_FLUSHES) {
      let n = 0;
      for (let bytes = 0; n < this.pending.length && n < MAX_GROUP; n++) {
        bytes += this.pending[n]!.batch.body.length;
        if (n > 0 && bytes > MAX_GROUP_BYTES) break;
      }
      const group = this.pending.splice(0, n);
      this.inFlight++;
      void this.write(group).finally(() => {
        this.inFlight--;
        this.flush();
      });
    }
  }

  private async write(group: Waiter[]): Promise<void> {
    try {
      const stored = await storeGroup(this.db, group.map((w) => w.batch));
      group.forEach((w, i) => w.resolve(stored[i]!));
    } catch (err) {
      if (group.length === 1 && !isUniqueViolation(err)) {
        group[0]!.reject(err);
        return;
      }
      // A body stored before (a controller's retry), or a failure of one batch: each on its own.
      await Promise.all(group.map((w) => storeBatch(this.db, w.batch).then(w.resolve, w.reject)));
    }
  }
}

const writers = new WeakMap<Knex, BatchWriter>();

/** storeBatch() under load: concurrent batches share a transaction; resolves once this one is committed. */
export function storeBatchGrouped(db: Knex, batch: BatchToStore): Promise<StoredBatch> {
  let w = writers.get(db);
  if (!w) writers.set(db, (w = new BatchWriter(db)));
  return w.store(batch);
}

/** SKIP LOCKED needs MariaDB 10.6 / MySQL 8; older servers wait for the lock instead. */
let skipLocked = true;

async function lockWaitingRuns(q: () => Knex.QueryBuilder): Promise<{ id: string; instance: string }[]> {
  if (skipLocked) {
    try {
      return await q().forUpdate().skipLocked().select('id', 'instance');
    } catch (err) {
      if ((err as { code?: unknown }).code !== 'ER_PARSE_ERROR') throw err;
      skipLocked = false;
    }
  }
  return q().forUpdate().select('id', 'instance');
}

function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}
