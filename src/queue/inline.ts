/**
 * The in-process driver (no Redis): the same job definitions, run in this process with the same
 * lock, retry and backoff policy. Enqueueing a job id already known to this process is a no-op.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Runtime } from '../runtime.ts';
import { backoffMs, RETRY, shouldRetry } from './policy.ts';
import { LockBusy, runExclusive, workerName } from './runner.ts';
import type { EnqueueOptions, HubQueue, JobDefinition } from './types.ts';

export function createInlineQueue(rt: Runtime, jobs: Map<string, JobDefinition>): HubQueue & { settled(): Promise<void> } {
  const seen = new Set<string>();
  const running = new Set<Promise<unknown>>();
  const abort = new AbortController();
  const worker = workerName();

  const process = async (def: JobDefinition, data: unknown, jobId: string) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await runExclusive(rt, def, data, { signal: abort.signal, worker, attempt, enqueue: (j, d, o) => queue.enqueue(j, d, o) }, `${worker}:${jobId}`);
      } catch (err) {
        if (abort.signal.aborted) return undefined;
        if (err instanceof LockBusy) {
          attempt--;
          await sleep(200);
          continue;
        }
        if (!shouldRetry(err) || attempt >= RETRY.attempts) {
          rt.log.error(`job ${def.name} ${jobId} failed`, { error: err instanceof Error ? err.message : String(err) });
          return undefined;
        }
        rt.log.warn(`job ${def.name} ${jobId} failed, retrying`, { attempt, error: err instanceof Error ? err.message : String(err) });
        await sleep(backoffMs(attempt));
      }
    }
  };

  const queue: HubQueue & { settled(): Promise<void> } = {
    driver: 'inline',
    async enqueue(job: string, data: unknown, opts: EnqueueOptions) {
      const def = jobs.get(job);
      if (!def) throw new Error(`unknown job ${job}`);
      if (seen.has(opts.jobId)) return;
      seen.add(opts.jobId);
      const p = (async () => {
        // A delayed job must not hold up close(): shutting down cancels the wait.
        if (opts.delayMs) await sleep(opts.delayMs, undefined, { signal: abort.signal }).catch(() => undefined);
        if (abort.signal.aborted) return;
        await process(def, data, opts.jobId);
      })().finally(() => running.delete(p));
      running.add(p);
    },
    async startWorker() {},
    async settled() {
      while (running.size) await Promise.allSettled([...running]);
    },
    async close() {
      abort.abort(new Error('shutting down'));
      await Promise.allSettled([...running]);
    },
  };
  return queue;
}
