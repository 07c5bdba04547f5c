/**
 * The Redis driver. Deterministic job ids make enqueueing idempotent (BullMQ ignores an existing
 * id; ids must not contain ':' nor be all digits, engineering.md §1.3). Permanent errors become
 * UnrecoverableError; a job whose instance is busy is delayed without using an attempt.
 */
import { DelayedError, Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { Runtime } from '../runtime.ts';
import { backoffMs, RETRY, shouldRetry } from './policy.ts';
import { LockBusy, runExclusive, workerName } from './runner.ts';
import type { EnqueueOptions, HubQueue, JobDefinition } from './types.ts';

export const QUEUE_NAME = 'hub-jobs';

export interface BullOptions {
  url: string;
  prefix: string;
  /** Shortened in tests that kill workers; BullMQ defaults are 30 s. */
  lockDuration?: number;
  stalledInterval?: number;
}

export function createBullQueue(rt: Runtime, jobs: Map<string, JobDefinition>, opts: BullOptions): HubQueue {
  const connection = () => new Redis(opts.url, { maxRetriesPerRequest: null });
  const producerConn = new Redis(opts.url, { maxRetriesPerRequest: null, enableOfflineQueue: false });
  const queue = new Queue(QUEUE_NAME, { connection: producerConn, prefix: opts.prefix });
  queue.on('error', (e) => rt.log.error('queue error', { error: e.message }));
  let worker: Worker | undefined;
  let workerConn: Redis | undefined;
  const abort = new AbortController();
  const name = workerName();

  const processor = async (job: Job, token?: string) => {
    const def = jobs.get(job.name);
    if (!def) throw new UnrecoverableError(`unknown job ${job.name}`);
    try {
      return await runExclusive(rt, def, job.data, { signal: abort.signal, worker: name, attempt: job.attemptsMade + 1, enqueue: (j, d, o) => hub.enqueue(j, d, o) }, `${name}:${job.id}`);
    } catch (err) {
      if (err instanceof LockBusy) {
        await job.moveToDelayed(Date.now() + 500, token);
        throw new DelayedError();
      }
      if (!shouldRetry(err)) throw new UnrecoverableError(err instanceof Error ? err.message : String(err));
      throw err instanceof Error ? err : new Error(String(err));
    }
  };

  const hub: HubQueue = {
    driver: 'bullmq',
    async enqueue(job: string, data: unknown, o: EnqueueOptions) {
      await queue.add(job, data, {
        jobId: o.jobId.replace(/:/g, '_'),
        attempts: RETRY.attempts,
        backoff: { type: 'exponential', delay: backoffMs(1) },
        ...(o.delayMs ? { delay: o.delayMs } : {}),
        removeOnComplete: { age: 24 * 3600, count: 10_000 },
        removeOnFail: { age: 7 * 24 * 3600 },
      });
    },
    async startWorker(w = {}) {
      workerConn = connection();
      worker = new Worker(QUEUE_NAME, processor, {
        connection: workerConn,
        prefix: opts.prefix,
        concurrency: w.concurrency ?? 2,
        ...(opts.lockDuration ? { lockDuration: opts.lockDuration } : {}),
        ...(opts.stalledInterval ? { stalledInterval: opts.stalledInterval } : {}),
      });
      worker.on('error', (e) => rt.log.error('worker error', { error: e.message }));
      worker.on('failed', (job, e) => rt.log.warn(`job ${job?.name} ${job?.id} failed`, { error: e.message, attempts: job?.attemptsMade }));
    },
    async close() {
      abort.abort(new Error('shutting down'));
      await worker?.close();
      await queue.close();
      // Connections we passed in are ours to close: BullMQ closes only those it created.
      workerConn?.disconnect();
      producerConn.disconnect();
    },
  };
  return hub;
}
