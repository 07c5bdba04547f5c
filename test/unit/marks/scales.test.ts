/** Score-to-mark scales from hub.yaml `markScales`, through the shared mark transform. */
import { describe, expect, it } from 'vitest';
import { markScaleEntry } from '../../../src/config/marks.ts';
import { scoreToMark } from '../../../src/mapping/mark.ts';
import { scaleFor } from '../../../src/domain/marks/scales.ts';
import { RecordRejected } from '../../../src/core/errors.ts';

const entries = [
  { thresholds: { '5': 80, '4': 60, '3': 40 } },
  { organization: 'sch-001', workType: 'Тест', thresholds: { '5': 90, '4': 75, '3': 50 } },
  { organization: 'sch-001', name: 'строгая', thresholds: { '5': 95, '4': 85, '3': 70 } },
  { organization: 'obr', name: 'зачёт', passPercent: 70 },
].map((e) => markScaleEntry.parse(e));
const chain = ['sch-001', 'obr', 'reg-63'];
const mark = (score: number, max: number, workType: string, name: string | null = null, orgs = chain) => scoreToMark(score, max, scaleFor(entries, orgs, workType, name)).value;

describe('picking the scale of a mark', () => {
  it('a school and work type entry beats the general one', () => {
    expect(mark(17, 20, 'Тест')).toBe('4'); // 85 %: 4 on sch-001's test scale (90)
    expect(mark(17, 20, 'Диктант')).toBe('5'); // the general scale (80)
    expect(mark(17, 20, 'Тест', null, ['sch-002', 'obr', 'reg-63'])).toBe('5');
  });

  it('a register row may name a scale; "2" is below the lowest threshold', () => {
    expect(mark(18, 20, 'Тест', 'строгая')).toBe('4');
    expect(mark(13, 20, 'Тест', 'строгая')).toBe('2');
  });

  it('pass/fail scales give "зач" and "незач"; an undeclared "зачёт" passes at 50 %', () => {
    expect(mark(14, 20, 'Зачёт', 'зачёт')).toBe('зач');
    expect(mark(13, 20, 'Зачёт', 'зачёт')).toBe('незач');
    expect(mark(10, 20, 'Зачёт', 'зачёт', ['sch-900', 'other', 'reg-63'])).toBe('зач');
  });

  it('an unknown scale name is a rejection naming it', () => {
    expect(() => mark(10, 20, 'Тест', 'мягкая')).toThrow(RecordRejected);
    expect(() => mark(10, 20, 'Тест', 'мягкая')).toThrow('"мягкая"');
  });

  it('hub.yaml refuses a scale with both thresholds and a pass mark', () => {
    expect(markScaleEntry.safeParse({ thresholds: { '5': 90 }, passPercent: 50 }).success).toBe(false);
  });
});
