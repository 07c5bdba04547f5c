import { z } from 'zod';

/** `encodingFallback` applies to CSV change lists that are neither BOM-marked nor valid UTF-8. */
export const scheduleXlsxConfigSchema = z
  .object({
    encodingFallback: z.enum(['windows-1251', 'windows-1252']).optional(),
  })
  .strict();

export type ScheduleXlsxConfig = z.infer<typeof scheduleXlsxConfigSchema>;
