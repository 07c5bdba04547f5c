/** Configuration of a roster instance (hub.yaml `instances[].config`). */
import { z } from 'zod';

export const STREAMS = ['students', 'guardians', 'staff', 'consents'] as const;
export type RosterStream = (typeof STREAMS)[number];

const pattern = z
  .string()
  .min(1)
  .describe('file name pattern in the drop folder, case-insensitive; * and ? are wildcards');

export const rosterConfig = z.strictObject({
  /** Which files feed which stream. Unset: names containing the stream's words (see inputs.ts). */
  files: z
    .strictObject({
      students: pattern.optional(),
      guardians: pattern.optional(),
      staff: pattern.optional(),
      consents: pattern.optional(),
    })
    .optional(),
  /** Delimiter of text files; detected from the header line when unset. */
  delimiter: z.enum([';', ',', '\t', '|']).optional(),
  /**
   * Code page of text files that have no BOM and are not valid UTF-8. `auto` = windows-1251, what
   * Russian Windows programs write.
   */
  encoding: z.enum(['auto', 'windows-1251', 'windows-1252']).optional(),
  /** Sheet to read from a workbook matched by file name when no sheet is named after the stream. */
  sheet: z.string().min(1).optional(),
});
export type RosterConfig = z.infer<typeof rosterConfig>;

/** Resume point: the last row of `file` (base name) whose records were committed. */
export interface RosterState {
  file: string;
  line: number;
}
