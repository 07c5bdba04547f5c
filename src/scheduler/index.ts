/**
 * node-cron -> enqueue with deterministic ids. The run id of a scheduled fire is derived from
 * (instance, fire minute), so two schedulers firing the same minute create one run and one job.
 */
import { createHash } from 'node:crypto';
import cron from 'node-cron';
import { createRun } from '../pipeline/runs-store.ts';
import type { HubQueue } from '../queue/types.ts';
import type { Runtime } from '../runtime.ts';
import { dropFolderFiles } from '../pipeline/execute.ts';

export function scheduledRunId(instance: string, fire: Date): string {
  const minute = fire.toISOString().slice(0, 16);
  const h = createHash('sha256').update(`${instance}|${minute}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export async function fire(rt: Runtime, queue: HubQueue, instance: string, at: Date): Promise<string> {
  const inst = rt.instance(instance);
  const id = scheduledRunId(instance, at);
  const exists = await rt.db('runs').where({ id }).first('id');
  if (!exists) {
    try {
      await createRun(rt.db, { id, instance, kind: 'import', input: { files: dropFolderFiles(rt, inst.dropFolder) }, now: at });
    } catch {
      // Another scheduler created it first: same id, same run.
    }
  }
  await queue.enqueue('run-instance', { runId: id, instance }, { jobId: `run-${id}` });
  return id;
}

export function startScheduler(rt: Runtime, queue: HubQueue): { stop(): void } {
  const tasks = rt.hub.instances.filter((i) => i.schedule).map((i) => {
    const zone = rt.orgs.get(i.organization).timeZone;
    return cron.schedule(i.schedule!, () => {
      fire(rt, queue, i.name, new Date()).catch((e: unknown) => rt.log.error(`scheduled run of ${i.name} failed to start`, { error: e instanceof Error ? e.message : String(e) }));
    }, { timezone: zone, name: i.name, noOverlap: true });
  });
  rt.log.info(`scheduler: ${tasks.length} scheduled instance(s)`);
  return { stop: () => tasks.forEach((t) => void t.stop()) };
}
