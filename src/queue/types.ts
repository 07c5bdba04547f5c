/**
 * One small queue interface with two drivers: `inline` (in-process, the embedded default) and
 * `bullmq` (Redis, any number of workers). Redis carries job descriptors only, never bulk data.
 */
import type { z } from 'zod';
import type { Runtime } from '../runtime.ts';

export interface JobContext {
  signal: AbortSignal;
  worker: string;
  attempt: number;
  /** Follow-up work: the queue this job runs on (both drivers provide it). */
  enqueue?: HubQueue['enqueue'];
}

/** A job kind: jobs/<name>.job.ts exports one of these; `process` stays thin and calls src/. */
export interface JobDefinition<D = unknown> {
  name: string;
  dataSchema: z.ZodType<D>;
  /** Key for per-instance mutual exclusion: two jobs with the same key never run at once. */
  exclusiveKey?(data: D): string;
  process(rt: Runtime, data: D, ctx: JobContext): Promise<unknown>;
}

export interface EnqueueOptions {
  /** Deterministic id: enqueueing the same id twice is a no-op. */
  jobId: string;
  delayMs?: number;
}

export interface HubQueue {
  readonly driver: 'inline' | 'bullmq';
  enqueue(job: string, data: unknown, opts: EnqueueOptions): Promise<void>;
  /** Starts processing (a worker). Inline queues process what they are given right away. */
  startWorker(opts?: { concurrency?: number }): Promise<void>;
  /** Stops taking jobs, aborts running ones at their next safe point and waits for them. */
  close(): Promise<void>;
}
