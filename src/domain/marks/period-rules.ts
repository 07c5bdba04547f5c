/**
 * How a school turns marks into a period mark (russia.md §2): the weighted average
 * Σ(mark × weight) / Σ(weight), weights by work type (hub.yaml `periodMarks`, else the weight the
 * mark came with), rounded "in the student's favour" by thresholds, 4.65 / 3.65 / 2.65 unless
 * the school's local act says otherwise.
 */
import type { PeriodMarksEntry } from '../../config/marks.ts';

export interface PeriodRules {
  weights: Record<string, number>;
  thresholds: { '5': number; '4': number; '3': number };
}

export const DEFAULT_THRESHOLDS = { '5': 4.65, '4': 3.65, '3': 2.65 } as const;

/** Entries from the root down to the organization, each overriding what it declares. */
export function rulesFor(entries: PeriodMarksEntry[], orgChain: string[]): PeriodRules {
  const rank = (e: PeriodMarksEntry) => (e.organization === undefined ? orgChain.length : orgChain.indexOf(e.organization));
  const applicable = entries.filter((e) => e.organization === undefined || orgChain.includes(e.organization)).sort((a, b) => rank(b) - rank(a));
  const rules: PeriodRules = { weights: {}, thresholds: { ...DEFAULT_THRESHOLDS } };
  for (const e of applicable) {
    Object.assign(rules.weights, e.weights);
    Object.assign(rules.thresholds, e.thresholds ?? {});
  }
  return rules;
}

/**
 * The average is first rounded to hundredths, half up (what a journal shows: 4.645 reads 4.65),
 * then compared with the thresholds.
 */
export function periodMark(average: number, t: PeriodRules['thresholds']): string {
  const shown = Math.round(average * 100 + 1e-6) / 100;
  return shown >= t['5'] ? '5' : shown >= t['4'] ? '4' : shown >= t['3'] ? '3' : '2';
}
