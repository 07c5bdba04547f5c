/**
 * After a restart: runs left queued, running or interrupted are enqueued again (same job id), and
 * follow-up jobs still in the outbox are relayed.
 */
import { relayOutbox } from '../queue/outbox.ts';
import type { HubQueue } from '../queue/types.ts';
import type { Runtime } from '../runtime.ts';

export async function recoverRuns(rt: Runtime, queue: HubQueue): Promise<number> {
  const rows = await rt.db('runs').whereIn('status', ['queued', 'running', 'interrupted']).select('id', 'instance');
  for (const r of rows) await queue.enqueue('run-instance', { runId: r.id, instance: r.instance }, { jobId: `run-${r.id}` });
  await relayOutbox(rt.db, (job, data, opts) => queue.enqueue(job, data, opts));
  return rows.length;
}
