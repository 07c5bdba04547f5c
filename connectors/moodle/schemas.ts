/**
 * zod pieces shared by the operation modules. Moodle's return descriptions
 * (`external_value(PARAM_BOOL ...)`, `external_warnings()`) come out of `clean_returnvalue()`
 * (https://github.com/moodle/moodle/blob/main/lib/external/classes/external_api.php).
 */
import { z } from 'zod';

/** PARAM_BOOL comes back as `true`/`false` on current sites and as `0`/`1` on some older ones. */
export const moodleBool = z
  .union([z.boolean(), z.literal(0), z.literal(1), z.literal('0'), z.literal('1')])
  .transform((v) => v === true || v === 1 || v === '1');

/** `external_warnings()`: per-item problems on an otherwise successful call. */
export const warningSchema = z.object({
  item: z.string().optional(),
  itemid: z.number().optional(),
  warningcode: z.string(),
  message: z.string(),
});
export type MoodleWarning = z.infer<typeof warningSchema>;

export const warningsSchema = z.array(warningSchema).default([]);

/** Functions whose returns description is `null` answer with the literal body `null`. */
export const nullAnswer = z.null();
