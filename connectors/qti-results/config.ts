/** Configuration of a qti-results instance (hub.yaml `instances[].config`). */
import { z } from 'zod';

export const qtiConfig = z.strictObject({
  /** Test-level outcome holding the learner's score. SCORE is a convention, not a rule (formats.md §4). */
  scoreOutcome: z.string().min(1).default('SCORE'),
  /** Test-level outcome holding the maximum; without it the register's "Макс. балл" is used. */
  maxScoreOutcome: z.string().min(1).default('MAXSCORE'),
  /** Which files of the drop folder are results, case-insensitive; * and ? are wildcards. */
  files: z.string().min(1).default('*.xml'),
});
export type QtiConfig = z.infer<typeof qtiConfig>;
