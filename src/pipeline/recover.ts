/** After a restart: runs left queued, running or interrupted are enqueued again (same job id). */
import type { HubQueue } from '../queue/types.ts';
import type { Runtime } from '../runtime.ts';

export async function recoverRuns(rt: Runtime, queue: HubQueue): Promise<number> {
  const rows = await rt.db('runs').whereIn('status', ['queued', 'running', 'interrupted']).select('id', 'instance');
  for (const r of rows) await queue.enqueue('run-instance', { runId: r.id, instance: r.instance }, { jobId: `run-${r.id}` });
  return rows.length;
}
