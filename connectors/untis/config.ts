import { z } from 'zod';

/**
 * Untis lets the user choose the field separator and the text quote of its GPU exports
 * (formats.md §2 "General rules"); both are detected when not given here.
 */
export const untisConfigSchema = z
  .object({
    separator: z.enum([',', ';', '\t', '|']).optional(),
    quote: z.enum(['"', "'"]).optional(),
    /** Encoding of files without BOM that are not valid UTF-8 (the export's "UTF-8" box unticked). */
    encodingFallback: z.enum(['windows-1251', 'windows-1252']).optional(),
  })
  .strict();

export type UntisConfig = z.infer<typeof untisConfigSchema>;
