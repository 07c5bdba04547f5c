/**
 * The in-process driver (no Redis): the same job definitions, run in this process with the same
 * lock, retry and backoff policy. Enqueueing a job id already known to this process is a no-op.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Runtime } from '../runtime.ts';
import { backoffMs, RETRY, shouldRetry } from './policy.ts';
import { LockBusy, runExclusive, workerName } from './runner.ts';
import type { EnqueueOptions, HubQueue, JobDefinition } from './types.ts';

export type InlineQueue = HubQueue & {
  /** Resolves when no job runs or waits; `{ delayed: false }`: ignores jobs waiting for a later start. */
  settled(opts?: { delayed?: boolean }): Promise<void>;
};

export function createInlineQueue(rt: Runtime, jobs: Map<string, JobDefinition>): InlineQueue {
  const seen = new Set<string>();
  /** job id -> the job's run; `waiting`: ids of delayed jobs not started yet. */
  const running = new Map<string, Promise<unknown>>();
  const waiting = new Set<string>();
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

  const queue: InlineQueue = {
    driver: 'inline',
    async enqueue(job: string, data: unknown, opts: EnqueueOptions) {
      const def = jobs.get(job);
      if (!def) throw new Error(`unknown job ${job}`);
      if (seen.has(opts.jobId)) return;
      seen.add(opts.jobId);
      const id = opts.jobId;
      const p = (async () => {
        // A delayed job must not hold up close(): shutting down cancels the wait.
        if (opts.delayMs) {
          waiting.add(id);
          await sleep(opts.delayMs, undefined, { signal: abort.signal }).catch(() => undefined);
          waiting.delete(id);
        }
        if (abort.signal.aborted) return;
        await process(def, data, id);
      })().finally(() => {
        running.delete(id);
        waiting.delete(id);
      });
      running.set(id, p);
    },
    async startWorker() {},
    async settled(opts = {}) {
      const busy = () => [...running].filter(([id]) => opts.delayed !== false || !waiting.has(id)).map(([, p]) => p);
      for (let now = busy(); now.length; now = busy()) await Promise.allSettled(now);
    },
    async close() {
      abort.abort(new Error('shutting down'));
      await Promise.allSettled([...running.values()]);
    },
  };
  return queue;
}
