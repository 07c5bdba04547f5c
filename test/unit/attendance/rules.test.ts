/** The day rules alone, in minutes after midnight UTC for readability. */
import { describe, expect, it } from 'vitest';
import { judgeDay, type PassAt } from '../../../src/domain/attendance/rules.ts';

const m = (hhmm: string) => {
  const [h, mi, s] = hhmm.split(':').map(Number) as [number, number, number?];
  return ((h * 60 + mi) * 60 + (s ?? 0)) * 1000;
};
const day = (passes: [string, 'in' | 'out'][]) => ({ firstLessonAt: m('08:30'), lastLessonAt: m('12:30'), passes: passes.map(([t, d]): PassAt => ({ at: m(t), direction: d })) });
const rules = { graceMinutes: 15, lateAfterMinutes: 0 };
const at = (hhmm: string, passes: [string, 'in' | 'out'][]) => judgeDay(day(passes), m(hhmm), rules);

describe('a student day', () => {
  it('on time, late by whole minutes, or within the tolerance', () => {
    expect(at('15:00', [['08:12', 'in']])).toEqual({ status: 'present', minutesLate: null, noEntry: false });
    expect(at('15:00', [['08:37:59', 'in']])).toEqual({ status: 'late', minutesLate: 7, noEntry: false });
    expect(at('15:00', [['08:30:59', 'in']])?.status).toBe('present');
    expect(judgeDay(day([['08:33', 'in']]), m('15:00'), { graceMinutes: 15, lateAfterMinutes: 3 })?.status).toBe('present');
    expect(judgeDay(day([['08:34', 'in']]), m('15:00'), { graceMinutes: 15, lateAfterMinutes: 3 })).toMatchObject({ status: 'late', minutesLate: 4 });
  });

  it('absent only once the first lesson + grace has passed', () => {
    expect(at('08:44:59', [])).toBeUndefined();
    expect(at('08:45', [])).toEqual({ status: 'absent', minutesLate: null, noEntry: true });
  });

  it('left early when the last pass before the last lesson is an exit', () => {
    expect(at('15:00', [['08:10', 'in'], ['10:40', 'out']])?.status).toBe('left_early');
    expect(at('15:00', [['08:10', 'in'], ['10:40', 'out'], ['11:00', 'in'], ['13:20', 'out']])?.status).toBe('present');
    expect(at('15:00', [['08:40', 'in'], ['10:40', 'out']])).toEqual({ status: 'left_early', minutesLate: 10, noEntry: false });
  });

  it('present, arrival unknown, with only an exit after lessons', () => {
    expect(at('15:00', [['14:15', 'out']])).toEqual({ status: 'present', minutesLate: null, noEntry: false });
  });

  it('the first of two entries counts', () => {
    expect(at('15:00', [['08:20', 'in'], ['08:40', 'in']])?.status).toBe('present');
  });
});
