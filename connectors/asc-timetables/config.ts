import { z } from 'zod';
import { FIRST_DAY_NAMES } from '../../src/domain/timetable/weekday-names.ts';

/**
 * `firstDay` is only consulted when the file's own day definitions do not name their days in a
 * language we recognise (formats.md §1: the day order is the timetable's own, not always Monday).
 */
export const ascConfigSchema = z
  .object({
    firstDay: z.enum(FIRST_DAY_NAMES).optional(),
    encodingFallback: z.enum(['windows-1251', 'windows-1252']).optional(),
  })
  .strict();

export type AscConfig = z.infer<typeof ascConfigSchema>;
