/**
 * hub.yaml sections for marks (russia.md §2): score-to-mark scales and period-mark rules. Both are
 * lists whose entries may name an organization (applies to its subtree) and a work type; the most
 * specific entry wins (src/domain/marks/scales.ts, src/domain/marks/period-rules.ts).
 *
 * ```yaml
 * markScales:
 *   - { thresholds: { "5": 85, "4": 65, "3": 45 } }              # percent of the maximum
 *   - { organization: sch-002, workType: Зачёт, passPercent: 60 }  # -> "зач" / "незач"
 *   - { organization: sch-001, name: строгая, thresholds: { "5": 90, "4": 75, "3": 50 } }
 * periodMarks:
 *   - weights: { Контрольная работа: 5, Самостоятельная работа: 3, Домашняя работа: 1 }
 *     thresholds: { "5": 4.65, "4": 3.65, "3": 2.65 }
 * ```
 */
import { z } from 'zod';

const code = z.string().min(1);
const markKey = z.enum(['5', '4', '3', '2']);

export const markScaleEntry = z
  .strictObject({
    /** Applies to this organization and its subtree; everywhere when absent. */
    organization: code.optional(),
    /** Applies to marks of this work type only (as the assessment register names it). */
    workType: z.string().min(1).optional(),
    /** A register row may ask for a scale by name (column "Шкала"). */
    name: z.string().min(1).optional(),
    /** Lowest percentage of the maximum score for each mark; below the lowest one gives "2". */
    thresholds: z.partialRecord(markKey, z.number().min(0).max(100)).optional(),
    /** Pass/fail: at least this percentage gives "зач", less gives "незач". */
    passPercent: z.number().min(0).max(100).optional(),
  })
  .refine((s) => (s.thresholds === undefined) !== (s.passPercent === undefined), {
    message: 'a mark scale has either `thresholds` or `passPercent`',
  });
export type MarkScaleEntry = z.infer<typeof markScaleEntry>;

export const periodMarksEntry = z.strictObject({
  organization: code.optional(),
  /** Weight of a mark by its work type; marks of other types keep the weight they were given. */
  weights: z.record(z.string().min(1), z.number().positive()).default({}),
  /** Lowest weighted average for each period mark (4.65 / 3.65 / 2.65 by default). */
  thresholds: z.partialRecord(z.enum(['5', '4', '3']), z.number().min(1).max(5)).optional(),
});
export type PeriodMarksEntry = z.infer<typeof periodMarksEntry>;
