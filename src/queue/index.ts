/** Picks the driver: `bullmq` when Redis is configured (REDIS_URL or hub.yaml redis), else `inline`. */
import type { Runtime } from '../runtime.ts';
import { createBullQueue } from './bullmq.ts';
import { createInlineQueue } from './inline.ts';
import { loadJobs } from './jobs.ts';
import type { HubQueue } from './types.ts';

export async function createQueue(rt: Runtime, env: Record<string, string | undefined> = process.env): Promise<HubQueue> {
  const jobs = await loadJobs();
  const url = env.REDIS_URL ?? rt.hub.redis?.url;
  if (!url) return createInlineQueue(rt, jobs);
  return createBullQueue(rt, jobs, {
    url,
    prefix: env.HUB_QUEUE_PREFIX ?? rt.hub.redis?.prefix ?? 'rso',
    ...(env.HUB_LOCK_DURATION_MS ? { lockDuration: Number(env.HUB_LOCK_DURATION_MS) } : {}),
    ...(env.HUB_STALLED_INTERVAL_MS ? { stalledInterval: Number(env.HUB_STALLED_INTERVAL_MS) } : {}),
  });
}
