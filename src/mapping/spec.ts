/**
 * The YAML mapping spec (mappings/<connector>/<stream>.<variant>.yaml). Data only: rename, cast,
 * enum maps, defaults, required, named transforms, named lookups. Joins and branching belong in a
 * `<stream>.<variant>.ts` converter.
 *
 * ```yaml
 * target: person.student          # a load target of the engine (src/pipeline/targets.ts)
 * fields:
 *   external_id: { from: Код, required: true }
 *   last_name:   { from: [Фамилия, Фамилия ученика], required: true, transform: [name] }
 *   birth_date:  { from: Дата рождения, cast: { type: date, format: DD.MM.YYYY } }
 *   sex:         { from: Пол, map: { М: male, Ж: female }, default: null }
 *   weight:      { value: 1 }
 *   teacher_id:  { from: Учитель, lookup: teacher }
 * ```
 */
import { z } from 'zod';

export const castSpec = z.union([
  z.enum(['string', 'int', 'decimal', 'bool', 'mark']),
  z.strictObject({
    type: z.enum(['date', 'datetime', 'time']),
    /** Tokens: YYYY YY MM M DD D HH H mm ss; literal separators. Several formats may be listed. */
    format: z.union([z.string(), z.array(z.string()).min(1)]),
    /** IANA zone for datetimes without an offset; `organization` = the instance's zone. */
    timeZone: z.string().optional(),
    /** Birth dates and the like: a date after today is rejected (`future_date`). */
    past: z.boolean().optional(),
    /** Earliest plausible date (ISO); earlier ones are rejected (`implausible_date`). */
    min: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
  }),
  z.strictObject({ type: z.literal('decimal'), comma: z.boolean().optional() }),
]);
export type CastSpec = z.infer<typeof castSpec>;

export const fieldSpec = z
  .strictObject({
    /** Source column(s); with a list the first non-empty wins. */
    from: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
    /** A constant value. */
    value: z.union([z.string(), z.number(), z.boolean(), z.null()]).optional(),
    /** Named transforms applied in order after trimming (src/mapping/transforms.ts). */
    transform: z.array(z.string()).optional(),
    cast: castSpec.optional(),
    /** Enum map from source values (compared trimmed, case-insensitively) to core values. */
    map: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
    /** Unmapped values: `reject` (default) or `keep`. */
    unmapped: z.enum(['reject', 'keep']).optional(),
    default: z.union([z.string(), z.number(), z.boolean(), z.null()]).optional(),
    required: z.boolean().optional(),
    /** Named lookup through the crosswalk (src/mapping/lookups.ts): resolves an external id. */
    lookup: z.string().optional(),
  })
  .refine((f) => f.from !== undefined || f.value !== undefined, {
    message: 'a field needs `from` or `value`',
  });
export type FieldSpec = z.infer<typeof fieldSpec>;

export const mappingSpec = z.strictObject({
  target: z.string().min(1),
  description: z.string().optional(),
  fields: z.record(z.string(), fieldSpec),
});
export type MappingSpec = z.infer<typeof mappingSpec>;
