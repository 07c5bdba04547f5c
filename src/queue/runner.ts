/** Runs one job under its exclusive lock; shared by both drivers. */
import { hostname } from 'node:os';
import type { Runtime } from '../runtime.ts';
import { tryLock, withLock, DEFAULT_LOCK_TTL_MS } from './instance-lock.ts';
import type { JobContext, JobDefinition } from './types.ts';

export const workerName = (): string => `${hostname()}:${process.pid}`;

export class LockBusy extends Error {
  constructor(readonly key: string) {
    super(`${key} is running elsewhere`);
  }
}

/** Parses the data, takes the job's exclusive lock (or throws LockBusy) and processes it. */
export async function runExclusive(rt: Runtime, def: JobDefinition, raw: unknown, ctx: JobContext, holder: string): Promise<unknown> {
  const data = def.dataSchema.parse(raw);
  const key = def.exclusiveKey?.(data);
  if (!key) return def.process(rt, data, ctx);
  if (!(await tryLock(rt.db, key, holder, DEFAULT_LOCK_TTL_MS))) throw new LockBusy(key);
  return withLock(rt.db, key, holder, () => def.process(rt, data, ctx));
}
