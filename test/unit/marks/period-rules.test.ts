/** Period-mark rounding and rules per school (russia.md §2). */
import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS, periodMark, rulesFor } from '../../../src/domain/marks/period-rules.ts';

describe('rounding a weighted average to a period mark', () => {
  it.each([
    [5, '5'], [4.65, '5'], [4.645, '5'], [4.644, '4'], [4.44, '4'], [3.65, '4'], [3.649, '4'], [3.644, '3'], [2.65, '3'], [2.64, '2'], [1, '2'],
  ])('%f -> %s with the default 4.65 / 3.65 / 2.65', (avg, mark) => expect(periodMark(avg, DEFAULT_THRESHOLDS)).toBe(mark));
});

describe('rules per school', () => {
  const entries = [
    { weights: { 'Контрольная работа': 5, 'Домашняя работа': 1 } },
    { organization: 'obr', weights: { 'Домашняя работа': 2 } },
    { organization: 'sch-002', weights: {}, thresholds: { '5': 4.5, '4': 3.5, '3': 2.5 } },
  ];

  it('the nearest organization wins, key by key', () => {
    const rules = rulesFor(entries, ['sch-002', 'obr', 'reg-63']);
    expect(rules).toEqual({ weights: { 'Контрольная работа': 5, 'Домашняя работа': 2 }, thresholds: { '5': 4.5, '4': 3.5, '3': 2.5 } });
    expect(periodMark(4.5, rules.thresholds)).toBe('5');
  });

  it('another school keeps the defaults', () => {
    expect(rulesFor(entries, ['sch-001', 'obr', 'reg-63']).thresholds).toEqual(DEFAULT_THRESHOLDS);
    expect(periodMark(4.5, rulesFor(entries, ['sch-001', 'obr', 'reg-63']).thresholds)).toBe('4');
  });
});
