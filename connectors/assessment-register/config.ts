/** Configuration of an assessment-register instance (hub.yaml `instances[].config`). */
import { z } from 'zod';

export const STREAMS = ['assessments', 'participants'] as const;
export type RegisterStream = (typeof STREAMS)[number];

const pattern = z.string().min(1).describe('file name pattern in the drop folder, case-insensitive; * and ? are wildcards');

export const registerConfig = z.strictObject({
  /** Which files feed which stream. Unset: names containing the stream's words (see index.ts). */
  files: z.strictObject({ assessments: pattern.optional(), participants: pattern.optional() }).optional(),
  /** Delimiter of text files; detected from the header line when unset. */
  delimiter: z.enum([';', ',', '\t', '|']).optional(),
  /** Code page of text files that have no BOM and are not valid UTF-8 (`auto` = windows-1251). */
  encoding: z.enum(['auto', 'windows-1251', 'windows-1252']).optional(),
});
export type RegisterConfig = z.infer<typeof registerConfig>;
