/** Runs one import (or replay) of a connector instance: the pipeline's unit of queued work. */
import { z } from 'zod';
import { executeRun } from '../src/pipeline/execute.ts';
import { relayOutbox } from '../src/queue/outbox.ts';
import type { JobDefinition } from '../src/queue/types.ts';

const data = z.object({ runId: z.string().uuid(), instance: z.string().min(1) });

const runInstance: JobDefinition<z.infer<typeof data>> = {
  name: 'run-instance',
  dataSchema: data,
  exclusiveKey: (d) => `instance:${d.instance}`,
  process: async (rt, d, ctx) => {
    try {
      return await executeRun(rt, d.runId, { signal: ctx.signal, worker: ctx.worker });
    } finally {
      // Follow-up jobs the run's committed chunks asked for (e.g. attendance derivation).
      if (ctx.enqueue) {
        await relayOutbox(rt.db, ctx.enqueue).catch((e: unknown) => rt.log.warn('outbox relay failed; retried after the next run or restart', { error: e instanceof Error ? e.message : String(e) }));
      }
    }
  },
};

export default runInstance;
