/**
 * The score-to-mark scale of one mark: hub.yaml `markScales` entries turned into the shared
 * transform's MarkScale and picked by organization, work type and, when the assessment register
 * names one, by scale name.
 */
import type { MarkScaleEntry } from '../../config/marks.ts';
import { RecordRejected } from '../../core/errors.ts';
import { pickScale, type MarkScale } from '../../mapping/mark.ts';

/** Built-in scale names a register may use without declaring them in hub.yaml. */
const PASS_FAIL_NAMES = new Set(['зачёт', 'зачет', 'зач', 'pass_fail', 'pass/fail']);
const DEFAULT_PASS_PERCENT = 50;

export function toMarkScale(e: MarkScaleEntry): MarkScale {
  if (e.passPercent !== undefined) return { kind: 'pass_fail', passPercent: e.passPercent };
  const thresholds = Object.entries(e.thresholds ?? {}).map(([mark, minPercent]) => ({ mark, minPercent: minPercent ?? 0 }));
  if (!thresholds.some((t) => t.mark === '2')) thresholds.push({ mark: '2', minPercent: 0 });
  return { kind: 'percent', thresholds };
}

export function scaleFor(entries: MarkScaleEntry[], orgChain: string[], workType: string, name: string | null): MarkScale {
  const usable = (list: MarkScaleEntry[]) => list.map((e) => ({ organization: e.organization, workType: e.workType, scale: toMarkScale(e) }));
  if (name === null || name === '') return pickScale(usable(entries.filter((e) => e.name === undefined)), orgChain, workType);
  const named = entries.filter((e) => e.name?.toLowerCase() === name.toLowerCase());
  const inScope = named.filter((e) => e.organization === undefined || orgChain.includes(e.organization));
  if (inScope.length > 0) return pickScale(usable(inScope), orgChain, undefined);
  if (PASS_FAIL_NAMES.has(name.toLowerCase())) return { kind: 'pass_fail', passPercent: DEFAULT_PASS_PERCENT };
  throw new RecordRejected('unknown_scale', `the register names mark scale "${name}", which hub.yaml markScales does not declare for ${orgChain[0]}`, 'scale');
}
