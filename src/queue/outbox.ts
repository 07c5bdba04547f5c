/**
 * The transactional outbox: a load target that needs follow-up work (derive attendance for the
 * school-days it touched) writes "enqueue this job" rows in its own chunk transaction; they are
 * relayed to the queue after the run and at every worker start. A crash between the commit and the
 * enqueue loses nothing, and a job id written twice before the relay is one row, one job.
 */
import type { Knex } from 'knex';
import { nowIso } from '../db/ids.ts';
import type { HubQueue } from './types.ts';

export interface OutboxEntry {
  job: string;
  /** Deterministic: the queue ignores an id it already has. */
  jobId: string;
  data: unknown;
  /** Wall-clock time before which the job should not start (a debounce). */
  notBefore?: Date;
}

export async function addToOutbox(trx: Knex | Knex.Transaction, entries: OutboxEntry[], now: Date): Promise<void> {
  if (entries.length === 0) return;
  const rows = entries.map((e) => ({
    job_id: e.jobId, job: e.job, data: JSON.stringify(e.data), not_before: e.notBefore ? nowIso(e.notBefore) : null, created_at: nowIso(now),
  }));
  for (let i = 0; i < rows.length; i += 500) await trx('job_outbox').insert(rows.slice(i, i + 500)).onConflict('job_id').ignore();
}

/** Enqueues what the outbox holds and removes each row once the queue has it. */
export async function relayOutbox(db: Knex, enqueue: HubQueue['enqueue'], wallNow: () => number = Date.now): Promise<number> {
  let relayed = 0;
  for (;;) {
    const rows: { id: number; job_id: string; job: string; data: string; not_before: string | null }[] = await db('job_outbox').orderBy('id').limit(500).select('id', 'job_id', 'job', 'data', 'not_before');
    if (rows.length === 0) return relayed;
    for (const r of rows) {
      const delayMs = r.not_before ? Math.max(0, Date.parse(r.not_before) - wallNow()) : 0;
      await enqueue(r.job, JSON.parse(r.data) as unknown, { jobId: r.job_id, ...(delayMs > 0 ? { delayMs } : {}) });
    }
    await db('job_outbox').whereIn('id', rows.map((r) => r.id)).delete();
    relayed += rows.length;
    if (rows.length < 500) return relayed;
  }
}
