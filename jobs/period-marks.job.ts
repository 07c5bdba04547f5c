/** Proposes period marks (weighted averages) for a school or a whole subtree and term. */
import { z } from 'zod';
import { computePeriodMarks } from '../src/domain/marks/period.ts';
import type { JobDefinition } from '../src/queue/types.ts';

const data = z.object({
  organization: z.string().min(1),
  year: z.string().min(1).optional(),
  term: z.string().min(1).optional(),
});

const periodMarks: JobDefinition<z.infer<typeof data>> = {
  name: 'period-marks',
  dataSchema: data,
  // Two computations of one subtree would race on the same period_marks rows.
  exclusiveKey: (d) => `period-marks:${d.organization}`,
  process: (rt, d) => computePeriodMarks(rt, { organization: d.organization, year: d.year, term: d.term, now: rt.now() }),
};

export default periodMarks;
