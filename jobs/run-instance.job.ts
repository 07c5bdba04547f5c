/** Runs one import (or replay) of a connector instance: the pipeline's unit of queued work. */
import { z } from 'zod';
import { executeRun } from '../src/pipeline/execute.ts';
import type { JobDefinition } from '../src/queue/types.ts';

const data = z.object({ runId: z.string().uuid(), instance: z.string().min(1) });

const runInstance: JobDefinition<z.infer<typeof data>> = {
  name: 'run-instance',
  dataSchema: data,
  exclusiveKey: (d) => `instance:${d.instance}`,
  process: (rt, d, ctx) => executeRun(rt, d.runId, { signal: ctx.signal, worker: ctx.worker }),
};

export default runInstance;
