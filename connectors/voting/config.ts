/** Configuration of a voting instance (hub.yaml `instances[].config`). */
import { z } from 'zod';

const column = z.string().min(1);

export const votingConfig = z.strictObject({
  /** `auto`: long when there is a question column, wide when columns are named Q1, Вопрос 2, ... */
  layout: z.enum(['auto', 'long', 'wide']).default('auto'),
  /** Column names of this installation's export where they differ from the defaults (README). */
  columns: z.strictObject({
    session: column.optional(), date: column.optional(), device: column.optional(), question: column.optional(),
    points: column.optional(), correct: column.optional(), maxPoints: column.optional(),
  }).default({}),
  /** Points a question is worth when the export gives no maximum (correct/incorrect answers: 1). */
  pointsPerQuestion: z.number().positive().default(1),
  /** Which files of the drop folder are session results, case-insensitive; * and ? are wildcards. */
  files: z.string().min(1).default('*'),
  /** Sheet of a workbook: name or 1-based position (TurningPoint puts results on the first). */
  sheet: z.union([z.string().min(1), z.number().int().positive()]).optional(),
  delimiter: z.enum([';', ',', '\t', '|']).optional(),
  encoding: z.enum(['auto', 'windows-1251', 'windows-1252']).default('auto'),
});
export type VotingConfig = z.infer<typeof votingConfig>;
